"""Build the monthly Darien-transit driver from the hand-transcribed reference figures.

Usage: python scripts/build_darien_driver.py [--raw ../shared/data/raw]

Monthly Panama (SNM / Ministerio de Seguridad) figures are used where reported;
other months of a calendar year share what is left of the reported annual total
equally.  Writes src/borderflow/scenario/drivers/darien_transits.csv with the
method of each month.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/borderflow/scenario/drivers/darien_transits.csv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", default=str(ROOT.parent / "shared/data/raw"))
    args = ap.parse_args()
    src = Path(args.raw) / "reference_figures/reported_figures_from_stored_pages.csv"
    annual: dict[int, tuple[float, str]] = {}
    monthly: dict[str, tuple[float, str]] = {}
    with open(src, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["topic"] != "darien" or r["measure"] not in (
                    "irregular_transits_darien", "irregular_transits_darien_derived"):
                continue
            who = f"{r['original_publisher']} <{r['cited_via_url']}>"
            if m := re.fullmatch(r"CY(\d{4})", r["period"]):
                annual[int(m.group(1))] = (float(r["value"]), who)
            elif re.fullmatch(r"\d{4}-\d{2}", r["period"]):
                monthly[r["period"]] = (float(r["value"]), who)
    rows = []
    for year in range(min(annual), max(int(k[:4]) for k in monthly) + 1):
        months = [f"{year}-{m:02d}" for m in range(1, 13)]
        known = {k: monthly[k] for k in months if k in monthly}
        if year in annual:
            total, who = annual[year]
            rest = max(total - sum(v for v, _ in known.values()), 0.0)
            n_missing = 12 - len(known)
            for k in months:
                if k in known:
                    rows.append((k, known[k][0], "reported month", known[k][1]))
                else:
                    rows.append((k, rest / n_missing, "annual total less reported months, "
                                 "shared equally", who))
        else:
            for k in months:
                if k in known:
                    rows.append((k, known[k][0], "reported month", known[k][1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["month", "transits", "method", "source"])
        for k, v, how, who in rows:
            w.writerow([k, round(v), how, who])
    print(f"wrote {OUT} ({len(rows)} months)")


if __name__ == "__main__":
    main()
