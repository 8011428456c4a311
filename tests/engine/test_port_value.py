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
