"""Fit the parameters marked ``calibrated`` in the registry to the bundled observations.

Few fitted numbers (see :data:`SPACE`): one multiplier on ``base_departures`` per
group of nationalities, the response elasticities, the Mexican interception rate, the
backlog filing share, the hazard scale, the weight of the apprehension chance in the
choice of crossing and the stay in the south after a transfer, searched by optuna's TPE
sampler; then the
nine sector constants (``sector_preference``, one is a reference so eight are free)
are moved by deterministic proportional-fitting steps towards the observed sector
shares over the whole span, from the
few best trials (:func:`refine`).  Between the two, a coordinate polish
(:mod:`borderflow.validate.polish`): from the best trial, each searched number in turn is tried at
fixed points of its range and beside its value, all else held, and the best trial so far
is the next number's start.  No parameter is per month.

Reproducibility: every evaluation uses the same seed (common random numbers); trials
are asked in batches of a fixed size with a sampler seeded by (seed, trials done),
evaluated in parallel on any ``concurrent.futures.Executor`` and told in trial order,
so 1, 2 or N workers, and an interrupted-then-resumed study (SQLite storage; trials
left running are re-evaluated with their stored parameters), give the same trials.
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from borderflow.atomic import atomic_path
from borderflow.ensemble.runner import map_ordered
from borderflow.ensemble.spec import RunSpec
from borderflow.errors import InputError
from borderflow.scenario.registry import NATIONALITIES, SECTORS
from borderflow.validate.confirm import confirm, confirm_seeds, mean_objectives
from borderflow.validate.documents import (
    BATCH,
    CANDIDATES,
    CONFIRM_SEEDS,
    GROUPS,
    METHODS,
    POLISH_SWEEPS,
    SECTOR_STEPS,
    SPACE,
    SPAN,
    STARTS_FILE,
)
from borderflow.validate.objective import load_targets
from borderflow.validate.parameters import full_parameters, sig
from borderflow.validate.polish import polish
from borderflow.validate.starts import default_values, load_starts
from borderflow.validate.trial import safe_run

__all__ = ["BATCH", "CANDIDATES", "DEFAULT", "GROUPS", "METHODS", "SECTOR_STEPS", "SPACE", "SPAN",
           "STARTS_FILE", "CalibrationSpec", "RunSpec", "calibrate", "default_values",
           "full_parameters", "load_starts", "optimise", "refine"]


def n_fitted() -> int:
    return len(SPACE) + len(SECTORS) - 1


def point_seeds(seed: int, per_point: int) -> int | tuple[int, ...]:
    """The simulation seeds of every evaluated point: ``seed`` alone, or ``per_point``
    seeds from it (``seed``, ``seed`` + 1, ...)."""
    return seed if per_point <= 1 else tuple(seed + j for j in range(per_point))


#: CMA-ES population: this many batches of trials a generation (16 trials at the default
#: batch of 8, above CMA-ES's own 4 + 3 ln(23) = 13 for 23 dimensions)
CMA_BATCHES = 2
#: CMA-ES initial step, in the search space mapped to [0, 1] (log scale where declared)
CMA_SIGMA0 = 0.15
def _sampler(spec: CalibrationSpec, seed: int, done: int):
    """The sampler for the next batch, seeded by (optimiser seed, trials done): TPE
    (multivariate) or CMA-ES started at the last start point (the registry defaults when
    there is none); CMA-ES keeps its state in the study, so a resumed study continues the
    same generations."""
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    state = int(np.random.SeedSequence([seed, done]).generate_state(1)[0])
    if spec.method == "cmaes":
        x0 = dict(spec.starts[-1]["values"]) if spec.starts else default_values()
        lo_hi = {n: (lo, hi) for n, lo, hi, _ in SPACE}
        x0 = {n: float(np.clip(x0[n], *lo_hi[n])) for n in lo_hi}
        with warnings.catch_warnings():    # x0 and sigma0: deprecated in optuna 4.9, kept
            warnings.simplefilter("ignore", FutureWarning)
            return optuna.samplers.CmaEsSampler(
                x0=x0, sigma0=CMA_SIGMA0, seed=state, n_startup_trials=0,
                popsize=CMA_BATCHES * spec.batch, warn_independent_sampling=False)
    return optuna.samplers.TPESampler(
        seed=state, multivariate=True, n_startup_trials=max(4, min(24, spec.budget // 4)))


def _distributions():
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    return {n: optuna.distributions.FloatDistribution(lo, hi, log=lg)
            for n, lo, hi, lg in SPACE}


def _attr_key(number: int) -> str:
    return f"trial {number}"


def trial_attrs(study, trial) -> dict:
    """The metrics stored with a finished trial: on the trial itself, or, for a trial
    re-evaluated after an interruption, on the study under ``"trial <number>"``."""
    return dict(trial.user_attrs) or dict(study.user_attrs.get(_attr_key(trial.number), {}))


def _finish(study, trial, result: dict) -> None:
    """Store ``result`` with ``trial`` and tell the study its objective.  ``trial`` is an
    ``optuna.trial.Trial`` (asked now: the metrics go on the trial) or a ``FrozenTrial``
    left running by an interrupted run (the public API sets no attribute on it: the
    metrics go on the study, read back by :func:`trial_attrs`)."""
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    attrs = {k: v for k, v in result.items() if not k.endswith("_totals")}
    if isinstance(trial, optuna.trial.Trial):
        for k, v in attrs.items():
            trial.set_user_attr(k, v)
    else:
        study.set_user_attr(_attr_key(trial.number), attrs)
    obj = result.get("objective", math.nan)
    if not np.isfinite(obj):
        study.tell(trial.number, state=optuna.trial.TrialState.FAIL)
    else:
        study.tell(trial.number, obj)


@dataclass(frozen=True)
class CalibrationSpec:
    """What a calibration is: ``budget`` finished trials of the study ``study_name`` (None:
    named by span, scale and seed) kept in the SQLite file ``storage``, fitted on ``span``
    without the months ``exclude`` (a leave-episode-out fit), asked in batches of
    ``batch``; then ``sector_steps`` proportional-fitting steps from each of the
    ``candidates`` best trials.  ``starts``: start points of the search after the
    defaults (:func:`load_starts`).  ``method``: the search (:data:`METHODS`: optuna's
    TPE or CMA-ES); ``optimiser_seed`` seeds it (None: the run's seed), so that
    calibrations with different optimiser seeds share the simulation seed (common random
    numbers); ``seeds_per_point`` runs each point at that many seeds and scores the mean
    (:func:`point_seeds`), for when one seed's noise hides the differences searched.
    ``polish``: sweeps of the coordinate polish after the ``budget`` trials (0: none;
    its trials are added to the study).  ``confirm_seeds``: seeds at which the point found
    must beat the incumbent, the last start (:mod:`borderflow.validate.confirm`; 0: no
    confirmation).  The runs (scale, seed, executor) are a :class:`RunSpec`."""

    budget: int = 200
    span: tuple[str, str] = SPAN
    exclude: tuple[str, ...] = ()
    storage: str | Path = "calibration.sqlite3"
    study_name: str | None = None
    batch: int = BATCH
    sector_steps: int = SECTOR_STEPS
    candidates: int = CANDIDATES
    starts: tuple[dict, ...] = ()
    method: str = "cmaes"
    optimiser_seed: int | None = None
    seeds_per_point: int = 1
    polish: int = POLISH_SWEEPS
    confirm_seeds: int = CONFIRM_SEEDS


#: the shipped calibration's settings (``borderflow calibrate`` with no options)
DEFAULT = CalibrationSpec()


def optimise(run: RunSpec, spec: CalibrationSpec, targets=None,
             progress: Callable[[int, int], None] | None = None):
    """Run (or resume) the optuna study until it holds ``spec.budget`` finished trials.  A
    new study's first trials are the registry defaults and then ``spec.starts`` (see
    :func:`load_starts`), in that order; the sampler's trials follow."""
    executor, scale, seed = run.executor, run.scale, point_seeds(run.seed, spec.seeds_per_point)
    budget, storage, study_name, span = spec.budget, spec.storage, spec.study_name, spec.span
    batch, starts = spec.batch, spec.starts
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    if budget < 1:
        raise InputError(f"budget must be >= 1, got {budget}", field="--budget")
    if spec.method not in METHODS:
        raise InputError(f"unknown calibration method {spec.method!r}", field="--method",
                         expected=" or ".join(METHODS))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    targets = targets or load_targets(*span)
    opt_seed = run.seed if spec.optimiser_seed is None else spec.optimiser_seed
    name = study_name or (f"borderflow-{span[0]}-{span[1]}-scale{scale}-seed{run.seed}"
                          + ("" if spec.method == "tpe" else f"-{spec.method}")
                          + ("" if opt_seed == run.seed else f"-opt{opt_seed}")
                          + ("" if spec.seeds_per_point <= 1
                             else f"-x{spec.seeds_per_point}seeds"))
    url = f"sqlite:///{Path(storage).resolve()}"
    study = optuna.create_study(study_name=name, storage=url, direction="minimize",
                                load_if_exists=True)
    dists = _distributions()
    States = optuna.trial.TrialState
    # trials asked but never told (an interrupted run): evaluate them now, in order
    stale = sorted(study.get_trials(deepcopy=False, states=(States.RUNNING, States.WAITING)),
                   key=lambda t: t.number)
    stale = [t for t in stale if t.state == States.RUNNING]
    if stale:
        items = [(full_parameters(t.params), targets, span, scale, seed) for t in stale]
        res = map_ordered(executor, safe_run, items)
        for k, t in enumerate(stale):
            _finish(study, t, res[k])
    if not study.trials:
        study.enqueue_trial(default_values())
        for st in starts:
            study.enqueue_trial(dict(st["values"]))
    while True:
        done = len([t for t in study.get_trials(deepcopy=False)
                    if t.state in (States.COMPLETE, States.FAIL)])
        if progress:
            progress(done, budget)
        if done >= budget:
            break
        study.sampler = _sampler(spec, opt_seed, done)
        trials = [study.ask(dists) for _ in range(min(batch, budget - done))]
        items = [(full_parameters(t.params), targets, span, scale, seed) for t in trials]
        res = map_ordered(executor, safe_run, items)
        for k, t in enumerate(trials):
            _finish(study, t, res[k])
    _polish(study, spec, targets, executor, scale, seed, progress)
    return study


