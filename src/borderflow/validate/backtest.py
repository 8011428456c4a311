"""Rolling-origin backtests of the model against the statistical baselines.

For each origin T (the last month of data), every method forecasts T+1..T+12 and is
scored at horizons 6 and 12 (months T+1..T+h) on the USBP Southwest monthly total
with MAPE and MASE.  The MASE scale is the in-sample mean absolute error of the
12-month seasonal-naive forecast over the 60 months up to T.  The model's point
forecast is the ensemble median; its 80% and 95% intervals are scored for coverage.

Honest caveat: the model is *not* refitted at each origin; it runs with the shipped
calibrated parameters (fitted on 2019-01..2024-01), so its backtest is in-sample for
the parameters (not for the encounters, which never drive it: the model does not
assimilate observations, so its forecast from any origin is the same simulated path,
run from 2019-01 with the event timeline).  The baselines are refitted on data up to
T only.  This favours the model; a true out-of-sample test needs a calibration per
origin (``calibrate`` with a shorter span), which the time budget did not allow.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import pandas as pd

from borderflow.validate import baselines, metrics
from borderflow.validate.forecast import quantile_table
from borderflow.validate.objective import observed_total

ORIGINS = ("2021-06", "2022-06", "2023-01", "2023-06")
HORIZONS = (6, 12)
MASE_WINDOW = 60
#: model rows in the backtest: raw model median (errors centred: intervals only) and
#: the median corrected by the run's log errors of the 24 months up to the origin
MODEL_VARIANTS = {"model": (True, 36), "model_corrected": (False, 24)}


def model_dataset(first: str, last: str, *, runs: int, scale: int, seed: int,
                  warmup: int | None, executor: Executor | None = None,
                  workers: int | None = None, scenario: str = "historical"):
    """The ensemble over ``first``..``last`` (run from the scenario start, as
    ``borderflow forecast`` does)."""
    from borderflow.validate.forecast import forecast_dataset

    n = (pd.Period(last, "M") - pd.Period(first, "M")).n + 1
    ds, _ = forecast_dataset(first, n, runs=runs, scenario=scenario, scale=scale, seed=seed,
                             warmup=warmup, executor=executor, workers=workers)
    return ds


def backtest(origins=ORIGINS, *, runs: int = 10, scale: int = 50, seed: int = 0,
             warmup: int | None = None, executor: Executor | None = None,
             workers: int | None = None, baseline_names=baselines.NAMES,
             horizons=HORIZONS) -> dict:
    """Scores (DataFrame: origin, horizon, method, mape, mase), coverage per origin and
    horizon, and the forecasts themselves (long DataFrame).  A horizon is scored only
    where all its months are observed (e.g. 2023-06 + 12 months is not)."""
    obs = observed_total()
    H = max(horizons)
    last_obs = obs.index[-1]
    plan = []
    for origin in origins:
        hs = [h for h in horizons if set(baselines.months_after(origin, h)) <= set(obs.index)]
        if hs:
            plan.append((origin, max(hs), hs))
    if not plan:
        raise ValueError("no backtest origin has observed months after it")
    first = min(str(pd.Period(o, "M") + 1) for o, _, _ in plan)
    last = min(max(baselines.months_after(o, h)[-1] for o, h, _ in plan), last_obs)
    # the model never sees observations: one ensemble path serves every origin
    ds = model_dataset(first, last, runs=runs, scale=scale, seed=seed, warmup=warmup,
                       executor=executor, workers=workers)
    run_months = [str(x) for x in ds["month"].values]
    rows, cov, fc = [], [], []
    for origin, hmax, hs in plan:
        months = baselines.months_after(origin, hmax)
        # interval errors from the observations up to the origin only
        upto = [mo for mo in run_months if mo <= origin]
        mfs = {}
        for method, (centre, window) in MODEL_VARIANTS.items():
            table = quantile_table(ds, months, upto, centre=centre, window=window)
            mfs[method] = table[table["breakdown"] == "total"].set_index("month")
        y = obs.loc[months].to_numpy(float)
        scale_mae = metrics.seasonal_naive_scale(obs.loc[:origin].iloc[-MASE_WINDOW:])
        preds = {m_: mf.loc[months, "median"].to_numpy(float) for m_, mf in mfs.items()}
        for name in baseline_names:
            preds[name] = baselines.forecast(name, obs, origin, hmax).to_numpy(float)
        for method, p in preds.items():
            for k, (yy, pp) in enumerate(zip(y, p, strict=True)):
                fc.append({"origin": origin, "month": months[k], "method": method,
                           "forecast": float(pp), "observed": float(yy)})
            for h in hs:
                rows.append({"origin": origin, "horizon": h, "method": method,
                             "mape": metrics.mape(p[:h], y[:h]),
                             "mase": float(np.mean(np.abs(p[:h] - y[:h])) / scale_mae)})
        for h in hs:
            mm = months[:h]
            for method, mf in mfs.items():
                cov.append({"origin": origin, "horizon": h, "method": method,
                            "coverage80": metrics.coverage(y[:h], mf.loc[mm, "p10"],
                                                           mf.loc[mm, "p90"]),
                            "coverage95": metrics.coverage(y[:h], mf.loc[mm, "p025"],
                                                           mf.loc[mm, "p975"])})
    return {"scores": pd.DataFrame(rows), "coverage": pd.DataFrame(cov),
            "forecasts": pd.DataFrame(fc),
            "settings": {"origins": [o for o, _, _ in plan], "horizons": list(horizons),
                         "runs": runs, "scale": scale, "seed": seed,
                         "warmup_months": warmup, "mase_window": MASE_WINDOW,
                         "refit_model_per_origin": False, "max_horizon": H}}


def summary(bt: dict) -> pd.DataFrame:
    """Mean MAPE and MASE over origins, per horizon and method."""
    s = bt["scores"]
    return s.groupby(["horizon", "method"], sort=False)[["mape", "mase"]].mean().reset_index()


def markdown(bt: dict) -> str:
    s = bt["scores"]
    lines = ["| Origin | h | " + " | ".join(m for m in s["method"].unique()) + " |",
             "|---|---:|" + "---:|" * s["method"].nunique()]
    for (o, h), g in s.groupby(["origin", "horizon"], sort=True):
        cells = [f"{r.mape:.1f}% / {r.mase:.2f}" for r in g.itertuples()]
        lines.append(f"| {o} | {h} | " + " | ".join(cells) + " |")
    for h, g in summary(bt).groupby("horizon", sort=True):
        cells = [f"**{r.mape:.1f}% / {r.mase:.2f}**" for r in g.itertuples()]
        lines.append(f"| mean | {h} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
