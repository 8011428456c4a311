"""Humane Borders / Pima County OME "Arizona OpenGIS Initiative for Deceased Migrants" export.

One row per recovered body (``ML Number`` unique). Output ``pima_remains``: monthly counts by
``Reporting Date`` month, cells with geography ``"<Corridor>/<County>"`` (county title-cased,
"Unknown" when blank).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import read_table

NAME = "Pima County OME / Humane Borders migrant remains"
SOURCE = "pima_ome_remains"
REQUIRED = ["ML Number", "Reporting Date", "Corridor", "County", "State"]


def detect(header: list[str]) -> bool:
    return {"ML Number", "Reporting Date", "Corridor"} <= set(header)


def _label(text: str) -> str:
    cleaned = " ".join(text.replace("/", " ").split())
    return cleaned.title() if cleaned else "Unknown"


def read(path) -> pd.DataFrame:
    t = read_table(path, REQUIRED)
    empty_id = (t.col("ML Number") == "").to_numpy()
    if empty_id.any():
        raise t.error("missing ML Number", int(np.flatnonzero(empty_id)[0]), "ML Number",
                      expected="the medical examiner's case number")
    _fields.unique(t, ["ML Number"], what="case")
    day = _fields.dates(t, "Reporting Date", "%Y-%m-%d", "a date such as 2019-07-14")
    _fields.in_coverage(t, "Reporting Date", day, SOURCE)
    start = day.astype("datetime64[M]").astype("datetime64[D]")
    corridor = t.col("Corridor").map(_label).to_numpy()
    county = t.col("County").map(_label).to_numpy()
    out = _tidy.frame(
        source=SOURCE,
        series="pima_remains",
        start=start,
        end=periods.month_ends(start),
        frequency="M",
        value=np.ones(len(t)),
        unit="remains",
        labels=dict(geography=corridor + "/" + county),
    )
    return _tidy.finish(_tidy.aggregate(out))
