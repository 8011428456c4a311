"""``borderflow validate``: fit by series, backtests vs baselines, episodes, parameters.

The calibrated model (shipped parameters) runs as an ensemble over the calibration
span; fit metrics are computed on the ensemble-mean counts (and the spread of the
objective over members is reported); episodes are checked on the same runs; the
backtests come from :mod:`borderflow.validate.backtest`.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.scenario.registry import SECTORS
from borderflow.validate import metrics as m
from borderflow.validate.forecast import BACKTEST_FILE, INTERVAL_FILE
from borderflow.validate.objective import (
    REENCOUNTER,
    load_targets,
    observed_total,
    reencounter_rates,
    score,
    simulated,
)

SPAN = ("2019-01", "2024-01")
T42 = ("2020-04", "2023-04")
#: months shown for the December 2023 record and the January 2024 drop
DEC_JAN = ("2023-11", "2023-12", "2024-01")


def member_run(i: int, entropy: int, scale: int, span: tuple[str, str], months: list[str]
               ) -> dict:
    """One member over ``span``: the objective's arrays plus episode tables (worker)."""
    from borderflow.api import simulate
    from borderflow.ensemble.runner import member_seed
    from borderflow.scenario import load_scenario

    sc = load_scenario("historical").with_span(*span)
    res = simulate(sc, seed=None, scale=scale, seed_sequence=member_seed(entropy, i))
    sim = simulated(res, months)
    out = res.tables["outcomes"]
    rep = out[out["measure"] == "repeat_encounters"].groupby("month")["people"].sum()
    cr = res.tables["crossings"]
    cr = cr[cr["kind"] != "port"]
    sim["expected_deaths"] = cr.groupby("month")["expected_deaths"].sum().reindex(
        months).fillna(0).to_numpy(float)
    cr = cr.groupby(["month", "kind"])["people"].sum().unstack(fill_value=0)
    sim["repeat"] = rep.reindex(months).fillna(0).to_numpy(float)
    sim["remote"] = cr.get("remote", pd.Series(dtype=float)).reindex(months).fillna(0).to_numpy(float)
    sim["urban"] = cr.get("urban", pd.Series(dtype=float)).reindex(months).fillna(0).to_numpy(float)
    sim["deaths"] = sim.pop("deaths_monthly").reindex(months).fillna(0).to_numpy(float)
    sim["backlog"] = sim["backlog"].reindex(months).to_numpy(float)
    return sim


def ensemble_fit(executor: Executor, runs: int, scale: int, seed: int,
                 span=SPAN) -> tuple[dict, list[dict], object]:
    from borderflow.ensemble.runner import map_ordered

    t = load_targets(*span)
    res = map_ordered(executor, member_run, [(i, seed, scale, span, t.months)
                                             for i in range(runs)])
    members = [res[i] for i in range(runs)]
    mean = {k: np.mean([mm[k] for mm in members], axis=0) for k in members[0]}
    return mean, members, t


def _mean_sim_for_score(mean: dict, months: list[str]) -> dict:
    s = dict(mean)
    s["deaths_monthly"] = pd.Series(mean["deaths"], index=months)
    s["backlog"] = pd.Series(mean["backlog"], index=months)
    return s


def fit_by_series(mean, members, t) -> dict:
    sc = score(_mean_sim_for_score(mean, t.months), t)
    objs = [score(_mean_sim_for_score(mm, t.months), t)["objective"] for mm in members]
    sc["objective_members_p10_p50_p90"] = [float(np.quantile(objs, q)) for q in (.1, .5, .9)]
    # per sector and per citizenship MAPE of monthly counts
    from borderflow.scenario.registry import NATIONALITIES

    sc["sector_mape"] = {s: m.mape(mean["sector"][:, k], t.sector[:, k])
                         for k, s in enumerate(SECTORS)}
    sc["citizenship_mape"] = {n: m.mape(mean["citizenship"][:, k], t.citizenship[:, k])
                              for k, n in enumerate(NATIONALITIES)}
    return sc


