"""The in-sample episode checks of ``borderflow validate`` on the ensemble mean: the 2019
surge and fall, Title 42 repeat crossings, the December 2023 record and January 2024
drop, sector shifts, and the funnel-effect regression of deaths per crossing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import observations
from borderflow.scenario.registry import NATIONALITIES, SECTORS
from borderflow.validate import metrics as m
from borderflow.validate.documents import DEC_JAN, INSAMPLE_CHECKS, T42
from borderflow.validate.objective import (
    REENCOUNTER,
    reencounter_rates,
)


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
    c = INSAMPLE_CHECKS["surge_2019"]
    a, b, year = c["first"], c["last"], c["first"][:4]
    if {a, b} <= set(months):
        pk_s = sim.loc[f"{year}-01":f"{year}-12"].idxmax()
        ep["surge_2019"] = {
            "observed_may": float(obs[a]), "observed_sep": float(obs[b]),
            "observed_fall": m.drop(obs, a, b),
            "simulated_may": float(sim[a]), "simulated_sep": float(sim[b]),
            "simulated_fall": m.drop(sim, a, b),
            "simulated_peak_month_2019": pk_s,
            "observed_peak_month_2019": obs.loc[f"{year}-01":f"{year}-12"].idxmax(),
            "reproduced": bool(m.drop(sim, a, b) >= c["threshold"])}
    # 2. Title 42: repeat crossings share of encounters (sim) vs OHSS re-encounter rates
    rep = pd.Series(mean["repeat"], index=months)
    fy = _fy(months)
    share = {int(y): float(rep[fy == y].sum() / max(sim[fy == y].sum(), 1))
             for y in sorted(set(fy))}
    c = INSAMPLE_CHECKS["title42_repeat"]
    in_t42 = (np.array(months) >= T42[0]) & (np.array(months) <= T42[1])
    t42 = float(rep[in_t42].sum() / max(sim[in_t42].sum(), 1))
    pre = float(rep[np.array(months) < c["before"]].sum()
                / max(sim[np.array(months) < c["before"]].sum(), 1))
    ref = [{"period": f"{ms[0]}..{ms[-1]}" if len(ms) > 1 else ms[0], "observed": o,
            "simulated": x} for ms, o, x in reencounter_rates(mean, t)]
    ep["title42_repeat"] = {"simulated_repeat_share_by_fy": share,
                            "simulated_repeat_share_title42": t42,
                            "simulated_repeat_share_before": pre,
                            "observed_published": _published(REENCOUNTER),
                            "observed_vs_simulated_in_span": ref,
                            "observed_source": "ref_recidivism_swb_reencounter_rate_12m "
                                               "(calibration target)",
                            "reproduced": bool(t42 > c["threshold"] * pre)}
    # 3. December 2023 record and January 2024 drop
    c = INSAMPLE_CHECKS["dec2023_jan2024"]
    a, b = c["first"], c["last"]
    if {a, b} <= set(months):
        drops = [m.drop(pd.Series(mm["total"], index=months), a, b) for mm in members]
        ep["dec2023_jan2024"] = {
            "observed_dec": float(obs[a]), "observed_jan": float(obs[b]),
            "observed_drop": m.drop(obs, a, b),
            "simulated_dec": float(sim[a]), "simulated_jan": float(sim[b]),
            "simulated_drop": m.drop(sim, a, b),
            "simulated_drop_members_p10_p90": [float(np.quantile(drops, .1)),
                                               float(np.quantile(drops, .9))],
            "simulated_record_month": sim.idxmax(),
            "observed_record_month": obs.idxmax(),
            "target_drop": c["threshold"],
            "by_citizenship": _dec_jan_by_citizenship(mean, t),
            "reproduced": bool(m.drop(sim, a, b) >= c["threshold"] and sim.idxmax() == a)}
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
