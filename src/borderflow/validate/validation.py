"""``borderflow validate``: out-of-sample backtests first, then the in-sample fit.

The backtests (:mod:`borderflow.validate.backtest`) refit everything at each rolling and
episode origin and cut the drivers there.  The in-sample part runs the shipped
calibration as an ensemble over the months it was fitted on: fit metrics on the
ensemble-mean counts (and the spread of the objective over members), and the episode
checks of the calibration span on the same runs.  This module computes and writes JSON;
the HTML report is :mod:`borderflow.report.validation`.
"""

from __future__ import annotations

import json
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.api import simulate
from borderflow.atomic import atomic_path
from borderflow.data import observations
from borderflow.data.build import OBSERVED_END
from borderflow.ensemble.runner import map_ordered, member_seed
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import calibrated_document, calibrated_values
from borderflow.scenario.registry import NATIONALITIES, PARAMETERS, SECTORS
from borderflow.validate import backtest as bt_mod
from borderflow.validate import metrics as m
from borderflow.validate.assimilate import GROUPS
from borderflow.validate.documents import DEC_JAN, T42, episodes_of
from borderflow.validate.forecast import BACKTEST_FILE, INTERVAL_FILE, calibration_stamp
from borderflow.validate.objective import (
    REENCOUNTER,
    load_targets,
    reencounter_rates,
    score,
    simulated,
)
from borderflow.validate.origin import fitted_count

SPAN = ("2019-01", OBSERVED_END)


def member_run(i: int, entropy: int, scale: int, span: tuple[str, str], months: list[str]
               ) -> dict:
    """One member over ``span``: the objective's arrays plus episode tables (worker)."""

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

    try:
        o = observations(series)
    except Exception:  # noqa: BLE001 - reported only when bundled
        return []
    return [{"period": f"{pd.Timestamp(r.period_start):%Y-%m}..{pd.Timestamp(r.period_end):%Y-%m}",
             "value": float(r.value), "unit": str(r.unit), "source": str(r.authority)}
            for r in o.itertuples()]


def funnel(mean: dict, months: list[str], fy: np.ndarray, t, obs: pd.Series) -> dict:
    # lazy: statsmodels is a slow import, needed only here
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
    vals = calibrated_values()
    return {n: {"value": vals.get(n, e.default), "default": e.default, "unit": e.unit,
                "calibrated_file": n in vals}
            for n, e in PARAMETERS.items() if e.calibrated}


def hand_set_count(scenario: str = "historical") -> dict:
    """Numbers set by hand while looking at the data: timeline magnitudes whose note marks
    them as an estimate, and registry parameters whose source is an estimate read off the
    observed series (not fitted by calibrate, but counted)."""

    events = [e for e in load_scenario(scenario).timeline
              if e.note.lower().startswith("estimate") or "estimate" in e.note.lower()]
    params = {}
    for n, e in PARAMETERS.items():
        if not e.calibrated and str(e.source).lower().startswith("estimate"):
            params[n] = len(e.default) if isinstance(e.default, dict) else 1
    return {"timeline_estimates": len(events), "parameters_estimated": params,
            "parameter_values_estimated": int(sum(params.values()))}


def validate(out_dir: str | Path, executor: Executor, *, runs: int = 10, scale: int = 50,
             seed: int = 0, backtest_runs: int = 10, origins=None, episode_origins=None,
             mode: str = "refit", budget: int | None = None,
             sector_steps: int | None = None, work_dir: str | Path | None = None,
             progress=None, particles: int = 0) -> tuple[dict, dict]:
    """Compute the validation and write ``validation.json``, ``interval_errors.json`` and
    ``backtests.json`` into ``out_dir`` (atomically).  Returns the document and the
    arrays the report draws (``mean``, ``targets``, ``backtest``).  Everything in the
    document is a function of the code, the bundled data and the settings (no wall
    times), so two runs with one seed write the same file."""

    out_dir = Path(out_dir)
    mean, members, t = ensemble_fit(executor, runs, scale, seed)
    fit = fit_by_series(mean, members, t)
    eps = episodes(mean, t, members)
    bt = bt_mod.backtest(bt_mod.ORIGINS if origins is None else origins,
                         tuple(bt_mod.EPISODES) if episode_origins is None else episode_origins,
                         runs=backtest_runs, scale=scale, seed=seed, executor=executor,
                         progress=progress, mode=mode,
                         budget=bt_mod.REFIT_BUDGET if budget is None else budget,
                         sector_steps=sector_steps,
                         work_dir=work_dir if work_dir is not None else out_dir / "fits",
                         particles=particles)
    summ = bt_mod.summary(bt)
    cov = bt["coverage"]
    intervals = bt_mod.interval_coverage(bt)
    intervals_asm = bt_mod.interval_coverage(bt, "assimilated")

    counted = fitted_count(calibrated_document())
    doc = {"settings": {"runs": runs, "scale": scale, "seed": seed, "span": list(SPAN),
                        "backtest": bt["settings"]},
           "refit_at_origin": bt["settings"]["refit_at_origin"],
           "drivers_cut_at_origin": True,
           "fitted_count": counted["total"],
           "fitted_count_by_kind": counted,
           "hand_set_count": (hs := hand_set_count()),
           "counted_numbers": counted["total"] + hs["timeline_estimates"],
           **({"counted_numbers_assimilated": counted["total"] + hs["timeline_estimates"]
               + len(GROUPS) + 1, "assimilation_noise_numbers_per_origin": len(GROUPS) + 1}
              if particles else {}),
           "episodes": bt["episodes"],
           "interval_coverage": intervals,
           **({"interval_coverage_assimilated": intervals_asm} if intervals_asm else {}),
           "backtest": {"scores": bt["scores"].to_dict("records"),
                        "summary": summ.to_dict("records"),
                        "coverage": cov.to_dict("records")},
           "in_sample": {"note": "the shipped calibration (fitted on 2019-01..2024-01) run "
                                 "over the months it was fitted on",
                         "fit": fit, "episodes": eps},
           "parameters": parameters_table()}
    doc["targets_met"] = targets_met(doc, summ)
    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(out_dir / "validation.json") as tmp:
        Path(tmp).write_text(json.dumps(doc, indent=1, default=_jsonable), encoding="utf-8")
    write_interval_errors(bt, out_dir / INTERVAL_FILE)
    write_backtests(bt, {"summary": doc["backtest"]["summary"],
                         "mean_coverage": ([{"method": bt_mod.HEADLINE, **intervals["all"]}]
                                           if "all" in intervals else [])
                         + ([{"method": "assimilated", **intervals_asm["all"]}]
                            if "all" in intervals_asm else [])},
                    out_dir / BACKTEST_FILE)
    return doc, {"mean": mean, "targets": t, "backtest": bt}