def _fy(months: list[str]) -> np.ndarray:
    p = pd.PeriodIndex(months, freq="M")
    return np.where(p.month >= 10, p.year + 1, p.year)


def _dec_jan_by_citizenship(mean: dict, t) -> list[dict]:
    """November 2023 to January 2024 by citizenship, observed and simulated (where the
    December record and the January drop are made or missed)."""
    from borderflow.scenario.registry import NATIONALITIES

    if not set(DEC_JAN) <= set(t.months):
        return []
    idx = [t.months.index(mo) for mo in DEC_JAN]
    rows = []
    for k, n in enumerate(NATIONALITIES):
        o = [float(t.citizenship[i, k]) for i in idx]
        x = [float(mean["citizenship"][i, k]) for i in idx]
        rows.append({"citizenship": n,
                     **{f"observed_{mo}": v for mo, v in zip(DEC_JAN, o, strict=True)},
                     **{f"simulated_{mo}": v for mo, v in zip(DEC_JAN, x, strict=True)},
                     "observed_dec_jan_change": o[2] / o[1] - 1 if o[1] > 0 else None,
                     "simulated_dec_jan_change": x[2] / x[1] - 1 if x[1] > 0 else None})
    return rows


def episodes(mean: dict, t, members: list[dict]) -> dict:
    months = t.months
    sim = pd.Series(mean["total"], index=months)
    obs = t.total_series
    ep: dict = {}
    # 1. 2019 surge and fall after the tariff episode (May -> Sep 2019)
    if {"2019-05", "2019-09"} <= set(months):
        pk_s = sim.loc["2019-01":"2019-12"].idxmax()
        ep["surge_2019"] = {
            "observed_may": float(obs["2019-05"]), "observed_sep": float(obs["2019-09"]),
            "observed_fall": m.drop(obs, "2019-05", "2019-09"),
            "simulated_may": float(sim["2019-05"]), "simulated_sep": float(sim["2019-09"]),
            "simulated_fall": m.drop(sim, "2019-05", "2019-09"),
            "simulated_peak_month_2019": pk_s,
            "observed_peak_month_2019": obs.loc["2019-01":"2019-12"].idxmax(),
            "reproduced": bool(m.drop(sim, "2019-05", "2019-09") >= 0.4)}
    # 2. Title 42: repeat crossings share of encounters (sim) vs OHSS re-encounter rates
    rep = pd.Series(mean["repeat"], index=months)
    fy = _fy(months)
    share = {int(y): float(rep[fy == y].sum() / max(sim[fy == y].sum(), 1))
             for y in sorted(set(fy))}
    in_t42 = (np.array(months) >= T42[0]) & (np.array(months) <= T42[1])
    t42 = float(rep[in_t42].sum() / max(sim[in_t42].sum(), 1))
    pre = float(rep[np.array(months) < "2020-03"].sum()
                / max(sim[np.array(months) < "2020-03"].sum(), 1))
    ref = [{"period": f"{ms[0]}..{ms[-1]}" if len(ms) > 1 else ms[0], "observed": o,
            "simulated": x} for ms, o, x in reencounter_rates(mean, t)]
    ep["title42_repeat"] = {"simulated_repeat_share_by_fy": share,
                            "simulated_repeat_share_title42": t42,
                            "simulated_repeat_share_before": pre,
                            "observed_published": _published(REENCOUNTER),
                            "observed_vs_simulated_in_span": ref,
                            "observed_source": "ref_recidivism_swb_reencounter_rate_12m "
                                               "(calibration target)",
                            "reproduced": bool(t42 > 2 * pre)}
    # 3. December 2023 record and January 2024 drop
    if {"2023-12", "2024-01"} <= set(months):
        drops = [m.drop(pd.Series(mm["total"], index=months), "2023-12", "2024-01")
                 for mm in members]
        ep["dec2023_jan2024"] = {
            "observed_dec": float(obs["2023-12"]), "observed_jan": float(obs["2024-01"]),
            "observed_drop": m.drop(obs, "2023-12", "2024-01"),
            "simulated_dec": float(sim["2023-12"]), "simulated_jan": float(sim["2024-01"]),
            "simulated_drop": m.drop(sim, "2023-12", "2024-01"),
            "simulated_drop_members_p10_p90": [float(np.quantile(drops, .1)),
                                               float(np.quantile(drops, .9))],
            "simulated_record_month": sim.idxmax(),
            "observed_record_month": obs.idxmax(),
            "target_drop": 0.35,
            "by_citizenship": _dec_jan_by_citizenship(mean, t),
            "reproduced": bool(m.drop(sim, "2023-12", "2024-01") >= 0.35
                               and sim.idxmax() == "2023-12")}
    # 4. Sector shifts: shares by fiscal year
    years = sorted(set(fy))
    sh_o = {int(y): m.shares(t.sector[fy == y].sum(axis=0, keepdims=True))[0] for y in years}
    sh_s = {int(y): m.shares(mean["sector"][fy == y].sum(axis=0, keepdims=True))[0]
            for y in years}
    d_o = np.concatenate([sh_o[b] - sh_o[a] for a, b in zip(years[:-1], years[1:], strict=True)])
    d_s = np.concatenate([sh_s[b] - sh_s[a] for a, b in zip(years[:-1], years[1:], strict=True)])
    corr = float(np.corrcoef(d_o, d_s)[0, 1]) if len(d_o) > 2 else float("nan")
    ep["sector_shifts"] = {
        "shares_by_fy": {int(y): {s: {"observed": round(float(sh_o[y][k]), 4),
                                      "simulated": round(float(sh_s[y][k]), 4)}
                                  for k, s in enumerate(SECTORS)} for y in years},
        "corr_year_to_year_share_changes": corr,
        "reproduced": bool(corr > 0.3)}
    # 5. Funnel effect: deaths per crossing rise with the remote share of crossings.
    # Expected deaths (the summed chances of dying, not the few sampled deaths) per 100k
    # crossings between ports, month by month, regressed on the remote share with
    # month-of-year effects (heat) and crossings as weights.
    ep["funnel_effect"] = funnel(mean, months, fy, t, obs)
    return ep


