"""Venezuelan departures drawn from the Venezuelan population in Latin America and the
Caribbean (``departures.population_index``, MODEL.md mechanism 1: populations that can
grow): the index is the R4V figure against mid-2019, a run at an origin never reads a
figure dated after it, departures follow it to the power ``population_elasticity`` (0 in
the shipped model), and with 1 a larger population abroad sends more Venezuelans."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.engine import departures
from borderflow.engine.calendar import make_calendar
from borderflow.scenario import drivers, load_scenario
from borderflow.scenario.registry import NATIONALITIES

VEN = NATIONALITIES.index(departures.STOCK_ABROAD)
CAL = make_calendar("2018-10", "2025-06")


def _day(date: str) -> int:
    return int(np.flatnonzero(CAL.day_year + (CAL.day_doy - 1) / 365.25
                              >= departures._frac_year(date))[0])


def test_the_index_is_the_population_abroad_against_mid_2019():
    stock = drivers.venezuelan_stock()
    idx = departures.population_index(CAL, SimpleNamespace(cut_at=None))
    others = np.delete(idx, VEN, axis=1)
    assert np.all(others == 1.0)
    ven = idx[:, VEN]
    # the dated figures stand in the same ratio to each other as in the index
    a, b = "2019-02-22", "2023-08-31"
    assert ven[_day(b)] / ven[_day(a)] == pytest.approx(stock[b] / stock[a], rel=2e-3)
    assert 2.0 < ven[_day("2023-09-01")] < 2.3          # 6.53M against about 3.0M
    assert np.all(np.diff(ven) >= 0.0)                   # no figure fell
    assert ven[0] == ven[_day("2019-02-22")]             # held before the first figure
    assert ven[-1] == ven[_day("2024-07-04")]            # and after the last


def test_figures_after_the_cut_are_never_read(monkeypatch):
    before = departures.population_index(CAL, SimpleNamespace(cut_at="2021-12"))
    stock = {d: (v * 10.0 if d > "2021-12-31" else v)
             for d, v in drivers.venezuelan_stock().items()}
    monkeypatch.setattr(drivers, "venezuelan_stock", lambda: stock)
    after = departures.population_index(CAL, SimpleNamespace(cut_at="2021-12"))
    assert np.array_equal(before, after)
    ven = after[:, VEN]
    assert ven[-1] == ven[_day("2021-11-25")]            # the last figure up to the cut, held
    moved = departures.population_index(CAL, SimpleNamespace(cut_at=None))
    assert moved[-1, VEN] > 5.0 * after[-1, VEN]


@pytest.mark.slow
def test_a_larger_population_abroad_sends_more_venezuelans(monkeypatch):
    """Venezuelan encounters in 2022-2023 with the population abroad as published, and with
    it held at its early-2019 figure: the growth of the diaspora carries the flow."""
    sc = load_scenario("historical").with_span("2019-01", "2023-12").with_parameters(
        population_elasticity=1.0)

    def venezuelans() -> float:
        enc = simulate(sc, seed=3, scale=200).tables["encounters"]
        enc = enc[(enc["citizenship"] == departures.STOCK_ABROAD)
                  & (enc["month"] >= "2022-01")]
        return float(enc["encounters"].sum())

    grown = venezuelans()
    first = min(drivers.venezuelan_stock().items())
    monkeypatch.setattr(drivers, "venezuelan_stock", lambda: dict([first]))
    held = venezuelans()
    assert grown > 2.0 * held


def test_departures_follow_the_index_to_the_power_of_population_elasticity():
    from borderflow.engine.inputs import resolve
    from borderflow.scenario.calibrated import shipped_parameters

    sc = load_scenario("historical").with_span("2019-01", "2023-12")
    on = resolve(sc.with_parameters(population_elasticity=1.0), 50, shipped_parameters())
    off = resolve(sc.with_parameters(population_elasticity=0.0), 50, shipped_parameters())
    half = resolve(sc.with_parameters(population_elasticity=0.5), 50, shipped_parameters())
    idx = departures.population_index(on.calendar, sc.drivers)
    ok = off.D.lam > 0
    assert np.allclose((on.D.lam[ok] / off.D.lam[ok]), idx[ok])
    assert np.allclose((half.D.lam[ok] / off.D.lam[ok]), np.sqrt(idx[ok]))
    assert np.array_equal(np.delete(on.D.lam, VEN, axis=1), np.delete(off.D.lam, VEN, axis=1))
    shipped = resolve(sc, 50, shipped_parameters())       # off in the shipped model
    assert np.array_equal(shipped.D.lam, off.D.lam)
