"""Build the monthly USBP Southwest encounters by modelled citizenship, the driver from
which a run's network start is set (``engine.departures.network_start``).

Usage: python scripts/build_encounters_driver.py

Reads the bundled observation store (``borderflow.data.monthly``, series
``usbp_sw_encounters`` by citizenship; CBP/OHSS); citizenships the model does not name
are summed into "Other" as the total less the named ones.  Writes
src/borderflow/scenario/drivers/usbp_encounters_citizenship.csv.  A run reads only the
months before its first day, so the table never shows a run what happened after it began.
"""

from __future__ import annotations

import csv
from pathlib import Path

from borderflow.data import monthly
from borderflow.scenario.registry import NATIONALITIES

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/borderflow/scenario/drivers/usbp_encounters_citizenship.csv"
FIRST = "2012-10"  # FY2013, the first year of OHSS's citizenship breakdown


def main() -> None:
    tot = monthly("usbp_sw_encounters").set_index("month")["value"]
    cit = monthly("usbp_sw_encounters", by="citizenship")
    wide = cit.pivot_table(index="month", columns="citizenship", values="value",
                           aggfunc="sum").reindex(tot.index).fillna(0.0)
    named = [n for n in NATIONALITIES if n != "Other"]
    rows = []
    for month in tot.index:
        vals = {n: float(wide.at[month, n]) if n in wide.columns else 0.0 for n in named}
        vals["Other"] = max(float(tot[month]) - sum(vals.values()), 0.0)
        if month >= FIRST:
            rows.extend((month, n, round(vals[n])) for n in NATIONALITIES)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["month", "citizenship", "encounters"])
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
