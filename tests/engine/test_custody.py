"""Release follows ICE custody, departures follow the release compatriots saw, and parole
replaces no more crossings than its pathway absorbs (engine.feedback.custody_step,
engine.feedback.value_step, engine.departures.parole_factor)."""

import numpy as np
import pandas as pd
import pytest

from borderflow.api import simulate
from borderflow.engine.departures import parole_factor
from borderflow.scenario import load_scenario
from borderflow.scenario.model import TimelineEvent
from borderflow.scenario.registry import NATIONALITIES

SRC = "test: custody"


def _with(sc, *events):
    return sc.model_copy(update={"timeline": [*sc.timeline, *events]})


def _beds(value, date="2018-01-01"):
    return TimelineEvent(date=date, lever="us_detention_beds", value=value, source=SRC)


def _release_share(res, not_mexico=True, nat=None):
    o = res.tables["outcomes"]
    rel = o[o["measure"] == "releases_us"]
    enc = res.encounters(by="citizenship")
    if nat is not None:
        rel, enc = rel[rel["citizenship"] == nat], enc[enc["citizenship"] == nat]
    elif not_mexico:
        rel, enc = rel[rel["citizenship"] != "Mexico"], enc[enc["citizenship"] != "Mexico"]
    return rel["people"].sum() / max(enc["encounters"].sum(), 1.0)


def _departures(res, months):
    o = res.tables["outcomes"]
    o = o[(o["measure"] == "departures") & o["month"].astype(str).isin(months)]
    return float(o["people"].sum())


@pytest.mark.parametrize("lam", [0.01, 1.0, 50.0, 5000.0])
@pytest.mark.parametrize("parole", [0.0, 0.5, 250.0, 1e5])
def test_parole_never_replaces_more_than_its_pathway(lam, parole):
    s = 0.7
    f = parole_factor(lam, parole, s)
    removed = lam * (1.0 - f)
    assert 0.0 < f <= 1.0
    assert removed <= s * parole + 1e-12 and removed <= s * lam + 1e-12
    if parole == 0.0:
        assert f == 1.0


def test_the_venezuelan_flow_survives_chnv_parole():
    # 7,500 paroles a month against a flow of a few thousand: the old subtraction took the
    # flow to its 10% floor; now the crossings removed are at most 0.7 of the flow
    f = parole_factor(3700 / 30.4, 7500 / 30.4, 0.7)
    assert f > 0.3


def test_release_follows_the_beds():
    # winter 2023-24, under Title 8 (the beds set after FY2024's event of 2023-10-01): the
    # fewer the adult beds, the more single adults are released (in the shipped
    # calibration the 21,767 beds of FY2024 do not bind then, as 1e6 do not)
    sc = load_scenario("historical").with_span("2023-11", "2024-02")
    few, some, ample = (_release_share(simulate(_with(sc, _beds(b, "2023-10-02")), seed=3,
                                                scale=100)) for b in (2000.0, 6000.0, 1e6))
    assert few > some + 0.05 and some > ample + 0.05


def _measure(res, measure, nat):
    o = res.tables["outcomes"]
    return float(o.loc[(o["measure"] == measure) & (o["citizenship"] == nat), "people"].sum())


