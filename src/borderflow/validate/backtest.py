"""Rolling-origin backtests of the model against the statistical baselines.

For each origin T (the last month of data), every method forecasts T+1..T+12 and is
scored at horizons 6 and 12 (months T+1..T+h) on the USBP Southwest monthly total
with MAPE and MASE.  The MASE scale is the in-sample mean absolute error of the
12-month seasonal-naive forecast over the 60 months up to T.  The model's point
forecast is the ensemble median; its 80% and 95% intervals are scored for coverage.

Refitting: at each origin the residual series (``borderflow.validate.latent``: the
departures multipliers, sector shifts and hazard rescaling of the second calibration
stage) are fitted again on the observations from 2019-01 up to T only, and the
ensemble runs with them; past T they are held at their last estimate.  The 24
structural numbers of the first stage (group scales, elasticities, interception and
hazard rates, route-choice weight of apprehension, sector constants, network momentum)
are *not* refitted per origin by default: they come from the shipped calibration on
2019-01..2024-01, which favours the model somewhat (``structural_budget`` > 0 refits
them too).  The baselines are refitted on data up to T only.
"""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import pandas as pd

from borderflow.scenario.latent import shipped
from borderflow.validate import baselines, metrics
from borderflow.validate.forecast import _weights, drift_sigma, interval_scale, quantile_table
from borderflow.validate.objective import observed_total

#: January and June of each year from the first month with 18 months of history (2020-06):
#: the four required origins and three more, so that intervals are calibrated and scored
#: on more than four calm origins (2020-06 and 2021-01 forecast the 2021 rise)
ORIGINS = ("2020-06", "2021-01", "2021-06", "2022-01", "2022-06", "2023-01", "2023-06")
#: the four reference origins of the validation targets; reported separately
REQUIRED_ORIGINS = ("2021-06", "2022-06", "2023-01", "2023-06")
HORIZONS = (6, 12)
MASE_WINDOW = 60
REFIT_ITERATIONS = 8
REFIT_SCALE = 20
#: model rows in the backtest: raw model median (errors centred: intervals only) and
#: the median corrected by the run's log errors of the 24 months up to the origin
MODEL_VARIANTS = {"model": (True, 36), "model_corrected": (False, 24)}


def model_dataset(first: str, last: str, *, runs: int, scale: int, seed: int,
                  warmup: int | None, executor: Executor | None = None,
                  workers: int | None = None, scenario: str = "historical",
                  latent=None, parameters: dict | None = None):
    """The ensemble over ``first``..``last`` (run from the scenario start, as
    ``borderflow forecast`` does)."""
    from borderflow.validate.forecast import forecast_dataset

    n = (pd.Period(last, "M") - pd.Period(first, "M")).n + 1
    ds, _ = forecast_dataset(first, n, runs=runs, scenario=scenario, scale=scale, seed=seed,
                             warmup=warmup, executor=executor, workers=workers,
                             latent=latent, parameters=parameters)
    return ds


def refit_at(origin: str, executor: Executor, *, scale: int, seed: int, iterations: int,
             start: str = "2019-01", progress=None) -> tuple:
    """The residual series and rescaled hazard fitted on ``start``..``origin`` only, with
    the shipped structural parameters; (latent, parameters, fit history)."""
    from borderflow.scenario.calibrated import calibrated_document, calibrated_values
    from borderflow.validate.latent import fit_latent
    from borderflow.validate.objective import load_targets

    # the hazard, the retry chance and the interception rate as the structural stage used
    # them (the shipped values are rescaled on the whole span, and the refit rescales them
    # on the data up to the origin); the other structural numbers are the shipped ones
    stage1 = calibrated_document().get("fit", {}).get("fitted_numbers", {})
    from borderflow.scenario.registry import PARAMETERS

    params = {"hazard_scale": stage1.get("hazard_scale", calibrated_values().get("hazard_scale")),
              "retry_after_expulsion": stage1.get("retry_after_expulsion",
                                                  PARAMETERS["retry_after_expulsion"].default),
              "interception_per_checkpoint": stage1.get(
                  "interception_per_checkpoint",
                  calibrated_values().get("interception_per_checkpoint"))}
    params = {k: v for k, v in params.items() if v is not None}
    # the area multipliers of the hazard start from 1 (the shipped ones saw later deaths)
    params["hazard_by_area"] = dict(PARAMETERS["hazard_by_area"].default)
    # the crackdown pickup starts from its default too (the shipped one is fitted on the
    # crackdown months of late 2023 and January 2024; a refit whose data hold none keeps it)
    params["crackdown_pickup"] = float(PARAMETERS["crackdown_pickup"].default)
    return fit_latent(executor, params, load_targets(start, origin), span=(start, origin),
                      scale=scale, seed=seed, iterations=iterations, progress=progress)


