"""The validation report's figures and HTML page (presentation of what
:func:`borderflow.validate.validation.validate` computes)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.data.observed import observed_total
from borderflow.report.html import page
from borderflow.scenario.registry import BORDER_AREAS
from borderflow.validate.documents import DEC_JAN, T42, episodes_of


def _fig_fit(mean, t):
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(go.Scatter(x=t.months, y=t.total, name="observed", line=dict(color="black")))
    fig.add_trace(go.Scatter(x=t.months, y=mean["total"], name="simulated (ensemble mean)"))
    fig.update_layout(title="USBP Southwest encounters per month")
    return fig


def _fig_backtest(bt, history_months: int = 12):
    """One panel per origin: the observations (``history_months`` before the origin and
    the forecast months), the corrected model's median and 80% band, the raw model, ETS
    and SARIMA."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    f = bt["forecasts"]
    origins = list(dict.fromkeys(f.origin))
    cols = 2 if len(origins) > 1 else 1
    rows = -(-len(origins) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[f"origin {o}" for o in origins],
                        vertical_spacing=0.3 / max(rows, 1), horizontal_spacing=0.08)
    obs = observed_total()
    styles = {"model_corrected": dict(color="rgb(31,119,180)", width=3),
              "model": dict(color="rgb(31,119,180)", width=1, dash="dot"),
              "ets": dict(color="rgb(255,127,14)", width=1),
              "sarima": dict(color="rgb(44,160,44)", width=1)}
    for n, o in enumerate(origins):
        r, c = n // cols + 1, n % cols + 1
        g = f[f.origin == o]
        first = n == 0
        mc = g[g.method == "model_corrected"]
        if "p10" in g and len(mc):
            x = list(mc.month)
            fig.add_trace(go.Scatter(x=x + x[::-1], y=list(mc.p90) + list(mc.p10)[::-1],
                                     mode="lines", fill="toself", fillcolor="rgba(31,119,180,0.2)",
                                     line=dict(width=0), name="80% band (corrected)",
                                     legendgroup="band", showlegend=first,
                                     hoverinfo="skip"), row=r, col=c)
        past = obs.loc[:o].iloc[-history_months:]
        months = list(past.index) + list(dict.fromkeys(g.month))
        fig.add_trace(go.Scatter(x=months, y=obs.reindex(months).to_numpy(), mode="lines+markers",
                                 name="observed", legendgroup="observed", showlegend=first,
                                 line=dict(color="black", width=1), marker=dict(size=4)),
                      row=r, col=c)
        for meth, style in styles.items():
            h = g[g.method == meth]
            if len(h):
                fig.add_trace(go.Scatter(x=h.month, y=h.forecast, mode="lines", name=meth,
                                         legendgroup=meth, showlegend=first, line=style),
                              row=r, col=c)
    fig.update_layout(title="Backtest forecasts: 12 months after each origin (shaded: the "
                            "80% band of the corrected model)", height=260 * rows + 120,
                      margin=dict(t=90))  # the title clear of the first panels' titles
    return fig


def _fig_repeats(mean, t):
    """Simulated share of repeat encounters by month against CBP's published rates."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go

    share = mean["repeat"] / np.maximum(mean["total"], 1.0)
    fig = go.Figure()
    fig.add_vrect(x0=T42[0], x1=T42[1], fillcolor="grey", opacity=0.15, line_width=0,
                  annotation_text="Title 42")
    fig.add_trace(go.Scatter(x=t.months, y=share, name="simulated"))
    for months, obs in t.reencounter.items():
        fig.add_trace(go.Scatter(x=[months[0], months[-1]] if len(months) > 1 else [months[0]],
                                 y=[obs] * min(len(months), 2), mode="lines+markers",
                                 line=dict(color="black", width=3), marker=dict(color="black"),
                                 name="CBP 12-month re-encounter rate", showlegend=False))
    fig.update_layout(title="Share of USBP encounters by someone encountered before "
                            "(black: CBP's published rates)", yaxis_tickformat=".0%")
    return fig


def _fig_deaths(mean, t):
    """Deaths by year and each area's share of them: IOM's records against the model."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=(
        "Dead and missing per year (months with IOM records)", "Share of deaths by area"))
    deaths = pd.Series(mean["deaths"], index=t.months)
    years = list(t.deaths)
    fig.add_trace(go.Bar(x=years, y=[v for v, _ in t.deaths.values()], name="IOM",
                         marker_color="black"), row=1, col=1)
    fig.add_trace(go.Bar(x=years, y=[float(deaths.reindex(list(ms)).sum())
                                     for _, ms in t.deaths.values()],
                         name="model (ensemble mean)", marker_color="#1f77b4"), row=1, col=1)
    if t.deaths_area is not None and "deaths_area" in mean:
        names = [n for n, _ in BORDER_AREAS]
        obs, sim = t.deaths_area, np.asarray(mean["deaths_area"], float)
        fig.add_trace(go.Bar(x=names, y=obs / max(obs.sum(), 1.0), name="IOM", showlegend=False,
                             marker_color="black"), row=1, col=2)
        fig.add_trace(go.Bar(x=names, y=sim / max(sim.sum(), 1.0), showlegend=False,
                             name="model", marker_color="#1f77b4"), row=1, col=2)
        fig.update_yaxes(tickformat=".0%", row=1, col=2)
    fig.update_layout(barmode="group", title="Deaths: IOM Missing Migrants (U.S.-Mexico box) "
                                             "and the model")
    return fig