def test_ice_holds_those_it_cannot_remove_and_releases_them_after_the_stay():
    """With beds for everyone, Venezuelans (no removal flight in 2022) are held by ICE, not
    released by the Border Patrol: those it cannot remove are released at the end of the
    stay (``ice_releases``), those a flight carries are removed.  With no beds they are
    released at the border."""
    sc = load_scenario("historical").with_span("2022-02", "2022-07")
    flights = TimelineEvent(date="2018-01-01", lever="us_removal_flights", value=1e6,
                            keys=["Venezuela"], source=SRC)
    ample = _beds(1e6, "2022-01-15")                  # after the FY2022 beds of 2021-10-01
    runs = {k: simulate(_with(sc, *e), seed=4, scale=100)
            for k, e in (("grounded", (ample,)), ("flights", (ample, flights)),
                         ("no beds", (_beds(0.0, "2022-01-15"),)))}
    usbp = {k: _release_share(r, nat="Venezuela") for k, r in runs.items()}
    ice = {k: _measure(r, "ice_releases", "Venezuela") for k, r in runs.items()}
    removed = {k: _measure(r, "removals_us", "Venezuela") for k, r in runs.items()}
    # held, not released at the border, whether or not a flight can remove them
    assert usbp["no beds"] > usbp["grounded"] + 0.2
    assert abs(usbp["grounded"] - usbp["flights"]) < 0.1
    # with no flight ICE releases them after the stay; with one it removes them
    assert ice["grounded"] > 0.5 * (ice["grounded"] + removed["grounded"])
    assert removed["flights"] > 0.9 * (ice["flights"] + removed["flights"]) > 0
    assert ice["no beds"] < 0.25 * ice["grounded"]        # (held before the beds went)
    # the stay: people held until release fill U.S. custody for weeks, not days
    custody = {k: float(r.tables["ledger"].query("state == 'us_custody'")["people"].mean())
               for k, r in runs.items()}
    assert custody["grounded"] > custody["no beds"] * 1.5


def _group_release(res, group):
    """USBP release share of family units or single adults (all citizenships but Mexico's,
    whose encounters the demographic table does not split by citizenship: so all)."""
    o = res.tables["outcomes"]
    rel = {m: float(o.loc[o["measure"] == m, "people"].sum())
           for m in ("releases_us", "family_releases", "child_placements")}
    enc = res.encounters(by="demographic").groupby("demographic")["encounters"].sum()
    if group == "family":
        return rel["family_releases"] / max(float(enc["Family Unit Individuals"]), 1.0)
    single = rel["releases_us"] - rel["family_releases"] - rel["child_placements"]
    return single / max(float(enc["Single Adults"]), 1.0)


def test_families_are_released_when_ice_has_no_family_beds():
    """From March 2021 ICE held no families: with beds and flights for every single adult,
    families are still released, and family beds for everyone hold them as adults are held
    (both at the policy's release)."""
    sc = load_scenario("historical").with_span("2023-06", "2023-10")
    adults = TimelineEvent(date="2018-01-01", lever="us_removal_flights", value=1e6,
                           keys=list(NATIONALITIES), source=SRC)
    fam_beds = TimelineEvent(date="2022-01-01", lever="us_family_beds", value=1e6, source=SRC)
    none = simulate(_with(sc, _beds(1e6), adults), seed=8, scale=100)
    ample = simulate(_with(sc, _beds(1e6), adults, fam_beds), seed=8, scale=100)
    assert _group_release(none, "family") > _group_release(none, "single") + 0.3
    assert _group_release(none, "family") > _group_release(ample, "family") + 0.3
    assert abs(_group_release(ample, "family") - _group_release(ample, "single")) < 0.15


def test_family_beds_fill_and_release_follows_them():
    """In 2019 ICE had 3,655 family beds, held about 20 days (Flores): against the families
    of the spring 2019 surge few can be held, and a tenth of the beds holds fewer still."""
    sc = load_scenario("historical").with_span("2019-02", "2019-06")
    few = TimelineEvent(date="2018-01-01", lever="us_family_beds", value=365.0, source=SRC)
    base = simulate(sc, seed=9, scale=100)
    tight = simulate(_with(sc, few), seed=9, scale=100)
    assert _group_release(tight, "family") > _group_release(base, "family") + 0.02
    assert _group_release(base, "family") > _group_release(base, "single") + 0.1


def test_longer_stays_hold_fewer_people():
    sc = load_scenario("historical").with_span("2019-02", "2019-06")
    long = TimelineEvent(date="2018-01-01", lever="us_detention_alos", value=120.0, source=SRC)
    assert (_release_share(simulate(_with(sc, long), seed=5, scale=100))
            > _release_share(simulate(sc, seed=5, scale=100)) + 0.03)


