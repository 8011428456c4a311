"""One calibration trial: run the historical scenario at a point and score it against the
targets (the worker function of calibration, refits and identification), with a guard
against runs whose feedbacks explode."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from borderflow.engine.simulate import RunawayRun, simulate_raw
from borderflow.observe import run_dataset
from borderflow.scenario import Scenario, load_scenario
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.validate.objective import score, simulated
from borderflow.validate.origin import cut_drivers

#: a trial's run stops once its agents pass this many times the observed encounters of
#: the span (at the run's scale): its feedbacks explode, and it scores RUNAWAY_OBJECTIVE,
#: worse than any run scored, so that the search learns to avoid the region
RUNAWAY_FACTOR = 20
RUNAWAY_OBJECTIVE = 1000.0


@lru_cache(maxsize=8)
def historical_cut(end: str) -> Scenario:
    """The historical scenario with its drivers cut at ``end``, parsed once a process (a
    scenario is immutable; parsing its YAML took a quarter of a trial at scale 50)."""
    return cut_drivers(load_scenario("historical"), end)


def run_and_score(params: dict, targets, span: tuple[str, str], scale: int,
                  seed: int | tuple[int, ...]) -> dict:
    """Simulate the historical scenario with ``params`` and score it (worker function).
    With a tuple of seeds, every number of the score is the mean over one run per seed
    (common random numbers: every point is run with the same seeds)."""

    sc = historical_cut(span[1]).with_span(*span).with_parameters(**params)
    cap = int(RUNAWAY_FACTOR * np.nansum(targets.total) / scale) + RUNAWAY_FACTOR
    scores = []
    for s in (seed if isinstance(seed, tuple) else (seed,)):
        try:
            raw = simulate_raw(sc, seed=s, scale=scale, parameters=shipped_parameters(),
                               max_agents=cap)
        except RunawayRun as exc:
            return {"objective": RUNAWAY_OBJECTIVE, "runaway": 1.0, "error": str(exc)}
        sim = simulated(run_dataset(raw), targets.months)
        r = score(sim, targets)
        r["sector_totals"] = sim["sector"].sum(axis=0).tolist()
        r["citizenship_totals"] = sim["citizenship"].sum(axis=0).tolist()
        scores.append(r)
    if len(scores) == 1:
        return scores[0]
    return {k: (np.mean([r[k] for r in scores], axis=0).tolist() if k.endswith("_totals")
                else float(np.mean([r[k] for r in scores])))
            for k, v in scores[0].items() if k.endswith("_totals") or isinstance(v, float | int)}


def safe_run(params, targets, span, scale, seed) -> dict:
    """:func:`run_and_score`, or a failed score (objective NaN and the error) if the run
    raises: a failed trial is recorded, not fatal."""
    try:
        return run_and_score(params, targets, span, scale, seed)
    except Exception as exc:  # noqa: BLE001 - a failed trial is recorded, not fatal
        return {"objective": math.nan, "error": str(exc)[:300]}
