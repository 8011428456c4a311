"""Run many members of a scenario on any ``concurrent.futures.Executor``.

Member ``i`` always uses ``SeedSequence(entropy, spawn_key=(i,))`` and results are
keyed by member index, never by completion order, so 1, 2 or 4 workers, local
processes or a Dask cluster give identical datasets.  With ``out_dir`` each
finished member is written at once (atomically) by the coordinating process, so
an interrupted ensemble resumes where it stopped, also on a cluster without a
shared file system.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from borderflow.api import simulate
from borderflow.ensemble import store
from borderflow.ensemble.spec import RunSpec
from borderflow.ensemble.summary import cf_annotate, summary_dataset
from borderflow.errors import InputError
from borderflow.scenario import load_scenario, scenario_hash
from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.model import Scenario
from borderflow.version import __version__


class SequentialExecutor(Executor):
    """Runs each task in this process when it is submitted (one worker, no pickling)."""

    _max_workers = 1

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller via the future
            fut.set_exception(exc)
        return fut


def _dask_workers(executor: Executor) -> int | None:
    client = getattr(executor, "_client", None)
    if client is None:
        return None
    try:
        return max(len(client.scheduler_info().get("workers", {})), 1)
    except Exception:  # noqa: BLE001
        return None


@contextmanager
def make_executor(workers: int | None = None, *, backend: str = "processes",
                  scheduler: str | None = None) -> Iterator[Executor]:
    """An executor for ``workers`` local processes (``backend='processes'``, the
    default), a Dask ``LocalCluster`` of ``workers`` single-threaded processes
    (``backend='dask'``), an existing Dask cluster (``scheduler='tcp://host:8786'``)
    or this process alone (``workers=1`` or ``backend='sequential'``)."""
    if backend not in ("processes", "dask", "sequential"):
        raise InputError(f"unknown backend {backend!r}", field="--backend",
                         expected="processes, dask or sequential")
    if workers is not None and workers < 1:
        raise InputError(f"workers must be >= 1, got {workers}", field="--workers")
    if scheduler:
        # lazy: Dask is needed only with --backend dask or --scheduler
        from distributed import Client

        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                             field="--scheduler", expected="tcp://host:8786") from None
        try:
            yield client.get_executor()
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    if backend == "dask":

        # lazy: Dask is needed only with --backend dask or --scheduler
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            yield client.get_executor()
        return
    if backend == "sequential" or n == 1:
        yield SequentialExecutor()
        return

    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                             initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        yield pool


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def exit_with_parent(parent_pid: int, poll_seconds: float = 0.5) -> None:
    """Pool worker initializer: the worker ends as soon as the process that started the pool
    dies (killed ensembles must not leave workers computing for minutes). On Linux the
    kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere a
    daemon thread also checks the parent pid and exits when it has changed."""

    if sys.platform.startswith("linux"):
        try:

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watcher below still works
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="borderflow-parent-watch").start()


def map_ordered(executor: Executor, fn: Callable, items: Sequence[tuple], *,
                on_result: Callable[[int, Any], None] | None = None,
                max_inflight: int | None = None) -> dict[int, Any]:
    """``fn(*items[k])`` for every k on ``executor``; returns ``{k: result}``.

    At most ``max_inflight`` tasks are outstanding (default: twice the workers,
    all for Dask); ``on_result(k, result)`` is called as each one finishes."""
    if max_inflight is None:
        w = getattr(executor, "_max_workers", None) or _dask_workers(executor)
        max_inflight = 1 if isinstance(executor, SequentialExecutor) else (
            2 * w if w and not hasattr(executor, "_client") else len(items))
    max_inflight = max(1, max_inflight)
    out: dict[int, Any] = {}
    pending: dict[Future, int] = {}
    it = iter(range(len(items)))
    exhausted = False
    while True:
        while not exhausted and len(pending) < max_inflight:
            k = next(it, None)
            if k is None:
                exhausted = True
                break
            pending[executor.submit(fn, *items[k])] = k
        if not pending:
            return out
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: pending[f]):
            k = pending.pop(fut)
            out[k] = fut.result()
            if on_result is not None:
                on_result(k, out[k])


def member_seed(entropy: int, i: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy, spawn_key=(i,))


def member_draw(entropy: int, member: int, n: int) -> int:
    """The index of the parameter set member ``member`` of an ensemble with root seed
    ``entropy`` takes among ``n`` (``RunSpec.draws``): a draw keyed by (entropy, member),
    whatever the number of workers."""
    rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(member, 1)))
    return int(rng.integers(n))


def member_scenario(sc: Scenario, draws: tuple[dict, ...], entropy: int, i: int) -> Scenario:
    """Member ``i``'s scenario: ``sc`` with the parameter set it draws (``sc`` itself
    without draws)."""
    if not draws:
        return sc
    return sc.with_parameters(**draws[member_draw(entropy, i, len(draws))])


def run_member(sc: Scenario, i: int, entropy: int, scale: int, attrs: dict,
               parameters: ParameterSet | None = None) -> tuple[xr.Dataset, float]:
    """Simulate member ``i`` with the fitted set ``parameters`` (None: the shipped one) and
    summarise it (runs in a worker process)."""

    t0 = time.perf_counter()
    res = simulate(sc, seed=member_seed(entropy, i), scale=scale, parameters=parameters)
    ds = summary_dataset(res)
    ds.attrs = {**ds.attrs, **attrs, "member": i}
    return ds, time.perf_counter() - t0


def run_attrs(sc: Scenario, entropy: int, scale: int, draws: tuple[dict, ...] = (),
              parameters: ParameterSet | None = None) -> dict:
    """The ensemble's attributes.  The ``scenario_hash`` is that of the scenario and the
    fitted set (None: the shipped one), and with parameter ``draws`` the draws too (every
    member's inputs are in it)."""
    h = scenario_hash(sc, parameters)
    if draws:
        blob = json.dumps([h, list(draws)], sort_keys=True, default=str)
        h = hashlib.sha256(blob.encode()).hexdigest()
    return {"scenario": sc.id, "scenario_hash": h, "entropy": str(entropy),
            "scale": int(scale), "version": __version__, "start": sc.start, "end": sc.end,
            "seed_rule": "member i uses numpy SeedSequence(entropy, spawn_key=(i,))",
            **({"parameter_draws": len(draws),
                "draw_rule": "member i takes draw ensemble.runner.member_draw(entropy, i)"}
               if draws else {})}


def stack_members(members: Sequence[xr.Dataset], attrs: dict) -> xr.Dataset:
    """Stack member datasets (index order) along a leading ``member`` dimension."""
    ds = xr.concat([m.drop_attrs() if hasattr(m, "drop_attrs") else m for m in members],
                   dim="member", combine_attrs="drop")
    ds = ds.assign_coords(member=np.arange(len(members), dtype=np.int64))

    ds.attrs = {**attrs, "runs": len(members)}
    return cf_annotate(ds)


def run_ensemble(run: RunSpec, out_dir: str | Path | None = None, *,
                 backend: str = "processes",
                 progress: Callable[[int, int], None] | None = None) -> xr.Dataset:
    """Run the ``run.runs`` members of ``run.scenario`` and return them as one
    ``xarray.Dataset`` (``member`` x ``month`` x breakdown, people).

    ``run.executor``: any ``concurrent.futures.Executor``; if None one is made from
    ``run.workers``/``backend``/``run.scheduler`` (see :func:`make_executor`).  With
    ``out_dir`` members already finished there are reused, new ones are written as
    they finish, then ``ensemble.nc`` and, last, ``manifest.json``.
    ``progress(done, runs)`` is called after each finished member; a seed of None draws
    fresh entropy."""
    sc, runs, seed, scale = run.scenario, run.runs, run.seed, run.scale
    executor, workers, scheduler = run.executor, run.workers, run.scheduler

    if isinstance(sc, str):
        sc = load_scenario(sc)
    if not isinstance(runs, int) or runs < 1:
        raise InputError(f"runs must be a whole number >= 1, got {runs!r}", field="--runs")
    if not isinstance(scale, int) or scale < 1:
        raise InputError(f"scale must be a whole number >= 1, got {scale!r}", field="--scale")
    entropy = int(np.random.SeedSequence().entropy if seed is None else seed)
    if entropy < 0:
        raise InputError(f"seed must be >= 0, got {seed}", field="--seed")
    attrs = run_attrs(sc, entropy, scale, run.draws, run.parameters)
    t0 = time.perf_counter()
    members: dict[int, xr.Dataset] = {}
    walls: dict[int, float] = {}
    if out_dir is not None:
        out_dir = Path(out_dir)
        for i in range(runs):
            ds = store.read_member(store.member_path(out_dir, attrs["scenario_hash"], i), attrs)
            if ds is not None:
                members[i] = ds
    todo = [i for i in range(runs) if i not in members]
    resumed = len(members)
    if progress is not None:
        progress(len(members), runs)

    def finished(k: int, result: tuple[xr.Dataset, float]) -> None:
        i = todo[k]
        ds, wall = result
        if out_dir is not None:
            store.write_member(ds, store.member_path(out_dir, attrs["scenario_hash"], i))
        members[i], walls[i] = ds, wall
        if progress is not None:
            progress(len(members), runs)

    if todo:
        items = [(member_scenario(sc, run.draws, entropy, i), i, entropy, scale, attrs,
                  run.parameters) for i in todo]
        if executor is not None:
            map_ordered(executor, run_member, items, on_result=finished)
        else:
            for attempt in range(3):   # a killed local worker breaks the pool: rebuild it
                left = [k for k in range(len(todo)) if todo[k] not in members]
                if not left:
                    break
                try:
                    n = min(workers or os.cpu_count() or 1, len(left))  # no idle processes
                    with make_executor(n, backend=backend, scheduler=scheduler) as ex:
                        map_ordered(ex, run_member, [items[k] for k in left],
                                    on_result=lambda j, r, left=left: finished(left[j], r))
                except BrokenProcessPool:
                    if attempt == 2:
                        raise
    if out_dir is not None:   # always assemble from the files: resumed == uninterrupted
        members = {i: store.read_member(store.member_path(out_dir, attrs["scenario_hash"], i),
                                        attrs) for i in range(runs)}
    ds = stack_members([members[i] for i in range(runs)], attrs)
    if out_dir is not None:
        store.write_dataset(ds, out_dir / "ensemble.nc")
        store.write_manifest(out_dir, {
            **attrs, "runs": runs, "members": [store.member_path(out_dir, attrs["scenario_hash"],
                                                                 i).name for i in range(runs)],
            "resumed_members": resumed, "wall_seconds": round(time.perf_counter() - t0, 3),
            "member_seconds": {str(i): round(w, 3) for i, w in sorted(walls.items())},
            "dataset": "ensemble.nc"})
    return ds
