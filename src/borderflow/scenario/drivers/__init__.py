"""Bundled driver series (exogenous inputs): read from the package, never from observations."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from borderflow.errors import InputError

_PKG = "borderflow.scenario.drivers"


def _rows(name: str) -> list[dict[str, str]]:
    path = resources.files(_PKG).joinpath(name)
    if not path.is_file():
        raise InputError(f"driver table '{name}' is not bundled", field="drivers",
                         expected="a file in borderflow/scenario/drivers")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=8)
def annual(name: str = "drivers_annual.csv") -> dict[tuple[str, str], dict[int, float]]:
    """{(country, indicator): {year: value}} from the annual driver table."""
    out: dict[tuple[str, str], dict[int, float]] = {}
    for r in _rows(name):
        out.setdefault((r["country"], r["indicator"]), {})[int(r["year"])] = float(r["value"])
    return out


@lru_cache(maxsize=8)
def monthly_darien(name: str = "darien_transits.csv") -> dict[str, float]:
    """{"YYYY-MM": transits} of the Darien gap (Panama figures)."""
    return {r["month"]: float(r["transits"]) for r in _rows(name)}


def has(name: str) -> bool:
    return resources.files(_PKG).joinpath(name).is_file()
