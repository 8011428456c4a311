"""Build the monthly CBP Southwest border encounters by modelled citizenship and family
status, the table from which a run derives its family and unaccompanied-child shares of
departures (``engine.departures.family_status_shares``).

Usage: python scripts/build_family_driver.py

Reads the bundled observation store (series ``cbp_nationwide_encounters_state``:
CBP encounters by state, citizenship and family status, FY2020-FY2023; CBP/OHSS), keeps
the Southwest land border's states, sums Title 8 and Title 42, and sums the citizenships
the model does not name into "Other"; adds, as citizenship "All", the USBP Southwest
encounters of all citizenships by family status (series ``usbp_sw_encounters``, from
FY2013), the pooled shares a citizenship with too few encounters takes.  Writes
src/borderflow/scenario/drivers/cbp_encounters_family_status.csv.  A run reads only the
months up to its drivers' cut (a backtest's origin), so the shares never come from months
after an origin.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from borderflow.data import monthly
from borderflow.data.storage import snapshot
from borderflow.scenario.registry import NATIONALITIES

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/borderflow/scenario/drivers/cbp_encounters_family_status.csv"
SERIES = "cbp_nationwide_encounters_state"
BORDER = "Southwest Land Border/"
FIRST = "2012-10"  # FY2013, as the citizenship table (build_encounters_driver.py)


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    rows = snapshot().series_frame(SERIES)
    rows = rows[rows["geography"].str.startswith(BORDER).to_numpy()
                & (rows["frequency"] == "M").to_numpy()].copy()
    rows["month"] = rows["period_start"].dt.strftime("%Y-%m")
    rows["nat"] = rows["citizenship"].where(rows["citizenship"].isin(NATIONALITIES), "Other")
    table = rows.groupby(["month", "nat", "demographic"])["value"].sum()
    pooled = monthly("usbp_sw_encounters", by="demographic")
    pooled = pooled[pooled["month"] >= FIRST].groupby(["month", "demographic"])["value"].sum()
    out = [(m, n, d, v) for (m, n, d), v in table.items()]
    out += [(m, "All", d, v) for (m, d), v in pooled.items()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["month", "citizenship", "demographic", "encounters"])
        w.writerows((m, n, d, round(float(v))) for m, n, d, v in sorted(out))
    print(f"wrote {len(out)} rows to {OUT}")


if __name__ == "__main__":
    main()
