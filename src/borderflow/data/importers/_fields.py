"""Field validators: each returns clean values or raises InputError at the first bad cell."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from borderflow.data import domains, periods
from borderflow.data.importers._csv import Table

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def numbers(t: Table, col: str, *, whole: bool = False, allow_empty: bool = False,
            allow_negative: bool = False, series=None) -> np.ndarray:
    """Parse a numeric column (thousands separators allowed). Empty cells become NaN only
    when ``allow_empty``; counts must be non-negative (and whole, if ``whole``)."""
    text = t.col(col).str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
    empty = (text == "").to_numpy()
    ok = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool) | (empty & allow_empty)
    kind = "a whole number" if whole else "a number"
    if not ok.all():
        i = _first(~ok)
        what = "missing value" if empty[i] else f"{t.col(col).iloc[i]!r} is not a number"
        raise t.error(what, i, col, expected=f"{kind}{'' if allow_negative else ' >= 0'}")
    values = pd.to_numeric(text.where(~empty, "nan")).to_numpy(dtype="float64")
    if not allow_negative and (values < 0).any():
        i = _first(values < 0)
        raise t.error(f"negative count {t.col(col).iloc[i]}", i, col, expected=f"{kind} >= 0")
    if whole and (np.isfinite(values) & (values != np.round(values))).any():
        i = _first(np.isfinite(values) & (values != np.round(values)))
        raise t.error(f"{t.col(col).iloc[i]!r} is not a whole number", i, col, expected=kind)
    if not np.isfinite(values[~empty]).all():
        i = _first(~np.isfinite(values) & ~empty)
        raise t.error("value is not finite", i, col, expected=kind)
    if series is not None:
        below_ceiling(t, col, values, series)
    return values


def mapped(t: Table, col: str, func: Callable[[str], object | None], expected: str) -> np.ndarray:
    """Map each distinct cell through ``func``; None means unknown and raises at its line."""
    cells = t.col(col)
    table = {}
    for value in cells.unique():
        result = func(value)
        if result is None:
            i = _first((cells == value).to_numpy())
            shown = repr(value) if value else "empty value"
            raise t.error(f"unknown {col.lower()} {shown}", i, col, expected=expected)
        table[value] = result
    return cells.map(table).to_numpy()


def years(t: Table, col: str) -> np.ndarray:
    expected = "a year such as 2024 or '2025 (FYTD)'"
    return mapped(t, col, periods.parse_year, expected).astype("int64")


def one_of(t: Table, col: str, allowed: tuple[str, ...] | list[str]) -> np.ndarray:
    options = set(allowed)
    return mapped(t, col, lambda v: v if v in options else None, "one of " + ", ".join(allowed))


def unique(t: Table, cols: list[str], what: str = "row") -> None:
    """Raise at the second occurrence of a repeated key."""
    dup = t.frame.duplicated(cols, keep=False).to_numpy()
    if not dup.any():
        return
    later = t.frame.duplicated(cols, keep="first").to_numpy()
    i = _first(later)
    key = tuple(t.frame.iloc[i][cols])
    same = t.frame[cols].eq(pd.Series(key, index=cols)).all(axis=1).to_numpy()
    first_line = int(t.lines[_first(same)])
    raise t.error(f"duplicate {what}: same {', '.join(cols)} as line {first_line}", i, cols[-1],
                  expected="each key once")


def dates(t: Table, col: str, fmt: str, expected: str) -> np.ndarray:
    parsed = pd.to_datetime(t.col(col), format=fmt, errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = _first(bad)
        raise t.error(f"{t.col(col).iloc[i]!r} is not a date", i, col, expected=expected)
    return parsed.to_numpy().astype("datetime64[D]")


def in_coverage(t: Table, col: str, starts: np.ndarray, source: str) -> None:
    """Every period must start within the source's plausible coverage and not after today."""
    first, last = domains.coverage(source)
    starts = np.asarray(starts).astype("datetime64[D]")
    bad = (starts < first) | (starts > last)
    if bad.any():
        i = _first(bad)
        shown = t.col(col).iloc[i]
        raise t.error(f"{shown!r} (period starting {starts[i]}) is outside the coverage of "
                      f"{source}", i, col, expected=f"a period starting {first} to {last}")


def below_ceiling(t: Table, col: str, values: np.ndarray, series) -> None:
    """Every value must be within the documented ceiling of its series (see ``domains``)."""
    names = np.broadcast_to(np.asarray(series, dtype=object), values.shape)
    limits = {s: domains.ceiling(s) for s in set(names.tolist())}
    limit = np.array([limits[s] for s in names], dtype="float64")
    bad = np.abs(values) > limit
    if bad.any():
        i = _first(bad)
        raise t.error(f"value {t.col(col).iloc[i]} is implausibly large for {names[i]}", i, col,
                      expected=f"at most {limit[i]:,.0f} (the documented ceiling of the series)")
