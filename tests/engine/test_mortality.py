"""The chance of dying on a segment: sampled deaths and their expected value agree."""

import math

import numpy as np
import pytest

from borderflow.engine.constants import F_DYING, F_RESCUED, M_BUS, M_FOOT, X_NONE, X_REMOTE
from borderflow.engine.mortality import death_of_day, edge_fate, fate_chances
from borderflow.engine.rand import make_state
from borderflow.engine.simulate import Simulation
from borderflow.engine.tables import ModelRef, compiled
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters

SHIPPED = shipped_parameters()


@pytest.fixture(scope="module")
def model():
    """A model whose network arrays are replaced by one edge of each test's kind."""
    sc = load_scenario("historical").with_span("2019-01", "2019-01")
    return Simulation(sc, seed=0, scale=100, parameters=SHIPPED)


def _draws(sim, n, mode, crossing, hazard, rescue, seed=1):
    """``n`` fates on a 3-day edge in a day whose heat factor is 1.5 (hazard scale 0.5,
    no abandonment)."""
    N = sim.inputs.N._replace(mode=np.array([mode], np.int8),
                              crossing=np.array([crossing], np.int8),
                              hazard=np.array([hazard]), days=np.array([3], np.int16))
    K = sim.inputs.K._replace(hazard_scale=0.5, rescue_share=rescue, abandonment_share=0.0)
    D = sim.inputs.D._replace(season=np.full(1, 1.5))
    m = sim.model
    rng = make_state(np.random.SeedSequence(seed))
    model = ModelRef(m.A, m.C, m.F, compiled(K), compiled(D), compiled(N), m.R, m.Q, rng)
    death_of_day(model, 0)
    chances = fate_chances(model.F.edge_p, 0, 0)
    shares = (model.K.abandonment_share, model.K.rescue_share)
    flags, risks = np.empty(n, int), np.empty(n)
    for k in range(n):
        f, _, r = edge_fate(chances, 0, True, crossing, 3, shares, rng)
        flags[k], risks[k] = f, r
    return flags, risks


def test_risk_is_the_chance_of_dying_after_rescue(model):
    h = 0.02 * 0.5 * 3 * 1.5                        # hazard x scale x days x season (foot)
    _, risks = _draws(model, 10, M_FOOT, X_REMOTE, 0.02, 0.3)
    assert np.allclose(risks, (1 - math.exp(-h)) * 0.7)
    _, risks = _draws(model, 10, M_BUS, X_NONE, 0.02, 0.3)  # no season on a bus, no rescue
    assert np.allclose(risks, 1 - math.exp(-0.02 * 0.5 * 3))  # off the border
    assert _draws(model, 5, M_FOOT, X_REMOTE, 0.0, 0.3)[1].max() == 0.0


def test_sampled_deaths_match_the_expected_ones(model):
    flags, risks = _draws(model, 200_000, M_FOOT, X_REMOTE, 0.05, 0.4)
    dying = (flags == F_DYING).sum()
    assert abs(dying - risks.sum()) < 4 * math.sqrt(risks.sum())   # 4 binomial s.d.
    assert (flags == F_RESCUED).sum() > 0


def test_area_multipliers_scale_the_hazard_of_their_segments_only():
    from borderflow.engine.mortality import border_area, edge_hazard
    from borderflow.scenario.registry import BORDER_AREAS
    from borderflow.world.network import load_network

    net = load_network()
    lat = (net.node_lat[net.edge_src] + net.node_lat[net.edge_dst]) / 2
    lon = (net.node_lon[net.edge_src] + net.node_lon[net.edge_dst]) / 2
    area = border_area(lat, lon)
    mult = np.ones(len(BORDER_AREAS))
    mult[1] = 4.0                                              # Arizona
    h = edge_hazard(net, mult)
    base = net.edge_hazard.astype(np.float64)
    assert (area == 1).any() and (area == -1).any()          # Arizona, and outside the box
    assert np.allclose(h[area == 1], 4.0 * base[area == 1])
    assert np.allclose(h[area != 1], base[area != 1])
    assert np.array_equal(edge_hazard(net, np.ones(len(BORDER_AREAS))), base)


def test_area_multipliers_move_deaths_between_areas():
    from borderflow.api import simulate
    from borderflow.scenario import load_scenario

    def tucson_share(arizona):
        sc = load_scenario("historical").with_span("2019-01", "2019-06").with_parameters(
            hazard_by_area={"Arizona": arizona})
        cr = simulate(sc, seed=5, scale=200).tables["crossings"]
        by = cr.groupby("sector")["expected_deaths"].sum()
        return by.get("Tucson, AZ", 0.0) / by.sum()

    # expected deaths have no sampling noise, and route choice ignores the multiplier
    one, four = tucson_share(1.0), tucson_share(4.0)
    assert one > 0 and four > 1.5 * one
