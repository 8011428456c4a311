"""One monotone progress fraction over a job of several phases.

A forecast first runs its ensemble members, then (assimilated) the particle filter, and each
phase counts from 0 to its own total. :class:`PhasedProgress` turns those counts into one
fraction of the whole job that never goes back, so a bar does not restart when the filter
starts. The command line (``borderflow forecast``) and the dashboard both use it; this module
sits below both and imports neither.
"""

from __future__ import annotations

from collections.abc import Callable

Report = Callable[[str, float], None]

#: the work of one particle of the filter over the span, in ensemble members (measured at
#: scale 100 and 400: a particle costs 1.3-2 members, the filter stops at every observed
#: month to weigh and resample)
PARTICLE_COST = 1.5


def forecast_phases(runs: int, particles: int | None) -> list[tuple[str, float]]:
    """The phases of a forecast and their weights: ``runs`` members over the whole span,
    then, assimilated, the particle filter, ``particles`` x :data:`PARTICLE_COST` members'
    worth."""
    if not particles:
        return [("forecast", 1.0)]
    return [("forecast", float(runs)), ("filter", PARTICLE_COST * particles)]


class PhasedProgress:
    """A ``progress(done, total)`` callback over several phases in a row, each counting
    from 0 to its own total (ensemble members, then particle-months), reported as one
    monotone fraction of the whole job: phase k fills its share of ``[0, end]``, its
    weight over the sum of weights. A phase ends, and the next begins, when the total
    changes or the count goes back; the fraction never goes back.

    ``phases``: (name, weight) in order. ``report(name, fraction)`` gets the phase name
    and the job's fraction. The same object suits a command-line bar: one task of total
    1, ``completed`` the fraction."""

    def __init__(self, phases: list[tuple[str, float]], report: Report, end: float = 1.0):
        if not phases:
            raise ValueError("at least one phase")
        weights = [max(float(w), 0.0) for _, w in phases]
        whole = sum(weights) or 1.0
        self.names = [n for n, _ in phases]
        self.shares = [end * w / whole for w in weights]
        self.starts = [sum(self.shares[:k]) for k in range(len(phases))]
        self.report = report
        self.phase = 0
        self.total: float | None = None
        self.done = 0.0
        self.fraction = 0.0

    def __call__(self, done: float, total: float) -> None:
        if self.total is not None and (total != self.total or done < self.done):
            self.phase = min(self.phase + 1, len(self.names) - 1)
        self.total, self.done = total, done
        k = self.phase
        within = min(max(done / total, 0.0), 1.0) if total else 1.0
        self.fraction = max(self.fraction, self.starts[k] + self.shares[k] * within)
        self.report(self.names[k], self.fraction)
