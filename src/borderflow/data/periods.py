"""Calendar helpers: U.S. fiscal months, month bounds and free-text reporting periods."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBR = {name[:3].upper(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_FISCAL_LABEL = re.compile(r"^\s*(\d{1,2})\s*[-.]?\s*([A-Za-z]+)\.?\s*$")


def fiscal_to_calendar(fiscal_year: int, fiscal_month: int) -> tuple[int, int]:
    """U.S. fiscal year and month (1 = October) to calendar (year, month).

    >>> fiscal_to_calendar(2024, 1), fiscal_to_calendar(2024, 4)
    ((2023, 10), (2024, 1))
    """
    if not 1 <= fiscal_month <= 12:
        raise ValueError(f"fiscal month {fiscal_month} is not 1..12")
    month = (fiscal_month + 8) % 12 + 1
    return (fiscal_year - 1 if fiscal_month <= 3 else fiscal_year), month


def calendar_to_fiscal(year: int, month: int) -> tuple[int, int]:
    """Calendar (year, month) to U.S. fiscal (year, month number, 1 = October)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1..12")
    return (year + 1 if month >= 10 else year), (month + 2) % 12 + 1


def parse_fiscal_month(label: str) -> int | None:
    """``'04 January'`` -> 4. None if the label is malformed or number and name disagree."""
    match = _FISCAL_LABEL.match(label)
    if not match:
        return None
    number, name = int(match.group(1)), match.group(2).lower()
    if not 1 <= number <= 12:
        return None
    _, month = fiscal_to_calendar(2000, number)
    full = MONTH_NAMES[month - 1].lower()
    return number if name in (full, full[:3]) else None


def parse_month(text: str) -> int | None:
    """``'OCT'``, ``'Oct'``, ``'October'`` -> 10; the whole label must match, never a prefix
    (``'OCTOPUS'`` -> None)."""
    key = text.strip().lower()
    for number, name in enumerate(MONTH_NAMES, start=1):
        if key in (name.lower(), name[:3].lower()):
            return number
    return None


def parse_year(text: str) -> int | None:
    """``'2024'``, ``'FY2024'``, ``'2025 (FYTD)'`` -> the year, else None (the whole label must
    match: ``'2024abc'`` or ``'2024 junk'`` -> None)."""
    match = re.fullmatch(r"\s*(?:FY\s*)?(\d{4})(?:\s*\(FYTD\))?\s*", text, flags=re.I)
    if not match:
        return None
    year = int(match.group(1))
    return year if 1900 <= year <= 2100 else None


def month_starts(years, months) -> np.ndarray:
    """Vectorised first day of each (year, month) as datetime64[D]."""
    years, months = np.asarray(years, dtype="int64"), np.asarray(months, dtype="int64")
    return ((years - 1970) * 12 + months - 1).astype("datetime64[M]").astype("datetime64[D]")


def add_months(starts: np.ndarray, n: int) -> np.ndarray:
    return (starts.astype("datetime64[M]") + n).astype("datetime64[D]")


def month_ends(starts: np.ndarray, n: int = 1) -> np.ndarray:
    """Last day of the period of ``n`` months beginning at ``starts``."""
    return add_months(starts, n) - np.timedelta64(1, "D")


def fiscal_year_bounds(years) -> tuple[np.ndarray, np.ndarray]:
    starts = month_starts(np.asarray(years) - 1, np.full(len(years), 10))
    return starts, month_ends(starts, 12)


def year_bounds(years) -> tuple[np.ndarray, np.ndarray]:
    starts = month_starts(years, np.ones(len(years), dtype="int64"))
    return starts, month_ends(starts, 12)


# --- free-text periods of the hand-transcribed reference figures ------------------------------

def _end_of_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _one(text: str, end: bool) -> tuple[date, str] | None:
    text = text.strip()
    if m := re.fullmatch(r"FY(\d{4})", text):
        y = int(m.group(1))
        return (date(y, 9, 30) if end else date(y - 1, 10, 1)), "FY"
    if m := re.fullmatch(r"(?:CY)?(\d{4})", text):
        y = int(m.group(1))
        return (date(y, 12, 31) if end else date(y, 1, 1)), "A"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
        return (_end_of_month(y, mo) if end else date(y, mo, 1)), "M"
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "D"
    return None


def _apply_qualifier(start: date, end: date, qualifier: str) -> tuple[date, date]:
    """``to end of August``, ``to ~Feb 2023``, ``to ~mid-Dec``, ``after May`` move the bounds."""
    q = qualifier.lower()
    names = [n.lower()[:3] for n in MONTH_NAMES]
    found = [i + 1 for i, n in enumerate(names) if re.search(rf"\b{n}", q)]
    if not found or not re.search(r"\b(to|after)\b", q):
        return start, end
    month = found[0]
    if "after" in q:
        year = start.year if month >= start.month else start.year + 1
        return _end_of_month(year, month) + timedelta(days=1), end
    year = end.year if month <= end.month else end.year - 1
    new_end = date(year, month, 15) if "mid" in q else _end_of_month(year, month)
    return start, new_end


def parse_period(text: str) -> tuple[date, date, str] | None:
    """A reporting period such as ``FY2021``, ``CY2019 (published)``, ``2023-01..2023-06``,
    ``2022-01-01..2022-12-28``, ``FY2021 (to end of August)``, ``end FY2024`` (a stock on the
    last day, 2024-09-30) -> (start, end, frequency).

    Frequency is ``M``, ``A`` or ``FY`` for a whole month or year, else ``P``. None if unreadable.
    """
    match = re.fullmatch(r"\s*([^()]*?)\s*(?:\((.*)\))?\s*", text)
    core, qualifier = match.group(1), match.group(2) or ""
    if m := re.fullmatch(r"end\s+(\S+)", core, flags=re.I):     # a stock: ``end FY2024``
        last = _one(m.group(1), end=True)
        return None if last is None else (last[0], last[0], "P")
    first, _, last = core.partition("..")
    try:
        a, b = _one(first, end=False), _one(last or first, end=True)
    except ValueError:  # e.g. month 13 or day 31 of a 30-day month
        return None
    if a is None or b is None:
        return None
    start, end = _apply_qualifier(a[0], b[0], qualifier)
    if end < start:
        return None
    whole = not last and a[1] == b[1] and a[1] != "D" and (start, end) == (a[0], b[0])
    return start, end, (a[1] if whole else "P")
