"""Month axes: every chart with months on its x-axis labels them the same way ("Jan 2019"),
with a handful of unrotated ticks a whole number of months apart."""

from __future__ import annotations

import re

import plotly.graph_objects as go

#: tick and hover format of every month axis
MONTH_FORMAT = "%b %Y"
#: tick spacings tried, in months (the smallest one that gives at most ``max_ticks``)
STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 60, 120)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_step(first: str, last: str, max_ticks: int = 8) -> int:
    """Months between ticks so that ``first``..``last`` gets at most ``max_ticks`` ticks."""
    span = _index(last) - _index(first) + 1
    for step in STEPS:
        if span / step <= max_ticks:
            return step
    return STEPS[-1]


def _months(values) -> list[str]:
    if values is None:
        return []
    out = []
    for v in values:
        if v is None:
            continue
        s = str(v)
        if not _MONTH.match(s):
            return []  # not a month axis (sectors, longitudes, years, labels)
        out.append(s[:7])
    return out


def month_axes(fig: go.Figure, max_ticks: int = 8) -> go.Figure:
    """Give every x-axis of ``fig`` that carries months ("YYYY-MM" or "YYYY-MM-DD") the
    same look: a date axis, ticks "Jan 2019" every whole number of months (at most
    ``max_ticks`` of them across the whole width, fewer on a narrow panel; never rotated),
    hover "Jan 2019". Axes of anything else (sectors,
    longitudes) are left alone, and so is an axis whose tick spacing is already set (a
    figure that chose fewer ticks for small panels keeps them)."""
    spans: dict[str, list[str]] = {}
    for trace in fig.data:
        months = _months(getattr(trace, "x", None))
        if months:
            axis = getattr(trace, "xaxis", None) or "x"
            spans.setdefault(axis, []).extend(months)
    for axis, months in spans.items():
        name = "xaxis" + axis[1:]
        if fig.layout[name].dtick is not None:
            continue
        domain = fig.layout[name].domain or (0.0, 1.0)  # a narrow panel takes fewer ticks
        ticks = max(2, round(max_ticks * (domain[1] - domain[0])))
        step = month_step(min(months), max(months), ticks)
        fig.layout[name].update(type="date", tickformat=MONTH_FORMAT, hoverformat=MONTH_FORMAT,
                                dtick=f"M{step}", tick0="2000-01-01", tickangle=0,
                                ticklabelmode="instant")
    return fig
