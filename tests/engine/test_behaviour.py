"""Direction of effect of the behaviour mechanisms (smuggling market, diplomacy, visas, aid,
backlog, stranding), averaged over seeds with common random numbers."""

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.compare import compare, metrics
from borderflow.engine.calendar import make_calendar
from borderflow.engine.diplomacy import effort
from borderflow.engine.levers import resolve_levers, resolve_parameters
from borderflow.ensemble.spec import RunSpec
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters

SHIPPED = shipped_parameters()


def _median_diff(cmp, metric):
    return cmp.runs.loc[cmp.runs["metric"] == metric, "diff"].median()


@pytest.fixture(scope="module")
def funnel():
    a = load_scenario("historical").with_span("2021-01", "2021-12")
    b = load_scenario("tijuana_crackdown").with_span("2021-01", "2021-12")
    return compare(a, b, RunSpec(runs=3, scale=50, seed=4))


def test_funnel_effect(funnel):
    assert _median_diff(funnel, "encounters San Diego, CA") < 0
    assert _median_diff(funnel, "encounters other sectors") > 0
    assert _median_diff(funnel, "remote crossing share") > 0


def test_funnel_more_deaths_per_crossing():
    # the mechanism alone (no fitted residual sector shifts, which move where displaced
    # crossers go).  Expected deaths (summed chances of dying): the handful of sampled
    # deaths of a small run moves by +-30 per 100k between seeds, which hides a 4% effect.
    kw = {}
    a = load_scenario("historical").with_span("2021-04", "2021-09").with_parameters(**kw)
    b = load_scenario("tijuana_crackdown").with_span("2021-04", "2021-09").with_parameters(**kw)
    # 12 paired runs: the effect (about +0.3 per 100,000 crossings with the shipped
    # calibration) is positive on average at more than twice its standard error
    cmp = compare(a, b, RunSpec(runs=12, scale=20, seed=9))
    d = cmp.runs.loc[cmp.runs["metric"] == "expected deaths per 100,000 crossings", "diff"]
    assert d.mean() > 2 * d.std(ddof=1) / np.sqrt(len(d)) and d.median() > 0, d.tolist()


def _effort(sc):
    cal = make_calendar(sc.start, sc.end)
    p = resolve_parameters(sc, SHIPPED)
    return effort(resolve_levers(sc, cal), p)


def test_tariff_fast_strong_short_cooperation_slow_sustained(historical):
    base = historical.with_span("2019-01", "2019-12")
    base = base.model_copy(update={"timeline": [e for e in base.timeline if e.lever not in (
        "us_tariff_threat", "us_cooperation")]})
    tariff = base.with_levers()  # copy
    from borderflow.scenario.model import TimelineEvent

    def with_event(sc, lever, end):
        ev = TimelineEvent(date="2019-05-01", end=end, lever=lever, value=1, source="test event")
        return sc.model_copy(update={"timeline": [*sc.timeline, ev]})

    e_tariff = _effort(with_event(tariff, "us_tariff_threat", "2019-06-01"))
    e_coop = _effort(with_event(base, "us_cooperation", None))
    day_start = 120  # 2019-05-01
    # faster and stronger at first
    assert e_tariff[day_start + 20] > e_coop[day_start + 20]
    # short-lived: by December the tariff response has faded below cooperation's
    assert e_tariff[-1] < e_coop[-1]
    assert e_tariff[-1] < e_tariff[day_start + 31]


def test_tariff_threat_raises_mexican_departures(historical):
    base = historical.with_span("2019-04", "2019-08")
    off = base.model_copy(update={"timeline": [e for e in base.timeline
                                               if e.lever != "us_tariff_threat"]})
    cmp = compare(off, base, RunSpec(runs=3, scale=50, seed=2))
    # the threat raises Mexican enforcement: more apprehensions in Mexico
    assert _median_diff(cmp, "Mexico apprehended") > 0


