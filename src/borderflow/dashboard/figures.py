"""Figures and totals of a dashboard run against its baseline (JSON for plotly.js)."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

RUN, BASE, OBS = "#d62728", "#1f77b4", "#222222"


def _observed(series: str, by: str | None = None) -> pd.DataFrame | None:
    from borderflow.report.run_report import _observed as observed

    return observed(series, by)


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
    obs = _observed("usbp_sw_encounters")
    if obs is not None:
        obs = obs[obs["month"].isin(sim["month"])]
        fig.add_scatter(x=obs["month"], y=obs["value"], name="observed (OHSS)",
                        line=dict(color=OBS, dash="dot"))
    return _style(fig, "U.S. Border Patrol Southwest encounters a month")


def sector_figure(res, base) -> go.Figure:
    from borderflow.scenario.registry import SECTORS

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
        fig.add_scatter(x=g["month"], y=g["people"], name=measure, legendgroup=measure,
                        line=dict(color=colour, width=2))
        fig.add_scatter(x=b["month"], y=b["people"], name=f"{measure} (baseline)",
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
    obs = _observed("iom_deaths_us_mexico_bbox")
    if obs is not None:
        obs = obs[obs["month"].isin(res.months)]
        fig.add_scatter(x=obs["month"], y=obs["value"], name="IOM (observed)",
                        line=dict(color=OBS))
    fig.update_layout(barmode="group")
    title = "Dead and missing a month"
    if expected:
        title += (f" (expected: summed chances; too few agents died at 1:{res.meta['scale']} "
                  "for drawn counts)")
    return _style(fig, title)


def totals(res, base) -> list[dict]:
    """Headline totals over the span: your levers, baseline, difference."""
    expected = use_expected_deaths(res, base)

    def measures(r) -> dict[str, float]:
        mx = r.mexico().groupby("measure")["people"].sum()
        dead = (("dead and missing (expected)", float(expected_deaths(r)["deaths"].sum()))
                if expected else ("dead and missing", float(r.deaths()["deaths"].sum())))
        out = {"U.S. Border Patrol encounters": float(r.encounters()["encounters"].sum()),
               dead[0]: dead[1]}
        for m, v in mx.items():
            out[f"Mexico: {m}"] = float(v)
        return out

    a, b = measures(res), measures(base)
    rows = []
    for name in a.keys() | b.keys():
        va, vb = a.get(name, 0.0), b.get(name, 0.0)
        rows.append({"measure": name, "run": va, "baseline": vb, "difference": va - vb,
                     "percent": None if vb == 0 else round(100 * (va - vb) / vb, 1)})
    return sorted(rows, key=lambda r: (not r["measure"].startswith("U.S."),
                                       not r["measure"].startswith("dead"), r["measure"]))


def figure_json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False, engine="json"))


def payload(res, base) -> dict:
    from borderflow.report.map import corridor_map

    m = corridor_map(res, title="Simulated crossings, checkpoints, sector encounters and deaths")
    m.update_layout(template="plotly_white", margin=dict(l=50, r=10, t=45, b=40), height=560)
    figs = {"encounters": encounters_figure(res, base), "sectors": sector_figure(res, base),
            "mexico": mexico_figure(res, base), "deaths": deaths_figure(res, base), "map": m}
    return {"figures": {k: figure_json(f) for k, f in figs.items()},
            "totals": totals(res, base), "meta": {k: v for k, v in res.meta.items()}}


#: the backtest methods drawn, with their colours (the model's 80% band is shaded)
BACKTEST_LINES = {"model_corrected": ("model (corrected median)", RUN),
                  "ets": ("ETS", "#2ca02c"), "sarima": ("SARIMA", "#9467bd")}


def backtest_figure(doc: dict) -> go.Figure:
    """One panel per backtest origin (the shipped ``backtests.json``): the observed months
    after the origin, the model's median and 80% band, ETS and SARIMA."""
    from plotly.subplots import make_subplots

    fc = pd.DataFrame(doc["forecasts"])
    origins = list(doc["origins"])
    cols = min(4, max(1, len(origins)))
    rows = -(-len(origins) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[f"from {o}" for o in origins],
                        shared_yaxes=False, horizontal_spacing=0.05, vertical_spacing=0.12)
    for k, origin in enumerate(origins):
        r, c = k // cols + 1, k % cols + 1
        g = fc[fc["origin"] == origin]
        first = k == 0
        m = g[g["method"] == "model_corrected"].sort_values("month")
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
                                showlegend=first, row=r, col=c, mode="lines+markers",
                                marker=dict(size=4),
                                line=dict(color=colour, width=2 if method.startswith("model")
                                          else 1.2))
        obs = g.drop_duplicates("month").sort_values("month")
        fig.add_scatter(x=obs["month"], y=obs["observed"], name="observed (USBP SW)",
                        legendgroup="obs", showlegend=first, row=r, col=c,
                        mode="lines+markers", marker=dict(size=4),
                        line=dict(color=OBS, dash="dot"))
    fig.update_xaxes(tickangle=-45, nticks=4)
    fig = _style(fig, "Backtests: forecasts from each origin against what was observed",
                 height=300 * rows + 110)
    fig.update_layout(margin=dict(t=90), legend=dict(y=-0.12))
    return fig
