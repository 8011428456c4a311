"""CBP "U.S. Border Patrol Monthly Encounters FY2000-FY2020" table (UWCHR conversion of the
PDF): pipe-delimited, one row per month, one column per sector plus region and grand totals.

Sector columns -> ``usbp_encounters_by_sector_fy2000_2020`` (geography = OHSS sector name,
``monthly_total`` is the total row); ``coastal_border``, ``northern_border``,
``southwest_border`` -> ``usbp_region_encounters_fy2000_2020`` (geography = OHSS region name).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import names, periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "CBP USBP monthly encounters FY2000-FY2020 (pipe-delimited, one column per sector)"
SOURCE = "cbp_usbp_fy2000_2020"
SECTOR_SERIES = "usbp_encounters_by_sector_fy2000_2020"
REGION_SERIES = "usbp_region_encounters_fy2000_2020"
_META = ("month", "fy", "cy")
_TOTAL = "monthly_total"


def detect(header: list[str]) -> bool:
    return {"month", "fy", _TOTAL} <= set(header)


def _months(t: Table) -> tuple[np.ndarray, np.ndarray]:
    month = _fields.mapped(t, "month", lambda v: int(v) if v.isdigit() and 1 <= int(v) <= 12
                           else None, "a month number 1..12").astype("int64")
    fy = _fields.years(t, "fy")
    cy = np.where(month >= 10, fy - 1, fy)
    if "cy" in t.columns:
        given = _fields.years(t, "cy")
        bad = given != cy
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise t.error(f"calendar year {given[i]} does not match fiscal year {fy[i]}, month "
                          f"{month[i]}", i, "cy", expected=str(cy[i]))
    start = periods.month_starts(cy, month)
    _fields.in_coverage(t, "fy", start, SOURCE)
    return start, periods.month_ends(start)


def _column_place(t: Table, col: str) -> tuple[str, str]:
    if col == _TOTAL:
        return SECTOR_SERIES, ""
    if (region := names.region(col)) is not None:
        return REGION_SERIES, region
    if (sector := names.sector(col)) is not None:
        return SECTOR_SERIES, sector
    raise t.error(f"unknown sector column {col!r}", field=col,
                  expected="sector columns such as tucson, big_bend, rio_grande_valley")


def read(path) -> pd.DataFrame:
    t = read_table(path, ["month", "fy", _TOTAL])
    _fields.unique(t, ["fy", "month"], what="month")
    start, end = _months(t)
    parts = []
    for col in (c for c in t.columns if c not in _META):
        series, place = _column_place(t, col)
        parts.append(
            _tidy.frame(
                source=SOURCE,
                series=series,
                start=start,
                end=end,
                frequency="M",
                value=_fields.numbers(t, col, whole=True, series=series),
                unit="encounters",
                labels=dict(geography=place),
            )
        )
    out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["series", "period_start", "geography"])
    if dup.any():
        raise t.error(f"two columns map to {out.loc[dup, 'geography'].iloc[0]!r}", field="header",
                      expected="each sector once")
    return _tidy.finish(out)
