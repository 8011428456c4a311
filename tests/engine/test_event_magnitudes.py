"""Event classes with one fitted magnitude (registry.EVENT_MAGNITUDES): a timeline event of
such a class that states no value takes ``magnitude_<class>``; one stating a value keeps
it; a class magnitude can only apply to its class's lever and operation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from borderflow.engine.calendar import make_calendar
from borderflow.engine.levers import event_value, resolve_levers, resolve_parameters
from borderflow.errors import InputError
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.load import parse_scenario
from borderflow.scenario.registry import EVENT_MAGNITUDES, PARAMETERS

SCENARIO = """
schema_version: 1
id: surge
title: a surge
start: "2023-10"
end: "2024-03"
timeline:
  - {event_class: mx_staff_surge, date: 2023-12-27, lever: mx_checkpoint_staff,
     op: multiply, source: "a documented surge"}
"""


def _staff(sc, magnitude):
    sc = sc.with_parameters(magnitude_mx_staff_surge=magnitude)
    cal = make_calendar(sc.start, sc.end)
    p = resolve_parameters(sc, shipped_parameters())
    return resolve_levers(sc, cal, params=p)["mx_checkpoint_staff"], cal


def test_an_event_without_a_value_takes_its_class_magnitude():
    sc = parse_scenario(SCENARIO)
    for m in (1.5, 3.0):
        staff, cal = _staff(sc, m)
        after, before = cal.index(dt.date(2024, 1, 10)), cal.index(dt.date(2023, 12, 1))
        assert np.allclose(staff[after] / staff[before], m)


def test_a_stated_value_wins_over_the_class_magnitude():
    sc = parse_scenario(SCENARIO.replace("op: multiply,", "op: multiply, value: 1.25,"))
    staff, cal = _staff(sc, 3.0)
    after, before = cal.index(dt.date(2024, 1, 10)), cal.index(dt.date(2023, 12, 1))
    assert np.allclose(staff[after] / staff[before], 1.25)


def test_without_parameters_the_prior_applies():
    (ev,) = parse_scenario(SCENARIO).timeline
    assert event_value(ev) == PARAMETERS["magnitude_mx_staff_surge"].default == 2.0


@pytest.mark.parametrize("change,needle", [
    ("event_class: mx_staff_surge", "event_class: mx_deportation_flights"),
    ("lever: mx_checkpoint_staff", "lever: mx_flight_capacity"),
])
def test_a_value_can_be_omitted_only_for_a_fitted_class_of_that_lever(change, needle):
    with pytest.raises(InputError) as err:
        parse_scenario(SCENARIO.replace(change, needle))
    text = str(err.value)
    assert "mx_staff_surge (mx_checkpoint_staff multiply)" in text


def test_the_historical_members_of_every_fitted_class_state_no_value():
    sc = load_scenario("historical")
    fitted = {e.event_class for e in sc.timeline if e.value is None}
    assert fitted == set(EVENT_MAGNITUDES)
    assert all(e.value is None for e in sc.timeline if e.event_class in EVENT_MAGNITUDES)
