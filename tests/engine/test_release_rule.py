"""One meaning of the release rule: the chance the border states (usborder.release_chance)
is the chance its draws give (title42_applies, then title8_outcome: released by the Border
Patrol or by ICE at the end of a stay), for every family status, with Title 42 shares
strictly between 0 and 1."""

import numpy as np
import pytest
from numba import njit

from borderflow.engine import usborder
from borderflow.engine.constants import F_RELEASE_ICE, F_RELEASE_US
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