def _fig_dec_jan(rows: list[dict]):
    """Encounters by citizenship in November 2023 - January 2024, observed and simulated."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    names = [r["citizenship"] for r in rows]
    fig = make_subplots(rows=1, cols=len(DEC_JAN), shared_yaxes=True,
                        subplot_titles=tuple(DEC_JAN))
    for c, mo in enumerate(DEC_JAN, start=1):
        fig.add_trace(go.Bar(x=names, y=[r[f"observed_{mo}"] for r in rows], name="observed",
                             marker_color="black", showlegend=c == 1), row=1, col=c)
        fig.add_trace(go.Bar(x=names, y=[r[f"simulated_{mo}"] for r in rows],
                             name="model (ensemble mean)", marker_color="#1f77b4",
                             showlegend=c == 1), row=1, col=c)
    fig.update_layout(barmode="group", title="USBP Southwest encounters by citizenship, "
                                             "November 2023 to January 2024")
    return fig


def _fig_funnel(mean, t):
    """Monthly expected deaths per 100k crossings against the remote share of crossings."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go

    cross = mean["remote"] + mean["urban"]
    ok = cross > 0
    share = mean["remote"][ok] / cross[ok]
    rate = 1e5 * mean["expected_deaths"][ok] / cross[ok]
    months = np.array(t.months)[ok]
    fig = go.Figure(go.Scatter(
        x=share, y=rate, mode="markers", text=months,
        marker=dict(color=[int(mo[5:]) for mo in months], colorscale="Twilight",
                    colorbar=dict(title="month"), size=8),
        hovertemplate="%{text}: remote %{x:.1%}, %{y:.1f} per 100k<extra></extra>"))
    fig.update_layout(title="Funnel effect: expected deaths per 100,000 crossings vs the "
                            "remote share (colour: month of year, for the heat)",
                      xaxis_title="remote share of crossings between ports",
                      xaxis_tickformat=".0%", yaxis_title="expected deaths per 100,000")
    return fig


def _html_table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, float_format=lambda x: f"{x:,.3f}", border=0, na_rep="-")


