"""Throughput of a full-scale historical run, beside the bare random-walk reference kernel.

Usage: python benchmarks/throughput.py [--scale K] [--reference]

Prints ``<rate> agent-steps/s``, the wall seconds (compile excluded: a warm-up
run compiles first) and the peak memory (resident set) of the process.  With
``--reference`` it also runs ../shared/bench/vec_bench.py (numpy and numba
random walks on a 100-node graph) in the same session so speed is a ratio.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--scenario", default="historical")
    ap.add_argument("--reference", action="store_true")
    args = ap.parse_args()

    from borderflow.engine.simulate import simulate_raw
    from borderflow.scenario import load_scenario

    sc = load_scenario(args.scenario)
    simulate_raw(sc.with_span(sc.start, sc.start), seed=0, scale=100)   # compile / load cache
    t0 = time.perf_counter()
    raw = simulate_raw(sc, seed=0, scale=args.scale)
    wall = time.perf_counter() - t0
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"scenario={sc.id} scale={args.scale} agents={raw.agents} "
          f"agent_steps={raw.agent_steps}")
    print(f"{raw.agent_steps / wall:.3e} agent-steps/s  wall={wall:.1f} s  "
          f"peak_memory={peak_gib:.2f} GiB")
    if args.reference:
        bench = ROOT.parent / "shared" / "bench" / "vec_bench.py"
        if not bench.is_file():
            print("reference kernels not found (../shared/bench)")
            return
        for mode in ("numpy", "numba1"):
            out = subprocess.run([sys.executable, str(bench), mode, "200000", "200"],
                                 capture_output=True, text=True, cwd=bench.parent)
            line = [x for x in out.stdout.splitlines() if "rate=" in x]
            print(f"reference random walk ({mode}): {line[-1] if line else out.stderr[-200:]}")


if __name__ == "__main__":
    main()
