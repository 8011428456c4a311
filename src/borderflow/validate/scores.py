"""Scores of the backtests: an episode origin's record against the observations and the
baselines, interval coverage over origins, and the mean scores by horizon and method."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import observed
from borderflow.validate import baselines, metrics
from borderflow.validate.objective import SERIES, month_range
from borderflow.validate.origin import FittedSet
from borderflow.validate.shocks import EPISODES

EPISODE_HORIZON = 6


MASE_WINDOW = 60


#: the model row that carries an episode's headline figures and the intervals
HEADLINE = "model_corrected"


EPISODE_BASELINES = ("last_value", "seasonal_naive", "ets")


#: episode record method -> the forecast row it reports
EPISODE_METHODS = {"mechanisms": HEADLINE, "assimilated": "assimilated"}


def observed_citizenship(nationalities, last: str) -> pd.DataFrame:
    """Observed USBP SW encounters by citizenship (months x nationalities) from the first
    month one of them is observed up to ``last`` (nothing later is read), 0 where a month
    has none."""

    wide = observed(SERIES, "citizenship", until=last).to_pandas().reindex(
        columns=list(nationalities))
    held = wide.index[wide.notna().any(axis=1).to_numpy()]
    months = month_range(str(held.min()), last)
    return wide.reindex(index=months).fillna(0.0).astype(float)


def baseline_prediction(name: str, series: pd.Series, origin: str, h: int) -> pd.DataFrame:
    """Baseline ``name``'s forecast and its own bands (``baselines.band``: columns forecast,
    p025, p10, p90, p975; one row per month after ``origin``); NaN where it cannot fit."""
    try:
        return baselines.band(name, series, origin, h)
    except Exception:  # noqa: BLE001 - a baseline that cannot fit is reported as missing
        return pd.DataFrame(np.nan, index=baselines.months_after(origin, h),
                            columns=["forecast", *baselines.BAND_Z])


def _change(new: float, old: float) -> float | None:
    return None if not (np.isfinite(new) and np.isfinite(old)) or old <= 0 else \
        float(new / old - 1.0)


def episode_record(origin: str, r: dict, obs: pd.Series, preds: dict, scale_mae: float,
                   fitted: FittedSet, method: str = "mechanisms") -> dict:
    """One episode origin's record of one method (``validation.json`` ``episodes``):
    ``mechanisms`` (the forecast row :data:`HEADLINE`) or ``assimilated``."""
    row = EPISODE_METHODS[method]
    label, nats = EPISODES[origin]
    last_obs = obs.index[-1]
    months = [mo for mo in r["months"][:EPISODE_HORIZON] if mo <= last_obs]
    n = len(months)
    y = obs.reindex(months).to_numpy(float)
    y0 = float(obs.loc[origin])
    rec = {"origin": origin, "shock": label, "method": method,
           "fit": fitted.label, "fit_span": list(fitted.span),
           "fit_excluded": [fitted.excluded[0], fitted.excluded[-1]] if fitted.excluded
           else None,
           "in_sample": fitted.saw_after(origin), "months_scored": n,
           "months": [months[0], months[-1]] if months else None}
    rec["mape6"] = metrics.mape(preds[row][:n], y)
    rec["mape6_model_raw"] = metrics.mape(preds["model"][:n], y)
    for b in EPISODE_BASELINES:
        p = preds.get(b)
        rec[f"mape6_{b}"] = (metrics.mape(p[:n], y) if p is not None
                             and np.isfinite(p[:n]).all() else None)
    rec["mase6"] = float(np.mean(np.abs(preds[row][:n] - y)) / scale_mae)
    rec["first_month_change_observed"] = _change(y[0], y0)
    rec["first_month_change"] = _change(preds[row][0], y0)
    own = r["simulated_at_origin"]["total"]
    rec["first_month_change_model_own"] = _change(preds["model"][0], own)
    for b in EPISODE_BASELINES:
        p = preds.get(b)
        rec[f"first_month_change_{b}"] = _change(p[0], y0) if p is not None else None
    fo, fm = rec["first_month_change_observed"], rec["first_month_change"]
    rec["first_month_sign_match"] = (None if fo is None or fm is None
                                     else bool(np.sign(fo) == np.sign(fm)))
    # the nationalities the shock concerns
    cit = observed_citizenship(nats, last_obs)
    table = r["tables"][row]
    by_nat = {}
    for nat in nats:
        series = cit[nat]
        yn = series.reindex(months).to_numpy(float)
        model = (table[(table["breakdown"] == "citizenship") & (table["key"] == nat)]
                 .set_index("month").loc[months, "median"].to_numpy(float))
        row = {"model": metrics.mape(model, yn),
               "observed_at_origin": float(series.loc[origin]),
               "first_month_change_observed": _change(yn[0], float(series.loc[origin])),
               "first_month_change": _change(model[0], float(series.loc[origin]))}
        for b in EPISODE_BASELINES:
            p = baseline_prediction(b, series, origin, EPISODE_HORIZON)["forecast"].to_numpy(
                float)[:n]
            row[b] = metrics.mape(p, yn) if np.isfinite(p).all() else None
        by_nat[nat] = row
    rec["mape6_by_nationality"] = by_nat
    rec["mape6_nationalities"] = float(np.mean([v["model"] for v in by_nat.values()]))
    for b in EPISODE_BASELINES:
        vals = [v[b] for v in by_nat.values() if v[b] is not None]
        rec[f"mape6_nationalities_{b}"] = float(np.mean(vals)) if vals else None
    hist = obs.loc[:origin]
    rec["baseline_history_months"] = {
        "last_value": 1, "seasonal_naive": 12, "ets": int(min(len(hist), 120)),
        "mase_scale": int(min(len(hist), MASE_WINDOW))}
    band = table[table["breakdown"] == "total"].set_index("month").loc[months]
    rec["coverage80"] = metrics.coverage(y, band["p10"], band["p90"])
    rec["coverage95"] = metrics.coverage(y, band["p025"], band["p975"])
    return rec


def interval_coverage(bt: dict, method: str = HEADLINE) -> dict:
    """80% and 95% coverage of ``method``'s intervals over every backtest month of the
    rolling origins (up to 12 months), of the episode origins (up to 6) and of both
    (each origin-month once)."""
    fc = bt["forecasts"]
    fc = fc[fc["method"] == method].copy()
    if fc.empty:
        return {}
    fc["horizon"] = [(pd.Period(m_, "M") - pd.Period(o, "M")).n
                     for o, m_ in zip(fc["origin"], fc["month"], strict=True)]
    rolling = fc[fc["origin"].isin(bt["settings"]["origins"])]
    episode = fc[fc["origin"].isin(bt["settings"]["episode_origins"])
                 & (fc["horizon"] <= EPISODE_HORIZON)]
    both = pd.concat([rolling, episode]).drop_duplicates(["origin", "month"])
    out = {}
    for name, part in (("rolling", rolling), ("episodes", episode), ("all", both)):
        if len(part):
            y = part["observed"].to_numpy(float)
            out[name] = {"months": int(len(part)),
                         "coverage80": metrics.coverage(y, part["p10"], part["p90"]),
                         "coverage95": metrics.coverage(y, part["p025"], part["p975"])}
    return out


def summary(bt: dict) -> pd.DataFrame:
    """Mean MAPE and MASE over rolling origins, per horizon and method."""
    s = bt["scores"]
    return s.groupby(["horizon", "method"], sort=False)[["mape", "mase"]].mean().reset_index()


#: quantile levels of a model row of the backtest forecasts (p025, p10, median, p90, p975)
LEVELS = np.array([0.025, 0.1, 0.5, 0.9, 0.975])


def _horizons(fc: pd.DataFrame) -> np.ndarray:
    return np.array([(pd.Period(m_, "M") - pd.Period(o, "M")).n
                     for o, m_ in zip(fc["origin"], fc["month"], strict=True)])


def _scores_of(part: pd.DataFrame) -> dict:
    """Proper scores of one method over backtest months: CRPS (from its five quantiles by
    the pinball loss, ``scoringrules.crps_quantile``; a point forecast's CRPS is its absolute
    error), the interval scores of the 80% and 95% bands (``scoringrules.interval_score``),
    their coverage and the median width p90/p10."""
    # scoringrules compiles its numba kernels on import, which every command importing
    # this module would pay (borderflow --help: 7.5 s against 2.6 s)
    # lazy: compiles its kernels on import (5 s)
    import scoringrules as sr

    y = part["observed"].to_numpy(float)
    cols = ("p025", "p10", "forecast", "p90", "p975")
    q = (part[list(cols)].to_numpy(float) if set(cols) <= set(part.columns)
         else np.full((len(part), 5), np.nan))
    banded = np.isfinite(q).all(axis=1)
    crps = np.abs(y - part["forecast"].to_numpy(float))
    if banded.any():
        crps[banded] = np.asarray(sr.crps_quantile(y[banded], q[banded], LEVELS))
    out = {"months": int(len(part)), "crps": float(np.mean(crps))}
    if banded.all():
        out.update(
            interval_score80=float(np.mean(sr.interval_score(y, q[:, 1], q[:, 3], 0.2))),
            interval_score95=float(np.mean(sr.interval_score(y, q[:, 0], q[:, 4], 0.05))),
            coverage80=metrics.coverage(y, q[:, 1], q[:, 3]),
            coverage95=metrics.coverage(y, q[:, 0], q[:, 4]),
            width_p90_p10=float(np.median(q[:, 3] / np.maximum(q[:, 1], 1.0))))
    return out


def proper_scores(bt: dict) -> list[dict]:
    """CRPS, interval scores, coverage and width of every method over the backtest months:
    the rolling origins up to 6 and up to 12 months, the episode origins up to 6.  The
    baselines are scored with their own bands (``baselines.band``: statsmodels prediction
    intervals for ETS and SARIMA, the naive methods' standard intervals)."""
    fc = bt["forecasts"].copy()
    if fc.empty:
        return []
    fc["horizon"] = _horizons(fc)
    groups = (("rolling", 6, bt["settings"]["origins"]), ("rolling", 12, bt["settings"]["origins"]),
              ("episodes", EPISODE_HORIZON, bt["settings"]["episode_origins"]))
    rows = []
    for name, h, origins in groups:
        part = fc[fc["origin"].isin(origins) & (fc["horizon"] <= h)]
        for method, g in part.groupby("method", sort=False):
            if len(g):
                rows.append({"origins": name, "horizon": h, "method": method, **_scores_of(g)})
    ets = {(r["origins"], r["horizon"]): r["crps"] for r in rows if r["method"] == "ets"}
    for r in rows:
        base = ets.get((r["origins"], r["horizon"]))
        r["crps_skill_vs_ets"] = (float(1.0 - r["crps"] / base) if base else None)
    return rows
