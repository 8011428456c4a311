"""IOM Missing Migrants 3-column extract: ``Reported Date, Total Number of Dead and Missing,
Coordinates`` ("lat, lon"). It has no route or region column, so incidents are kept when they
fall in the US-Mexico border box (latitude 25 to 37, longitude -121 to -93), which matches the
route-filtered full file within about 6% a year for 2015-2021 (see docs/data.md).

Rows without a date (15 in the bundled copy) are skipped and reported.
Identical rows are separate incidents here (no incident ID), so they are not de-duplicated.
Output: ``iom_deaths_us_mexico_bbox``, monthly cells with geography ``"lat,lon"``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "IOM Missing Migrants extract (Reported Date, total, coordinates)"
SOURCE = "iom_missing_migrants_extract"
COLUMNS = ["Reported Date", "Total Number of Dead and Missing", "Coordinates"]
BOX = {"lat": (25.0, 37.0), "lon": (-121.0, -93.0)}
_LATLON = re.compile(r"^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$")


def detect(header: list[str]) -> bool:
    return header == COLUMNS


def _latlon(text: str) -> tuple[float, float, str] | None:
    if text == "":
        return (np.nan, np.nan, "")
    match = _LATLON.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon, f"{match.group(1)},{match.group(2)}"


def _dated(t: Table) -> tuple[Table, int]:
    """Rows without a date cannot be placed in a month; they are skipped and counted."""
    has = (t.col("Reported Date") != "").to_numpy()
    if has.all():
        return t, 0
    return Table(t.path, t.columns, t.frame[has].reset_index(drop=True), t.lines[has]), int(
        (~has).sum())


def read(path) -> pd.DataFrame:
    t, undated = _dated(read_table(path, COLUMNS))
    day = _fields.dates(t, "Reported Date", "%B %d, %Y", "a date such as 'January 6, 2014'")
    _fields.in_coverage(t, "Reported Date", day, SOURCE)
    value = _fields.numbers(t, COLUMNS[1], whole=True, series="iom_deaths_us_mexico_bbox")
    parsed = _fields.mapped(t, "Coordinates", _latlon, "'lat, lon' in degrees, or empty")
    lat = np.array([p[0] for p in parsed], dtype="float64")
    lon = np.array([p[1] for p in parsed], dtype="float64")
    inside = ((lat >= BOX["lat"][0]) & (lat <= BOX["lat"][1]) & (lon >= BOX["lon"][0])
              & (lon <= BOX["lon"][1]))
    start = day.astype("datetime64[M]").astype("datetime64[D]")[inside]
    out = _tidy.frame(
        source=SOURCE,
        series="iom_deaths_us_mexico_bbox",
        start=start,
        end=periods.month_ends(start),
        frequency="M",
        value=value[inside],
        unit="dead and missing",
        labels=dict(geography=np.array([p[2] for p in parsed], dtype=object)[inside]),
    )
    out = _tidy.finish(_tidy.aggregate(out))
    if undated:
        out.attrs["notes"] = [f"{undated} rows without a Reported Date were skipped"]
    return out
