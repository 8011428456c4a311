"""The ports in the value of an attempt and in the route choice: a port parole is an entry
compatriots see like a release (engine.feedback.value_step), and a port that gives no
appointments is not a crossing anyone lines up for (engine.kernel.take_route)."""

import numpy as np

from borderflow.api import simulate
from borderflow.scenario import load_scenario
from borderflow.scenario.model import TimelineEvent

SRC = "test: ports"


def _measure(res, measure, months=None):
    o = res.tables["outcomes"]
    o = o[o["measure"] == measure]
    if months is not None:
        o = o[o["month"].astype(str).isin(months)]
    return float(o["people"].sum())


def test_a_closed_port_gives_no_appointments_and_nobody_lines_up_for_it():
    # Title 42 closed the ports to asylum seekers (no appointments, 2020-03-20 to
    # 2023-01-12): nobody waits in line for one and nobody is paroled at a port; the same
    # months with the ports open have both
    sc = load_scenario("historical").with_span("2021-01", "2021-04")
    opened = sc.model_copy(update={"timeline": [*sc.timeline, TimelineEvent(
        date="2021-01-01", lever="us_port_daily_cap", value=1000.0, source=SRC)]})
    closed_run, open_run = simulate(sc, seed=1, scale=100), simulate(opened, seed=1, scale=100)
    assert _measure(closed_run, "port_queue_days") == 0.0
    assert _measure(closed_run, "port_paroles") == 0.0
    assert _measure(open_run, "port_paroles") > 0.0


def test_port_paroles_count_in_the_release_compatriots_see():
    """More appointments -> more compatriots enter at a port -> the share of those who got
    in rises -> more departures, after the perception lag; before the ports change, the
    same draws."""
    sc = load_scenario("historical").with_span("2023-06", "2023-12")
    more = sc.model_copy(update={"timeline": [*sc.timeline, TimelineEvent(
        date="2023-07-01", lever="us_port_daily_cap", value=6000.0, source=SRC)]})
    seeds = (2, 3)
    runs = {k: [simulate(s, seed=x, scale=100) for x in seeds]
            for k, s in (("base", sc), ("more", more))}
    late, early = ["2023-10", "2023-11", "2023-12"], ["2023-06"]

    def mean(k, measure, months):
        return np.mean([_measure(r, measure, months) for r in runs[k]])

    assert mean("more", "port_paroles", late) > mean("base", "port_paroles", late)
    assert mean("more", "departures", late) > 1.08 * mean("base", "departures", late)
    assert mean("more", "departures", early) == mean("base", "departures", early)


def _closing(day):
    sc = load_scenario("historical").with_span("2023-06", "2023-12")
    return sc.model_copy(update={"timeline": [*sc.timeline, TimelineEvent(
        date=day, lever="us_port_daily_cap", value=0.0, source=SRC)]})


def test_the_line_breaks_up_the_day_its_port_closes():
    # those in line for an appointment when the ports stop giving them do not wait out
    # their patience (60 days) for slots that no longer come
    r = simulate(_closing("2023-09-01"), seed=1, scale=100)
    assert _measure(r, "port_queue_days", ["2023-08"]) > 0.0
    assert _measure(r, "port_queue_days", ["2023-09", "2023-10"]) == 0.0


def test_a_port_that_closed_since_departure_holds_back_those_who_came_for_it():
    """The Cubans came for a port parole (the status it opens): when the ports close, those
    already on the way weigh the port they have lost, so fewer cross between the ports than
    if the prospects had been judged between the ports alone (the border response off)."""
    sc = _closing("2023-09-01")
    months = ["2023-09", "2023-10", "2023-11"]

    def cubans(s):
        e = [simulate(s, seed=x, scale=100).encounters(by="citizenship") for x in (1, 2)]
        return sum(float(x[(x["citizenship"] == "Cuba")
                           & x["month"].astype(str).isin(months)]["encounters"].sum())
                   for x in e)

    weighed = cubans(sc)
    off = cubans(sc.with_parameters(border_response=0.0))
    assert weighed < 0.8 * off, (weighed, off)
