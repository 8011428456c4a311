#!/usr/bin/env python
"""Benchmark: building the route tables of the whole network from a freshly loaded network.

    python benchmarks/routes.py [--repeat 5]

Prints the median and the slowest of ``--repeat`` builds (the goal: under 2 s).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    from borderflow.world.network import load_network_from
    from borderflow.world.routes import build_routes

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    data = resources.files("borderflow.world") / "data"
    times = []
    for _ in range(args.repeat):
        with resources.as_file(data / "nodes.csv") as n, resources.as_file(data / "edges.csv") as e:
            fresh = load_network_from(n, e)          # a new object, so nothing is memoised
        t0 = time.perf_counter()
        build_routes(fresh)
        times.append(time.perf_counter() - t0)
    print(f"route tables, whole network: median {statistics.median(times):.3f} s, "
          f"slowest {max(times):.3f} s over {args.repeat} builds (goal < 2 s)")


if __name__ == "__main__":
    main()