def _published(series: str) -> list[dict]:
    """Every bundled figure of a reference series: period and value."""
    from borderflow.data import observations

    try:
        o = observations(series)
    except Exception:  # noqa: BLE001 - reported only when bundled
        return []
    return [{"period": f"{pd.Timestamp(r.period_start):%Y-%m}..{pd.Timestamp(r.period_end):%Y-%m}",
             "value": float(r.value), "unit": str(r.unit), "source": str(r.authority)}
            for r in o.itertuples()]


def funnel(mean: dict, months: list[str], fy: np.ndarray, t, obs: pd.Series) -> dict:
    import statsmodels.api as sm

    cross = mean["remote"] + mean["urban"]
    ok = cross > 0
    share = np.where(ok, mean["remote"] / np.maximum(cross, 1), np.nan)
    rate = np.where(ok, 1e5 * mean["expected_deaths"] / np.maximum(cross, 1), np.nan)
    moy = np.array([int(mo[5:]) for mo in months])
    X = np.column_stack([share] + [(moy == k).astype(float) for k in range(1, 13)])[ok]
    keep = X.any(axis=0)
    fit = sm.WLS(rate[ok], X[:, keep], weights=cross[ok]).fit()
    slope, se, pval = float(fit.params[0]), float(fit.bse[0]), float(fit.pvalues[0])
    full = [int(y) for y in sorted(set(fy)) if (fy == y).sum() == 12]
    by_fy = {y: {"remote_share": float(mean["remote"][fy == y].sum() / max(cross[fy == y].sum(), 1)),
                 "expected_deaths_per_100k": float(1e5 * mean["expected_deaths"][fy == y].sum()
                                                   / max(cross[fy == y].sum(), 1)),
                 "sampled_deaths_all_places_per_100k": float(1e5 * mean["deaths"][fy == y].sum()
                                                  / max(cross[fy == y].sum(), 1))}
             for y in full}
    obs_dpy = {y: 1e5 * d / max(float(obs.reindex(list(ms)).sum()), 1)
               for y, (d, ms) in t.deaths.items()}
    return {
        "slope_deaths_per_100k_per_unit_remote_share": slope,
        "slope_se": se, "slope_p_value": pval,
        "deaths_per_100k_change_per_10_points_remote": slope / 10,
        "remote_share_monthly_range": [float(np.nanmin(share)), float(np.nanmax(share))],
        "simulated_by_complete_fy": by_fy,
        "observed_iom_deaths_per_100k_encounters_by_year": obs_dpy,
        "method": "WLS of monthly expected deaths per 100k crossings between ports on the "
                  "remote share, month-of-year effects, crossings as weights",
        "reproduced": bool(slope > 0 and pval < 0.05)}