def test_deportations_need_repatriation_agreements():
    a = load_scenario("deportation_push").with_span("2022-01", "2022-08")
    b = load_scenario("deportation_push_no_agreements").with_span("2022-01", "2022-08")
    cmp = compare(a, b, RunSpec(runs=2, scale=50, seed=1))
    assert _median_diff(cmp, "Mexico deported") < 0
    assert _median_diff(cmp, "Mexico released") > 0


def _nat_encounters(res, nat):
    e = res.tables["encounters"]
    return e.loc[e["citizenship"] == nat, "encounters"].sum()


SEEDS6 = (1, 2, 3, 4, 5, 6)


def test_visa_shifts_to_darien_and_raises_deaths_there():
    a = load_scenario("historical").with_span("2022-01", "2022-10").with_parameters(
        hazard_scale=2.0)
    b = load_scenario("visa_restrictions").with_span("2022-01", "2022-10").with_parameters(
        hazard_scale=2.0)

    def darien(res):
        # expected deaths (the agents' chances, not the few sampled deaths) in the Darien
        cr = res.tables["crossings"]
        here = cr["crossing"].str.contains("Necocl|Darién|Bajo", regex=True)
        o = res.tables["outcomes"]
        return (float(cr.loc[here, "expected_deaths"].sum()),
                float(o.loc[o["measure"] == "darien_crossings", "people"].sum()))

    da = np.sum([darien(simulate(a, seed=s, scale=50)) for s in SEEDS6], axis=0)
    db = np.sum([darien(simulate(b, seed=s, scale=50)) for s in SEEDS6], axis=0)
    assert db[1] > 1.05 * da[1]          # the air route closed: more cross the Darien
    assert db[0] > da[0]                 # and more die there


def test_aid_lowers_departures_after_a_lag(historical):
    base = historical.with_span("2019-01", "2023-12")
    aid = load_scenario("root_causes_aid").with_span("2019-01", "2023-12")

    def departures(res, years):
        o = res.tables["outcomes"]
        o = o[(o["measure"] == "departures") & o["citizenship"].isin(["Guatemala", "Honduras"])]
        return o[o["month"].str[:4].isin(years)]["people"].sum()

    ra, rb = simulate(base, seed=3, scale=100), simulate(aid, seed=3, scale=100)
    early = departures(rb, ["2019", "2020"]) / departures(ra, ["2019", "2020"])
    late = departures(rb, ["2022", "2023"]) / departures(ra, ["2022", "2023"])
    assert abs(early - 1) < 0.05          # nothing before the lag
    assert late < 0.95                    # less push afterwards


def test_fees_rise_with_enforcement_inelastically(historical):
    base = historical.with_span("2019-01", "2019-03")
    r1 = simulate(base, seed=1, scale=200)
    r3 = simulate(base.with_levers(us_bp_posture=3.0), seed=1, scale=200)
    f1, f3 = r1.tables["fees"]["fee_usd"].mean(), r3.tables["fees"]["fee_usd"].mean()
    assert 1.1 < f3 / f1 < 1.4            # x3 enforcement -> fees +17-30% (Gathmann 2008)


def test_abandonment_raises_deaths(historical):
    # paired runs (common random numbers) on the expected deaths per 100,000 crossings,
    # which do not carry the sampling noise of a few hundred deaths
    from borderflow.compare import compare

    base = historical.with_span("2019-05", "2019-09").with_parameters(hazard_scale=2.0)
    none = base.with_parameters(hazard_scale=2.0, abandonment_share=0.0)
    many = base.with_parameters(hazard_scale=2.0, abandonment_share=0.5)
    cmp = compare(none, many, RunSpec(runs=4, scale=50, seed=1))
    rows = cmp.runs[cmp.runs["metric"] == "expected deaths per 100,000 crossings"]
    assert rows["diff"].min() > 0.2 * rows["a"].mean()