def _fig_episodes(records: list[dict]):
    """Episode MAPE (6 months) of the model and the baselines, one group per origin."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go

    fig = go.Figure()
    mech = episodes_of(records, "mechanisms")
    asm = {r["origin"]: r for r in episodes_of(records, "assimilated")}
    x = [f"{r['origin']}<br>{r['shock'][:28]}" for r in mech]
    fig.add_trace(go.Bar(x=x, y=[r.get("mape6") for r in mech], name="mechanisms"))
    if asm:
        fig.add_trace(go.Bar(x=x, y=[asm.get(r["origin"], {}).get("mape6") for r in mech],
                             name="assimilated"))
    for key, name in (("mape6_last_value", "last value"),
                      ("mape6_seasonal_naive", "seasonal naive"), ("mape6_ets", "ETS")):
        fig.add_trace(go.Bar(x=x, y=[r.get(key) for r in mech], name=name))
    fig.update_layout(barmode="group", yaxis_title="MAPE over the months after the origin (%)",
                      title="Episode backtests: the 6 months after each policy shock")
    return fig


def write_html(doc: dict, art: dict, path: str | Path) -> Path:
    """The validation report (``validation.html``) from ``validate``'s document and arrays."""

    bt, mean, t = art["backtest"], art["mean"], art["targets"]
    st = bt["settings"]
    summ = pd.DataFrame(doc["backtest"]["summary"])
    ins = doc["in_sample"]
    fit_rows = pd.DataFrame([{"metric": k, "value": v} for k, v in ins["fit"].items()
                             if isinstance(v, float)])
    ep_rows = pd.DataFrame([{"episode": k, "reproduced": v.get("reproduced")}
                            for k, v in ins["episodes"].items()])
    par_rows = pd.DataFrame([{"parameter": k, "value": json.dumps(v["value"])[:200]}
                             for k, v in doc["parameters"].items()])
    cov_rows = pd.DataFrame(
        [{"method": "model_corrected", "months": k, **v}
         for k, v in doc["interval_coverage"].items()]
        + [{"method": "assimilated", "months": k, **v}
           for k, v in (doc.get("interval_coverage_assimilated") or {}).items()])
    fits = pd.DataFrame([{"origin": o, "fit": f["fit"], "span": " .. ".join(f["span"]),
                          "left out": (f"{f['excluded'][0]} .. {f['excluded'][-1]}"
                                       if f["excluded"] else ""),
                          "in-sample": f["in_sample"],
                          "fitted numbers": f["n_fitted"]}
                         for o, f in st["fits"].items()])
    how = ("everything fitted (structural search with "
           f"{st['structural_budget']} trials{', polish' * bool(st.get('polish'))}, sector step) "
           "is refitted on the data up to each origin" if st["refit_at_origin"] else
           f"mode {st['mode']}: fitted numbers that saw months after the origin "
           "(in-sample)")
    sections = [
        ("How these backtests are made",
         f"<p>Drivers are cut at each origin and projected by the scenario's rule; {how}; "
         "dated policy events after the origin enter as the scenario states them (the "
         "forecast is conditional on that policy path). Baselines are fitted on the "
         "observations up to each origin. Definitions: docs/validation.md.</p>"),
        ("Episode backtests (6 months after each shock)",
         _html_table(episode_table(doc["episodes"]))),
        ("Episode MAPE", _fig_episodes(doc["episodes"])),
        ("Rolling origins: mean over origins", _html_table(summ)),
        ("Rolling origins: scores", _html_table(bt["scores"])),
        ("Interval coverage", _html_table(cov_rows)),
        ("Fits per origin", _html_table(fits)),
        ("Backtest forecasts", _fig_backtest(bt)),
        ("In-sample: targets", _html_table(pd.DataFrame(
            [{"target": k, "met": v} for k, v in doc["targets_met"].items()]))),
        ("In-sample: fit by series (the shipped calibration's span)", _fig_fit(mean, t)),
        ("In-sample: fit metrics", _html_table(fit_rows)),
        ("In-sample: episodes", _html_table(ep_rows) + "<pre>" + json.dumps(
            ins["episodes"], indent=1, default=str) + "</pre>"),
        ("In-sample: Title 42 repeat crossings", _fig_repeats(mean, t)),
        *((("In-sample: December 2023 record and January 2024 drop",
            _fig_dec_jan(ins["episodes"]["dec2023_jan2024"]["by_citizenship"])),)
          if ins["episodes"].get("dec2023_jan2024", {}).get("by_citizenship") else ()),
        ("In-sample: deaths by year and area", _fig_deaths(mean, t)),
        ("In-sample: funnel effect in deaths", _fig_funnel(mean, t)),
        ("Fitted parameters (shipped)", _html_table(par_rows)),
    ]
    out = Path(path)
    page("borderflow validation", sections, out)
    return out


