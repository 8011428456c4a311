"""Rolling-origin backtests of the model against the statistical baselines.

For each origin T (the last month of data), every method forecasts T+1..T+12 and is
scored at horizons 6 and 12 (months T+1..T+h) on the USBP Southwest monthly total
with MAPE and MASE.  The MASE scale is the in-sample mean absolute error of the
12-month seasonal-naive forecast over the 60 months up to T.  The model's point
forecast is the ensemble median; its 80% and 95% intervals are scored for coverage.

Honest caveat: the model is *not* refitted at each origin; it runs with the shipped
calibrated parameters (fitted on 2019-01..2024-01), so its backtest is partly
in-sample for the parameters (not for the encounters, which never drive it).  The
baselines are refitted on data up to T only.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import pandas as pd

from borderflow.validate import baselines, metrics
from borderflow.validate.objective import observed_total

ORIGINS = ("2021-06", "2022-06", "2023-01", "2023-06")
HORIZONS = (6, 12)
MASE_WINDOW = 60


def model_forecast(origin: str, h: int, *, runs: int, scale: int, seed: int, warmup: int,
                   executor: Executor | None = None, workers: int | None = None,
                   scenario: str = "historical") -> pd.DataFrame:
    from borderflow.validate.forecast import forecast

    start = str(pd.Period(origin, "M") + 1)
    table, _ = forecast(start, h, runs=runs, scenario=scenario, scale=scale, seed=seed,
                        warmup=warmup, executor=executor, workers=workers)
    return table[table["breakdown"] == "total"].set_index("month")


def backtest(origins=ORIGINS, *, runs: int = 10, scale: int = 50, seed: int = 0,
             warmup: int = 12, executor: Executor | None = None, workers: int | None = None,
             baseline_names=baselines.NAMES, horizons=HORIZONS) -> dict:
    """Scores (DataFrame: origin, horizon, method, mape, mase), coverage per origin and
    horizon, and the forecasts themselves (long DataFrame)."""
    obs = observed_total()
    H = max(horizons)
    rows, cov, fc = [], [], []
    for origin in origins:
        months = baselines.months_after(origin, H)
        if not set(months) <= set(obs.index):
            continue
        y = obs.loc[months].to_numpy(float)
        hist = obs.loc[:origin]
        scale_mae = metrics.seasonal_naive_scale(hist.iloc[-MASE_WINDOW:])
        preds = {}
        mf = model_forecast(origin, H, runs=runs, scale=scale, seed=seed, warmup=warmup,
                            executor=executor, workers=workers)
        preds["model"] = mf.loc[months, "median"].to_numpy(float)
        for name in baseline_names:
            preds[name] = baselines.forecast(name, obs, origin, H).to_numpy(float)
        for method, p in preds.items():
            for m, (yy, pp) in enumerate(zip(y, p)):
                fc.append({"origin": origin, "month": months[m], "method": method,
                           "forecast": float(pp), "observed": float(yy)})
            for h in horizons:
                rows.append({"origin": origin, "horizon": h, "method": method,
                             "mape": metrics.mape(p[:h], y[:h]),
                             "mase": float(np.mean(np.abs(p[:h] - y[:h])) / scale_mae)})
        for h in horizons:
            cov.append({"origin": origin, "horizon": h,
                        "coverage80": metrics.coverage(y[:h], mf.loc[months[:h], "p10"],
                                                       mf.loc[months[:h], "p90"]),
                        "coverage95": metrics.coverage(y[:h], mf.loc[months[:h], "p025"],
                                                       mf.loc[months[:h], "p975"])})
    scores = pd.DataFrame(rows)
    return {"scores": scores, "coverage": pd.DataFrame(cov), "forecasts": pd.DataFrame(fc),
            "settings": {"origins": list(origins), "runs": runs, "scale": scale, "seed": seed,
                         "warmup_months": warmup, "mase_window": MASE_WINDOW,
                         "refit_model_per_origin": False}}


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
