"""UNdata export of WDI GDP per capita, PPP (current international $).

Columns ``Country or Area Code, Country or Area, Year, Value, Value Footnotes``; the footnote
table after the first blank line is ignored. Output ``gdp_per_capita_ppp`` (geography ISO3).
"""

from __future__ import annotations

import pandas as pd

from borderflow.data.importers import _country_year, _fields
from borderflow.data.importers._csv import read_table

NAME = "UNdata export, GDP per capita PPP"
SOURCE = "undata_gdp_ppp"
REQUIRED = ["Country or Area Code", "Country or Area", "Year", "Value"]


def detect(header: list[str]) -> bool:
    return header[:4] == REQUIRED


def read(path) -> pd.DataFrame:
    t = read_table(path, REQUIRED, stop_at_blank=True)
    _fields.unique(t, ["Country or Area Code", "Year"])
    return _country_year.frame(t, source=SOURCE, series="gdp_per_capita_ppp",
                               unit="international $", code_col="Country or Area Code",
                               year_col="Year", value_col="Value")