def _pct(x, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "-"
    return f"{x:+.0%}" if signed else f"{x:.1f}%"


def markdown(doc: dict) -> str:
    """The out-of-sample tables of ``validation.json`` as Markdown (docs/validation.md is
    written from this, so its figures are the file's)."""
    out = ["| Origin | Shock | Fit | Months | Mechanisms | Assimilated | Last value "
           "| Seasonal naive | ETS | Nationalities: mechanisms / assimilated / last value "
           "| 1st month: mechanisms / assimilated / observed |",
           "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"]
    eps = episodes_of(doc["episodes"], "mechanisms")
    asm = {e["origin"]: e for e in episodes_of(doc["episodes"], "assimilated")}
    for e in eps:
        a = asm.get(e["origin"], {})
        out.append(
            f"| {e['origin']} | {e['shock']} | {e['fit']} | {e['months_scored']} "
            f"| {_pct(e['mape6'])} | {_pct(a.get('mape6'))} | {_pct(e['mape6_last_value'])} "
            f"| {_pct(e['mape6_seasonal_naive'])} | {_pct(e['mape6_ets'])} "
            f"| {', '.join(e['mape6_by_nationality'])}: {_pct(e['mape6_nationalities'])} / "
            f"{_pct(a.get('mape6_nationalities'))} / "
            f"{_pct(e['mape6_nationalities_last_value'])} "
            f"| {_pct(e['first_month_change'], True)} / "
            f"{_pct(a.get('first_month_change'), True)} / "
            f"{_pct(e['first_month_change_observed'], True)} |")
    if eps:
        means = {k: np.mean([e[k] for e in eps if e.get(k) is not None])
                 for k in ("mape6", "mape6_last_value", "mape6_seasonal_naive", "mape6_ets",
                           "mape6_nationalities", "mape6_nationalities_last_value")}
        a_mean = (_pct(float(np.mean([a["mape6"] for a in asm.values()]))) if asm else "-")
        a_nat = (_pct(float(np.mean([a["mape6_nationalities"] for a in asm.values()])))
                 if asm else "-")
        out.append(f"| mean | | | | **{_pct(means['mape6'])}** | **{a_mean}** "
                   f"| **{_pct(means['mape6_last_value'])}** "
                   f"| **{_pct(means['mape6_seasonal_naive'])}** "
                   f"| **{_pct(means['mape6_ets'])}** "
                   f"| {_pct(means['mape6_nationalities'])} / {a_nat} / "
                   f"{_pct(means['mape6_nationalities_last_value'])} | |")
    scores = pd.DataFrame(doc["backtest"]["scores"])
    if len(scores):
        methods = list(dict.fromkeys(scores["method"]))
        out += ["", "| Origin | h | " + " | ".join(methods) + " |",
                "|---|---:|" + "---:|" * len(methods)]
        for (o, h), g in scores.groupby(["origin", "horizon"], sort=True):
            g = g.set_index("method")
            out.append(f"| {o} | {h} | " + " | ".join(
                f"{g.loc[m_, 'mape']:.1f}% / {g.loc[m_, 'mase']:.2f}" for m_ in methods) + " |")
        summ = pd.DataFrame(doc["backtest"]["summary"])
        for h, g in summ.groupby("horizon", sort=True):
            g = g.set_index("method")
            out.append(f"| mean | {h} | " + " | ".join(
                f"**{g.loc[m_, 'mape']:.1f}% / {g.loc[m_, 'mase']:.2f}**" for m_ in methods)
                + " |")
    cov = doc.get("interval_coverage") or {}
    cov_a = doc.get("interval_coverage_assimilated") or {}
    if cov:
        out += ["", "| Backtest months | n | 80% coverage | 95% coverage | assimilated: 80% "
                "| 95% |", "|---|---:|---:|---:|---:|---:|"]
        for k, c in cov.items():
            a = cov_a.get(k)
            tail = (f"{a['coverage80']:.0%} | {a['coverage95']:.0%}" if a else "- | -")
            out.append(f"| {k} | {c['months']} | {c['coverage80']:.0%} | "
                       f"{c['coverage95']:.0%} | {tail} |")
    out += proper_score_table(doc.get("proper_scores") or [])
    return "\n".join(out)


def proper_score_table(rows: list[dict]) -> list[str]:
    """Markdown lines: CRPS (and its skill against ETS), interval scores and width by
    method over the backtest months (``validation.json`` ``proper_scores``)."""
    if not rows:
        return []
    out = ["", "| Origins | h | Method | Months | CRPS | Skill vs ETS | IS 80% | IS 95% | "
           "Coverage 80% / 95% | Width p90/p10 |", "|---|---:|---|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        band = (f"{r['interval_score80']:,.0f} | {r['interval_score95']:,.0f} | "
                f"{r['coverage80']:.0%} / {r['coverage95']:.0%} | {r['width_p90_p10']:.2f}"
                if "interval_score80" in r else "- | - | - | -")
        skill = r.get("crps_skill_vs_ets")
        out.append(f"| {r['origins']} | {r['horizon']} | {r['method']} | {r['months']} | "
                   f"{r['crps']:,.0f} | {'-' if skill is None else f'{skill:+.2f}'} | {band} |")
    return out


def episode_table(records: list[dict]) -> pd.DataFrame:
    """The episode records as one table (the columns ``validate`` prints)."""
    cols = ["origin", "method", "shock", "fit", "months_scored", "mape6", "mape6_last_value",
            "mape6_seasonal_naive", "mape6_ets", "mape6_nationalities",
            "first_month_change", "first_month_change_observed"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in records], columns=cols)


