"""IOM Missing Migrants Project incident CSV (the full "all data" download schema).

Rows are de-duplicated on ``Incident ID`` (identical repeats dropped; repeats that disagree are
an error). The month is ``Incident year`` + ``Reported Month`` (``Incident Date`` only when those
are blank: a few of its dates have day and month swapped). Outputs monthly cells:

- ``iom_deaths_us_mexico``: incidents whose ``Migration route`` includes "US-Mexico border
  crossing"; geography = ``"lat,lon"`` of the incident ("" when it has no coordinates).
- ``iom_deaths_by_region``: all incidents, geography = ``Region of Incident``.
Value = ``Total Number of Dead and Missing``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "IOM Missing Migrants incidents (full schema)"
SOURCE = "iom_missing_migrants"
ROUTE = "US-Mexico border crossing"
TOTAL = "Total Number of Dead and Missing"
REQUIRED = ["Incident ID", "Region of Incident", "Incident year", "Reported Month", TOTAL,
            "Migration route", "Coordinates"]
_POINT = re.compile(r"^POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)$")
# IOM's regions of incident (UN M49 subregions plus the Mediterranean), spelled as IOM does.
REGIONS = ("Caribbean", "Central America", "Central Asia", "Eastern Africa", "Eastern Asia",
           "Europe", "Mediterranean", "Middle Africa", "North America", "Northern Africa",
           "South America", "South-eastern Asia", "Southern Africa", "Southern Asia",
           "Western Africa", "Western Asia")
_MONTHS = {name.lower(): i for i, name in enumerate(periods.MONTH_NAMES, start=1)}


def detect(header: list[str]) -> bool:
    return {"Incident ID", TOTAL, "Migration route"} <= set(header)


def _deduplicate(t: Table) -> Table:
    keep = ~t.frame.duplicated(keep="first").to_numpy()
    t = Table(t.path, t.columns, t.frame[keep].reset_index(drop=True), t.lines[keep])
    _fields.unique(t, ["Incident ID"], what="Incident ID with different values")
    return t


def _months(t: Table) -> np.ndarray:
    year = _fields.mapped(t, "Incident year", lambda v: int(v) if re.fullmatch(r"(19|20)\d\d", v)
                          else None, "a year such as 2019")
    month = _fields.mapped(t, "Reported Month", lambda v: _MONTHS.get(v.lower()),
                           "a month name such as January")
    start = periods.month_starts(year.astype("int64"), month.astype("int64"))
    _fields.in_coverage(t, "Incident year", start, SOURCE)
    return start


def _point(text: str) -> str | None:
    if text == "":
        return ""
    match = _POINT.match(text)
    if not match:
        return None
    lon, lat = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return f"{match.group(2)},{match.group(1)}"


def read(path) -> pd.DataFrame:
    t = read_table(path, REQUIRED)
    t = _deduplicate(t)
    start = _months(t)
    end = periods.month_ends(start)
    value = _fields.numbers(t, TOTAL, whole=True, series="iom_deaths_by_region")
    on_route = t.col("Migration route").str.split(",").apply(
        lambda parts: ROUTE in [p.strip() for p in parts]).to_numpy(dtype=bool)
    points = _fields.mapped(t, "Coordinates", _point, "'POINT (lon lat)' in degrees, or empty")
    regions = _fields.one_of(t, "Region of Incident", REGIONS)
    us = _tidy.frame(
        source=SOURCE,
        series="iom_deaths_us_mexico",
        start=start[on_route],
        end=end[on_route],
        frequency="M",
        value=value[on_route],
        unit="dead and missing",
        labels=dict(geography=points[on_route]),
    )
    world = _tidy.frame(
        source=SOURCE,
        series="iom_deaths_by_region",
        start=start,
        end=end,
        frequency="M",
        value=value,
        unit="dead and missing",
        labels=dict(geography=regions),
    )
    return _tidy.finish(_tidy.aggregate(pd.concat([us, world], ignore_index=True)))
