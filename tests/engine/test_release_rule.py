"""One meaning of the release rule: the chance the border states (usborder.release_chance)
is the chance its draws give (title42_applies, then title8_outcome: released by the Border
Patrol or by ICE at the end of a stay), for every family status, with Title 42 shares
strictly between 0 and 1."""

import datetime as dt

import numpy as np
import pytest
from numba import njit

from borderflow.engine import usborder
from borderflow.engine.calendar import make_calendar
from borderflow.engine.constants import F_RELEASE_ICE, F_RELEASE_US
from borderflow.engine.levers import resolve_levers
from borderflow.engine.simulate import Simulation
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES

SHIPPED = shipped_parameters()

DRAWS = 1_000_000


@njit(cache=True)
def _released(M, nat, demo, d, n) -> int:
    k = 0
    for _ in range(n):
        if usborder.title42_applies(M, nat, demo, d):
            continue
        f = usborder.title8_outcome(M, nat, demo, d)
        if f == F_RELEASE_US or f == F_RELEASE_ICE:
            k += 1
    return k


@pytest.fixture(scope="module")
def model():
    sc = load_scenario("historical").with_span("2020-06", "2020-07").with_levers(
        us_title42={n: 0.6 for n in NATIONALITIES}, us_title42_family_share=0.5,
        us_title42_uac=0.5, us_mpp_share=0.2)
    sc = sc.model_copy(update={"timeline": []})
    sim = Simulation(sc, seed=9, scale=200, parameters=SHIPPED)
    sim.advance(150)
    return sim


@pytest.mark.parametrize("nat", ["Mexico", "Honduras", "Venezuela"])
@pytest.mark.parametrize("demo", range(len(DEMOGRAPHICS)))
def test_drawn_release_agrees_with_the_stated_chance(model, nat, demo):
    n, d = NATIONALITIES.index(nat), model.day - 1
    expect = usborder.release_chance(model.model, n, demo, d)
    got = _released(model.model, n, demo, d, DRAWS) / DRAWS
    assert 0.0 < expect < 1.0
    assert abs(got - expect) < 4.0 * np.sqrt(expect * (1 - expect) / DRAWS) + 1e-9


@pytest.fixture(scope="module")
def by_nationality():
    """Title 42 for every nationality, families expelled with a share of their own."""
    shares = {n: 0.3 for n in NATIONALITIES} | {"Venezuela": 1.0, "Honduras": 0.0}
    sc = load_scenario("historical").with_span("2020-06", "2020-07").with_levers(
        us_title42={n: 1.0 for n in NATIONALITIES}, us_title42_family_share=shares,
        us_title42_uac=0.0, us_mpp_share=0.0)
    sc = sc.model_copy(update={"timeline": []})
    sim = Simulation(sc, seed=9, scale=200, parameters=SHIPPED)
    sim.advance(150)
    return sim


def test_the_family_share_expelled_is_the_nationalitys_own(by_nationality):
    """Under Title 42 a nationality whose families are all expelled releases none of them,
    one whose families are all excepted releases them as Title 8 does, and a third releases
    in between; stated and drawn alike."""
    M, d = by_nationality.model, by_nationality.day - 1
    fam = DEMOGRAPHICS.index("Family Unit Individuals")
    chance = {n: usborder.release_chance(M, NATIONALITIES.index(n), fam, d)
              for n in ("Venezuela", "Honduras", "Guatemala")}
    assert chance["Venezuela"] == 0.0
    assert chance["Honduras"] > chance["Guatemala"] > 0.0
    assert _released(M, NATIONALITIES.index("Venezuela"), fam, d, 100_000) == 0
    for n in ("Honduras", "Guatemala"):
        got = _released(M, NATIONALITIES.index(n), fam, d, DRAWS) / DRAWS
        p = chance[n]
        assert abs(got - p) < 4.0 * np.sqrt(p * (1 - p) / DRAWS) + 1e-9


def test_the_historical_extensions_of_title42_expel_families():
    """The extensions of Title 42 to Venezuelans (2022-10-12) and to Cubans, Haitians and
    Nicaraguans (2023-01-05) expelled families too; the others keep the general share."""
    sc = load_scenario("historical")
    cal = make_calendar("2022-01", "2023-12")
    lv = resolve_levers(sc, cal)["us_title42_family_share"]
    col = {n: NATIONALITIES.index(n) for n in NATIONALITIES}
    nov, feb = cal.index(dt.date(2022, 11, 1)), cal.index(dt.date(2023, 2, 1))
    after = cal.index(dt.date(2023, 6, 1))
    assert lv[nov, col["Venezuela"]] == 1.0 and lv[nov, col["Cuba"]] < 1.0
    for n in ("Venezuela", "Cuba", "Haiti", "Nicaragua"):
        assert lv[feb, col[n]] == 1.0
        assert lv[after, col[n]] == lv[after, col["Honduras"]]
    assert lv[feb, col["Honduras"]] < 1.0