def test_backlog_grows_with_releases_and_court_capacity_shrinks_it(historical):
    base = historical.with_span("2021-01", "2021-12")
    more_courts = base.with_levers(us_court_completions=80000.0)
    b0 = simulate(base, seed=1, scale=100).tables["backlog"]["pending_cases"]
    b1 = simulate(more_courts, seed=1, scale=100).tables["backlog"]["pending_cases"]
    assert b0.iloc[-1] > b0.iloc[0]
    assert b1.iloc[-1] < b0.iloc[-1]


def test_waiting_stock_reported(historical):
    res = simulate(historical.with_span("2023-06", "2023-08"), seed=1, scale=100)
    w = res.tables["waiting"]
    assert {"month", "city", "people"} == set(w.columns)
    assert w["people"].sum() > 0
    assert metrics(res)["waiting in border cities (mean)"] > 0


def test_crackdown_picks_up_people_waiting(historical):
    base = historical.with_span("2023-06", "2023-09")
    cities = ["Tijuana", "Ciudad Juárez", "Reynosa", "Matamoros", "Piedras Negras"]
    hit = base.with_levers(mx_city_crackdown={c: 1.0 for c in cities})
    cmp = compare(base, hit, RunSpec(runs=2, scale=50, seed=5))
    assert _median_diff(cmp, "Mexico apprehended") > 0

    def waiting_there(sc):
        # people waiting in (or expelled to) the cities of the crackdown: route choice may
        # move others to the cities spared, so the corridor's total need not fall
        w = [simulate(sc, seed=s, scale=50).tables["waiting"] for s in (5, 6)]
        return sum(float(x.loc[x["city"].isin(cities), "people"].sum()) for x in w)

    assert waiting_there(hit) < waiting_there(base)


def test_crackdown_spares_mexican_nationals(historical):
    base = historical.with_span("2023-06", "2023-08")
    cities = ["Tijuana", "Ciudad Juárez", "Reynosa", "Matamoros", "Piedras Negras"]
    hit = base.with_levers(mx_city_crackdown={c: 1.0 for c in cities}).with_parameters(
        crackdown_pickup=0.5)
    res = simulate(hit, seed=3, scale=100)
    mx = res.tables["mexico"]
    caught = mx[mx["measure"] == "apprehended"].groupby("citizenship")["people"].sum()
    assert caught.drop("Mexico", errors="ignore").sum() > 0
    assert caught.get("Mexico", 0) == 0          # INM detains foreigners only


def test_capacity_bounds_what_pressure_adds_not_the_scenarios_staffing():
    # Mexico's capacity limits what U.S. pressure adds to its checkpoint staffing; staffing
    # the scenario sets itself (a deployment, a fitted class magnitude) is never cut to it,
    # so the whole range of the staff surge's magnitude acts
    from borderflow.engine.diplomacy import apply_pressure

    days, states = 5, 3
    lv = {"mx_checkpoint_staff": np.array([[1.0] * states, [2.5] * states, [3.55] * states,
                                            [6.0] * states, [1.0] * states]),
          "us_tariff_threat": np.array([[0.0], [1.0], [1.0], [1.0], [0.0]]),
          "us_cooperation": np.zeros((days, 1)),
          "origin_shock": np.ones((days, 14))}
    p = {**resolve_parameters(load_scenario("historical"), SHIPPED), "mx_capacity_max": 3.0,
         "tariff_gain": 5.0, "tariff_response_days": 1.0, "tariff_decay_days": 1.0}
    staff = apply_pressure(lv, p)["mx_checkpoint_staff"][:, 0]
    assert staff[0] == 1.0
    assert staff[1] == 3.0            # pressure lifts 2.5 up to the capacity, no further
    assert staff[2] == 3.55           # the scenario's own staffing above capacity stands
    assert staff[3] == 6.0
    no_pressure = apply_pressure({**lv, "us_tariff_threat": np.zeros((days, 1))}, p)
    assert np.array_equal(no_pressure["mx_checkpoint_staff"], lv["mx_checkpoint_staff"])
