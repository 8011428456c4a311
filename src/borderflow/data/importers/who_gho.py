"""WHO Global Health Observatory API CSV for ``VIOLENCE_HOMICIDENUM``.

Keeps country rows for both sexes (``Dim1 = BTSX``) and all ages (no age group, ``Dim2`` NA or
blank); output ``homicides`` (geography ISO3, annual), from ``NumericValue``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data.importers import _country_year, _fields
from borderflow.data.importers._csv import read_table

NAME = "WHO GHO estimated homicides (VIOLENCE_HOMICIDENUM)"
SOURCE = "who_homicides"
INDICATOR = "VIOLENCE_HOMICIDENUM"
REQUIRED = ["IndicatorCode", "SpatialDimType", "SpatialDim", "TimeDim", "Dim1", "Dim2",
            "NumericValue"]


def detect(header: list[str]) -> bool:
    return {"IndicatorCode", "SpatialDim", "TimeDim", "NumericValue"} <= set(header)


def read(path) -> pd.DataFrame:
    t = read_table(path, REQUIRED)
    _fields.one_of(t, "IndicatorCode", (INDICATOR,))
    _fields.unique(t, ["SpatialDimType", "SpatialDim", "TimeDim", "Dim1", "Dim2"])
    f = t.frame
    keep = ((f["SpatialDimType"] == "COUNTRY") & (f["Dim1"] == "BTSX")
            & f["Dim2"].isin(["NA", ""])).to_numpy()
    if not keep.any():
        raise t.error("no country rows for both sexes and all ages", field="Dim1",
                      expected="rows with SpatialDimType COUNTRY, Dim1 BTSX, Dim2 NA")
    sub = t.frame[keep].reset_index(drop=True)
    part = type(t)(t.path, t.columns, sub, t.lines[keep])
    _fields.numbers(t, "NumericValue", allow_empty=True)  # validate every row, not just kept
    return _country_year.frame(part, source=SOURCE, series="homicides", unit="homicides",
                               code_col="SpatialDim", year_col="TimeDim",
                               value_col="NumericValue", keep=np.ones(len(sub), dtype=bool))
