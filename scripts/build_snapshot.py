#!/usr/bin/env python
"""Build borderflow's bundled observations snapshot and driver tables from the raw folder.

    python scripts/build_snapshot.py [--raw ../shared/data/raw] [--cutoff 2024-11-30]

Writes, replacing what was there (each file atomically):
  src/borderflow/data/snapshot/<source>.parquet and <source>.json (manifest with sha256)
  src/borderflow/data/snapshot/removal_flight_events.csv (the events, with their text)
  src/borderflow/scenario/drivers/drivers_annual.csv
  src/borderflow/scenario/drivers/remittances_mexico_monthly.csv
The output depends only on the raw files and the installed pandas/pyarrow versions.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from borderflow.atomic import atomic_path, write_text_atomic  # noqa: E402
from borderflow.data import build, drivers, events, storage  # noqa: E402
from borderflow.data.sources import SOURCES  # noqa: E402

SNAPSHOT = REPO / "src" / "borderflow" / "data" / "snapshot"
DRIVERS = REPO / "src" / "borderflow" / "scenario" / "drivers"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--raw", type=Path, default=REPO.parent / "shared" / "data" / "raw",
                        help="raw data folder (default: ../shared/data/raw from the repo root)")
    parser.add_argument("--cutoff", default=build.CUTOFF,
                        help="drop rows whose period ends after this date (default %(default)s)")
    return parser.parse_args(argv)


def build_sources(raw: Path, cutoff: str, out: Path) -> dict:
    frames = {}
    for source in SOURCES.values():
        if not source.raw_files:
            continue
        t0 = time.perf_counter()
        df = build.read_source(source, raw, cutoff)
        with atomic_path(out / f"{source.id}.parquet") as tmp:
            storage.write_parquet(df, tmp)
        files = build.file_entries(raw, source.raw_files)
        meta = build.manifest(source, df, files, cutoff=cutoff,
                              built_by="scripts/build_snapshot.py")
        write_text_atomic(out / f"{source.id}.json", build.dumps(meta))
        frames[source.id] = df
        print(f"{source.id:32s} {len(df):>7,} rows  {meta['coverage']['first']} .. "
              f"{meta['coverage']['last']}  ({time.perf_counter() - t0:.1f}s)")
    return frames


def write_events(raw: Path, cutoff: str, out: Path) -> None:
    """The removal-flight events with their text, for ``borderflow.data.removal_flights()``."""
    text = events.bundle_text(raw / events.RAW_FILE, cutoff)
    write_text_atomic(out / events.BUNDLED_FILE, text)
    print(f"{events.BUNDLED_FILE:32s} {len(events.removal_flights(out / events.BUNDLED_FILE)):>7,}"
          " events")


def write_drivers(frames: dict) -> None:
    import pandas as pd

    df = pd.concat(frames.values(), ignore_index=True)
    annual = drivers.annual_drivers(df)
    monthly = drivers.monthly_remittances(df)
    for name, table in (("drivers_annual.csv", annual),
                        ("remittances_mexico_monthly.csv", monthly)):
        write_text_atomic(DRIVERS / name, table.to_csv(index=False, lineterminator="\n"))
        os.chmod(DRIVERS / name, 0o644)  # temp files are created 0600; package data is public
        print(f"{name:32s} {len(table):>7,} rows")


def main(argv=None) -> int:
    args = parse_args(argv)
    raw = args.raw.resolve()
    if not raw.is_dir():
        print(f"error: raw folder {raw} not found (pass --raw DIR)", file=sys.stderr)
        return 2
    SNAPSHOT.mkdir(parents=True, exist_ok=True)
    frames = build_sources(raw, args.cutoff, SNAPSHOT)
    write_events(raw, args.cutoff, SNAPSHOT)
    for path in SNAPSHOT.iterdir():
        os.chmod(path, 0o644)       # package data is public
    write_drivers(frames)
    size = sum(p.stat().st_size for p in SNAPSHOT.iterdir())
    print(f"snapshot: {SNAPSHOT.relative_to(REPO)} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
