"""Scenario schema (pydantic v2): levers, parameters, drivers and a dated timeline.

A scenario is pure data.  Levers are policy choices, parameters behavioural
constants (with unit and source), drivers exogenous series, and the timeline
dated interventions that change levers over a period.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from importlib import resources
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from borderflow.errors import closest, did_you_mean
from borderflow.scenario.drivers import is_user_id
from borderflow.scenario.registry import EVENT_MAGNITUDES, KEYS, LEVERS, PARAMETERS

SCHEMA_VERSION = 1
_YM = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
#: years a scenario's months and dates may lie in
YEAR_MIN, YEAR_MAX = 2000, 2100
#: first month a run may start: the driver tables and the calibration begin here
FIRST_MONTH = "2019-01"
#: largest factor of a timeline ``multiply`` (its result is then held within the lever's
#: bounds, as ``engine.levers.resolve_levers`` always did)
FACTOR_MAX = 100.0
#: a validation message that lists several problems: lines "@<field>\t<message>"
PROBLEM = "@"


def _problems(items: list[tuple[str, str]]) -> ValueError:
    """One ValueError carrying several (field, message) problems (see :data:`PROBLEM`)."""
    return ValueError("\n".join(f"{PROBLEM}{loc}\t{msg}" for loc, msg in items))


_DATE_FORM = f"expected YYYY-MM-DD, from {YEAR_MIN}-01-01 to {YEAR_MAX}-12-31"


def _parse_date(v: object) -> object:
    """A YAML or JSON date: invalid calendar dates (2019-02-30) and values that are not
    dates (a number, a list, a time of day) named clearly."""
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError as exc:
            raise ValueError(f"'{v}' is not a date ({exc}); {_DATE_FORM}") from None
    if isinstance(v, dt.datetime):
        if v.time() != dt.time(0) or v.tzinfo is not None:
            raise ValueError(f"'{v}' is a date with a time of day; {_DATE_FORM}")
        return v
    if not isinstance(v, dt.date):
        raise ValueError(f"{v!r} is not a date; {_DATE_FORM}")
    return v


def _month_text(v: object) -> object:
    """A month must be text YYYY-MM: a YAML date (2019-01-01) or number (201901) is named
    with the expected form."""
    if not isinstance(v, str):
        what = f"{v} is a date, not a month" if isinstance(v, dt.date) else f"{v!r} is not a month"
        raise ValueError(f"{what}; expected YYYY-MM in quotes, e.g. \"2019-01\"")
    return v


def _date_range(v: dt.date) -> dt.date:
    if not YEAR_MIN <= v.year <= YEAR_MAX:
        raise ValueError(f"{v} is outside the supported years {YEAR_MIN} to {YEAR_MAX}")
    return v


Date = Annotated[dt.date, BeforeValidator(_parse_date), AfterValidator(_date_range)]


def driver_tables() -> list[str]:
    """Ids of the bundled driver tables (the CSV files of ``borderflow.scenario.drivers``)."""
    files = resources.files("borderflow.scenario.drivers").iterdir()
    return sorted(p.name for p in files if p.name.endswith(".csv"))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


Value = float | dict[str, float]


def _check_keys(where: str, name: str, keys: list[str]) -> None:
    space = (LEVERS.get(name) or PARAMETERS[name]).keys
    allowed = KEYS.get(space)
    if space == "none":
        raise ValueError(f"{where}: '{name}' takes a single number, not keys")
    if allowed is not None:
        bad = [k for k in keys if k not in allowed]
        if bad:
            hints = [f"'{m}' for '{k}'" if len(bad) > 1 else f"'{m}'"
                     for k in bad if (m := closest(k, allowed))]
            hint = f"did you mean {', '.join(hints)}? " if hints else ""
            raise ValueError(f"{where}: unknown {space} {bad} for '{name}'; {hint}allowed: "
                             + ", ".join(allowed))


def _allowed(e) -> str:
    lo, hi = e.bounds
    return f"allowed {lo:g} to {hi:g}" + (f" ({e.unit})" if e.unit else "")


def _check_value(where: str, name: str, value: Value) -> None:
    e = LEVERS.get(name) or PARAMETERS[name]
    lo, hi = e.bounds
    items = value.items() if isinstance(value, dict) else [("", value)]
    for k, v in items:
        if not lo <= v <= hi:          # NaN and infinities fail too: the bounds are finite
            label = f"{name}[{k!r}]" if k else name
            raise ValueError(f"{where}: {label}={v} outside its domain, {_allowed(e)}")
    if isinstance(value, dict):
        _check_keys(where, name, list(value))


class Prior(_Frozen):
    distribution: Literal["uniform", "loguniform", "normal"]
    low: float
    high: float


def _text(v: str, least: int) -> str:
    """Refuse text without at least ``least`` characters other than spaces (kept as
    written)."""
    if len(v.strip()) < least:
        raise ValueError(f"{v!r} has {len(v.strip())} characters other than spaces; expected "
                         f"at least {least}, naming where it comes from")
    return v


class Parameter(_Frozen):
    value: Value
    unit: str | None = None
    source: str = Field(min_length=1, description="where the value comes from, or 'calibrated'")
    prior: Prior | None = None

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        return _text(v, 1)


class TimelineEvent(_Frozen):
    date: Date
    end: Date | None = Field(None, description="exclusive end date; open-ended when omitted")
    lever: str
    op: Literal["set", "multiply", "add"] = "set"
    value: float | None = Field(None, description="the lever's new value, factor or increment; "
                                "omitted only for a class with a fitted magnitude "
                                "(registry.EVENT_MAGNITUDES), which the event then takes")
    keys: list[str] | Literal["all"] = "all"
    source: str = Field(min_length=3, description="where the event is documented")
    note: str = ""
    event_class: str = Field("", description="class of an event whose magnitude is an "
                             "estimate (e.g. us_asylum_restriction): a forecast or backtest "
                             "from an earlier origin gives it the magnitude of the class's "
                             "latest member before the origin, or none "
                             "(validate.origin.honest_events)")

    # each check is a field validator, so that every problem of an event is reported at once
    @field_validator("end")
    @classmethod
    def _end(cls, v: dt.date | None, info: ValidationInfo) -> dt.date | None:
        date = info.data.get("date")
        if v is not None and date is not None and v <= date:
            raise ValueError(f"end {v} is not after date {date}")
        return v

    @field_validator("lever")
    @classmethod
    def _lever(cls, v: str) -> str:
        if v not in LEVERS:
            raise ValueError(f"unknown lever '{v}'; {did_you_mean(v, LEVERS)}allowed: "
                             + ", ".join(sorted(LEVERS)))
        return v

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        return _text(v, 3)

    @field_validator("value")
    @classmethod
    def _value(cls, v: float | None, info: ValidationInfo) -> float | None:
        if v is None:
            return v
        if not math.isfinite(v):
            raise ValueError(f"value {v} is not a finite number")
        lever, op = info.data.get("lever"), info.data.get("op")
        if lever not in LEVERS:
            return v
        e = LEVERS[lever]
        lo, hi = e.bounds
        if op == "set":
            _check_value("value", lever, v)
        elif op == "multiply" and not 0 <= v <= FACTOR_MAX:
            raise ValueError(f"multiply by {v:g} is outside the allowed factors 0 to "
                             f"{FACTOR_MAX:g} (the result is held within {lever}'s domain, "
                             f"{_allowed(e).removeprefix('allowed ')})")
        elif op == "add" and not abs(v) <= hi - lo:
            raise ValueError(f"add {v:g} is outside the allowed {-(hi - lo):g} to {hi - lo:g} "
                             f"(the width of {lever}'s domain, "
                             f"{_allowed(e).removeprefix('allowed ')})")
        return v

    @field_validator("event_class")
    @classmethod
    def _fitted_magnitude(cls, v: str, info: ValidationInfo) -> str:
        if "value" not in info.data or info.data["value"] is not None:
            return v
        lever, op = info.data.get("lever"), info.data.get("op")
        fitted = ", ".join(f"{c} ({lv} {o})" for c, (lv, o, *_) in EVENT_MAGNITUDES.items())
        if v not in EVENT_MAGNITUDES:
            raise ValueError(f"an event without a value needs an event_class with a fitted "
                             f"magnitude, not {v!r}; allowed: {fitted}")
        if EVENT_MAGNITUDES[v][:2] != (lever, op):
            raise ValueError(f"event class {v} fits a {EVENT_MAGNITUDES[v][1]} of "
                             f"{EVENT_MAGNITUDES[v][0]}, not a {op} of {lever}; allowed: {fitted}")
        return v

    @field_validator("keys", mode="before")
    @classmethod
    def _keys_form(cls, v: object, info: ValidationInfo) -> object:
        if isinstance(v, str) and v != "all":
            lever = info.data.get("lever")
            allowed = KEYS.get(LEVERS[lever].keys) if lever in LEVERS else None
            example = f"[{v}]" if allowed and v in allowed else "[Cuba, Haiti]"
            raise ValueError(f"keys {v!r} is neither 'all' nor a list; expected 'all' or a "
                             f"list of names, e.g. {example}")
        return v

    @field_validator("keys")
    @classmethod
    def _keys(cls, v: list[str] | str, info: ValidationInfo) -> list[str] | str:
        lever = info.data.get("lever")
        if v != "all" and not v:
            space = LEVERS[lever].keys if lever in LEVERS else None
            allowed = KEYS.get(space) if space else None
            raise ValueError("keys [] names no key, so the event would change nothing; "
                             "expected 'all' or a list of at least one "
                             + (f"{space} ({', '.join(allowed)})" if allowed else "key"))
        if v != "all" and lever in LEVERS:
            _check_keys("keys", lever, list(v))
        return v


class Drivers(_Frozen):
    annual: str = Field("drivers_annual.csv", description="bundled annual driver table")
    projection: Literal["persistence", "trend"] = Field(
        "persistence", description="rule that extends a driver past its last value "
        "(borderflow.scenario.drivers: persistence holds it, trend continues a log-linear "
        "trend of the last 5 years or 12 months)")
    cut_at: str | None = Field(
        None, description="YYYY-MM: driver values dated after this month (the origin of a "
        "forecast) are dropped and projected by the rule")

    @field_validator("cut_at", mode="before")
    @classmethod
    def _cut_form(cls, v: object) -> object:
        return v if v is None else _month_text(v)

    @field_validator("cut_at")
    @classmethod
    def _cut_month(cls, v: str | None) -> str | None:
        if v is not None and not _YM.match(v):
            raise ValueError(f"cut_at must be YYYY-MM, got {v!r}")
        return v

    @field_validator("annual")
    @classmethod
    def _bundled(cls, v: str) -> str:
        # ids of tables shipped in the package, never paths: a shared scenario must not
        # read files elsewhere on the machine
        tables = driver_tables()
        if v not in tables and not is_user_id(v):
            raise ValueError(f"'{v}' is not a bundled driver table (drivers are named by id, "
                             "not by path); allowed: " + ", ".join(tables) + ", or the id of "
                             "a table added with borderflow run --drivers-annual")
        return v


class Scenario(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    title: str
    question: str = Field("", description="the question this scenario answers")
    base: str | None = Field(None, description="bundled scenario this one extends: its levers, "
                             "parameters and timeline come first, this file's after")
    start: str = Field(description="first month, YYYY-MM")
    end: str = Field(description="last month, YYYY-MM (inclusive)")
    levers: dict[str, Value] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    drivers: Drivers = Field(default_factory=Drivers)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    # field validators (not one model validator), so that all problems come at once
    @field_validator("start", "end", mode="before")
    @classmethod
    def _month_form(cls, v: object) -> object:
        return _month_text(v)

    @field_validator("start", "end")
    @classmethod
    def _month(cls, v: str, info: ValidationInfo) -> str:
        if not _YM.match(v):
            raise ValueError(f"'{v}' is not a month in the form YYYY-MM")
        if not YEAR_MIN <= int(v[:4]) <= YEAR_MAX:
            raise ValueError(f"{v} is outside the supported years {YEAR_MIN} to {YEAR_MAX}")
        first = (info.context or {}).get("first_month")   # scenario files, run --start
        if first and info.field_name == "start" and v < first:
            raise ValueError(f"start {v} is before {first}, where the bundled driver data "
                             f"and the calibration begin; allowed: {first} to {YEAR_MAX}-12")
        return v

    @field_validator("end")
    @classmethod
    def _span(cls, v: str, info: ValidationInfo) -> str:
        start = info.data.get("start")
        if start is None:
            return v
        if v < start:
            raise ValueError(f"end {v} is before start {start}")
        if int(v[:4]) - int(start[:4]) > 50:
            raise ValueError("a horizon longer than 50 years is not supported")
        return v

    @field_validator("levers")
    @classmethod
    def _levers(cls, v: dict[str, Value]) -> dict[str, Value]:
        bad = []
        for name, value in v.items():
            if name not in LEVERS:
                bad.append((f"levers.{name}", f"unknown lever '{name}'; "
                            f"{did_you_mean(name, LEVERS)}allowed: "
                            + ", ".join(sorted(LEVERS))))
                continue
            try:
                _check_value(f"levers.{name}", name, value)
            except ValueError as exc:
                bad.append((f"levers.{name}", str(exc).removeprefix(f"levers.{name}: ")))
        if bad:
            raise _problems(bad)
        return v

    @field_validator("parameters")
    @classmethod
    def _params(cls, v: dict[str, Parameter]) -> dict[str, Parameter]:
        bad = []
        for name, p in v.items():
            where = f"parameters.{name}"
            if name not in PARAMETERS:
                bad.append((where, f"unknown parameter '{name}'; "
                            f"{did_you_mean(name, PARAMETERS)}allowed: "
                            + ", ".join(sorted(PARAMETERS))))
                continue
            try:
                _check_value(where, name, p.value)
            except ValueError as exc:
                bad.append((where, str(exc).removeprefix(f"{where}: ")))
        if bad:
            raise _problems(bad)
        return v

    def with_levers(self, **levers: Value) -> Scenario:
        """A copy with some levers set (validated)."""
        merged = {**self.levers, **levers}
        return Scenario.model_validate({**self.model_dump(), "levers": merged})

    def with_parameters(self, **values: Value) -> Scenario:
        """A copy with some parameter values replaced (source: 'set by caller')."""
        params = dict(self.model_dump()["parameters"])
        for k, v in values.items():
            params[k] = {"value": v, "source": "set by caller"}
        return Scenario.model_validate({**self.model_dump(), "parameters": params})

    def with_span(self, start: str | None = None, end: str | None = None, *,
                  first_month: str | None = None) -> Scenario:
        """A copy over another span; ``first_month``: refuse a start before it (the CLI and
        the API pass :data:`FIRST_MONTH`; warm-ups of forecasts may start earlier)."""
        return Scenario.model_validate({**self.model_dump(), "start": start or self.start,
                                        "end": end or self.end},
                                       context={"first_month": first_month})
