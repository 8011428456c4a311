"""Columns shared by the CBP encounter CSVs (fiscal year, month abbreviation, demographic,
citizenship, title of authority, encounter count)."""

from __future__ import annotations

import numpy as np

from borderflow.data import names, periods
from borderflow.data.importers import _fields
from borderflow.data.importers._csv import Table

AUTHORITIES = ("Title 8", "Title 42")


def months(t: Table, source: str) -> tuple[np.ndarray, np.ndarray]:
    """Fiscal Year ('2024', '2025 (FYTD)') + Month (abbv) ('OCT') -> calendar month bounds,
    within the coverage of ``source``. The month must be a whole abbreviation or name."""
    fy = _fields.years(t, "Fiscal Year")
    month = _fields.mapped(t, "Month (abbv)", periods.parse_month,
                           "a month abbreviation such as OCT").astype("int64")
    start = periods.month_starts(np.where(month >= 10, fy - 1, fy), month)
    _fields.in_coverage(t, "Fiscal Year", start, source)
    return start, periods.month_ends(start)


def demographics(t: Table) -> np.ndarray:
    return _fields.mapped(t, "Demographic", names.demographic,
                          "Single Adults, FMUA, UC / Single Minors, UAC or Accompanied Minors")


def citizenships(t: Table, col: str) -> np.ndarray:
    return _fields.mapped(t, col, lambda v: names.citizenship(v, allow_other=True),
                          "a country name such as 'EL SALVADOR', or 'OTHER'")


def authorities(t: Table) -> np.ndarray:
    return _fields.one_of(t, "Title of Authority", AUTHORITIES)


def counts(t: Table, series) -> np.ndarray:
    return _fields.numbers(t, "Encounter Count", whole=True, series=series)
