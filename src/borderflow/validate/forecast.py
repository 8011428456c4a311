"""Ensemble forecasts of USBP Southwest encounters with 80% and 95% intervals.

A forecast from month F has its origin at F - 1: its inputs come from
:func:`borderflow.validate.origin.forecast_inputs` (drivers cut at the origin and
projected by the scenario's rule; the fitted numbers of the shipped calibration unless a
fitted set is given, flagged in-sample when they saw months after the origin; dated events
after the origin as the scenario states them).  The run starts at the scenario's start
(2019-01 for historical, or ``warmup`` months before F): the model carries slow state
(backlog, networks, waiting stocks).  Member i uses ``SeedSequence(seed, spawn_key=(i,))``
(borderflow.ensemble).  Observations never enter the run; the empirical error model reads
them up to the origin only.  The figure and files are :mod:`borderflow.report.forecast`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np
import pandas as pd

from borderflow.data.observed import observed_total
from borderflow.ensemble.runner import make_executor, run_ensemble
from borderflow.ensemble.spec import RunSpec
from borderflow.errors import InputError
from borderflow.scenario.calibrated import calibration_sha256
from borderflow.validate.assimilate import DEFAULT_METHOD, DEFAULT_PARTICLES, FilterSpec, forecast_at
from borderflow.validate.bands import (
    COLUMNS,
    DRIFT_Z,
    INTERVAL_MIN_ERRORS,
    QUANTILES,
    VARS,
    Z80,
    interval_scale,
    observed_breakdown,
    quantile_frame,
    series_arrays,
    stack_quantiles,
)
from borderflow.validate.checks import forecast_checks
from borderflow.validate.origin import FittedSet, forecast_inputs, shipped_fitted
from borderflow.validate.parameters import PARAMETER_MODES

__all__ = ["COLUMNS", "INTERVAL_MIN_ERRORS", "QUANTILES", "VARS", "Z80", "ForecastSpec", "RunSpec",
           "assimilated_forecast",
           "drift_sigma", "first_unobserved_month", "forecast", "forecast_checks",
           "forecast_dataset", "interval_scale", "observed_breakdown", "parse_month",
           "quantile_table", "shipped_backtests", "shipped_interval_errors"]

DEFAULT_SCALE = 50
RESID_WINDOW = 36
#: error model -> (centre the log errors, months of errors) or None (members only)
ERROR_MODELS = {"empirical": (False, 24), "centred": (True, 36), "none": None}
DEFAULT_WARMUP = None   # None: from the scenario's own start (the calibration start)
#: ``borderflow forecast`` assimilates the observations up to the origin by default
#: (docs/validation.md: the assimilated variant against the mechanisms alone)
ASSIMILATE_DEFAULT = False


def first_unobserved_month() -> str:
    """The month after the last observed USBP Southwest month (bundled plus imported data):
    the default first month of a forecast."""

    return str(pd.Period(observed_total().index[-1], "M") + 1)


def parse_month(text: str, field: str = "--from") -> pd.Period:
    try:
        return pd.Period(str(text), "M")
    except Exception:  # noqa: BLE001
        raise InputError(f"not a month: {text!r}", field=field, expected="YYYY-MM") from None


def run_members(run: RunSpec, progress=None):
    """The ensemble dataset (member x month x breakdown) of ``run``."""
    return run_ensemble(run, progress=progress)


def residuals(sim: np.ndarray, obs: np.ndarray, window: int | None = None,
              centre: bool = True, floor: float = 1.0) -> list:
    """Per key: log(observed / ensemble median) over the last ``window`` observed months
    (``floor`` added to both to allow zeros: the run's scale, the fewest people a member
    counts apart from none, so that a median of one agent or none is not read as an error
    of that factor), centred on their median (spread only, no bias shift); None for a key
    with under 12 observed months."""
    window = window or RESID_WINDOW
    med = np.median(sim, axis=0)          # month x key
    out = []
    for k in range(obs.shape[1]):
        ok = np.isfinite(obs[:, k])
        r = np.log((obs[ok, k] + floor) / (med[ok, k] + floor))[-window:]
        out.append((r - np.median(r) if centre else r) if len(r) >= 12 else None)
    return out


def drift_sigma(ds, error_months: list[str], lag_months: int = 12) -> float:
    """Per-month standard deviation of the model's misfit treated as a random walk past
    the origin: from the changes over ``lag_months`` (a year, so that seasonal misfit does
    not count as drift) of the run's log error on the total, log(observed / ensemble
    median), in ``error_months`` (observed months up to the origin), robustly (1.4826 x
    median absolute change), divided by the square root of ``lag_months``.  0 with under
    ``lag_months`` + 6 observed months."""
    if not error_months:
        return 0.0
    arr, keys = series_arrays(ds, "total")
    all_months = [str(x) for x in ds["month"].values]
    idx = [all_months.index(mo) for mo in error_months]
    obs = observed_breakdown("total", error_months, keys)[:, 0]
    med = np.median(arr[:, idx, 0], axis=0)
    ok = np.isfinite(obs)
    r = np.log((obs[ok] + 1.0) / (med[ok] + 1.0))
    if len(r) < lag_months + 6:
        return 0.0
    change = r[lag_months:] - r[:-lag_months]
    return float(1.4826 * np.median(np.abs(change)) / np.sqrt(lag_months))


#: the shipped backtest errors (written by ``borderflow validate``) beside calibrated.json
INTERVAL_FILE = "interval_errors.json"
#: the shipped backtest scores and forecasts (written by ``borderflow validate``), for the
#: dashboard
BACKTEST_FILE = "backtests.json"
#: error model -> the backtest row whose errors calibrate its intervals
ERROR_MODEL_METHOD = {"empirical": "model_corrected", "centred": "model"}


def calibration_stamp() -> str | None:
    """sha256 of the shipped calibrated.json (None when absent): the backtest errors are
    valid only for the calibration they were computed with."""

    return calibration_sha256()


def _shipped_stamped(name: str, field: str) -> tuple[dict | None, str]:
    """A file written by ``borderflow validate`` and shipped beside calibrated.json, if it
    was computed with the shipped calibration: (document, source note) or (None, reason)."""

    path = resources.files("borderflow.scenario").joinpath(name)
    if not path.is_file():
        return None, f"no {name}"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc[field]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"invalid file written by borderflow validate: {exc}",
                         file=str(path), field=field) from None
    if doc.get("calibration") != calibration_stamp():
        return None, (f"{name} was computed with another calibrated.json "
                      "(rerun borderflow validate)")
    return doc, f"{name} ({doc.get('written_by', 'borderflow validate')})"


def shipped_interval_errors() -> tuple[list[dict] | None, str]:
    """The shipped backtest errors and a note on where they come from (None with the
    reason when absent or computed with another calibration)."""
    doc, source = _shipped_stamped(INTERVAL_FILE, "errors")
    if doc is None:
        return None, f"{source}: drift not rescaled"
    return doc["errors"], source


def shipped_backtests() -> tuple[dict | None, str]:
    """The shipped backtest summary and forecasts (``backtests.json``; None with the reason
    when absent or computed with another calibration)."""
    return _shipped_stamped(BACKTEST_FILE, "forecasts")


def quantile_table(ds, months: list[str], error_months: list[str] | None = None,
                   centre: bool = True, window: int | None = None,
                   drift: float = 0.0, floor: float = 1.0) -> pd.DataFrame:
    """Quantiles for ``months`` (the forecast.parquet layout).  Without
    ``error_months``: over members only.  With them (months before the forecast with
    observations): over members x the run's empirical log errors in those months (its
    own misfit before the origin; a key with under 12 observed months borrows the
    total's errors).  ``drift`` (per month, see :func:`drift_sigma`) widens month k
    after the last error month by ``exp(z x drift x sqrt(k))`` over :data:`DRIFT_Z`:
    the model's misfit at the origin is not held, it moves on.  ``floor``: see
    :func:`residuals` (the run's scale)."""
    all_months = [str(x) for x in ds["month"].values]
    idx = [all_months.index(mo) for mo in months]
    eidx = [all_months.index(mo) for mo in (error_months or [])]
    frames, total_res = [], None
    last = (pd.Period(error_months[-1], "M") if error_months
            else pd.Period(months[0], "M") - 1)
    horizon = np.array([max((pd.Period(mo, "M") - last).n, 1) for mo in months], float)
    for breakdown in VARS:
        arr, keys = series_arrays(ds, breakdown)
        res = [None] * len(keys)
        if eidx:
            res = residuals(arr[:, eidx, :], observed_breakdown(breakdown, error_months,
                                                                keys), window, centre,
                                floor)
            if breakdown == "total":
                total_res = res[0]
        for k, key in enumerate(keys):
            x = arr[:, idx, k]                              # member x month
            r = res[k] if res[k] is not None else total_res
            if eidx and r is not None and len(r):
                x = (x[:, None, :] * np.exp(r)[None, :, None]).reshape(-1, len(months))
            if drift > 0.0:
                x = (x[:, None, :] * np.exp(np.outer(DRIFT_Z, drift * np.sqrt(horizon)))
                     [None, :, :]).reshape(-1, len(months))
            frames.append(quantile_frame(x, months, breakdown, key))
    return stack_quantiles(frames)


def with_raw_median(table: pd.DataFrame, raw: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the raw model's median beside its own (``raw_median``: the median
    over the members alone, before any correction by the run's past errors), row for
    row."""
    cols = ["month", "breakdown", "key"]
    out = table.merge(raw[cols + ["median"]].rename(columns={"median": "raw_median"}),
                      on=cols, how="left", validate="one_to_one")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class ForecastSpec:
    """What a forecast is: ``months`` months from ``start`` (YYYY-MM; the origin is the
    month before), the run starting ``warmup`` months before ``start`` (None: at the
    scenario's start), the ``error_model`` (:data:`ERROR_MODELS`), the drivers'
    ``projection`` past the origin (None: the scenario's rule), the ``fitted`` set (None:
    the shipped calibration) and, with ``assimilate`` (None: :data:`ASSIMILATE_DEFAULT`),
    the filter ``filter_method`` (None: the default of
    :data:`borderflow.validate.assimilate.METHODS`) with ``particles`` particles (drawing
    the fitted numbers as the members do with ``filter_draws``).
    ``parameters`` (:data:`~borderflow.validate.parameters.PARAMETER_MODES`): members draw
    the fitted numbers from the fitted set's plausible trials ("plausible", default) or
    all run its best point ("point")."""

    start: str
    months: int
    warmup: int | None = DEFAULT_WARMUP
    error_model: str = "empirical"
    projection: str | None = None
    fitted: FittedSet | None = None
    assimilate: bool | None = None
    particles: int | None = None
    parameters: str = "plausible"
    filter_method: str | None = None
    filter_draws: bool = False


def forecast(run: RunSpec, spec: ForecastSpec, progress=None) -> tuple[pd.DataFrame, dict]:
    """Forecast table of ``spec`` from the ensemble ``run`` and the run's metadata.  The
    origin is the month before ``spec.start``: its inputs come from
    :func:`borderflow.validate.origin.forecast_inputs` (drivers cut there and projected by
    ``spec.projection``; the fitted numbers ``spec.fitted``, default the shipped
    calibration, flagged ``in_sample`` if it saw months after the origin).
    ``spec.error_model`` (see :data:`ERROR_MODELS`): "empirical" (default: members x the
    run's log errors in the last 24 observed months up to the origin, not centred, so
    the median is also corrected for the run's recent level error), "centred" (last
    36 months, centred: widens the band only; the median stays the model's) or "none"
    (members only).  ``spec.assimilate``: the particle filter of
    :mod:`borderflow.validate.assimilate` on the observations up to the origin, its band
    from the particles and their noise (``error_model`` is then not used; the ``run``
    members of the mechanisms alone give the filter's noise numbers)."""
    start, months, warmup = spec.start, spec.months, spec.warmup
    error_model = spec.error_model
    assimilate = ASSIMILATE_DEFAULT if spec.assimilate is None else spec.assimilate
    if assimilate:
        return assimilated_forecast(run, spec, progress)
    if error_model not in ERROR_MODELS:
        raise InputError(f"unknown error model {error_model!r}", field="--errors",
                         expected=", ".join(ERROR_MODELS))
    if months < 1:
        raise InputError(f"months must be >= 1, got {months}", field="--months")
    if warmup is not None and warmup < 0:
        raise InputError(f"warm-up must be >= 0, got {warmup}", field="--warmup")
    first = parse_month(start)
    ds, meta = forecast_dataset(run, spec, progress)
    fmonths = [str(first + k) for k in range(months)]
    before = [mo for mo in map(str, ds["month"].values) if mo < str(first)]
    centre, window = ERROR_MODELS[error_model] or (True, None)
    drift = drift_sigma(ds, before)
    scale_, n_err, source = 1.0, 0, "error model none: no drift"
    if ERROR_MODELS[error_model]:
        rows, source = shipped_interval_errors()
        scale_, n_err = interval_scale(rows, str(first), ERROR_MODEL_METHOD[error_model])
    table = quantile_table(ds, fmonths, before if ERROR_MODELS[error_model] else None,
                           centre=centre, window=window,
                           drift=drift * scale_ if ERROR_MODELS[error_model] else 0.0,
                           floor=float(run.scale))
    table = with_raw_median(table, quantile_table(ds, fmonths))
    meta.update({"error_model": error_model, "drift_per_month": round(drift, 4),
                 "interval_scale": round(scale_, 4), "interval_errors_n": n_err,
                 "interval_errors_source": source,
                 "error_months": [before[0], before[-1]] if before else None,
                 "events_in_window": meta["inputs"]["policy_path"],
                 "checks": forecast_checks(table, str(first))})
    return table, meta


def assimilated_forecast(run: RunSpec, spec: ForecastSpec, progress=None
                         ) -> tuple[pd.DataFrame, dict]:
    """:func:`forecast` with data assimilation (module :mod:`borderflow.validate.assimilate`):
    the ``run`` members of the mechanisms alone estimate the noise numbers at the origin,
    then the filter over the observed months up to it and the forecast from the filtered
    particles.  ``progress(done, total)`` counts members, then particle-months."""
    if spec.months < 1:
        raise InputError(f"months must be >= 1, got {spec.months}", field="--months")
    particles = DEFAULT_PARTICLES if spec.particles is None else spec.particles
    first = parse_month(spec.start)
    if run.executor is None:
        with make_executor(run.workers, scheduler=run.scheduler) as ex:
            return assimilated_forecast(replace(run, executor=ex, workers=None,
                                                scheduler=None), spec, progress)
    t0 = time.perf_counter()
    ds, meta = forecast_dataset(run, spec, progress)

    sc, _ = forecast_inputs(run.scenario, str(first - 1), spec.months, fitted=spec.fitted,
                            projection=spec.projection, warmup=spec.warmup)
    fmonths = [str(first + k) for k in range(spec.months)]
    rows, source = shipped_interval_errors()
    method = spec.filter_method or DEFAULT_METHOD
    a = forecast_at(sc, str(first - 1), fmonths, ds, replace(run, draws=member_draws(spec)),
                    FilterSpec(method=method, particles=particles,
                               parameter_draws=spec.filter_draws), errors=rows,
                    progress=progress)
    flt = a["filter"]
    meta.update({"error_model": "assimilated", "particles": particles,
                 "filter_parameter_draws": int(flt.ds.attrs.get("parameter_draws", 0)),
                 **flt.health(),
                 "noise_runs": run.runs, "noise": flt.noise.to_json(),
                 "observed_months": ([flt.observed_months[0], flt.observed_months[-1]]
                                     if flt.observed_months else None),
                 "log_evidence": round(flt.log_evidence, 3),
                 "discrepancy_sd": a["interval_scale"]["discrepancy_sd"],
                 "interval_errors_n": a["interval_scale"]["errors"],
                 "interval_errors_source": source,
                 "latent": flt.latent.round(5).to_dict("records"),
                 "events_in_window": meta["inputs"]["policy_path"],
                 "checks": forecast_checks(a["table"], str(first)),
                 "wall_seconds": round(time.perf_counter() - t0, 1)})
    return a["table"], meta


def member_draws(spec: ForecastSpec) -> tuple[dict, ...]:
    """The parameter sets the members draw from: the fitted set's plausible trials with
    ``--parameters plausible``, none (every member at the fitted point) with ``point``."""
    return (spec.fitted or shipped_fitted()).draws if spec.parameters == "plausible" else ()


def forecast_dataset(run: RunSpec, spec: ForecastSpec, progress=None):
    """The ensemble dataset over the run span (warm-up + forecast months) and metadata,
    from the hard-origin inputs of the month before ``spec.start``
    (:func:`borderflow.validate.origin.forecast_inputs`)."""
    first = parse_month(spec.start)
    if spec.parameters not in PARAMETER_MODES:
        raise InputError(f"unknown parameter mode {spec.parameters!r}", field="--parameters",
                         expected=" or ".join(PARAMETER_MODES))
    fitted = spec.fitted or shipped_fitted()
    sc, inputs = forecast_inputs(run.scenario, str(first - 1), spec.months,
                                 fitted=fitted, projection=spec.projection,
                                 warmup=spec.warmup)
    draws = member_draws(spec)
    t0 = time.perf_counter()
    ds = run_members(replace(run, scenario=sc, draws=draws), progress)
    meta = {"scenario": sc.id, "from": str(first), "months": spec.months, "runs": run.runs,
            "scale": run.scale, "seed": run.seed, "warmup_months": spec.warmup,
            "span": [sc.start, sc.end], "inputs": inputs,
            "parameters": {"mode": spec.parameters, "draws": len(draws),
                           "rule": "member i runs the plausible trial "
                                   "ensemble.runner.member_draw(seed, i) of the fitted set"
                           if draws else "every member runs the fitted point"},
            "wall_seconds": round(time.perf_counter() - t0, 1)}
    return ds, meta
