"""Bundled driver series (exogenous inputs): read from the package, never from observations.

A scenario's ``drivers.cut_at`` (a month, the origin of a forecast or backtest) drops every
driver value dated after it; past the last value left, a driver is projected by the
scenario's ``drivers.projection`` rule (:func:`project`):

- ``persistence``: the last value is held (annual series); the mean of the last three
  months (monthly series, which are noisy month to month).
- ``trend``: a least-squares line through the logarithms of the last :data:`TREND_POINTS`
  values (5 years or 12 months), continued for :data:`TREND_HORIZON` steps (5 years or 24
  months) and held after that, so that a long run does not grow without bound.

An annual value for year Y is dated December Y (it covers the whole year), a monthly value
its month.
"""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from importlib import resources

from borderflow.errors import InputError

_PKG = "borderflow.scenario.drivers"
RULES = ("persistence", "trend")
#: values the trend is fitted on, by frequency
TREND_POINTS = {"annual": 5, "monthly": 12}
#: steps past the last value the trend is continued before it is held
TREND_HORIZON = {"annual": 5, "monthly": 24}
#: months averaged by the persistence rule of a monthly series
PERSISTENCE_MONTHS = 3
#: annual projections are written out up to this year (runs may last 50 years from 2019)
LAST_YEAR = 2080


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files(_PKG).joinpath(name)
    if not path.is_file():
        raise InputError(f"driver table '{name}' is not bundled", field="drivers",
                         expected="a file in borderflow/scenario/drivers")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=8)
def annual(name: str = "drivers_annual.csv") -> dict[tuple[str, str], dict[int, float]]:
    """{(country, indicator): {year: value}} from the annual driver table, as bundled."""
    out: dict[tuple[str, str], dict[int, float]] = {}
    for r in _rows(name):
        out.setdefault((r["country"], r["indicator"]), {})[int(r["year"])] = float(r["value"])
    return out


@lru_cache(maxsize=8)
def monthly_darien(name: str = "darien_transits.csv") -> dict[str, float]:
    """{"YYYY-MM": transits} of the Darien gap (Panama figures), as bundled."""
    return {r["month"]: float(r["transits"]) for r in _rows(name)}


def has(name: str) -> bool:
    return resources.files(_PKG).joinpath(name).is_file()


def _trend(values: list[float], steps: int, frequency: str) -> list[float]:
    """The ``trend`` rule's next ``steps`` values after ``values``."""
    pts = [v for v in values[-TREND_POINTS[frequency]:]]
    if len(pts) < 2 or min(pts) <= 0:
        return [values[-1]] * steps
    n = len(pts)
    xs = range(n)
    ys = [math.log(v) for v in pts]
    xm, ym = (n - 1) / 2.0, sum(ys) / n
    slope = (sum((x - xm) * (y - ym) for x, y in zip(xs, ys, strict=True))
             / sum((x - xm) ** 2 for x in xs))
    level = ym + slope * (n - 1 - xm)          # the fitted value at the last point
    horizon = TREND_HORIZON[frequency]
    return [math.exp(level + slope * min(k, horizon)) for k in range(1, steps + 1)]


def project(values: list[float], steps: int, rule: str, frequency: str) -> list[float]:
    """``steps`` values continuing ``values`` (oldest first) by ``rule`` (module doc)."""
    if rule not in RULES:
        raise InputError(f"unknown projection rule {rule!r}", field="drivers.projection",
                         expected=", ".join(RULES))
    if not values or steps <= 0:
        return []
    if rule == "trend":
        return _trend(values, steps, frequency)
    if frequency == "monthly":
        tail = values[-PERSISTENCE_MONTHS:]
        return [sum(tail) / len(tail)] * steps
    return [values[-1]] * steps


def annual_series(drv) -> dict[tuple[str, str], dict[int, float]]:
    """The annual driver table of scenario drivers ``drv``: values dated after
    ``drv.cut_at`` dropped, then every series projected by ``drv.projection`` to
    :data:`LAST_YEAR`."""
    tab = annual(drv.annual)
    cut = getattr(drv, "cut_at", None)
    rule = getattr(drv, "projection", "persistence")
    last_year = int(cut[:4]) - (cut[5:7] != "12") if cut else None
    out = {}
    for key, series in tab.items():
        years = sorted(y for y in series if last_year is None or y <= last_year)
        if not years:
            continue
        kept = {y: series[y] for y in years}
        steps = LAST_YEAR - years[-1]
        if cut is not None or rule != "persistence":
            for k, v in enumerate(project([kept[y] for y in years], steps, rule, "annual")):
                kept[years[-1] + 1 + k] = v
        out[key] = kept
    return out


def darien_series(drv, months: list[str]) -> list[float]:
    """Darien transits for each of ``months`` (sorted "YYYY-MM"): the bundled values up to
    ``drv.cut_at``, projected past them by ``drv.projection``; before the data, the first
    value."""
    tab = monthly_darien(drv.darien)
    cut = getattr(drv, "cut_at", None)
    rule = getattr(drv, "projection", "persistence")
    known = sorted(k for k in tab if cut is None or k <= cut)
    if not known:
        raise InputError(f"no Darien driver value up to {cut}", field="drivers.cut_at",
                         expected=f"a month from {min(tab)} on")
    values = [tab[k] for k in known]
    after = [mo for mo in months if mo > known[-1]]
    proj = dict(zip(after, project(values, len(after), rule, "monthly"), strict=True))
    return [tab[mo] if mo in tab and mo <= known[-1] else proj.get(mo, values[0])
            for mo in months]
