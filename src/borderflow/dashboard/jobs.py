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
from borderflow.progress import PhasedProgress  # noqa: F401  (the dashboard's jobs use it)


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
