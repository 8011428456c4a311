"""Every lever and parameter has a finite domain; values outside it, and timeline
``multiply``/``add`` whose operand is outside its domain, are refused naming the field and the
allowed range; whatever validates resolves to finite values within the bounds."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.engine.calendar import make_calendar
from borderflow.engine.levers import resolve_levers
from borderflow.errors import InputError
from borderflow.scenario import parse_scenario
from borderflow.scenario.model import FACTOR_MAX
from borderflow.scenario.registry import LEVERS, PARAMETERS

HEAD = 'id: t\ntitle: T\nstart: "2019-01"\nend: "2019-03"\n'
ENTRIES = sorted({**LEVERS, **PARAMETERS})
floats = st.floats(allow_nan=True, allow_infinity=True, width=64)


def test_every_entry_has_a_finite_domain_holding_its_default():
    for e in [*LEVERS.values(), *PARAMETERS.values()]:
        lo, hi = e.bounds
        assert math.isfinite(lo) and math.isfinite(hi) and lo <= hi, e.name
        vals = e.default.values() if isinstance(e.default, dict) else [e.default]
        assert all(lo <= v <= hi for v in vals), e.name


def _entry_yaml(name: str, value: float) -> str:
    v = repr(float(value)).replace("nan", ".nan").replace("inf", ".inf")
    if name in LEVERS:
        return HEAD + f"levers:\n  {name}: {v}\n"
    return HEAD + f"parameters:\n  {name}: {{value: {v}, source: test}}\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(name=st.sampled_from(ENTRIES), value=floats)
def test_values_are_accepted_exactly_inside_the_domain(name, value):
    e = LEVERS.get(name) or PARAMETERS[name]
    text = _entry_yaml(name, value)     # a keyed entry takes one number for all its keys
    lo, hi = e.bounds
    if lo <= value <= hi:
        parse_scenario(text)
    else:
        with pytest.raises(InputError) as exc:
            parse_scenario(text, origin="d.yaml")
        msg = str(exc.value)
        assert name in msg and f"allowed {lo:g} to {hi:g}" in msg and "d.yaml" in msg


def _event(lever: str, op: str, value: float) -> str:
    v = repr(float(value)).replace("nan", ".nan").replace("inf", ".inf")
    return HEAD + ("timeline:\n  - {date: 2019-02-01, end: 2019-03-01, lever: " + lever
                   + f", op: {op}, value: {v}, source: test}}\n")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(lever=st.sampled_from(sorted(LEVERS)), op=st.sampled_from(["set", "multiply", "add"]),
       value=floats)
def test_timeline_ops_resolve_within_the_bounds_or_are_refused(lever, op, value):
    lo, hi = LEVERS[lever].bounds
    ok = (math.isfinite(value)
          and {"set": lo <= value <= hi, "multiply": 0 <= value <= FACTOR_MAX,
               "add": abs(value) <= hi - lo}[op])
    if not ok:
        with pytest.raises(InputError) as exc:
            parse_scenario(_event(lever, op, value), origin="ev.yaml")
        assert "timeline.0.value" in str(exc.value) and "ev.yaml" in str(exc.value)
        return
    sc = parse_scenario(_event(lever, op, value))
    arr = _resolve(sc)[lever]
    assert np.isfinite(arr).all() and (arr >= lo).all() and (arr <= hi).all()


def _resolve(sc):
    return resolve_levers(sc, make_calendar(sc.start, sc.end))


def test_engine_refuses_a_non_finite_event_that_skipped_validation():
    """``model_copy(update=...)`` skips validation: the engine still refuses NaN."""
    from borderflow.scenario.model import TimelineEvent

    sc = parse_scenario(HEAD)
    ev = TimelineEvent.model_construct(date=dt.date(2019, 2, 1), end=None,
                                       lever="origin_shock", op="multiply", value=float("nan"),
                                       keys="all", source="test", note="")
    with pytest.raises(InputError, match="origin_shock"):
        _resolve(sc.model_copy(update={"timeline": [ev]}))