def parameters_table() -> dict:
    from borderflow.scenario.calibrated import calibrated_values
    from borderflow.scenario.registry import PARAMETERS

    vals = calibrated_values()
    return {n: {"value": vals.get(n, e.default), "default": e.default, "unit": e.unit,
                "calibrated_file": n in vals}
            for n, e in PARAMETERS.items() if e.calibrated}


def _fig_latent():
    """The shipped residual series: push multiplier per citizenship at each knot."""
    import plotly.graph_objects as go

    from borderflow.scenario.latent import shipped

    lat = shipped()
    fig = go.Figure()
    if lat is not None:
        x = [k.isoformat() for k in lat.knots]
        for nat, vals in lat.push.items():
            fig.add_trace(go.Scatter(x=x, y=vals, name=nat, mode="lines+markers"))
    fig.update_yaxes(type="log", title="x departures")
    fig.update_layout(title="Residual push by citizenship (second calibration stage; "
                            "1 = the drivers explain the flow)")
    return fig


def _fig_fit(mean, t):
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
                            "80% band of the corrected model)", height=260 * rows + 120)
    return fig


def _fig_repeats(mean, t):
    """Simulated share of repeat encounters by month against CBP's published rates."""
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
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from borderflow.validate.objective import DEATH_AREAS

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
        names = [n for n, _ in DEATH_AREAS]
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
    return df.to_html(index=False, float_format=lambda x: f"{x:,.3f}", border=0)