def _polish(study, spec: CalibrationSpec, targets, executor, scale, seed, progress) -> None:
    """The coordinate polish of ``spec`` (:func:`borderflow.validate.polish.polish`)."""

    def run(trials):
        items = [(full_parameters(t.params), targets, spec.span, scale, seed) for t in trials]
        res = map_ordered(executor, safe_run, items)
        for k, t in enumerate(trials):
            _finish(study, t, res[k])

    polish(study, spec.polish, _distributions(), run, progress)


def refine(executor: Executor, candidates: list[dict], targets, *, span, scale: int,
           seed: int | tuple[int, ...], steps: int = SECTOR_STEPS, groups: bool = False
           ) -> tuple[dict, dict, dict, int]:
    """Proportional fitting from each candidate point: ``steps`` times, every sector
    constant is shifted by log(observed / simulated share over the span) and, with
    ``groups``, every group multiplier scaled by observed / simulated encounters of
    the group (off by default: it undoes the TPE's trade-off with the monthly MAPE); the
    candidates run in parallel.  Returns (values, sector shift, result, candidate index)
    of the best point seen (lowest objective; ties: first)."""

    obs_sec = targets.sector.sum(axis=0)
    obs_sec = obs_sec / obs_sec.sum()
    obs_cit = targets.citizenship.sum(axis=0)
    gidx = {g: [NATIONALITIES.index(n) for n in nats] for g, nats in GROUPS.items()}
    lo_hi = {n: (lo, hi) for n, lo, hi, _ in SPACE}
    cur = [(dict(v), {s: 0.0 for s in SECTORS}) for v in candidates]
    best = None

    def run_all(points):
        items = [(full_parameters(v, sh), targets, span, scale, seed) for v, sh in points]
        res = map_ordered(executor, safe_run, items)
        return [res[k] for k in range(len(points))]

    for step in range(steps + 1):
        results = run_all(cur)
        for k, ((v, sh), r) in enumerate(zip(cur, results, strict=True)):
            if np.isfinite(r.get("objective", np.nan)) and (
                    best is None or r["objective"] < best[2]["objective"]):
                best = (dict(v), dict(sh), r, k)
        if step == steps:
            break
        nxt = []
        for (v, sh), r in zip(cur, results, strict=True):
            if "sector_totals" not in r:
                nxt.append((v, sh))
                continue
            v = dict(v)
            sim_cit = np.asarray(r["citizenship_totals"], float)
            for g, ix in (gidx.items() if groups else ()):
                ratio = obs_cit[ix].sum() / max(sim_cit[ix].sum(), 1.0)
                lo, hi = lo_hi[f"scale_{g}"]
                v[f"scale_{g}"] = float(np.clip(v[f"scale_{g}"] * ratio, lo / 2, hi * 2))
            sim = np.asarray(r["sector_totals"], float)
            sim = np.maximum(sim / max(sim.sum(), 1.0), 1e-4)
            sh = {s: float(np.clip(sh[s] + math.log(max(obs_sec[k], 1e-4) / sim[k]), -3, 3))
                  for k, s in enumerate(SECTORS)}
            ref = sh[SECTORS[0]]                    # one constant is the reference
            nxt.append((v, {s: x - ref for s, x in sh.items()}))
        cur = nxt
    if best is None:
        raise InputError("every refinement run failed")
    return best


