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

A user's own driver table comes through the command line (``borderflow run
--drivers-annual FILE``), never through a path in a scenario:
:func:`add_user_table` checks it and stores a copy under its content hash in the user data
directory (``$BORDERFLOW_DATA_DIR`` or ``~/.local/share/borderflow``, folder ``drivers``),
and the scenario names it by that id (``user-<sha256 prefix>.csv``), so its hash covers
the table's content.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from borderflow.errors import InputError
from borderflow.scenario.registry import NATIONALITIES

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


_USER_ID = re.compile(r"^user-[0-9a-f]{16}\.csv$")
#: the largest user driver file read
MAX_USER_BYTES = 5_000_000
#: columns of a user driver table, by kind
USER_COLUMNS = {"annual": ("country", "year", "indicator", "value")}


def is_user_id(name: str) -> bool:
    """Whether ``name`` is the id of a user driver table (``user-<16 hex>.csv``)."""
    return bool(_USER_ID.match(name))


def user_dir() -> Path:
    """Where user driver tables are stored."""
    base = os.environ.get("BORDERFLOW_DATA_DIR") or os.path.join(
        os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "borderflow")
    return Path(base) / "drivers"


def _rows(name: str) -> list[dict[str, str]]:
    if is_user_id(name):
        path = user_dir() / name
        if not path.is_file():
            raise InputError(f"user driver table '{name}' is not in {user_dir()}",
                             field="drivers", expected="a table added with borderflow run "
                             "--drivers-annual FILE")
        data = path.read_bytes()
        if f"user-{hashlib.sha256(data).hexdigest()[:16]}.csv" != name:
            raise InputError("the stored table does not match its content hash",
                             file=str(path), field="drivers")
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
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


@lru_cache(maxsize=2)
def monthly_encounters(name: str = "usbp_encounters_citizenship.csv"
                       ) -> dict[str, dict[str, float]]:
    """{"YYYY-MM": {citizenship: people}}: USBP Southwest border encounters by the model's
    citizenships (CBP/OHSS, the bundled observation store; the citizenships the model does
    not name summed as "Other"; built by ``scripts/build_encounters_driver.py``), as
    bundled.  Runs read only the months before their first day."""
    out: dict[str, dict[str, float]] = {}
    for r in _rows(name):
        out.setdefault(r["month"], {})[r["citizenship"]] = float(r["encounters"])
    return out


@lru_cache(maxsize=2)
def monthly_family_status(name: str = "cbp_encounters_family_status.csv"
                          ) -> dict[str, dict[tuple[str, str], float]]:
    """{"YYYY-MM": {(citizenship, family status): people}}: CBP Southwest border encounters
    by the model's citizenships and family status (FY2020-FY2023), and as citizenship "All"
    USBP's Southwest encounters of every citizenship by family status (from FY2013); built
    by ``scripts/build_family_driver.py``, as bundled.  Runs read only the months up to
    their drivers' cut."""
    out: dict[str, dict[tuple[str, str], float]] = {}
    for r in _rows(name):
        out.setdefault(r["month"], {})[(r["citizenship"], r["demographic"])] = float(r["encounters"])
    return out


@lru_cache(maxsize=2)
def venezuelan_stock(name: str = "venezuelan_stock_abroad.csv") -> dict[str, float]:
    """{"YYYY-MM-DD": persons}: Venezuelan refugees and migrants in the 17 R4V countries of
    Latin America and the Caribbean, as reported by host governments on each dated release
    (R4V); built by ``scripts/build_stock_driver.py``, as bundled."""
    return {r["date"]: float(r["persons"]) for r in _rows(name)}


def has(name: str) -> bool:
    if is_user_id(name):
        return (user_dir() / name).is_file()
    return resources.files(_PKG).joinpath(name).is_file()


def _check_user_row(kind: str, row: dict, where: dict) -> None:
    """One row of a user driver table against its domain (InputError naming the line)."""

    def bad(field, msg, expected):
        raise InputError(msg, **where, field=field, expected=expected)

    if kind == "annual":
        if row["country"] not in NATIONALITIES:
            bad("country", f"unknown country {row['country']!r}", ", ".join(NATIONALITIES))
        indicators = sorted({k[1] for k in annual()})
        if row["indicator"] not in indicators:
            bad("indicator", f"unknown indicator {row['indicator']!r}", ", ".join(indicators))
        try:
            year = int(row["year"])
        except ValueError:
            bad("year", f"not a year: {row['year']!r}", "a whole number from 1950 to 2100")
        if not 1950 <= year <= 2100:
            bad("year", f"year {year} out of range", "a whole number from 1950 to 2100")
        value, field, top = row["value"], "value", 1e10
    else:
        if not re.fullmatch(r"(19[5-9]\d|20\d\d|2100)-(0[1-9]|1[0-2])", row["month"]):
            bad("month", f"not a month: {row['month']!r}", "YYYY-MM from 1950-01 to 2100-12")
        value, field, top = row["transits"], "transits", 1e7
    try:
        x = float(value)
    except ValueError:
        bad(field, f"not a number: {value!r}", f"a number from 0 to {top:g}")
    if not (math.isfinite(x) and 0.0 <= x <= top):
        bad(field, f"value {value} out of range", f"a number from 0 to {top:g}")


def add_user_table(path: str | Path, kind: str) -> str:
    """Check a user driver table (``kind`` "annual" or "darien", the bundled tables'
    columns), store a copy under its content hash and return its id."""
    if kind not in USER_COLUMNS:
        raise InputError(f"unknown driver kind {kind!r}", expected=", ".join(USER_COLUMNS))
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", file=str(p))
    if p.stat().st_size > MAX_USER_BYTES:
        raise InputError(f"file larger than {MAX_USER_BYTES:,} bytes", file=str(p))
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(p)) from None
    reader = csv.DictReader(io.StringIO(text))
    cols = USER_COLUMNS[kind]
    missing = [c for c in cols if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"missing column {missing[0]!r}", file=str(p), field=missing[0],
                         expected="columns " + ", ".join(cols))
    n = 0
    for n, row in enumerate(reader, start=1):
        _check_user_row(kind, row, {"file": str(p), "line": n + 1})
    if n == 0:
        raise InputError("no rows", file=str(p), expected="one row per value")
    name = f"user-{hashlib.sha256(data).hexdigest()[:16]}.csv"
    target = user_dir() / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return name


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
