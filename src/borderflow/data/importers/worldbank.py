"""World Bank WDI country-year CSV (``Country Name, Country Code, Year, Value``) as in the
datasets/gdp and datasets/population packages.

GDP and population files share one header, so the series comes from the file name ("gdp" ->
``gdp_current_usd``, "pop" -> ``population``) or, failing that, from magnitude: a median value
above 1e9 is GDP in US$. Geography is the ISO3 code (aggregates such as WLD included).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.data.importers import _country_year, _fields
from borderflow.data.importers._csv import Table, read_table

NAME = "World Bank WDI country-year table (GDP current US$ or population)"
COLUMNS = ["Country Name", "Country Code", "Year", "Value"]
_KINDS = {"gdp_current_usd": ("worldbank_gdp", "USD"),
          "population": ("worldbank_population", "persons")}


def detect(header: list[str]) -> bool:
    return header == COLUMNS


def _series(path: str, t: Table) -> str:
    name = Path(path).name.lower()
    if "gdp" in name:
        return "gdp_current_usd"
    if "pop" in name:
        return "population"
    values = _fields.numbers(t, "Value", allow_empty=True)
    return "gdp_current_usd" if np.nanmedian(values) > 1e9 else "population"


def read(path) -> pd.DataFrame:
    t = read_table(path, COLUMNS)
    _fields.unique(t, ["Country Code", "Year"])
    series = _series(str(path), t)
    source, unit = _KINDS[series]
    return _country_year.frame(t, source=source, series=series, unit=unit,
                               code_col="Country Code", year_col="Year", value_col="Value")