def validate(out_dir: str | Path, executor: Executor, *, runs: int = 10, scale: int = 50,
             seed: int = 0, backtest_runs: int = 10, origins=None,
             refit_iterations: int | None = None, refit_scale: int | None = None,
             structural_budget: int = 0, progress=None) -> dict:
    from borderflow.atomic import atomic_path
    from borderflow.report.html import page
    from borderflow.validate import backtest as bt_mod

    t0 = time.perf_counter()
    mean, members, t = ensemble_fit(executor, runs, scale, seed)
    fit = fit_by_series(mean, members, t)
    eps = episodes(mean, t, members)
    bt = bt_mod.backtest(origins or bt_mod.ORIGINS, runs=backtest_runs, scale=scale,
                         seed=seed, executor=executor, progress=progress,
                         refit_iterations=(bt_mod.REFIT_ITERATIONS if refit_iterations is None
                                           else refit_iterations),
                         refit_scale=refit_scale or bt_mod.REFIT_SCALE,
                         structural_budget=structural_budget)
    summ = bt_mod.summary(bt)
    cov = bt["coverage"]
    req = cov[cov.origin.isin(bt_mod.REQUIRED_ORIGINS)]
    targets = {
        "total_mape<=10%": fit["total_mape"] <= 0.10,
        "sector_ard<=0.15": fit["sector_ard"] <= 0.15,
        "citizenship_ard<=0.20": fit["citizenship_ard"] <= 0.20,
        "backtest_model_mean_mase<1": bool(summ[summ.method == "model"].mase.mean() < 1),
        "backtest_model_corrected_mean_mase<1": bool(
            summ[summ.method == "model_corrected"].mase.mean() < 1),
        "model_beats_ets_sarima_at_h6": bool(
            summ[(summ.horizon == 6) & (summ.method == "model")].mase.iloc[0]
            < summ[(summ.horizon == 6) & summ.method.isin(["ets", "sarima"])].mase.min()),
        "model_corrected_beats_ets_sarima_at_h6": bool(
            summ[(summ.horizon == 6) & (summ.method == "model_corrected")].mase.iloc[0]
            < summ[(summ.horizon == 6) & summ.method.isin(["ets", "sarima"])].mase.min()),
        "coverage80_in_70_90%_model_corrected": bool(
            0.7 <= cov[cov.method == "model_corrected"].coverage80.mean() <= 0.9),
    }
    doc = {"settings": {"runs": runs, "scale": scale, "seed": seed, "span": list(SPAN),
                        "backtest": bt["settings"]},
           "targets_met": targets, "fit": fit, "episodes": eps,
           "backtest": {"scores": bt["scores"].to_dict("records"),
                        "summary": summ.to_dict("records"),
                        "coverage": cov.to_dict("records"),
                        "mean_coverage": cov.groupby("method")[
                            ["coverage80", "coverage95"]].mean().reset_index()
                        .to_dict("records"),
                        "mean_coverage_required_origins": req.groupby("method")[
                            ["coverage80", "coverage95"]].mean().reset_index()
                        .to_dict("records")},
           "parameters": parameters_table(),
           "wall_seconds": round(time.perf_counter() - t0, 1)}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(out_dir / "validation.json") as tmp:
        Path(tmp).write_text(json.dumps(doc, indent=1, default=_jsonable), encoding="utf-8")
    write_interval_errors(bt, out_dir / INTERVAL_FILE)
    write_backtests(bt, doc["backtest"], out_dir / BACKTEST_FILE)
    fit_rows = pd.DataFrame([{"metric": k, "value": v} for k, v in fit.items()
                             if isinstance(v, float)])
    ep_rows = pd.DataFrame([{"episode": k, "reproduced": v.get("reproduced")}
                            for k, v in eps.items()])
    par_rows = pd.DataFrame([{"parameter": k, "value": json.dumps(v["value"])[:200]}
                             for k, v in doc["parameters"].items()])
    sections = [
        ("Targets", _html_table(pd.DataFrame([{"target": k, "met": v}
                                              for k, v in targets.items()]))),
        ("Fit by series (calibration span)", _fig_fit(mean, t)),
        ("Fit metrics", _html_table(fit_rows)),
        ("Backtests vs baselines (mean over origins)", _html_table(summ)),
        ("Backtest scores", _html_table(bt["scores"])),
        ("Interval coverage", _html_table(cov)),
        ("Backtest forecasts", _fig_backtest(bt)),
        ("Episodes", _html_table(ep_rows) + "<pre>" + json.dumps(eps, indent=1,
                                                                 default=_jsonable) + "</pre>"),
        ("Title 42 repeat crossings", _fig_repeats(mean, t)),
        *((("December 2023 record and January 2024 drop",
            _fig_dec_jan(eps["dec2023_jan2024"]["by_citizenship"])),)
          if eps.get("dec2023_jan2024", {}).get("by_citizenship") else ()),
        ("Deaths by year and area", _fig_deaths(mean, t)),
        ("Funnel effect in deaths", _fig_funnel(mean, t)),
        ("Fitted parameters", _html_table(par_rows)),
        ("Residual series", _fig_latent()),
        ("Notes", "<p>Metric definitions: docs/validation.md. At each backtest origin the "
                  "residual series are refitted on data up to the origin only "
                  f"({bt['settings']['refit_iterations']} iterations; 0 = not refitted); "
                  + (f"the structural parameters too ({structural_budget} trials per origin). "
                     if structural_budget > 0 else
                     "the structural parameters are the shipped ones (fitted on "
                     "2019-01..2024-01). ")
                  + "Baselines are refitted on data up to each origin.</p>"),
    ]
    page("borderflow validation", sections, out_dir / "validation.html")
    return doc