def filter_health_rows(doc: dict) -> list[tuple[str, str]]:
    """The assimilation filter's method, smallest ESS and mean spread over the origins."""
    fits = ((doc.get("settings") or {}).get("backtest") or {}).get("fits") or {}
    r = [f["assimilation"] for f in fits.values() if f.get("assimilation")]
    return [("assimilation filter over the origins", f"{r[0].get('method', 'bootstrap')}, "
             f"{r[0]['particles']} members; smallest ESS {min(x.get('min_ess') or 0 for x in r)}"
             f"; spread {np.mean([x.get('mean_spread', np.nan) for x in r]):.3f} against observation "
             f"error {np.mean([x.get('mean_obs_error', np.nan) for x in r]):.3f}")] if r else []


def headline(doc: dict) -> list[tuple[str, str]]:
    """The headline figures as (label, value) rows, for the terminal: out of sample
    first, then in-sample."""
    bt = doc["backtest"]
    rows = [("fitted numbers (shipped calibration)", f"{doc['fitted_count']}")]
    if "counted_numbers" in doc:
        rows.append(("every number set looking at data (fitted, timeline, registry, "
                     "lever estimates, rules)", f"{doc['counted_numbers']}"))
    if "counted_numbers_assimilated" in doc:
        rows.append(("the same + the filter's noise numbers (assimilated)",
                     f"{doc['counted_numbers_assimilated']}"))
    mase = {(r["method"], r["horizon"]): r["mase"] for r in bt["summary"]}
    for meth in ("assimilated", "model_corrected", "model", "ets", "sarima", "seasonal_naive",
                 "last_value"):
        if (meth, 6) in mase:
            h12 = f" / {mase[(meth, 12)]:.2f}" if (meth, 12) in mase else ""
            rows.append((f"rolling MASE h6 / h12, {meth}", f"{mase[(meth, 6)]:.2f}{h12}"))
    eps, asm = (episodes_of(doc.get("episodes") or [], m) for m in ("mechanisms", "assimilated"))
    if asm:
        rows.append(("episode mean MAPE, assimilated",
                     f"{np.mean([e['mape6'] for e in asm]):.1f}%"))
    rows += filter_health_rows(doc)
    if eps:
        for key, label in (("mape6", "model"), ("mape6_last_value", "last value"),
                           ("mape6_seasonal_naive", "seasonal naive"), ("mape6_ets", "ETS")):
            vals = [e[key] for e in eps if e.get(key) is not None]
            if vals:
                rows.append((f"episode mean MAPE, {label}", f"{np.mean(vals):.1f}%"))
    for field, label in (("interval_coverage", ""),
                         ("interval_coverage_assimilated", ", assimilated")):
        for part, c in (doc.get(field) or {}).items():
            rows.append((f"80% / 95% coverage{label}, {part} ({c['months']} months)",
                         f"{c['coverage80']:.0%} / {c['coverage95']:.0%}"))
    fit = doc["in_sample"]["fit"]
    rows += [("in-sample total MAPE", f"{fit['total_mape']:.1%}"),
             ("in-sample sector / citizenship ARD",
              f"{fit['sector_ard']:.3f} / {fit['citizenship_ard']:.3f}")]
    for key, label, fmt in (("drop_dec2023_jan2024", "Dec 2023 -> Jan 2024 drop", "{:.1%}"), (
            "port_parole_ard", "OFO port paroles, citizenship ARD (weight 0)", "{:.3f}")):
        if fit.get(key) is not None:
            rows.append((f"in-sample {label}", fmt.format(fit[key])))
    return rows
