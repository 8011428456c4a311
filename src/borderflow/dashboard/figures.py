"""Figures and totals of a dashboard run against its baseline (JSON for plotly.js)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from borderflow.report.labels import measure_name, method_name
from borderflow.report.map import corridor_map
from borderflow.report.months import month_axes
from borderflow.report.run_report import DEATH_RATE, death_rate, observed_monthly
from borderflow.scenario.registry import SECTORS

RUN, BASE, OBS = "#d62728", "#1f77b4", "#222222"


def _style(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=title, template="plotly_white", height=height,
                      margin=dict(l=55, r=15, t=45, b=40),
                      legend=dict(orientation="h", y=-0.15))
    return fig


def encounters_figure(res, base) -> go.Figure:
    sim, ref = res.encounters(), base.encounters()
    fig = go.Figure()
    fig.add_scatter(x=ref["month"], y=ref["encounters"], name="baseline scenario",
                    line=dict(color=BASE))
    fig.add_scatter(x=sim["month"], y=sim["encounters"], name="with your levers",
                    line=dict(color=RUN, width=2.5))
    obs = observed_monthly("usbp_sw_encounters")
    if obs is not None:
        obs = obs[obs["month"].isin(sim["month"])]
        fig.add_scatter(x=obs["month"], y=obs["value"], name="observed (OHSS)",
                        line=dict(color=OBS, dash="dot"))
    return _style(fig, "U.S. Border Patrol Southwest encounters a month")


def sector_figure(res, base) -> go.Figure:
    def totals(r):
        t = r.encounters(by="sector").groupby("sector")["encounters"].sum()
        return [int(t.get(s, 0)) for s in SECTORS]

    fig = go.Figure()
    fig.add_bar(x=list(SECTORS), y=totals(base), name="baseline scenario", marker_color=BASE)
    fig.add_bar(x=list(SECTORS), y=totals(res), name="with your levers", marker_color=RUN)
    fig.update_layout(barmode="group")
    return _style(fig, "Encounters by sector over the span")


def mexico_figure(res, base) -> go.Figure:
    fig = go.Figure()
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
    mx = res.mexico().groupby(["month", "measure"], as_index=False)["people"].sum()
    mb = base.mexico().groupby(["month", "measure"], as_index=False)["people"].sum()
    for k, (measure, g) in enumerate(mx.groupby("measure")):
        colour = palette[k % len(palette)]
        b = mb[mb["measure"] == measure]
        fig.add_scatter(x=g["month"], y=g["people"], name=measure_name(measure),
                        legendgroup=measure, line=dict(color=colour, width=2))
        fig.add_scatter(x=b["month"], y=b["people"], name=f"{measure_name(measure)} (baseline)",
                        legendgroup=measure, showlegend=False,
                        line=dict(color=colour, width=1, dash="dot"))
    return _style(fig, "Mexican enforcement (solid: your levers, dotted: baseline)")


#: fewer drawn agent deaths than this in a run and the drawn count is mostly noise (each agent
#: stands for ``scale`` people, so deaths come in blocks of ``scale``): show expected deaths
MIN_DEATH_DRAWS = 100


def use_expected_deaths(*runs) -> bool:
    """True when any run drew too few agent deaths for its count to mean much."""
    return any(r.deaths()["deaths"].sum() / r.meta["scale"] < MIN_DEATH_DRAWS for r in runs)


def expected_deaths(r) -> pd.DataFrame:
    """month, deaths: the summed chances of dying of everyone who moved (noise-free)."""
    return r.tables["crossings"].groupby("month", as_index=False)["expected_deaths"].sum() \
        .rename(columns={"expected_deaths": "deaths"})


def deaths_figure(res, base) -> go.Figure:
    months = pd.DataFrame({"month": res.months})
    expected = use_expected_deaths(res, base)

    def monthly(r):
        d = expected_deaths(r) if expected else r.deaths().groupby(
            "month", as_index=False)["deaths"].sum()
        return months.merge(d, how="left").fillna(0)

    fig = go.Figure()
    fig.add_bar(x=res.months, y=monthly(base)["deaths"], name="baseline scenario",
                marker_color=BASE)
    fig.add_bar(x=res.months, y=monthly(res)["deaths"], name="with your levers",
                marker_color=RUN)
    obs = observed_monthly("iom_deaths_us_mexico_bbox")
    if obs is not None:
        obs = obs[obs["month"].isin(res.months)]
        fig.add_scatter(x=obs["month"], y=obs["value"], name="IOM (observed)",
                        line=dict(color=OBS))
    fig.update_layout(barmode="group")
    title = "Dead and missing a month"
    if expected:
        title += (f" (expected: summed chances; too few agents died at 1:{res.meta['scale']} "
                  "for drawn counts)")
    rate = rate_row(res, base)
    if rate is not None:
        title += (f"<br><sup>{DEATH_RATE} between ports: {rate['run']:.1f} with your levers, "
                  f"{rate['baseline']:.1f} baseline"
                  + (f" ({rate['percent']:+.1f}%)" if rate["percent"] is not None else "")
                  + "</sup>")
    fig = _style(fig, title)
    fig.update_layout(margin=dict(t=70 if rate is not None else 45))
    return fig


def _row(name: str, va: float, vb: float, digits: int = 0) -> dict:
    return {"measure": name, "run": va, "baseline": vb, "difference": va - vb,
            "percent": None if vb == 0 else round(100 * (va - vb) / vb, 1), "digits": digits}


def rate_row(res, base) -> dict | None:
    """Expected deaths per 100,000 crossings between ports, your levers against the
    baseline (:func:`borderflow.compare.metrics`); None for a run without the crossings
    table or without a crossing."""
    if "crossings" not in getattr(res, "tables", {}) or "crossings" not in getattr(
            base, "tables", {}):
        return None
    try:
        va, vb = death_rate(res), death_rate(base)
    except KeyError:  # a run without the tables compare.metrics reads
        return None
    if va != va or vb != vb:  # NaN: nobody crossed between ports
        return None
    return _row(f"{DEATH_RATE} (between ports)", va, vb, digits=1)


def totals(res, base) -> list[dict]:
    """Headline totals over the span: your levers, baseline, difference; after the deaths,
    the deaths per 100,000 crossings (more checkpoints can lower the count while each
    crossing gets deadlier)."""
    expected = use_expected_deaths(res, base)

    def measures(r) -> dict[str, float]:
        mx = r.mexico().groupby("measure")["people"].sum()
        dead = (("dead and missing (expected)", float(expected_deaths(r)["deaths"].sum()))
                if expected else ("dead and missing", float(r.deaths()["deaths"].sum())))
        out = {"U.S. Border Patrol encounters": float(r.encounters()["encounters"].sum()),
               dead[0]: dead[1]}
        for m, v in mx.items():
            out[f"Mexico: {measure_name(m)}"] = float(v)
        return out

    a, b = measures(res), measures(base)
    rows = [_row(name, a.get(name, 0.0), b.get(name, 0.0)) for name in a.keys() | b.keys()]
    rate = rate_row(res, base)
    if rate is not None:
        rows.append(rate)
    order = ("U.S.", "dead", "expected deaths per")
    return sorted(rows, key=lambda r: (next((k for k, p in enumerate(order)
                                             if r["measure"].startswith(p)), len(order)),
                                       r["measure"]))


def figure_json(fig: go.Figure) -> dict:
    """The figure as plotly.js JSON, its month axes labelled like every other chart's."""
    month_axes(fig)
    return json.loads(pio.to_json(fig, validate=False, engine="json"))


