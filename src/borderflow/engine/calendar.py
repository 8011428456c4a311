"""Days and months of a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calendar:
    start: dt.date
    n_days: int
    months: tuple[str, ...]        # "YYYY-MM" of each month index
    day_month: np.ndarray          # int32 month index of each day
    day_calmonth: np.ndarray       # int8 calendar month 1..12 of each day
    day_year: np.ndarray           # int32 year of each day
    day_doy: np.ndarray            # int16 day of year
    month_days: np.ndarray         # int32 days in each month index

    def index(self, date: dt.date) -> int:
        return (date - self.start).days

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))


def make_calendar(start: str, end: str) -> Calendar:
    """Daily calendar from the first day of ``start`` to the last day of ``end`` (YYYY-MM)."""
    y0, m0 = int(start[:4]), int(start[5:7])
    y1, m1 = int(end[:4]), int(end[5:7])
    first = dt.date(y0, m0, 1)
    last = dt.date(y1 + (m1 == 12), m1 % 12 + 1, 1)
    n = (last - first).days
    dates = np.arange(np.datetime64(first), np.datetime64(last), dtype="datetime64[D]")
    ym = dates.astype("datetime64[M]")
    month_ids = (ym - ym[0]).astype(np.int32)
    months = tuple(str(m) for m in np.unique(ym))
    years = ym.astype("datetime64[Y]").astype(np.int32) + 1970
    calm = (ym.astype(np.int64) % 12 + 1).astype(np.int8)
    doy = (dates - dates.astype("datetime64[Y]")).astype(np.int16) + 1
    return Calendar(start=first, n_days=n, months=months, day_month=month_ids,
                    day_calmonth=calm, day_year=years.astype(np.int32), day_doy=doy,
                    month_days=np.bincount(month_ids).astype(np.int32))


def month_number(ym: str) -> int:
    """Months since year 0 of a "YYYY-MM" string (the one parse of month arithmetic)."""
    return int(ym[:4]) * 12 + int(ym[5:7]) - 1


def shift_month(ym: str, n: int) -> str:
    """The month ``n`` months after ``ym`` (before it if ``n`` < 0), as "YYYY-MM"."""
    k = month_number(ym) + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def months_between(a: str, b: str) -> int:
    """Number of months from ``a`` to ``b``, both included."""
    return month_number(b) - month_number(a) + 1
