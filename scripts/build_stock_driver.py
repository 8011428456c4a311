"""Build the Venezuelan population abroad in Latin America and the Caribbean, the
population at risk of onward migration from which a run scales Venezuelan departures
(``engine.departures.population_index``).

Usage: python scripts/build_stock_driver.py

Reads the bundled observation store (series ``venezuelan_refugees_migrants_stock``: Venezuelan refugees
and migrants reported by host governments, compiled by R4V, transcribed from dated
releases), keeps the 17 R4V countries of Latin America and the Caribbean, and writes one
row per dated figure to src/borderflow/scenario/drivers/venezuelan_stock_abroad.csv.  A
run reads only the figures dated up to its drivers' cut (a backtest's origin).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pandas as pd

from borderflow.data.storage import snapshot

ROOT = Path(__file__).resolve().parents[1]
SERIES = "venezuelan_refugees_migrants_stock"
OUT = ROOT / "src/borderflow/scenario/drivers/venezuelan_stock_abroad.csv"
GEOGRAPHY = "Latin America and the Caribbean (17 R4V countries)"


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    rows = snapshot().series_frame(SERIES)
    rows = rows[rows["geography"] == GEOGRAPHY]
    out = sorted((pd.Timestamp(d).strftime("%Y-%m-%d"), round(float(v)))
                 for d, v in zip(rows["period_start"], rows["value"], strict=True))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "persons"])
        w.writerows(out)
    print(f"wrote {len(out)} rows to {OUT}")


if __name__ == "__main__":
    main()
