"""Plain number formats for tables: thousands separators, never scientific notation, and a
dash for a missing value."""

from __future__ import annotations

import math

DASH = "–"
#: fewer members than this and a 10-90% interval is mostly the spread of a handful of draws
MIN_INTERVAL_RUNS = 5


def number(value, signed: bool = False) -> str:
    """``1234567.8`` -> ``'1,234,568'``, ``0.4321`` -> ``'0.432'``, NaN/None -> ``'–'``."""
    if value is None:
        return DASH
    v = float(value)
    if not math.isfinite(v):
        return DASH
    sign = "+" if signed else ""
    if abs(v) >= 10 or v == 0:
        return f"{v:{sign},.0f}"
    return f"{v:{sign},.3f}"


def interval(lo, hi, signed: bool = False) -> str:
    """``'-37,950 .. -36,750'`` in the same format as :func:`number`."""
    if number(lo) == DASH or number(hi) == DASH:
        return DASH
    return f"{number(lo, signed)} .. {number(hi, signed)}"


def interval_label(runs: int, lo: int = 10, hi: int = 90, short: bool = False) -> str:
    """The heading of an interval column, which says when too few runs back it."""
    if runs < MIN_INTERVAL_RUNS:
        return (f"{lo}-{hi}% ({runs} runs!)" if short
                else f"{lo}-{hi}% of only {runs} runs (fewer than {MIN_INTERVAL_RUNS}: rough)")
    return f"{lo}-{hi}%" if short else f"{lo}-{hi}% interval"


def few_runs_note(runs: int) -> str | None:
    if runs >= MIN_INTERVAL_RUNS:
        return None
    return (f"The intervals come from only {runs} run{'s' if runs != 1 else ''} (fewer than "
            f"{MIN_INTERVAL_RUNS}): they show the spread of those runs, not a reliable 10-90% "
            f"interval; use --runs {MIN_INTERVAL_RUNS} or more.")
