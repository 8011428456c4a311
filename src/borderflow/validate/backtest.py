"""Out-of-sample backtests: rolling origins and episode origins, refitted at every origin.

For each origin T (the last month of data) the model forecasts T+1..T+h from the inputs of
:func:`borderflow.validate.origin.forecast_inputs` (drivers cut at T and projected by the
scenario's rule; timeline events after T as the scenario states them) and is scored on the
USBP Southwest monthly total with MAPE and MASE against last value, seasonal naive, ETS and
SARIMA fitted on the same observations up to T.

What is fitted at each origin (``mode``):

- ``refit`` (default): the whole calibration (:func:`borderflow.validate.calibrate.calibrate`:
  the structural search with ``budget`` trials from the registry defaults, no bundled start
  points; the sector step) on 2019-01..T only,
  so no fitted number has seen a month after T.  Where fewer than
  :data:`MIN_FIT_MONTHS` months precede an episode origin, the fit uses every month from
  2019-01 to the end of the data (:data:`FIT_END`) except the episode's
  :data:`EPISODE_HORIZON` months (leave the episode out), and the record says so (``fit: leave-episode-out``).
- ``shipped``: the shipped calibration at every origin (in-sample).

Each origin's fit is stored in ``work_dir`` (``fit-<origin>.json``, written atomically,
with the optuna study beside it), so an interrupted validation resumes where it stopped.

Rolling origins are scored at 6 and 12 months (a horizon only where all its months are
observed); episode origins, the last month before each policy shock in the data, at 6
months (or the months observed, ``months_scored``), on the total and on the nationalities
the shock concerns, with the first month's change.  The MASE scale is the mean absolute
error of the 12-month seasonal-naive forecast over the :data:`MASE_WINDOW` months up to T.
The model's point forecast is the ensemble median (``model``) or the median corrected by
the run's log errors in the 24 months up to T (``model_corrected``, the forecast's
default); its 80% and 95% intervals are scored for coverage, with the drift rescaled only
from the normalised errors of earlier origins.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.atomic import atomic_path
from borderflow.data.build import OBSERVED_END
from borderflow.data.observed import observed_total
from borderflow.ensemble.runner import make_executor, map_ordered
from borderflow.ensemble.spec import RunSpec
from borderflow.errors import InputError
from borderflow.validate import baselines, metrics
from borderflow.validate.assimilate import DEFAULT_METHOD, FilterSpec, forecast_at
from borderflow.validate.bands import interval_scale, series_arrays
from borderflow.validate.calibrate import SECTOR_STEPS, CalibrationSpec, calibrate
from borderflow.validate.forecast import drift_sigma, quantile_table, run_members
from borderflow.validate.objective import load_targets
from borderflow.validate.origin import (
    FittedSet,
    fitted_count,
    forecast_inputs,
    shipped_fitted,
)
from borderflow.validate.parameters import PARAMETER_MODES, plausible_draws
from borderflow.validate.scores import (
    EPISODE_HORIZON,
    EPISODE_METHODS,
    MASE_WINDOW,
    baseline_prediction,
    episode_record,
)
from borderflow.validate.shocks import EPISODES
from borderflow.validate.trial import run_and_score

__all__ = ["EPISODES", "MODES", "ORIGINS", "REFIT_BUDGET", "FULL", "BacktestSpec", "RunSpec", "backtest",
           "fit_at", "leave_out", "run_origin"]

#: January and June of each year from the first month with 18 months of history (2020-06),
#: then 2024-05, the last origin with six observed months after it (a horizon is scored
#: only where all its months are observed)
ORIGINS = ("2020-06", "2021-01", "2021-06", "2022-01", "2022-06", "2023-01", "2023-06",
           "2024-01", "2024-05")
#: the four reference origins of the validation targets; reported separately
REQUIRED_ORIGINS = ("2021-06", "2022-06", "2023-01", "2023-06")
HORIZONS = (6, 12)
#: fewer calibration months than this before an episode origin: leave the episode out
MIN_FIT_MONTHS = 24
FIT_START = "2019-01"
FIT_END = OBSERVED_END
MODES = ("refit", "shipped")
#: structural trials per origin in the full validation (``--refit-budget``)
REFIT_BUDGET = 100
#: sweeps of the coordinate polish after each refit's trials: none (measured with one
#: sweep on the full validation: no better out of sample, and three times the time;
#: docs/validation.md)
REFIT_POLISH = 0
#: seeds (from NOISE_SEED0) at which each refit's point is rerun to measure the objective's
#: noise that sets its plausible trials
NOISE_SEEDS, NOISE_SEED0 = 3, 1000
#: model rows: raw median (intervals from centred errors) and the median corrected by
#: the run's log errors of the 24 months up to the origin (the forecast's default)
MODEL_VARIANTS = {"model": (True, 36), "model_corrected": (False, 24)}


@dataclass(frozen=True)
class BacktestSpec:
    """What the backtests are: the rolling ``origins`` and the ``episodes`` (origins of
    :data:`EPISODES`), what is fitted at each (``mode``, :data:`MODES`; ``budget``
    structural trials, then ``polish`` sweeps of the calibration's coordinate polish;
    ``sector_steps``, None: the calibration's), where fits are stored
    (``work_dir``), the baselines, the horizons and, with ``particles``, the assimilated
    variant by ``filter_method`` (:data:`borderflow.validate.assimilate.METHODS`), its
    particles drawing the fitted numbers as the members do with ``filter_draws``.
    ``parameters`` (``validate.parameters.PARAMETER_MODES``): members draw the fitted
    numbers from the plausible trials of the fit at each origin ("plausible") or all run
    its best point ("point").  The ensemble (members, scale, seed, executor) is a
    :class:`RunSpec`."""

    origins: tuple[str, ...] = ORIGINS
    episodes: tuple[str, ...] = tuple(EPISODES)
    mode: str = "refit"
    budget: int = REFIT_BUDGET
    sector_steps: int | None = None
    polish: int = REFIT_POLISH
    work_dir: str | Path | None = None
    baseline_names: tuple[str, ...] = baselines.NAMES
    horizons: tuple[int, ...] = HORIZONS
    particles: int = 0
    parameters: str = "plausible"
    filter_method: str = DEFAULT_METHOD
    filter_draws: bool = False


#: the full validation's backtests (every rolling and episode origin, refitted)
FULL = BacktestSpec()


def _months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def leave_out(origin: str) -> tuple[str, ...]:
    """The months an episode fit leaves out (empty when enough history precedes it)."""
    n_before = (pd.Period(origin, "M") - pd.Period(FIT_START, "M")).n + 1
    if origin in EPISODES and n_before < MIN_FIT_MONTHS:
        return tuple(baselines.months_after(origin, EPISODE_HORIZON))
    return ()


def _fit_key(origin: str, settings: dict) -> str:
    blob = json.dumps({"origin": origin, **settings}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def fit_at(origin: str, run: RunSpec, *, mode: str = "refit", budget: int = REFIT_BUDGET,
           work_dir: str | Path | None = None, sector_steps: int | None = None,
           polish: int = 0) -> FittedSet:
    """The fitted numbers used at ``origin`` (module doc, ``mode``) with the runs of
    ``run`` (its scale, seed and executor), loaded from ``work_dir`` when an earlier run
    with the same settings stored them."""
    executor, scale, seed = run.executor, run.scale, run.seed

    if mode == "shipped":
        return shipped_fitted()
    if mode not in MODES:
        raise InputError(f"unknown backtest mode {mode!r}", field="--mode",
                         expected=", ".join(MODES))
    excluded = leave_out(origin) if mode == "refit" else ()
    span = (FIT_START, FIT_END) if excluded else (FIT_START, origin)
    settings = {"mode": mode, "budget": budget, "scale": scale, "seed": seed,
                "sector_steps": sector_steps, **({"polish": polish} if polish else {}),
                "span": list(span), "excluded": list(excluded),
                "noise_seeds": NOISE_SEEDS}
    path = None
    if work_dir is not None:
        Path(work_dir).mkdir(parents=True, exist_ok=True)
        path = Path(work_dir) / f"fit-{origin}-{_fit_key(origin, settings)}.json"
        if path.is_file():
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("settings") == settings:
                return FittedSet.from_json(doc["fitted"])
    fitted = _refit(origin, executor, settings, work_dir)
    if path is not None:
        with atomic_path(path) as tmp:
            Path(tmp).write_text(json.dumps({"settings": settings,
                                             "fitted": fitted.to_json()}, indent=1),
                                 encoding="utf-8")
    return fitted


def _refit(origin: str, executor: Executor, settings: dict, work_dir) -> FittedSet:
    """Calibrate on ``settings["span"]`` without ``settings["excluded"]`` (the settings of
    :func:`fit_at`)."""
    span, excluded = tuple(settings["span"]), tuple(settings["excluded"])
    budget, scale, seed = settings["budget"], settings["scale"], settings["seed"]
    sector_steps = settings["sector_steps"]
    tag = f"{origin}-leaveout" if excluded else origin
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(work_dir or tmp) / f"study-{tag}-b{budget}-s{scale}-seed{seed}.sqlite3"
        trials = Path(tmp) / "fit.json"
        doc = calibrate(RunSpec(scale=scale, seed=seed, executor=executor), CalibrationSpec(
            budget=budget, span=span, exclude=excluded, storage=store,
            study_name=f"backtest-{tag}-scale{scale}-seed{seed}",
            sector_steps=SECTOR_STEPS if sector_steps is None else sector_steps,
            polish=settings.get("polish", 0)),
            fit_out=trials)
        trials = json.loads(trials.read_text(encoding="utf-8"))["trials"]
    after = doc["fit"]["after"]
    # the objective's noise at the refit's own point, on its own months: what makes a
    # trial plausible at this origin (nothing from the shipped calibration's later data)
    targets = load_targets(*span, exclude=excluded)
    noise = map_ordered(executor, run_and_score, [
        (doc["parameters"], targets, span, scale, NOISE_SEED0 + k) for k in range(NOISE_SEEDS)])
    noise_sd = float(np.std([noise[k]["objective"] for k in range(NOISE_SEEDS)], ddof=1))
    return FittedSet(parameters=doc["parameters"], span=span,
                     excluded=excluded, n_fitted=fitted_count(doc)["total"],
                     label="leave-episode-out" if excluded else "refit at origin",
                     extra={"in_sample_fit": {k: round(after[k], 4) for k in
                                              ("total_mape", "sector_ard", "citizenship_ard")},
                            "fitted_count": fitted_count(doc), "noise_sd": round(noise_sd, 5)},
                     draws=plausible_draws(trials, noise_sd, doc["parameters"]))


def run_origin(origin: str, hmax: int, fitted: FittedSet, run: RunSpec, errors: list[dict],
               particles: int | FilterSpec = 0) -> dict:
    """The model's forecasts from ``origin``: per variant, the quantile table of the
    ``hmax`` months after it and the log standard deviation that normalises its errors
    (``sd``); the drift, the interval scales from earlier origins' errors, and the
    model's own simulated value at the origin.  With ``particles`` the assimilated
    variant (:mod:`borderflow.validate.assimilate`) is added: the same scenario, filtered
    on the observations up to the origin (``particles``: their number for the default
    method, or a :class:`~borderflow.validate.assimilate.FilterSpec`)."""

    sc, inputs = forecast_inputs("historical", origin, hmax, fitted=fitted)
    ds = run_members(replace(run, scenario=sc, workers=None, scheduler=None,
                             draws=fitted.draws))
    run_months = [str(x) for x in ds["month"].values]
    months = baselines.months_after(origin, hmax)
    upto = [mo for mo in run_months if mo <= origin]
    drift = drift_sigma(ds, upto)
    first = months[0]
    tables, scales, sds = {}, {}, {}
    for method, (centre, window) in MODEL_VARIANTS.items():
        c, n = interval_scale(errors, first, method)
        scales[method] = {"scale": round(c, 4), "errors": n}
        tables[method] = quantile_table(ds, months, upto, centre=centre, window=window,
                                        drift=drift * c, floor=float(run.scale))
        sds[method] = (drift * np.sqrt(np.arange(1, hmax + 1)) if drift > 0.0 else None)
    assimilation = None
    if particles:

        a = forecast_at(sc, origin, months, ds, replace(run, draws=fitted.draws), particles,
                        errors=errors)
        tables["assimilated"], sds["assimilated"] = a["table"], a["sd"]
        scales["assimilated"] = a["interval_scale"]
        flt = a["filter"]
        assimilation = {"particles": flt.ds.sizes["member"], "noise": flt.noise.to_json(),
                        "observed_months": [flt.observed_months[0], flt.observed_months[-1]]
                        if flt.observed_months else None,
                        **flt.health(), "log_evidence": round(flt.log_evidence, 3)}
    arr, keys = series_arrays(ds, "citizenship")
    k0 = run_months.index(origin)
    own = {"total": float(np.median(arr[:, k0, :].sum(axis=1)))}
    own.update({key: float(np.median(arr[:, k0, j])) for j, key in enumerate(keys)})
    return {"inputs": inputs, "tables": tables, "months": months, "drift": drift, "sd": sds,
            "interval_scale": scales, "simulated_at_origin": own,
            "assimilation": assimilation}


def backtest(run: RunSpec, spec: BacktestSpec = FULL, progress=None) -> dict:
    """Rolling-origin scores and episode records (module doc) of the ensemble ``run``
    (members, scale, seed, executor) at the origins of ``spec``.  Returns ``scores``
    (DataFrame: origin, horizon, method, mape, mase), ``coverage`` (per origin, horizon
    and model variant), ``forecasts`` (long DataFrame), ``episodes`` (records),
    ``interval_errors`` and ``settings``.  Origins run in calendar order; ``progress``
    is called with each origin when it is done."""
    if run.executor is None:
        with make_executor(run.workers) as ex:
            return backtest(replace(run, executor=ex, workers=None), spec, progress)
    origins, episodes, horizons = spec.origins, spec.episodes, spec.horizons
    mode, budget, particles = spec.mode, spec.budget, spec.particles
    if spec.parameters not in PARAMETER_MODES:
        raise InputError(f"unknown parameter mode {spec.parameters!r}", field="--parameters",
                         expected=" or ".join(PARAMETER_MODES))
    runs, scale, seed, executor = run.runs, run.scale, run.seed, run.executor
    obs = observed_total()
    last_obs = obs.index[-1]
    plan = {}
    for o in origins:
        hs = [h for h in horizons if set(baselines.months_after(o, h)) <= set(obs.index)]
        if hs:
            plan[o] = max(hs)
    for o in episodes:
        if o not in EPISODES:
            raise InputError(f"unknown episode origin {o!r}", field="episodes",
                             expected=", ".join(EPISODES))
        plan[o] = max(plan.get(o, 0), EPISODE_HORIZON)
    if not plan:
        raise InputError("no backtest origin has observed months after it", field="origins")
    rows, cov, fc, errors, eps, fits = [], [], [], [], [], {}
    for origin in sorted(plan):
        hmax = plan[origin]
        fitted = fit_at(origin, RunSpec(scale=scale, seed=seed, executor=executor), mode=mode,
                        budget=budget, work_dir=spec.work_dir, sector_steps=spec.sector_steps,
                        polish=spec.polish)
        if spec.parameters == "point":
            fitted = replace(fitted, draws=())
        r = run_origin(origin, hmax, fitted, run, errors,
                       FilterSpec(method=spec.filter_method, particles=particles,
                                  parameter_draws=spec.filter_draws) if particles else 0)
        months = [mo for mo in r["months"] if mo <= last_obs]
        y = obs.reindex(months).to_numpy(float)
        mfs = {m_: t[t["breakdown"] == "total"].set_index("month") for m_, t in
               r["tables"].items()}
        fits[origin] = {"fit": fitted.label, "span": list(fitted.span),
                        "excluded": list(fitted.excluded), "in_sample": fitted.saw_after(origin),
                        "n_fitted": fitted.n_fitted, **fitted.extra,
                        "drift_per_month": round(r["drift"], 4),
                        "interval_scale": r["interval_scale"],
                        "policy_events_after_origin": len(r["inputs"]["policy_path"]),
                        **({"assimilation": r["assimilation"]} if r["assimilation"] else {})}
        for method, mf in mfs.items():
            sd = r["sd"].get(method)
            if sd is None:
                continue
            med = mf.loc[months, "median"].to_numpy(float)
            for k, mo in enumerate(months):
                e = float(np.log((y[k] + 1.0) / (med[k] + 1.0)))
                errors.append({"origin": origin, "month": mo, "horizon": k + 1,
                               "method": method, "z": e / sd[k], "log_error": e,
                               "sd": float(sd[k])})
        hist = obs.loc[:origin]
        scale_mae = metrics.seasonal_naive_scale(hist.iloc[-MASE_WINDOW:])
        preds = {m_: mf.loc[months, "median"].to_numpy(float) for m_, mf in mfs.items()}
        bands = {name: baseline_prediction(name, obs, origin, hmax).iloc[:len(months)]
                 for name in spec.baseline_names}
        for name, b in bands.items():
            preds[name] = b["forecast"].to_numpy(float)
        for method, p in preds.items():
            frame = mfs.get(method, bands.get(method))
            for k, (yy, pp) in enumerate(zip(y, p, strict=True)):
                band = {q: float(frame.loc[months[k], q]) for q in ("p10", "p90", "p025", "p975")}
                fc.append({"origin": origin, "month": months[k], "method": method,
                           "forecast": float(pp), "observed": float(yy), **band})
        if origin in origins:
            for h in [h for h in horizons if h <= len(months)]:
                for method, p in preds.items():
                    rows.append({"origin": origin, "horizon": h, "method": method,
                                 "mape": metrics.mape(p[:h], y[:h]),
                                 "mase": float(np.mean(np.abs(p[:h] - y[:h])) / scale_mae)})
                for method, mf in mfs.items():
                    mm = months[:h]
                    cov.append({"origin": origin, "horizon": h, "method": method,
                                "interval_scale": r["interval_scale"][method]["scale"],
                                "coverage80": metrics.coverage(y[:h], mf.loc[mm, "p10"],
                                                               mf.loc[mm, "p90"]),
                                "coverage95": metrics.coverage(y[:h], mf.loc[mm, "p025"],
                                                               mf.loc[mm, "p975"])})
        if origin in episodes:
            for method, row in EPISODE_METHODS.items():
                if row in preds:
                    eps.append(episode_record(origin, r, obs, preds, scale_mae, fitted,
                                              method))
        if progress is not None:
            progress(origin)
    return {"scores": pd.DataFrame(rows, columns=["origin", "horizon", "method", "mape",
                                                  "mase"]),
            "coverage": pd.DataFrame(cov), "forecasts": pd.DataFrame(fc),
            "episodes": eps, "interval_errors": errors,
            "settings": {"origins": [o for o in sorted(plan) if o in origins],
                         "episode_origins": [o for o in sorted(plan) if o in episodes],
                         "horizons": list(horizons), "episode_horizon": EPISODE_HORIZON,
                         "runs": runs, "scale": scale, "seed": seed, "mode": mode,
                         "refit_at_origin": mode == "refit",
                         "drivers_cut_at_origin": True,
                         "structural_budget": budget if mode == "refit" else 0,
                         **({"polish": spec.polish} if mode == "refit" and spec.polish
                            else {}),
                         "mase_window": MASE_WINDOW, "min_fit_months": MIN_FIT_MONTHS,
                         "particles": particles,
                         **({"filter_method": spec.filter_method} if particles else {}),
                         **({"filter_draws": True} if particles and spec.filter_draws else {}),
                         "fits": fits}}


