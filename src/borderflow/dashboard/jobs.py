"""One background run at a time, with progress, and a cache of baseline runs.

A job runs the chosen scenario with the dashboard's lever settings and, unless it is in the
cache, the same scenario unchanged (the baseline) with the same seed, scale and span; the
result is the figures and totals the page shows.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from borderflow.errors import InputError


class Busy(Exception):
    """A run is already in progress (one job at a time per server)."""


class Cancelled(Exception):
    """The user cancelled the job; raised from its progress callback."""


@dataclass
class Job:
    id: str
    request: dict
    status: str = "queued"  # queued, running, done, error, cancelled
    phase: str = "waiting"
    progress: float = 0.0
    result: dict | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    cancel_requested: bool = False

    def public(self) -> dict[str, Any]:
        out = {"id": self.id, "status": self.status, "phase": self.phase,
               "progress": round(self.progress, 4), "error": self.error,
               "seconds": round((self.finished or time.time()) - self.started, 2)}
        if self.result is not None:
            out["result"] = self.result
        return out


Progress = Callable[[str, float], None]


class PhasedProgress:
    """A ``progress(done, total)`` callback over several phases in a row, each counting
    from 0 to its own total (ensemble members, then particle-months), reported as one
    monotone fraction of the whole job: phase k fills its share of ``[0, end]``, its
    weight over the sum of weights. A phase ends, and the next begins, when the total
    changes or the count goes back; the fraction never goes back.

    ``phases``: (name, weight) in order. ``report(name, fraction)`` gets the phase name
    and the job's fraction. The same object suits a command-line bar: one task of total
    1, ``completed`` the fraction."""

    def __init__(self, phases: list[tuple[str, float]], report: Progress, end: float = 1.0):
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


class Jobs:
    """Runs ``compute(request, progress)`` in a background thread, one job at a time."""

    def __init__(self, compute: Callable[[dict, Progress], dict], keep: int = 16):
        self._compute = compute
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._active: Job | None = None

    def submit(self, request: dict) -> Job:
        with self._lock:
            if self._active is not None and self._active.status in ("queued", "running"):
                raise Busy(self._active.id)
            job = Job(id=uuid.uuid4().hex, request=request)
            self._active = job
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        threading.Thread(target=self._run, args=(job,), daemon=True,
                         name=f"borderflow-job-{job.id[:8]}").start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop at its next progress report (a simulated day
        or a finished ensemble member); True if it was still running."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.status not in ("queued", "running"):
                return False
            job.cancel_requested = True
            return True

    def _run(self, job: Job) -> None:
        def progress(phase: str, fraction: float) -> None:
            if job.cancel_requested:
                raise Cancelled(job.id)
            # one scale over the whole job: the bar never moves back
            job.phase, job.progress = phase, min(1.0, max(job.progress, fraction))

        job.status = "running"
        try:
            if job.cancel_requested:
                raise Cancelled(job.id)
            job.result = self._compute(job.request, progress)
            job.status, job.phase, job.progress = "done", "done", 1.0
        except Cancelled:
            job.error, job.status, job.phase = "cancelled by the user", "cancelled", "cancelled"
        except Exception as exc:  # noqa: BLE001 - reported to the page as a message

            job.error = str(exc) if isinstance(exc, InputError) else (
                f"the run failed: {type(exc).__name__}: {exc}")
            job.status = "error"
        finally:
            job.finished = time.time()


class LRU:
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int = 8):
        self._size = size
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            return None

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)
