"""Young networks (MODEL.md mechanism 1): a run starts each citizenship's network where the
year of encounters before its first day left it, and a young network grows with its own
arrivals."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.engine import departures
from borderflow.engine.inputs import resolve_parameters
from borderflow.scenario import drivers
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import NATIONALITIES

VE, MX = NATIONALITIES.index("Venezuela"), NATIONALITIES.index("Mexico")


@pytest.fixture(scope="module")
def params(historical):
    return resolve_parameters(historical, shipped_parameters())


def test_start_is_the_share_of_the_year_before_against_the_share_of_base(params):
    table = drivers.monthly_encounters()
    months = [m for m in sorted(table) if m < "2018-09"][-12:]
    assert months[0] == "2017-09" and months[-1] == "2018-08"
    pseudo = params["network_start_pseudocount"]
    seen = np.array([sum(table[m][n] + pseudo for m in months) for n in NATIONALITIES])
    base = np.asarray(params["base_departures"], float)
    expected = (seen / seen.sum()) / (base / base.sum())
    got = departures.network_start(params, "2018-09")
    assert np.allclose(got, expected, rtol=1e-12)
    # Venezuelans barely came through the Border Patrol in 2017-2018 (130 people in the
    # published figures): their network starts far from mature, Mexicans' near it
    assert got[VE] < 0.05 and 0.5 < got[MX] < 1.5


def test_only_months_before_the_first_day_are_read(params, monkeypatch):
    table = drivers.monthly_encounters()
    before = departures.network_start(params, "2018-09")
    changed = {m: ({n: v * (1000.0 if m >= "2018-09" else 1.0) for n, v in row.items()})
               for m, row in table.items()}
    monkeypatch.setattr(drivers, "monthly_encounters", lambda: changed)
    assert np.array_equal(departures.network_start(params, "2018-09"), before)


def test_no_months_or_none_before_the_table_starts_every_network_mature(params):
    assert np.array_equal(departures.network_start(dict(params, network_start_months=0),
                                                   "2018-09"), np.ones(len(NATIONALITIES)))
    assert np.array_equal(departures.network_start(params, "2005-01"),
                          np.ones(len(NATIONALITIES)))


def _venezuelans(sc, year: str) -> float:
    """Venezuelan USBP encounters in ``year`` of one run (seed 3, scale 50)."""
    enc = simulate(sc, seed=3, scale=50).encounters(by="citizenship")
    enc = enc[(enc.citizenship == "Venezuela") & enc.month.astype(str).str.startswith(year)]
    return float(enc["encounters"].sum())


def test_a_young_network_grows_with_its_arrivals(historical):
    # with the observed start the Venezuelan flow of 2019 is a fraction of what a mature
    # network gives, and it grows year on year as its arrivals build the network
    sc = historical.with_span("2019-01", "2021-12")

    mature = sc.with_parameters(network_start_months=0)
    assert _venezuelans(sc, "2019") < 0.6 * _venezuelans(mature, "2019")
    assert _venezuelans(sc, "2021") > 2.0 * _venezuelans(sc, "2019")


def test_an_emptied_network_keeps_its_seed_at_every_scale(params):
    # a citizenship whose recent arrivals the run's own draws left at zero keeps the
    # momentum of the start's pseudocount (so it can grow again), and the momentum of
    # the same people is the same whether an agent is 10 or 200 people
    from borderflow.engine.feedback import momentum

    e, clip = params["network_elasticity"], params["network_clip"]
    per_day = 12.0 / 365.25
    ref = 1500.0 * per_day * params["network_reference_success"]     # people a day
    seed = params["network_start_pseudocount"] * per_day
    empty = momentum(0.0, seed, ref, e, clip)
    assert empty == pytest.approx((seed / ref) ** e) and empty > 1e-3
    for arrivals in (0.0, 3.0, 40.0, 1e5):
        at = [momentum(arrivals / s, seed / s, ref / s, e, clip) for s in (10, 50, 200)]
        assert at == pytest.approx([at[0]] * 3, rel=1e-12)
    assert momentum(1e9, seed, ref, e, clip) == clip
    assert momentum(0.0, 0.0, ref, 0.0, clip) == 1.0


def test_maturity_starts_at_the_network_start_and_grows_with_arrivals_only(historical):
    """A network's maturity (populations that can grow) starts at the network start (at
    most 1), rises with the citizenship's arrivals (plus the seed) against
    ``network_maturity_months`` of its base departures, never falls, and is 1 throughout
    when the months are 0."""
    from borderflow.engine.simulate import Simulation

    sc = historical.with_span("2019-01", "2020-06").with_parameters(network_maturity_months=6.0)
    sim = Simulation(sc, seed=3, scale=50, parameters=shipped_parameters())
    K, F = sim.model.K, sim.model.F
    start = np.minimum(K.net_start, 1.0)
    assert np.array_equal(F.maturity, start)
    assert start[VE] < 0.05 and start[MX] > 0.5
    stock = K.mature_stock.copy()
    p = resolve_parameters(sc, shipped_parameters())
    assert np.allclose(stock, np.asarray(p["base_departures"]) * 6.0
                       * p["network_reference_success"] / 50)
    path = [F.maturity.copy()]
    for day in (180, 360, 540):
        sim.advance(day - sim.day)
        path.append(F.maturity.copy())
    path = np.array(path)
    assert (np.diff(path, axis=0) >= 0).all()                    # never falls
    assert path[-1, VE] > 2 * path[0, VE]                        # grows with arrivals
    assert path[-1, MX] == 1.0                                   # a near-mature one matures soon
    mature = Simulation(historical.with_span("2019-01", "2019-03").with_parameters(
        network_maturity_months=0.0), seed=3, scale=200, parameters=shipped_parameters())
    assert (mature.model.F.maturity == 1.0).all() and (mature.model.K.mature_stock == 0).all()


def test_a_young_network_with_maturity_grows_manyfold(historical):
    """With maturity a citizenship that barely came before the run rises manyfold as its
    own arrivals mature its network: Venezuelans, 2019 against 2021."""
    sc = historical.with_span("2019-01", "2021-12").with_parameters(network_maturity_months=6.0)

    off = sc.with_parameters(network_maturity_months=0.0)
    assert _venezuelans(sc, "2019") < 0.5 * _venezuelans(off, "2019")
    assert _venezuelans(sc, "2021") > 4.0 * _venezuelans(sc, "2019")
