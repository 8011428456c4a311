"""Hand-transcribed reference figures (``topic, measure, geography, period, value, unit,
original_publisher, cited_via_url, note``).

Each row becomes a ``records`` observation of series ``ref_<topic>_<measure>`` with the
geography text as given and ``authority`` = the original publisher (so two publishers'
figures for the same period stay separate). Periods such as ``FY2021``, ``CY2019``,
``2023-01..2023-06`` or ``FY2021 (to end of August)`` are parsed into start and end dates;
frequency is ``M``, ``A`` or ``FY`` for whole months or years, else ``P``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import read_table

NAME = "Hand-transcribed reference figures"
SOURCE = "reference_figures"
REQUIRED = ["topic", "measure", "geography", "period", "value", "unit", "original_publisher"]


def detect(header: list[str]) -> bool:
    return {"topic", "measure", "period", "value", "unit"} <= set(header)


def series_name(topic: str, measure: str) -> str | None:
    parts = [re.sub(r"[^a-z0-9]+", "_", x.lower()).strip("_") for x in (topic, measure)]
    return f"ref_{parts[0]}_{parts[1]}" if all(parts) else None


def read(path) -> pd.DataFrame:
    t = read_table(path, REQUIRED)
    series = np.array([series_name(a, b) for a, b in zip(t.col("topic"), t.col("measure"),
                                                           strict=True)], dtype=object)
    if (series == None).any():  # noqa: E711 (element-wise)
        i = int(np.flatnonzero(series == None)[0])  # noqa: E711
        raise t.error("missing topic or measure", i, "topic", expected="two non-empty names")
    t.frame["_series"] = series
    parsed = _fields.mapped(t, "period", periods.parse_period,
                            "FY2021, CY2019, 2023-01, 2023-01..2023-06 or 2022-01-01..2022-12-28")
    start = np.array([p[0] for p in parsed], dtype="datetime64[D]")
    end = np.array([p[1] for p in parsed], dtype="datetime64[D]")
    freq = np.array([p[2] for p in parsed], dtype=object)
    _fields.in_coverage(t, "period", start, SOURCE)
    _fields.unique(t, ["topic", "measure", "geography", "period", "original_publisher"],
                   what="figure")
    value = _fields.numbers(t, "value", allow_negative=True, series=series)
    out = _tidy.frame(
        source=SOURCE,
        series=series,
        start=start,
        end=end,
        frequency=freq,
        value=value,
        unit=t.col("unit"),
        labels=dict(geography=t.col("geography"), authority=t.col("original_publisher")),
    )
    dup = out.duplicated(["series", "period_start", "period_end", "geography", "authority"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise t.error("two figures for the same series, geography, period and publisher", i,
                      "period", expected="one figure per period")
    return _tidy.finish(out)