def refit_structural_at(origin: str, executor: Executor, budget: int, storage: str, *,
                        scale: int, seed: int, iterations: int, latent_scale: int,
                        start: str = "2019-01") -> tuple:
    """The whole calibration (structural search with ``budget`` trials, sector step,
    residual series) on ``start``..``origin`` only; (latent, parameters, fit after)."""
    from borderflow.scenario.model import Latent
    from borderflow.validate.calibrate import calibrate

    doc = calibrate(executor, budget, scale=scale, seed=seed, storage=storage,
                    span=(start, origin), latent_iterations=iterations,
                    latent_scale=latent_scale)
    latent = Latent.model_validate(doc["latent"]) if doc.get("latent") else None
    return latent, doc["parameters"], doc["fit"]["after"]


def backtest(origins=ORIGINS, *, runs: int = 10, scale: int = 50, seed: int = 0,
             warmup: int | None = None, executor: Executor | None = None,
             workers: int | None = None, baseline_names=baselines.NAMES,
             horizons=HORIZONS, refit_iterations: int = REFIT_ITERATIONS,
             refit_scale: int = REFIT_SCALE, structural_budget: int = 0,
             interval_calibration: bool = True, progress=None) -> dict:
    """Scores (DataFrame: origin, horizon, method, mape, mase), coverage per origin and
    horizon, and the forecasts themselves (long DataFrame).  A horizon is scored only
    where all its months are observed (e.g. 2023-06 + 12 months is not).  With
    ``refit_iterations`` 0 the shipped residual series are used at every origin (fitted
    on data past the origin: in-sample, for comparison only).  With ``structural_budget``
    > 0 the whole calibration is redone at each origin (that many structural trials at
    ``scale``, then the residual series), so no number has seen a month past the origin.

    Origins run in calendar order.  Each origin's drift is scaled by
    :func:`~borderflow.validate.forecast.interval_scale` of the normalised errors of the
    earlier origins in the months up to it (``interval_calibration``; off: unscaled), and
    its own errors are returned (``interval_errors``) for the later ones and for
    ``borderflow forecast``."""
    if executor is None:
        from borderflow.ensemble.runner import make_executor

        with make_executor(workers) as ex:
            return backtest(origins, runs=runs, scale=scale, seed=seed, warmup=warmup,
                            executor=ex, baseline_names=baseline_names, horizons=horizons,
                            refit_iterations=refit_iterations, refit_scale=refit_scale,
                            structural_budget=structural_budget,
                            interval_calibration=interval_calibration, progress=progress)
    obs = observed_total()
    H = max(horizons)
    last_obs = obs.index[-1]
    plan = []
    for origin in sorted(origins):
        hs = [h for h in horizons if set(baselines.months_after(origin, h)) <= set(obs.index)]
        if hs:
            plan.append((origin, max(hs), hs))
    if not plan:
        raise ValueError("no backtest origin has observed months after it")
    rows, cov, fc, refits, drifts, errors, scales = [], [], [], {}, {}, [], {}
    for origin, hmax, hs in plan:
        months = baselines.months_after(origin, hmax)
        latent, params = None, None
        if structural_budget > 0:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                latent, params, after = refit_structural_at(
                    origin, executor, structural_budget, f"{tmp}/study.sqlite3", scale=scale,
                    seed=seed, iterations=refit_iterations, latent_scale=refit_scale)
            refits[origin] = {k: round(after[k], 4) for k in
                              ("total_mape", "sector_ard", "citizenship_ard")}
        elif refit_iterations > 0:
            latent, params, hist = refit_at(origin, executor, scale=refit_scale, seed=seed,
                                            iterations=refit_iterations)
            refits[origin] = {k: round(hist[-1][k], 4) for k in
                              ("total_mape", "sector_ard", "citizenship_ard")}
        ds = model_dataset(months[0], min(months[-1], last_obs), runs=runs, scale=scale,
                           seed=seed, warmup=warmup, executor=executor, latent=latent,
                           parameters=params)
        if progress is not None:
            progress(origin)
        run_months = [str(x) for x in ds["month"].values]
        # interval errors from the observations up to the origin only
        upto = [mo for mo in run_months if mo <= origin]
        drift = drift_sigma(latent if latent is not None else shipped(), _weights(ds, upto))
        drifts[origin] = round(drift, 4)
        mfs, first = {}, str(pd.Period(origin, "M") + 1)
        for method, (centre, window) in MODEL_VARIANTS.items():
            c, n = (interval_scale(errors, first, method) if interval_calibration
                    else (1.0, 0))
            scales.setdefault(origin, {})[method] = {"scale": round(c, 4), "errors": n}
            table = quantile_table(ds, months, upto, centre=centre, window=window,
                                   drift=drift * c)
            mfs[method] = table[table["breakdown"] == "total"].set_index("month")
        y = obs.loc[months].to_numpy(float)
        if drift > 0.0:
            for method, mf in mfs.items():
                med = mf.loc[months, "median"].to_numpy(float)
                for k, mo in enumerate(months):
                    errors.append({"origin": origin, "month": mo, "horizon": k + 1,
                                   "method": method,
                                   "z": float(np.log((y[k] + 1.0) / (med[k] + 1.0))
                                              / (drift * np.sqrt(k + 1)))})
        scale_mae = metrics.seasonal_naive_scale(obs.loc[:origin].iloc[-MASE_WINDOW:])
        preds = {m_: mf.loc[months, "median"].to_numpy(float) for m_, mf in mfs.items()}
        for name in baseline_names:
            preds[name] = baselines.forecast(name, obs, origin, hmax).to_numpy(float)
        for method, p in preds.items():
            for k, (yy, pp) in enumerate(zip(y, p, strict=True)):
                band = ({"p10": float(mfs[method].loc[months[k], "p10"]),
                         "p90": float(mfs[method].loc[months[k], "p90"])}
                        if method in mfs else {})
                fc.append({"origin": origin, "month": months[k], "method": method,
                           "forecast": float(pp), "observed": float(yy), **band})
            for h in hs:
                rows.append({"origin": origin, "horizon": h, "method": method,
                             "mape": metrics.mape(p[:h], y[:h]),
                             "mase": float(np.mean(np.abs(p[:h] - y[:h])) / scale_mae)})
        for h in hs:
            mm = months[:h]
            for method, mf in mfs.items():
                cov.append({"origin": origin, "horizon": h, "method": method,
                            "interval_scale": scales[origin][method]["scale"],
                            "coverage80": metrics.coverage(y[:h], mf.loc[mm, "p10"],
                                                           mf.loc[mm, "p90"]),
                            "coverage95": metrics.coverage(y[:h], mf.loc[mm, "p025"],
                                                           mf.loc[mm, "p975"])})
    return {"scores": pd.DataFrame(rows), "coverage": pd.DataFrame(cov),
            "forecasts": pd.DataFrame(fc), "interval_errors": errors,
            "settings": {"origins": [o for o, _, _ in plan], "horizons": list(horizons),
                         "runs": runs, "scale": scale, "seed": seed,
                         "warmup_months": warmup, "mase_window": MASE_WINDOW,
                         "refit_residual_series_per_origin": refit_iterations > 0,
                         "refit_structural_per_origin": structural_budget > 0,
                         "structural_budget": structural_budget,
                         "refit_iterations": refit_iterations, "refit_scale": refit_scale,
                         "in_sample_fit_at_origin": refits, "drift_per_month": drifts,
                         "interval_calibration": interval_calibration,
                         "interval_scale": scales,
                         "max_horizon": H}}


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
