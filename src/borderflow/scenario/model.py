"""Scenario schema (pydantic v2): levers, parameters, drivers and a dated timeline.

A scenario is pure data.  Levers are policy choices, parameters behavioural
constants (with unit and source), drivers exogenous series, and the timeline
dated interventions that change levers over a period.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from borderflow.scenario.registry import KEYS, LEVERS, PARAMETERS

SCHEMA_VERSION = 1
_YM = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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
            raise ValueError(f"{where}: unknown {space} {bad} for '{name}'; allowed: "
                             + ", ".join(allowed))


def _check_value(where: str, name: str, value: Value) -> None:
    e = LEVERS.get(name) or PARAMETERS[name]
    lo, hi = e.bounds
    vals = value.values() if isinstance(value, dict) else [value]
    for v in vals:
        if not lo <= v <= hi:
            raise ValueError(f"{where}: {name}={v} outside [{lo}, {hi}] ({e.unit})")
    if isinstance(value, dict):
        _check_keys(where, name, list(value))


class Prior(_Frozen):
    distribution: Literal["uniform", "loguniform", "normal"]
    low: float
    high: float


class Parameter(_Frozen):
    value: Value
    unit: str | None = None
    source: str = Field(min_length=1, description="where the value comes from, or 'calibrated'")
    prior: Prior | None = None


class TimelineEvent(_Frozen):
    date: dt.date
    end: dt.date | None = Field(None, description="exclusive end date; open-ended when omitted")
    lever: str
    op: Literal["set", "multiply", "add"] = "set"
    value: float
    keys: list[str] | Literal["all"] = "all"
    source: str = Field(min_length=3, description="where the event is documented")
    note: str = ""

    @model_validator(mode="after")
    def _valid(self) -> TimelineEvent:
        if self.lever not in LEVERS:
            raise ValueError(f"unknown lever '{self.lever}'; allowed: " + ", ".join(sorted(LEVERS)))
        if self.end is not None and self.end <= self.date:
            raise ValueError(f"end {self.end} is not after date {self.date}")
        if self.keys != "all":
            _check_keys("keys", self.lever, list(self.keys))
        if self.op == "set":
            _check_value("value", self.lever, self.value)
        return self


class Drivers(_Frozen):
    annual: str = Field("drivers_annual.csv", description="bundled annual driver table")
    darien: str = Field("darien_transits.csv", description="bundled Darien transit driver")
    projection: Literal["persistence", "trend"] = Field(
        "persistence", description="rule that extends a driver past its last value "
        "(borderflow.scenario.drivers: persistence holds it, trend continues a log-linear "
        "trend of the last 5 years or 12 months)")
    cut_at: str | None = Field(
        None, description="YYYY-MM: driver values dated after this month (the origin of a "
        "forecast) are dropped and projected by the rule")

    @field_validator("cut_at")
    @classmethod
    def _cut_month(cls, v: str | None) -> str | None:
        if v is not None and not _YM.match(v):
            raise ValueError(f"cut_at must be YYYY-MM, got {v!r}")
        return v


class Latent(_Frozen):
    """Residual push and sector series estimated by ``borderflow calibrate`` (MODEL.md
    mechanism 1, "shocks"; see docs/calibration.md): a value per knot, interpolated between
    knots and held beyond the first and last."""

    knots: list[dt.date] = Field(min_length=1, description="centre date of each fitting window")
    push: dict[str, list[float]] = Field(
        default_factory=dict, description="nationality -> departures multiplier per knot")
    sector: dict[str, list[float]] = Field(
        default_factory=dict, description="sector -> added route utility per knot")
    breaks: dict[str, list[dt.date]] = Field(
        default_factory=dict, description="nationality -> dates the departures multiplier is "
        "not interpolated across (dated policy changes for that nationality)")

    @model_validator(mode="after")
    def _valid(self) -> Latent:
        if any(b <= a for a, b in zip(self.knots, self.knots[1:], strict=False)):
            raise ValueError("latent.knots must be strictly increasing dates")
        n = len(self.knots)
        for table, space, lo, hi in (("push", "nationality", 1e-3, 1e3),
                                     ("sector", "sector", -10.0, 10.0)):
            allowed = KEYS[space]
            for k, vals in getattr(self, table).items():
                if k not in allowed:
                    raise ValueError(f"latent.{table}: unknown {space} '{k}'; allowed: "
                                     + ", ".join(allowed))
                if len(vals) != n:
                    raise ValueError(f"latent.{table}['{k}'] has {len(vals)} values for {n} knots")
                bad = [v for v in vals if not lo <= v <= hi]
                if bad:
                    raise ValueError(f"latent.{table}['{k}']: {bad[0]} outside [{lo}, {hi}]")
        bad_keys = sorted(set(self.breaks) - set(KEYS["nationality"]))
        if bad_keys:
            raise ValueError(f"latent.breaks: unknown nationality '{bad_keys[0]}'; allowed: "
                             + ", ".join(KEYS["nationality"]))
        return self


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
    latent: Latent | None = Field(None, description="residual push and sector series; "
                                  "omitted: the set shipped with the calibrated parameters")

    @field_validator("start", "end")
    @classmethod
    def _month(cls, v: str) -> str:
        if not _YM.match(v):
            raise ValueError(f"'{v}' is not a month in the form YYYY-MM")
        return v

    @field_validator("levers")
    @classmethod
    def _levers(cls, v: dict[str, Value]) -> dict[str, Value]:
        for name, value in v.items():
            if name not in LEVERS:
                raise ValueError(f"unknown lever '{name}'; allowed: " + ", ".join(sorted(LEVERS)))
            _check_value(f"levers.{name}", name, value)
        return v

    @field_validator("parameters")
    @classmethod
    def _params(cls, v: dict[str, Parameter]) -> dict[str, Parameter]:
        for name, p in v.items():
            if name not in PARAMETERS:
                raise ValueError(f"unknown parameter '{name}'; allowed: "
                                 + ", ".join(sorted(PARAMETERS)))
            _check_value(f"parameters.{name}", name, p.value)
        return v

    @model_validator(mode="after")
    def _span(self) -> Scenario:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        y0, y1 = int(self.start[:4]), int(self.end[:4])
        if y1 - y0 > 50:
            raise ValueError("a horizon longer than 50 years is not supported")
        return self

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

    def with_latent(self, latent: Latent | dict | None) -> Scenario:
        """A copy with another latent set (``None``: the shipped one)."""
        lat = latent.model_dump() if isinstance(latent, Latent) else latent
        return Scenario.model_validate({**self.model_dump(), "latent": lat})

    def with_span(self, start: str | None = None, end: str | None = None) -> Scenario:
        return Scenario.model_validate({**self.model_dump(), "start": start or self.start,
                                        "end": end or self.end})