def test_a_surge_that_overloads_custody_raises_departures():
    """The loop: fewer beds -> more released -> the release compatriots see rises -> more
    departures, months later (the pull has the perception lag)."""
    sc = load_scenario("historical").with_span("2023-03", "2023-09")
    tight = _with(sc, _beds(2000.0, "2023-04-01"))
    seeds = (6, 7)
    runs = {k: [simulate(s, seed=x, scale=100) for x in seeds]
            for k, s in (("base", sc), ("tight", tight))}
    rel = {k: np.mean([_release_share(r) for r in v]) for k, v in runs.items()}
    late = ["2023-07", "2023-08", "2023-09"]
    early = ["2023-03"]
    dep = {k: np.mean([_departures(r, late) for r in v]) for k, v in runs.items()}
    dep0 = {k: np.mean([_departures(r, early) for r in v]) for k, v in runs.items()}
    assert rel["tight"] > rel["base"] + 0.05
    assert dep["tight"] > 1.05 * dep["base"]
    assert dep0["tight"] == dep0["base"]         # before the beds changed, the same draws


def test_mexicans_need_no_flight_and_are_released_when_custody_backs_up():
    """Mexicans are returned over land: no removal flight is needed, and they hold no ICE
    bed, but when the adult beds are full the custody they pass through backs up and they
    are released as often as the others are held less (the book-outs: Mexicans 1% released
    in spring 2019, 55% in December 2023, 8% in July 2024)."""
    sc = load_scenario("historical").with_span("2019-02", "2019-05")
    no_flight = TimelineEvent(date="2018-01-01", lever="us_removal_flights", value=0.0,
                              keys=["Mexico"], source=SRC)
    full = _release_share(simulate(_with(sc, _beds(100.0)), seed=8, scale=100), nat="Mexico")
    ample = _release_share(simulate(_with(sc, _beds(1e6)), seed=8, scale=100), nat="Mexico")
    grounded = _release_share(simulate(_with(sc, _beds(1e6), no_flight), seed=8, scale=100),
                              nat="Mexico")
    assert ample < 0.15 and full > ample + 0.4
    assert grounded == ample
    assert NATIONALITIES[0] == "Mexico"


def _removed(res, nat):
    o = res.tables["outcomes"]
    o = o[(o["measure"] == "removals_us") & (o["citizenship"] == nat)]
    return float(o["people"].sum())


def test_returns_to_mexico_need_no_bed_and_follow_the_cap():
    """Mexico accepting Venezuelans back (``us_return_mexico_cap``) gives Venezuelans, who
    have no removal flight, a removal path without ICE: with no bed, they are returned
    instead of released, about as many a month as the cap (the chance is the cap over the
    smoothed load, so a month above the load returns more), down to what policy releases
    when the cap is ample."""
    sc = load_scenario("historical").with_span("2022-02", "2022-07")
    no_beds = _beds(10.0, "2022-01-15")               # after the FY2022 beds of 2021-10-01
    cap, months = 1000.0, 6

    def ret(value):
        return TimelineEvent(date="2018-01-01", lever="us_return_mexico_cap", value=value,
                             keys=["Venezuela"], source=SRC)

    # three seeds: at one, the share policy releases moves by about 0.1 between seeds
    seeds = (9, 10, 11)
    runs = {k: [simulate(_with(sc, no_beds, *e), seed=x, scale=100) for x in seeds]
            for k, e in (("none", ()), ("cap", (ret(cap),)), ("ample", (ret(1e6),)))}
    rel = {k: np.mean([_release_share(r, nat="Venezuela") for r in rs])
           for k, rs in runs.items()}
    assert rel["none"] > 0.95                    # no flight, no bed: all released
    assert rel["none"] > rel["cap"] + 0.1 and rel["cap"] > rel["ample"] + 0.1
    for r in runs["none"]:
        enc = r.encounters(by="citizenship")
        enc_ve = float(enc.loc[enc["citizenship"] == "Venezuela", "encounters"].sum())
        # no flight, no return: nobody is removed but the few unaccompanied children that
        # uac_release does not release
        assert _removed(r, "Venezuela") <= 0.02 * enc_ve
    for r in runs["cap"]:
        assert 0.5 * cap * months < _removed(r, "Venezuela") < 1.5 * cap * months


