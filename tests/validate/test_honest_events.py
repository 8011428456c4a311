"""Estimated magnitudes of events after a forecast origin are what was known at the origin
(validate.origin.honest_events)."""

from borderflow.scenario import load_scenario
from borderflow.validate.origin import forecast_inputs, honest_events


def _event(sc, date, lever):
    return [e for e in sc.timeline if str(e.date) == date and e.lever == lever]


def test_a_class_with_no_earlier_member_is_neutral():
    sc, changed = honest_events(load_scenario("historical"), "2019-05")
    (ban,) = _event(sc, "2019-07-16", "us_release_rate")
    assert ban.op == "multiply" and ban.value == 1.0
    assert not _event(sc, "2020-03-20", "us_title42_family_share")     # a set is dropped
    assert {"date": "2019-07-16", "lever": "us_release_rate", "class": "us_asylum_restriction",
            "stated": None, "used": 1.0, "basis": "no earlier member: neutral"} in changed
    # a fitted class with no member by the origin: its later members are dropped or neutral
    assert not _event(sc, "2023-12-27", "mx_city_crackdown")
    (surge,) = _event(sc, "2023-12-27", "mx_checkpoint_staff")
    assert surge.value == 1.0


def test_a_later_member_takes_the_latest_earlier_magnitude():
    sc, _ = honest_events(load_scenario("historical"), "2023-03")
    (flights,) = _event(sc, "2023-10-01", "mx_flight_capacity")   # a hand-set class
    assert flights.value == 1.0
    sc, _ = honest_events(load_scenario("historical"), "2023-11")
    (beds,) = _event(sc, "2024-03-23", "us_detention_beds")
    assert beds.value == 21767.0               # the FY2024 value known at the origin


def test_a_later_member_of_a_fitted_class_keeps_the_class_magnitude():
    # the fit at the origin saw the class's earlier members only, so its fitted magnitude
    # is what was known there
    base = load_scenario("historical")
    sc, changed = honest_events(base, "2024-05")
    (rule,) = _event(sc, "2024-06-05", "us_release_rate")
    assert rule.value is None and rule.event_class == "us_asylum_restriction"
    sc, _ = honest_events(base, "2023-11")
    (move,) = _event(sc, "2024-01-01", "mx_transfer_south_share")
    assert move.value is None
    assert not any(c["class"] == "mx_transfer_south" for c in changed)


def test_policy_facts_and_earlier_events_enter_as_stated():
    base = load_scenario("historical")
    sc, _ = honest_events(base, "2023-11")
    for date, lever in (("2020-03-20", "us_title42"), ("2023-01-05", "us_parole_monthly_cap"),
                        ("2023-09-22", "mx_city_crackdown"), ("2023-05-11", "us_release_rate")):
        assert _event(sc, date, lever) == _event(base, date, lever)


def test_forecast_inputs_list_what_they_changed():
    _, info = forecast_inputs("historical", "2023-11", 3)
    got = {(c["date"], c["lever"]): c["used"] for c in info["estimates_at_origin"]}
    assert got[("2023-12-27", "mx_checkpoint_staff")] == 1.0


def test_beds_after_the_origin_hold_the_last_value_known_there():
    # the beds open to border arrests subtract a fiscal year's mean of observed interior
    # detainees, so a later fiscal year's value is not known at the origin
    sc, _ = honest_events(load_scenario("historical"), "2022-09")
    later = [e.value for e in sc.timeline
             if e.lever == "us_detention_beds" and str(e.date) > "2022-09-30"]
    assert later and set(later) == {28310.0}        # the FY2022 value
