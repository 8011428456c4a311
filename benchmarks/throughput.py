"""Engine throughput, in one run: the full-scale historical run, the scale-50 run end to
end (resolve, simulate and the output tables, as calibration runs it), and the bare
random-walk reference kernels of ../shared/bench, so speed is a ratio.

Usage: python benchmarks/throughput.py [--scale K] [--small-scale S] [--repeat N] [--reference]

Prints ``<rate> agent-steps/s``, the wall seconds (compilation excluded: a warm-up run
loads or compiles the engine first), the peak resident memory of the process, and the
median of ``--repeat`` end-to-end runs at the small scale.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--small-scale", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--scenario", default="historical")
    ap.add_argument("--reference", action="store_true")
    args = ap.parse_args()

    from borderflow.api import simulate
    from borderflow.engine.simulate import simulate_raw
    from borderflow.scenario import load_scenario
    from borderflow.scenario.calibrated import shipped_parameters

    sc = load_scenario(args.scenario)
    _ = simulate(sc.with_span(sc.start, sc.start), seed=0, scale=100).tables   # compile, load
    times = []
    for k in range(args.repeat):
        t0 = time.perf_counter()
        res = simulate(sc, seed=k, scale=args.small_scale)
        _ = res.tables
        times.append(time.perf_counter() - t0)
    print(f"scale {args.small_scale}, end to end (resolve, simulate, tables): median "
          f"{statistics.median(times):.2f} s over {args.repeat} runs "
          f"(min {min(times):.2f}, max {max(times):.2f}), "
          f"{res.raw.agent_steps:.3e} agent-steps")
    t0 = time.perf_counter()
    raw = simulate_raw(sc, seed=0, scale=args.scale, parameters=shipped_parameters())
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
