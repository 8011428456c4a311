"""Ensemble throughput: members per second and overhead per member.

    python benchmarks/ensemble.py [--runs 8] [--scale 50] [--start 2019-01] [--end 2019-12]

Prints, for one in-process run (after warm-up) and for ensembles on 1 worker
(in-process), 2 local processes and a local Dask cluster of 2 workers: wall
seconds, seconds per member, members per second, and the overhead per member
relative to the warm single run.  Process pools and Dask workers pay Python
imports and numba's on-disk cache load once per process; that start-up is
included in their figures, as a user would see it.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--start", default="2019-01")
    ap.add_argument("--end", default="2019-12")
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()

    import numpy as np

    from borderflow.api import simulate
    from borderflow.ensemble.runner import RunSpec, SequentialExecutor, make_executor, run_ensemble
    from borderflow.scenario import load_scenario

    sc = load_scenario("historical").with_span(a.start, a.end)
    print(f"historical {sc.start}..{sc.end}, scale {a.scale}, {a.runs} members, "
          f"{os.cpu_count()} cores")
    simulate(sc, scale=a.scale, seed=0)                       # warm-up (numba cache, data)
    t = time.perf_counter()
    res = simulate(sc, scale=a.scale, seed=np.random.SeedSequence(0, spawn_key=(0,)))
    single = time.perf_counter() - t
    print(f"{'single run (warm, in process)':40s} {single:7.2f} s  "
          f"({res.meta['agents']:,} agents, {res.meta['agent_steps']:,} agent-steps)")
    rows = []

    def bench(label, **kw):
        t0 = time.perf_counter()
        ds = run_ensemble(RunSpec(sc, runs=a.runs, seed=0, scale=a.scale), **kw)
        wall = time.perf_counter() - t0
        per = wall / a.runs
        rows.append((label, wall, per))
        print(f"{label:40s} {wall:7.2f} s  {per:6.2f} s/member  {a.runs / wall:6.2f} members/s"
              f"  overhead/member {per - single:+6.2f} s")
        return ds

    ref = bench("1 worker (in process)", executor=SequentialExecutor())
    with make_executor(2) as ex:
        ds = bench("2 local processes (spawn, incl. start)", executor=ex)
        assert ds.equals(ref), "2 processes differ from 1 worker"
        bench("2 local processes (warm pool)", executor=ex)
    if not a.no_dask:
        import logging

        logging.getLogger("distributed").setLevel(logging.ERROR)
        t0 = time.perf_counter()
        with make_executor(2, backend="dask") as ex:
            print(f"{'Dask LocalCluster(2) start':40s} {time.perf_counter() - t0:7.2f} s")
            ds = bench("Dask 2 workers (cold workers)", executor=ex)
            assert ds.equals(ref), "Dask differs from 1 worker"
            bench("Dask 2 workers (warm workers)", executor=ex)
    print("all ensembles identical")


if __name__ == "__main__":
    main()
