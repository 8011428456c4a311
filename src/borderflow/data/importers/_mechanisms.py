"""Fields shared by the mechanisms CSVs (OHSS monthly tables, ICE detention statistics and the
transcribed figures): ISO period dates, whole months, fiscal-year labels, units, coverage."""

from __future__ import annotations

import numpy as np

from borderflow.data import domains, periods
from borderflow.data.importers import _fields
from borderflow.data.importers._csv import Table

_ISO = "an ISO date such as 2024-01-31"


def period_dates(t: Table) -> tuple[np.ndarray, np.ndarray]:
    """``period_start`` and ``period_end`` as dates; the end may not precede the start."""
    start = _fields.dates(t, "period_start", "%Y-%m-%d", _ISO)
    end = _fields.dates(t, "period_end", "%Y-%m-%d", _ISO)
    bad = end < start
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise t.error(f"the period ends ({end[i]}) before it starts ({start[i]})", i,
                      "period_end", expected="period_end on or after period_start")
    return start, end


def whole_months(t: Table, start: np.ndarray, end: np.ndarray) -> None:
    """Every period must be one calendar month, from its first to its last day."""
    bad = (start != start.astype("datetime64[M]").astype("datetime64[D]")) | (
        end != periods.month_ends(start))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise t.error(f"the period {start[i]}..{end[i]} is not a whole month", i, "period_end",
                      expected="a monthly file: each period from the first to the last day of "
                               "one month")


def frequency(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """``M``, ``Q``, ``A`` or ``FY`` for a whole month, calendar quarter, calendar year or U.S.
    fiscal year; ``P`` for any other span (a stock on one day, a year to date)."""
    months = start.astype("datetime64[M]")
    first = start == months.astype("datetime64[D]")
    month_no = months.astype("int64") % 12 + 1
    out = np.full(len(start), "P", dtype=object)
    for n, code, ok in ((1, "M", np.ones(len(start), dtype=bool)), (3, "Q", month_no % 3 == 1),
                        (12, "A", month_no == 1), (12, "FY", month_no == 10)):
        whole = first & ok & (end == periods.month_ends(start, n)) & (out == "P")
        out[whole] = code
    return out


def fiscal_years(t: Table, start: np.ndarray) -> None:
    """The ``fiscal_year`` label (``FY2024``) must be the U.S. fiscal year of the period start."""
    years = _fields.years(t, "fiscal_year")
    month = start.astype("datetime64[M]")
    calendar_year = month.astype("datetime64[Y]").astype("int64") + 1970
    fy = calendar_year + (month.astype("int64") % 12 >= 9)
    bad = years != fy
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise t.error(f"fiscal year {t.col('fiscal_year').iloc[i]!r} does not contain the period "
                      f"starting {start[i]}", i, "fiscal_year", expected=f"FY{fy[i]}")


def coverage(t: Table, start: np.ndarray, source: str, series: np.ndarray) -> None:
    """Periods within the source's coverage, and not before a later-starting series begins."""
    _fields.in_coverage(t, "period_start", start, source)
    for name in set(series.tolist()):
        first = domains.series_start(name)
        bad = (series == name) & (start < first) if first is not None else None
        if bad is not None and bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise t.error(f"{name} has no data before {first} (period starting {start[i]})", i,
                          "period_start", expected=f"a period starting {first} or later")


def units(t: Table, measures: np.ndarray, expected: dict[str, str]) -> None:
    """The ``unit`` of each row must be the one its measure is published in."""
    want = np.array([expected[m] for m in measures], dtype=object)
    bad = t.col("unit").to_numpy(dtype=object) != want
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise t.error(f"unit {t.col('unit').iloc[i]!r} does not match measure {measures[i]!r}",
                      i, "unit", expected=repr(want[i]))


def rounded_to_10(t: Table, values: np.ndarray) -> None:
    off = values % 10 != 0
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise t.error(f"value {t.col('value').iloc[i]} is not rounded to 10 as OHSS publishes "
                      "(truncated file?)", i, "value", expected="a multiple of 10")
