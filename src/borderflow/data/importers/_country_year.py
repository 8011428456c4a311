"""Shared reading of country-year tables (ISO3 code, year, value)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table


def iso3(t: Table, col: str) -> np.ndarray:
    return _fields.mapped(t, col, lambda v: v.upper() if re.fullmatch(r"[A-Za-z0-9]{3}", v)
                          else None, "a 3-letter country code such as MEX")


def frame(t: Table, *, source: str, series: str, unit: str, code_col: str, year_col: str,
          value_col: str, keep: np.ndarray | None = None) -> pd.DataFrame:
    keep = np.ones(len(t), dtype=bool) if keep is None else keep
    codes = iso3(t, code_col)
    year = _fields.mapped(t, year_col, periods.parse_year, "a year such as 2019").astype("int64")
    _fields.in_coverage(t, year_col, periods.year_bounds(year)[0], source)
    value = _fields.numbers(t, value_col, allow_empty=True, series=series)
    keep = keep & np.isfinite(value)
    start, end = periods.year_bounds(year[keep])
    out = _tidy.frame(
        source=source,
        series=series,
        start=start,
        end=end,
        frequency="A",
        value=value[keep],
        unit=unit,
        labels=dict(geography=codes[keep]),
    )
    return _tidy.finish(out)
