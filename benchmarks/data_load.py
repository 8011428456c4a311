#!/usr/bin/env python
"""Benchmark: loading the bundled observations store and the queries the report uses.

    python benchmarks/data_load.py [--repeat 5]

Prints one line per measurement; the store load (cold, cache cleared) should stay < 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _time(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), max(runs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ["BORDERFLOW_DATA_DIR"] = tempfile.mkdtemp(prefix="bf-bench-")  # no user overlay

    t0 = time.perf_counter()
    import borderflow.data as bd
    from borderflow.data import storage

    print(f"import borderflow.data          {time.perf_counter() - t0:8.3f} s")

    def cold():
        storage.clear_cache()
        return bd.store()

    med, worst = _time(cold, args.repeat)
    rows = len(bd.store())
    print(f"store() cold, {rows:,} rows   {med:8.3f} s median, {worst:.3f} s max"
          f"  [{'OK' if worst < 1 else 'SLOW'}: budget 1 s]")
    med, _ = _time(bd.store, args.repeat)
    print(f"store() warm (copy)             {med:8.3f} s")
    for label, call in [
        ('monthly("usbp_sw_encounters")', lambda: bd.monthly("usbp_sw_encounters")),
        ('monthly(..., by="sector")', lambda: bd.monthly("usbp_sw_encounters", by="sector")),
        ('monthly(..., by="citizenship")',
         lambda: bd.monthly("usbp_sw_encounters", by="citizenship")),
        ('monthly("iom_deaths_us_mexico")', lambda: bd.monthly("iom_deaths_us_mexico")),
    ]:
        med, _ = _time(call, args.repeat)
        print(f"{label:32s}{med:8.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