def headline(doc: dict) -> list[tuple[str, str]]:
    """The report's headline figures as (label, value) rows, for the terminal."""
    fit, bt = doc["fit"], doc["backtest"]
    rows = [("USBP SW total MAPE (target <= 10%)", f"{fit['total_mape']:.1%}"),
            ("sector-share ARD (<= 0.15)", f"{fit['sector_ard']:.3f}"),
            ("citizenship-share ARD (<= 0.20)", f"{fit['citizenship_ard']:.3f}")]
    mase = {(r["method"], r["horizon"]): r["mase"] for r in bt["summary"]}
    for meth in ("model_corrected", "model", "ets", "sarima", "last_value"):
        if (meth, 6) in mase:
            h12 = f" / {mase[(meth, 12)]:.2f}" if (meth, 12) in mase else ""
            rows.append((f"backtest MASE h6 / h12, {meth}", f"{mase[(meth, 6)]:.2f}{h12}"))
    for key, label in (("mean_coverage", "all origins"),
                       ("mean_coverage_required_origins", "reference origins")):
        for r in bt.get(key, []):
            if r["method"] == "model_corrected":
                rows.append((f"80% / 95% coverage, {label} (80%: 70-90%)",
                             f"{r['coverage80']:.0%} / {r['coverage95']:.0%}"))
    drop = fit.get("drop_dec2023_jan2024")
    if drop is not None:
        rows.append(("Dec 2023 -> Jan 2024 drop (>= 35%)", f"{drop:.1%}"))
    return rows


def _write_stamped(bt: dict, body: dict, path: Path) -> Path:
    """Write ``body`` as JSON, atomically, stamped with the shipped calibration's sha256
    and the backtest settings it was computed with."""
    from borderflow.atomic import atomic_path
    from borderflow.validate.forecast import calibration_stamp

    st = bt["settings"]
    doc = {"calibration": calibration_stamp(),
           "written_by": (f"borderflow validate: origins {', '.join(st['origins'])}; "
                          f"{st['runs']} runs at scale {st['scale']}, seed {st['seed']}"),
           **body}
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def write_interval_errors(bt: dict, path: Path) -> Path:
    """The backtests' normalised errors (``borderflow forecast`` scales its drift with
    them once the file is copied beside calibrated.json), stamped with the calibration
    they were computed with."""
    return _write_stamped(bt, {
        "definition": "z = log((observed + 1) / (backtest median + 1)) / "
                      "(drift per month x sqrt(horizon)); docs/validation.md",
        "errors": [{**r, "z": round(r["z"], 6)} for r in bt.get("interval_errors", [])]}, path)


#: backtest rows kept for the dashboard (the model's and the statistical baselines')
BACKTEST_METHODS = ("model_corrected", "ets", "sarima", "last_value")


def write_backtests(bt: dict, summary: dict, path: Path) -> Path:
    """The backtests' scores and forecasts, stamped with the calibration they were computed
    with (the dashboard shows the shipped copy beside calibrated.json)."""
    fc = bt["forecasts"]
    fc = fc[fc["method"].isin(BACKTEST_METHODS)]

    def r(x):
        return None if x is None or not np.isfinite(x) else round(float(x), 1)

    return _write_stamped(bt, {
        "origins": list(bt["settings"]["origins"]), "horizons": list(bt["settings"]["horizons"]),
        "summary": [{**x, "mape": round(x["mape"], 2), "mase": round(x["mase"], 3)}
                    for x in summary["summary"]],
        "coverage": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in x.items()}
                     for x in summary["mean_coverage"]],
        "forecasts": [{"origin": x.origin, "month": x.month, "method": x.method,
                       "forecast": r(x.forecast), "observed": r(x.observed),
                       "p10": r(getattr(x, "p10", None)), "p90": r(getattr(x, "p90", None))}
                      for x in fc.itertuples()]}, path)


def _jsonable(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)