def targets_met(doc: dict, summ: pd.DataFrame) -> dict:
    """The validation's yes/no checks (in-sample fit, backtest skill, coverage)."""
    fit = doc["in_sample"]["fit"]
    out = {"in_sample_total_mape<=10%": fit["total_mape"] <= 0.10,
           "in_sample_sector_ard<=0.15": fit["sector_ard"] <= 0.15,
           "in_sample_citizenship_ard<=0.20": fit["citizenship_ard"] <= 0.20}
    h6 = summ[summ.horizon == 6].set_index("method")["mase"] if len(summ) else pd.Series()
    if "model_corrected" in h6 and {"ets", "sarima"} <= set(h6.index):
        out["backtest_mase_h6<1"] = bool(h6["model_corrected"] < 1)
        out["backtest_beats_ets_sarima_h6"] = bool(
            h6["model_corrected"] < min(h6["ets"], h6["sarima"]))
    mech = episodes_of(doc["episodes"], "mechanisms")
    if mech:
        out["episodes_beat_last_value"] = int(sum(
            1 for e in mech if e.get("mape6_last_value") is not None
            and e["mape6"] < e["mape6_last_value"]))
    allc = doc["interval_coverage"].get("all")
    if allc:
        out["coverage80_in_70_90%"] = bool(0.7 <= allc["coverage80"] <= 0.9)
        out["coverage95_in_90_98%"] = bool(0.9 <= allc["coverage95"] <= 0.98)
    asm = episodes_of(doc["episodes"], "assimilated")
    if asm and mech:
        m_mech = float(np.mean([e["mape6"] for e in mech]))
        m_asm = float(np.mean([e["mape6"] for e in asm]))
        out["assimilated_episode_mape_20%_below_mechanisms"] = bool(m_asm <= 0.8 * m_mech)
        out["assimilated_episodes_beat_last_value"] = int(sum(
            1 for e in asm if e.get("mape6_last_value") is not None
            and e["mape6"] < e["mape6_last_value"]))
    if "assimilated" in h6 and "model_corrected" in h6 and "ets" in h6:
        out["assimilated_mase_h6_below_mechanisms_and_ets"] = bool(
            h6["assimilated"] < min(h6["model_corrected"], h6["ets"]))
    allc = (doc.get("interval_coverage_assimilated") or {}).get("all")
    if allc:
        out["assimilated_coverage80_in_70_90%"] = bool(0.7 <= allc["coverage80"] <= 0.9)
        out["assimilated_coverage95_in_90_98%"] = bool(0.9 <= allc["coverage95"] <= 0.98)
    return out


def _write_stamped(bt: dict, body: dict, path: Path) -> Path:
    """Write ``body`` as JSON, atomically, stamped with the shipped calibration's sha256
    and the backtest settings it was computed with."""

    st = bt["settings"]
    doc = {"calibration": calibration_stamp(),
           "written_by": (f"borderflow validate ({st['mode']}): origins "
                          f"{', '.join(sorted(set(st['origins']) | set(st['episode_origins'])))}; "
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
BACKTEST_METHODS = ("model_corrected", "assimilated", "ets", "sarima", "last_value")


def write_backtests(bt: dict, summary: dict, path: Path) -> Path:
    """The backtests' scores and forecasts, stamped with the calibration they were computed
    with (the dashboard shows the shipped copy beside calibrated.json)."""
    fc = bt["forecasts"]
    fc = fc[fc["method"].isin(BACKTEST_METHODS)]

    def r(x):
        return None if x is None or not np.isfinite(x) else round(float(x), 1)

    return _write_stamped(bt, {
        "origins": sorted(set(bt["settings"]["origins"]) | set(bt["settings"]["episode_origins"])),
        "horizons": list(bt["settings"]["horizons"]),
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
