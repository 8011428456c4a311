"""Field validators: each returns clean values or raises InputError at the first bad cell."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from borderflow.data import domains, names, periods
from borderflow.data.importers._csv import Table
from borderflow.errors import did_you_mean

# Digits are ASCII 0-9; a thousands separator ',' only between groups of three digits.
_INT = r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)"
_COUNT = re.compile(rf"-?{_INT}")  # the sign only so that a negative count is named as such
_NUMBER = re.compile(rf"[+-]?(?:{_INT}(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
COUNT_FORMAT = ("a whole number in ASCII digits, with ',' only between groups of three "
                "(1200, 1,200 or 12,345,678)")


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _why(cell: str, whole: bool) -> str:
    """Why ``cell`` is not a number in the accepted format."""
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in cell):
        return f"{cell!r} has digits other than ASCII 0-9"
    if any(ch.isspace() for ch in cell):
        return f"{cell!r} has a space inside the number"
    if "," in cell and re.fullmatch(r"[+-]?[0-9,]+(?:\.[0-9]*)?", cell):
        return f"{cell!r} has ',' in a place other than between groups of three digits"
    if whole and (_NUMBER.fullmatch(cell) or re.fullmatch(r"[+-]?[0-9,]*\.[0-9,]*", cell)):
        return f"{cell!r} is not a whole number"
    if whole and cell.startswith("+") and _COUNT.fullmatch(cell[1:]):
        return f"{cell!r} is not a plain whole number (no sign)"
    return f"{cell!r} is not a number"


def numbers(t: Table, col: str, *, whole: bool = False, allow_empty: bool = False,
            allow_negative: bool = False, series=None) -> np.ndarray:
    """Parse a numeric column. Digits are ASCII; ',' may separate thousands, in groups of
    three, and nothing else (no spaces, no decimal comma). With ``whole`` (counts) a value is
    an integer: no sign, no decimal point, no exponent. Empty cells become NaN only when
    ``allow_empty``; values must be non-negative unless ``allow_negative``."""
    cells = t.col(col)
    pattern = _COUNT if whole else _NUMBER
    empty = (cells == "").to_numpy()
    ok = np.array([bool(pattern.fullmatch(c)) for c in cells], dtype=bool) | \
        (empty & allow_empty)
    kind = COUNT_FORMAT if whole else "a number"
    if not ok.all():
        i = _first(~ok)
        what = "missing value" if empty[i] else _why(cells.iloc[i], whole)
        raise t.error(what, i, col, expected=f"{kind}{'' if allow_negative else ' >= 0'}")
    text = cells.str.replace(",", "", regex=False)
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


def mapped(t: Table, col: str, func: Callable[[str], object | None], expected: str,
           hint: Callable[[str], str] | None = None) -> np.ndarray:
    """Map each distinct cell through ``func``; None means unknown and raises at its line,
    with ``hint(cell)`` (a did-you-mean, or why the label is ambiguous) after the message."""
    cells = t.col(col)
    table = {}
    for value in cells.unique():
        result = func(value)
        if result is None:
            i = _first((cells == value).to_numpy())
            shown = repr(value) if value else "empty value"
            extra = hint(value) if hint is not None and value else ""
            raise t.error(f"unknown {col.lower()} {shown}" + (f"; {extra}" if extra else ""),
                          i, col, expected=expected)
        table[value] = result
    return cells.map(table).to_numpy()


def suggest(choices) -> Callable[[str], str]:
    """A ``hint`` for :func:`mapped`: did you mean the closest of ``choices``?"""
    return lambda value: did_you_mean(value, choices).strip()


def years(t: Table, col: str) -> np.ndarray:
    expected = "a year such as 2024 or '2025 (FYTD)'"
    return mapped(t, col, periods.parse_year, expected).astype("int64")


def one_of(t: Table, col: str, allowed: tuple[str, ...] | list[str]) -> np.ndarray:
    """The allowed label each cell names, matched without regard to case, accents or
    surrounding and repeated blanks (``'title 8'`` -> ``'Title 8'``)."""
    options = {names.label_key(a): a for a in allowed}
    return mapped(t, col, lambda v: options.get(names.label_key(v)),
                  "one of " + ", ".join(allowed), hint=suggest(allowed))


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


def unique_cells(t: Table, keys: dict[str, np.ndarray], what: str = "row") -> None:
    """Raise at the second of two rows that name the same cell once their labels are read:
    ``keys`` maps each key column to its parsed or canonical values (``'MEXICO'`` and
    ``'México'`` are both ``'Mexico'``). Such rows are refused, never added together."""
    frame = pd.DataFrame({c: np.asarray(v) for c, v in keys.items()})
    later = frame.duplicated(keep="first").to_numpy()
    if not later.any():
        return
    i = _first(later)
    same = frame.eq(frame.iloc[i]).all(axis=1).to_numpy()
    j = _first(same)
    cols = list(keys)
    line = int(t.lines[j])
    differ = [c for c in cols if t.col(c).iloc[i] != t.col(c).iloc[j]]
    if differ:
        c = differ[0]
        raise t.error(f"duplicate {what}: {t.col(c).iloc[i]!r} is another spelling of "
                      f"{t.col(c).iloc[j]!r} ({frame[c].iloc[i]}) on line {line}, so both rows "
                      "are the same cell", i, c,
                      expected="each cell once; rows are never added together")
    raise t.error(f"duplicate {what}: same {', '.join(cols)} as line {line}", i, cols[-1],
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
