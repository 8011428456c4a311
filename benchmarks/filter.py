#!/usr/bin/env python
"""Benchmark: the filter over 2019-01..2024-11 (71 observed months).

    python benchmarks/filter.py [--method enkf] [--particles 64] [--scale 50] [--workers 2]

Prints the filter's wall time (numba's first compile in each worker included, then a
second run with the workers warm), the particle-months per second and the mean effective
sample size.  Target: at most 120 s on 2 cores at scale 50 with 64 members.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--particles", type=int, default=64)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--method", default="enkf", help="enkf, tempered or bootstrap")
    parser.add_argument("--once", action="store_true", help="one run only (the first, compiles included)")
    args = parser.parse_args(argv)

    import numpy as np

    from borderflow.ensemble.runner import RunSpec, make_executor
    from borderflow.scenario import load_scenario
    from borderflow.validate import assimilate as a
    from borderflow.validate.forecast import run_members

    sc = load_scenario("historical").with_span("2019-01", "2024-11")
    with make_executor(args.workers) as ex:
        t0 = time.perf_counter()
        mech = run_members(RunSpec(sc, runs=8, seed=0, scale=args.scale, executor=ex))
        t_noise = time.perf_counter() - t0
        noise = a.estimate_noise(mech, "2024-11")
        labels = ("first run (compiles in each worker)", "second run (warm workers)")
        for label in labels[:1] if args.once else labels:
            t0 = time.perf_counter()
            flt = a.run_filter(
                RunSpec(sc, seed=0, scale=args.scale, executor=ex),
                noise,
                origin="2024-11",
                spec=a.FilterSpec(method=args.method, particles=args.particles),
            )
            wall = time.perf_counter() - t0
            pm = args.particles * (len(flt.observed_months) + 4)
            print(f"{args.method} {label}: {wall:.1f} s for {args.particles} particles x "
                  f"{len(flt.observed_months)} observed months at scale {args.scale} on "
                  f"{args.workers} workers; {pm / wall:.0f} particle-months/s; mean ESS "
                  f"{np.mean(flt.ess):.1f}")
    print(f"noise numbers from 8 mechanisms-alone members: {t_noise:.1f} s; sigma "
          + ", ".join(f"{v:.3f}" for v in noise.sigma) + "; tau "
          + ", ".join(f"{v:.3f}" for v in noise.tau))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