def test_removal_from_cbp_custody_needs_a_flight_but_no_bed():
    """Under the 2024 rule (``us_cbp_removal_share``) those policy does not release are
    removed from CBP custody: with no family beds and few adult beds, families and adults
    with a removal flight are removed rather than released; without a flight they are
    still released."""
    sc = load_scenario("historical").with_span("2023-06", "2023-09")
    # after the flights to Cuba and Haiti the timeline sets
    flights = TimelineEvent(date="2023-05-01", lever="us_removal_flights", value=1e6,
                            keys=list(NATIONALITIES), source=SRC)
    grounded = TimelineEvent(date="2023-05-01", lever="us_removal_flights", value=0.0,
                             keys=list(NATIONALITIES), source=SRC)

    def cbp(value):
        return TimelineEvent(date="2018-01-01", lever="us_cbp_removal_share", value=value,
                             keys=list(NATIONALITIES), source=SRC)

    few = _beds(100.0, "2023-05-01")
    runs = {k: simulate(_with(sc, few, *e), seed=10, scale=100)
            for k, e in (("bed", (flights,)), ("cbp", (flights, cbp(1.0))),
                         ("grounded", (grounded, cbp(1.0))))}
    fam = {k: _group_release(r, "family") for k, r in runs.items()}
    single = {k: _group_release(r, "single") for k, r in runs.items()}
    assert fam["bed"] > 0.9 and fam["cbp"] < fam["bed"] - 0.3
    assert single["cbp"] < single["bed"] - 0.3
    assert fam["grounded"] > 0.9 and single["grounded"] > fam["cbp"] + 0.3


def _t8_per_day(res, months):
    e = res.tables["encounters"]
    e = e[(e["component"] == "USBP") & (e["authority"] == "Title 8")
          & e["month"].astype(str).isin(months)]
    days = sum(pd.Period(m, "M").days_in_month for m in months)
    return float(e["encounters"].sum()) / days


def test_border_patrol_custody_releases_what_it_has_no_room_for():
    """Past ``cbp_overflow_threshold`` x ``us_cbp_holding_capacity`` people in Border Patrol
    custody (Title 8 encounters a day x ``us_custody_days``), the share it has no room for
    is released, Mexicans included, while the May 2023 memo (``us_cbp_overflow_release``)
    is in force.  The capacity is in people, like the load: set to half the room the run's
    own load needs, about half of those policy does not release are released (a unit slip
    would give none or all); with the memo off the capacity changes nothing."""
    months = ["2023-07", "2023-08"]
    sc = load_scenario("historical").with_span("2023-06", "2023-08")
    ample = (_beds(1e6), TimelineEvent(date="2018-01-01", lever="us_removal_flights",
                                       value=1e6, keys=list(NATIONALITIES), source=SRC))

    def room(value):
        return TimelineEvent(date="2018-01-01", lever="us_cbp_holding_capacity", value=value,
                             source=SRC)

    # the memo off from its first day (the historical timeline puts it in force from
    # 2023-05-11; a later "set" alone would leave that one day on)
    memo_off = TimelineEvent(date="2023-05-11", lever="us_cbp_overflow_release", value=0.0,
                             source=SRC)
    wide = simulate(_with(sc, *ample, room(1e6)), seed=11, scale=100)
    held = _t8_per_day(wide, months) * 3.0                  # us_custody_days
    half = held / 1.25 / 2.0                                  # room for half the load
    tight = simulate(_with(sc, *ample, room(half)), seed=11, scale=100)
    off = simulate(_with(sc, *ample, room(half), memo_off), seed=11, scale=100)
    mx = {k: _release_share(r, nat="Mexico") for k, r in
          (("wide", wide), ("tight", tight), ("off", off))}
    assert mx["wide"] < 0.15
    assert 0.35 < mx["tight"] < 0.8
    # of all those policy holds (every citizenship), about half are released
    all_wide, all_tight = _release_share(wide), _release_share(tight)
    assert 0.35 < (all_tight - all_wide) / (1.0 - all_wide) < 0.8
    assert mx["off"] == mx["wide"]