def payload(res, base) -> dict:
    m = corridor_map(res, title="Simulated crossings, checkpoints, sector encounters and deaths")
    m.update_layout(template="plotly_white", margin=dict(l=50, r=10, t=45, b=40), height=560)
    figs = {"encounters": encounters_figure(res, base), "sectors": sector_figure(res, base),
            "mexico": mexico_figure(res, base), "deaths": deaths_figure(res, base), "map": m}
    return {"figures": {k: figure_json(f) for k, f in figs.items()},
            "totals": totals(res, base), "meta": {k: v for k, v in res.meta.items()}}


#: the backtest methods drawn, with their colours (the model's 80% band is shaded)
BACKTEST_LINES = {m: (method_name(m), colour) for m, colour in
                  (("model_corrected", RUN), ("ets", "#2ca02c"), ("sarima", "#9467bd"))}


#: the backtest panels: columns, the height of a panel and the gap between rows (pixels;
#: the gap holds the tick labels of one row and the title of the next, apart)
BACKTEST_COLS, PANEL_HEIGHT, ROW_GAP = 4, 170, 72
_TOP, _BOTTOM = 150, 30


def backtest_cap(fc: pd.DataFrame) -> float:
    """The shared y-axis top of the backtest panels: a quarter above the largest observed
    month, rounded up to 50,000 (a band or forecast above it runs off the panel and the
    chart says so: one wild band must not flatten the other panels)."""
    top = float(pd.to_numeric(fc["observed"], errors="coerce").max())
    if not top == top or top <= 0:  # no observation: the largest forecast
        top = float(pd.to_numeric(fc["forecast"], errors="coerce").max() or 1.0)
    step = 50_000 if top > 100_000 else 10_000
    return float(-(-1.25 * top // step) * step)


def _short(v: float) -> str:
    for size, unit in ((1e9, " billion"), (1e6, " million")):
        if v >= size:
            return f"{v / size:,.1f}{unit}"
    return f"{v:,.0f}"


def backtest_figure(doc: dict) -> go.Figure:
    """Small multiples, one panel per backtest origin (the shipped ``backtests.json``): the
    observed months after the origin, the model's median and 80% band, ETS and SARIMA.
    Every panel has the same y-axis, cut at :func:`backtest_cap`; the title names the
    origins whose band or forecasts run above it. Panel titles ("from 2021-01") sit in
    the gap between rows, clear of the row above's unrotated month ticks."""
    # lazy: plotly is a heavy import, needed only to draw
    from plotly.subplots import make_subplots

    fc = pd.DataFrame(doc["forecasts"])
    origins = list(doc["origins"])
    cols = min(BACKTEST_COLS, max(1, len(origins)))
    rows = -(-len(origins) // cols)
    plot_h = rows * PANEL_HEIGHT + (rows - 1) * ROW_GAP
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[f"from {o}" for o in origins],
                        shared_yaxes="all", horizontal_spacing=0.05,  # as in ``panel`` below
                        vertical_spacing=ROW_GAP / plot_h if rows > 1 else 0.0)
    cap = backtest_cap(fc)
    over: dict[str, float] = {}
    for k, origin in enumerate(origins):
        r, c = k // cols + 1, k % cols + 1
        g = fc[fc["origin"] == origin]
        first = k == 0
        m = g[g["method"] == "model_corrected"].sort_values("month")
        drawn = g[g["method"].isin(list(BACKTEST_LINES))]
        high = max(float(pd.to_numeric(m["p90"], errors="coerce").max() or 0.0) if len(m)
                   else 0.0, float(pd.to_numeric(drawn["forecast"], errors="coerce").max()
                                   or 0.0) if len(drawn) else 0.0)
        if high > cap:
            over[origin] = high
        if len(m):
            fig.add_scatter(x=list(m["month"]) + list(m["month"])[::-1],
                            y=list(m["p90"]) + list(m["p10"])[::-1], fill="toself",
                            fillcolor="rgba(214,39,40,0.15)", line=dict(width=0), mode="lines",
                            name="model 80% band", legendgroup="band", showlegend=first,
                            hoverinfo="skip", row=r, col=c)
        for method, (name, colour) in BACKTEST_LINES.items():
            s = g[g["method"] == method].sort_values("month")
            if len(s):
                fig.add_scatter(x=s["month"], y=s["forecast"], name=name, legendgroup=method,
                                showlegend=first, row=r, col=c, mode="lines",
                                hovertemplate="%{y:,.0f}",
                                line=dict(color=colour, width=2 if method.startswith("model")
                                          else 1.2))
        obs = g.drop_duplicates("month").sort_values("month")
        fig.add_scatter(x=obs["month"], y=obs["observed"], name="observed (USBP SW)",
                        legendgroup="obs", showlegend=first, row=r, col=c,
                        mode="lines+markers", marker=dict(size=3), hovertemplate="%{y:,.0f}",
                        line=dict(color=OBS, dash="dot"))
    panel = (1 - (cols - 1) * 0.05) / cols  # a panel's share of the width
    month_axes(fig, max_ticks=round(3 / panel))  # about three month ticks a panel
    fig.update_xaxes(tickangle=0, tickfont=dict(size=10), automargin=False)
    # no "0" label: at a panel's lower left it would run into the first month's label
    step = next(v for v in (10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 250_000,
                            500_000, 1_000_000, float("inf")) if cap / v <= 4)
    ticks = [step * k for k in range(1, int(cap // step) + 1)] if step < cap else [cap]
    fig.update_yaxes(range=[0, cap], tickvals=ticks, ticktext=[f"{v / 1000:,.0f}k"
                                                              for v in ticks],
                     tickfont=dict(size=10))
    fig.update_annotations(font=dict(size=12), yshift=2)
    note = f"Same y-axis in every panel, cut at {cap:,.0f} encounters a month" + (
        f";</sup><br><sup>above it run the model's band or a forecast from {', '.join(over)} (up to "
        f"{_short(max(over.values()))})" if over else "") + "."
    fig = _style(fig, "Backtests: forecasts from each origin against what was observed"
                 f"<br><sup>{note}</sup>", height=_TOP + plot_h + _BOTTOM)
    fig.update_layout(margin=dict(t=_TOP, b=_BOTTOM, l=50, r=15),
                      title=dict(yref="container", y=1, yanchor="top", pad=dict(t=24)),
                      legend=dict(orientation="h", x=0, xanchor="left", y=1 + 42 / plot_h,
                                  yanchor="bottom"))
    return fig
