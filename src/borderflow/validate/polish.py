"""The coordinate polish after the calibration's search (``CalibrationSpec.polish``): from
the best trial so far, each searched number in turn at fixed points of its range and
beside its value, all else held; the trials are added to the optuna study."""

from __future__ import annotations

import math
from collections.abc import Callable

from borderflow.validate.documents import SPACE

#: the polish's points of a number's range mapped to [0, 1] (log scale where declared),
#: and its steps from the number's value there
POLISH_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
POLISH_STEPS = (-0.1, -0.03, 0.03, 0.1)


def _unit(v: float, lo: float, hi: float, log: bool) -> float:
    if log:
        return (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo))
    return (v - lo) / (hi - lo)


def _from_unit(u: float, lo: float, hi: float, log: bool) -> float:
    u = min(max(u, 0.0), 1.0)
    if log:
        v = math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
    else:
        v = lo + u * (hi - lo)
    return float(min(max(v, lo), hi))


def polish_points(best: dict[str, float], name: str) -> list[dict[str, float]]:
    """The points the polish tries for the searched number ``name`` from ``best``: the
    number at :data:`POLISH_GRID` of its range and :data:`POLISH_STEPS` from its value
    (in the range mapped to [0, 1], log scale where declared, clipped to it), every other
    number as in ``best``; ``best``'s own value is not repeated."""
    lo, hi, log = next((lo, hi, lg) for n, lo, hi, lg in SPACE if n == name)
    u0 = _unit(min(max(best[name], lo), hi), lo, hi, log)
    us = sorted({round(min(max(u, 0.0), 1.0), 9)
                 for u in (*POLISH_GRID, *(u0 + d for d in POLISH_STEPS))})
    vals = [_from_unit(u, lo, hi, log) for u in us]
    return [dict(best, **{name: v}) for v in vals
            if not math.isclose(v, best[name], rel_tol=1e-9, abs_tol=1e-12)]


def polish(study, sweeps: int, dists: dict, run: Callable[[list], None],
           progress=None) -> None:
    """``sweeps`` sweeps over the searched numbers, each number's points
    (:func:`polish_points`) enqueued and evaluated by ``run`` (which tells the study) as
    one batch of trials from the best trial finished before it.  The study records the
    next number to polish (``polish_next``, set before the batch is asked), so an
    interrupted polish resumes where it stopped and gives the same trials."""
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    States = optuna.trial.TrialState
    names = [n for n, *_ in SPACE]
    total = sweeps * len(names)

    # enqueued but never asked (an interrupted polish): ask and evaluate them first
    waiting = study.get_trials(deepcopy=False, states=(States.WAITING,))
    if waiting:
        run([study.ask(dists) for _ in waiting])
    nxt = int(study.user_attrs.get("polish_next", 0))
    while nxt < total:
        if progress:
            progress(nxt, total, "numbers polished")
        done = [t for t in study.get_trials(deepcopy=False, states=(States.COMPLETE,))]
        if not done:
            return
        best = min(done, key=lambda t: (t.value, t.number))
        points = polish_points({n: float(best.params[n]) for n in names},
                               names[nxt % len(names)])
        for p in points:
            study.enqueue_trial(p)
        nxt += 1
        study.set_user_attr("polish_next", nxt)
        run([study.ask(dists) for _ in points])
    if progress and total:
        progress(total, total, "numbers polished")
