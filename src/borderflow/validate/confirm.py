"""The calibration's last step: the search's point replaces the incumbent only if it beats
it at other seeds.

The search and the polish compare points at one simulation seed (common random numbers).
That seed's noise (docs/identification.md gives its s.d. at the shipped point) is as
large as the differences they select on, so the best point found is partly the seed's
(docs/calibration.md measures a case).  The incumbent is the last start point of the
search (the previous shipped calibration, ``calibration_starts.json``).  Both, after
the sector steps, run at ``confirm_seeds`` other seeds, the same for both, and the lower
mean objective is kept (ties: the search's).  A study with no start point (the refits at the backtest origins)
has no incumbent and keeps the search's point.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor

from borderflow.ensemble.runner import map_ordered
from borderflow.validate.parameters import full_parameters
from borderflow.validate.trial import safe_run

#: the confirmation's seeds are seed + CONFIRM_OFFSET + k: apart from the search's seed
#: and from the seeds 1000-1009 the documents report fresh-seed objectives on
CONFIRM_OFFSET = 2000


def confirm_seeds(seed: int, n: int) -> tuple[int, ...]:
    """The ``n`` seeds of the confirmation of a calibration with seed ``seed``."""
    return tuple(seed + CONFIRM_OFFSET + k for k in range(n))


def incumbent_trial(study, n_starts: int):
    """The finished trial of the last start point (trial 0 is the registry defaults,
    trials 1..``n_starts`` the starts), or None (no start, or it failed)."""
    # lazy: optuna is a heavy import, needed only to calibrate
    import optuna

    if n_starts < 1 or len(study.trials) <= n_starts:
        return None
    t = study.trials[n_starts]
    return t if t.state == optuna.trial.TrialState.COMPLETE else None


def mean_objectives(executor: Executor, points: list[tuple[dict, dict]], targets, *,
                    span: tuple[str, str], scale: int, seeds: tuple[int, ...]) -> list[float]:
    """Mean objective of each point (searched values, sector shift) over ``seeds`` (one
    run per seed, the points in parallel); infinite for a point whose runs fail."""
    items = [(full_parameters(v, sh), targets, span, scale, tuple(seeds)) for v, sh in points]
    res = map_ordered(executor, safe_run, items)
    out = []
    for k in range(len(points)):
        obj = float(res[k].get("objective", math.nan))
        out.append(obj if math.isfinite(obj) else math.inf)
    return out


def confirm(study, found: tuple, refine_point: Callable, score_points: Callable, *,
            n_starts: int, seeds: tuple[int, ...]) -> tuple[tuple, dict | None]:
    """``found`` (values, sector shift, score, trial: the search's point after the sector
    steps) or the incumbent's, whichever scores the lower mean objective at ``seeds``;
    ``refine_point(params)`` gives the incumbent's (values, sector shift, score) after
    the sector steps, ``score_points(points, seeds)`` the mean objectives of (values,
    sector shift) points (:func:`mean_objectives`).  Returns the kept point and the
    record of the comparison (None: nothing compared, no seeds or no incumbent, or the
    search kept the incumbent)."""
    inc = incumbent_trial(study, n_starts)
    if not seeds or inc is None or inc.number == found[3].number:
        return found, None
    values, shift, after = refine_point(dict(inc.params))
    means = score_points([(found[0], found[1]), (values, shift)], seeds)
    keep_incumbent = means[1] < means[0]
    record = {"seeds": [seeds[0], seeds[-1]], "search_trial": found[3].number,
              "search_mean": round(means[0], 6), "incumbent_trial": inc.number,
              "incumbent_mean": round(means[1], 6),
              "kept": "incumbent" if keep_incumbent else "search"}
    return ((values, shift, after, inc) if keep_incumbent else found), record