def _clean(r: dict) -> dict:
    return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in r.items()
            if not k.endswith("_totals")}


def calibrate(run: RunSpec, spec: CalibrationSpec = DEFAULT, out: str | Path | None = None,
              fit_out: str | Path | None = None,
              progress: Callable[[int, int], None] | None = None) -> dict:
    """Run the study and the sector step of ``spec`` with the runs of ``run`` (scale, seed,
    executor), and write calibrated.json to ``out`` (+ the fit report to ``fit_out``); the
    Markdown report is :func:`borderflow.report.calibration.write_markdown` of the
    document.  Returns the calibrated document."""
    executor, scale, seed = run.executor, run.scale, run.seed
    budget, span, exclude, starts = spec.budget, spec.span, spec.exclude, spec.starts
    sector_steps, candidates = spec.sector_steps, spec.candidates

    t0 = time.perf_counter()
    targets = load_targets(*span, exclude=exclude)
    study = optimise(run, spec, targets, progress)
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    done = [t for t in study.get_trials(deepcopy=False)
            if t.state == optuna.trial.TrialState.COMPLETE]
    if not done:
        raise InputError("no trial finished; see the errors stored with the trials")
    ranked = sorted(done, key=lambda t: (t.value, t.number))
    before = next((t for t in done if t.number == 0), None)
    cands = ranked[:max(1, candidates)]
    if sector_steps:
        values, shift, after, k = refine(executor, [dict(t.params) for t in cands], targets,
                                         span=span, scale=scale,
                                         seed=point_seeds(seed, spec.seeds_per_point),
                                         steps=sector_steps)
    else:
        values, shift, after, k = dict(cands[0].params), {}, trial_attrs(study, cands[0]), 0
    best = cands[k]
    def refine_point(p: dict) -> tuple[dict, dict, dict]:
        v, sh, r, _ = refine(executor, [p], targets, span=span, scale=scale, steps=sector_steps,
                             seed=point_seeds(seed, spec.seeds_per_point))
        return v, (sh if sector_steps else {}), r

    (values, shift, after, best), confirmed = confirm(
        study, (values, shift, after, best), refine_point,
        lambda pts, sd: mean_objectives(executor, pts, targets, span=span, scale=scale, seeds=sd),
        n_starts=len(starts), seeds=confirm_seeds(seed, spec.confirm_seeds))
    values = {n: float(v) for n, v in values.items()}
    params = full_parameters(values, shift)
    numbers = {**{k: sig(v) for k, v in values.items()},
               **{f"sector_preference[{s}]": params["sector_preference"][s]
                  for s in (SECTORS[1:] if shift else ())}}
    doc = {
        "parameters": params,
        "numbers": numbers,
        "fitted_count": len(numbers),
        "objective": round(float(after["objective"]), 6),
        "seed": seed, "budget": budget, "scale": scale,
        "fit": {
            "span": list(span), "excluded": list(exclude), "study": study.study_name,
            "method": spec.method,
            "optimiser_seed": seed if spec.optimiser_seed is None else spec.optimiser_seed,
            "seeds_per_point": spec.seeds_per_point,
            "trials": len(study.trials),
            "polish": spec.polish,
            "polish_trials": max(0, len(study.trials) - budget) if spec.polish else 0,
            "best_trial": best.number,
            "confirm": confirmed,
            "refined_from_trials": [t.number for t in cands],
            "starts": [{"trial": 1 + i, "id": st["id"], "source": st["source"]}
                       for i, st in enumerate(starts)],
            "refine_steps": sector_steps,
            "groups": {g: list(n) for g, n in GROUPS.items()},
            "weights": __import__("borderflow.validate.objective",
                                  fromlist=["WEIGHTS"]).WEIGHTS,
            "before": _clean(trial_attrs(study, before)) if before else None,
            "after": _clean(after),
            "wall_seconds": round(time.perf_counter() - t0, 1),
        },
    }
    if out is not None:
        write_json(doc, out)
    if fit_out is not None:
        write_json(fit_report(study, doc), fit_out)
    return doc


def fit_report(study, doc: dict) -> dict:
    rows = [{"number": t.number, "state": t.state.name, "value": t.value,
             "params": t.params} for t in study.trials]
    return {"fit": doc["fit"], "parameters": doc["parameters"], "trials": rows}


def write_json(obj: dict, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
