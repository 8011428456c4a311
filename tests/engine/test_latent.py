"""Residual push and sector series: windows, daily form, and their effect on a run."""

import datetime as dt

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.scenario import load_scenario
from borderflow.scenario.latent import (
    PUSH_LEAD_DAYS,
    centre,
    daily,
    neutral,
    policy_breaks,
    segmented,
    windows,
)
from borderflow.scenario.model import Latent
from borderflow.scenario.registry import NATIONALITIES, SECTORS


def _months(a, b):
    import pandas as pd

    return [str(p) for p in pd.period_range(a, b, freq="M")]


def test_windows_merge_a_short_tail():
    w = windows(_months("2019-01", "2024-01"), size=3, min_last=2)
    assert [len(x) for x in w] == [3] * 19 + [4]         # 2024-01 joins Oct-Dec 2023
    assert w[-1][-1] == "2024-01"
    w = windows(_months("2019-01", "2021-08"), size=3, min_last=2)
    assert [len(x) for x in w] == [3] * 10 + [2]         # 2 months stand alone
    w = windows(_months("2019-01", "2024-01"), size=6, min_last=4)
    assert [len(x) for x in w] == [6] * 9 + [7]
    assert centre(["2019-01", "2019-02"]) == dt.date(2019, 1, 30)


def test_daily_interpolates_in_logs_and_holds_at_both_ends():
    # knots on days 31 and 41; the multipliers act PUSH_LEAD_DAYS earlier (on the
    # departures of the encounters a window is fitted on), the sector shifts on the day
    lat = Latent(knots=[dt.date(2019, 2, 1), dt.date(2019, 2, 11)],
                 push={"Cuba": [1.0, 4.0]}, sector={"Tucson, AZ": [0.0, 1.0]})
    push, shift = daily(lat, dt.date(2019, 1, 1), 61)
    j, k = NATIONALITIES.index("Cuba"), SECTORS.index("Tucson, AZ")
    a = 31 - PUSH_LEAD_DAYS
    assert PUSH_LEAD_DAYS == 21
    assert push[0, j] == 1.0 and push[a, j] == 1.0 and push[a + 10, j] == pytest.approx(4.0)
    assert push[a + 5, j] == pytest.approx(2.0)           # geometric midpoint
    assert push[60, j] == pytest.approx(4.0)
    assert shift[31, k] == 0.0 and shift[36, k] == pytest.approx(0.5)
    assert shift[41, k] == pytest.approx(1.0) and shift[60, k] == pytest.approx(1.0)
    others = [i for i in range(len(NATIONALITIES)) if i != j]
    assert np.all(push[:, others] == 1.0)
    half, _ = daily(lat, dt.date(2019, 1, 1), 61, strength=0.5)
    assert half[60, j] == pytest.approx(2.0)
    off, off_shift = daily(lat, dt.date(2019, 1, 1), 61, strength=0.0)
    assert np.all(off == 1.0) and np.all(off_shift == 0.0)


def test_segmented_interpolation_does_not_cross_a_cut():
    x, y = np.array([0.0, 100.0, 200.0]), np.array([0.0, 1.0, 2.0])
    t = np.arange(0.0, 260.0)
    assert np.array_equal(segmented(t, x, y, []), np.interp(t, x, y))
    out = segmented(t, x, y, [150.0])
    assert out[50] == pytest.approx(0.5)                  # between two knots of one stretch
    assert out[120] == 1.0 and out[149] == 1.0            # held flat up to the cut
    assert out[150] == 2.0 and out[199] == 2.0            # the next stretch's knot from the cut
    out = segmented(t, x, y, [120.0, 130.0])
    assert out[125] == pytest.approx(1.25)                # no knot between cuts: plain
    assert out[119] == 1.0 and out[131] == 2.0


def test_daily_multiplier_steps_at_a_break_for_its_nationality_only():
    knots = [dt.date(2022, 11, 15), dt.date(2023, 2, 14)]
    push = {"Cuba": [4.0, 0.25], "Mexico": [4.0, 0.25]}
    start = dt.date(2022, 10, 1)
    plain, _ = daily(Latent(knots=knots, push=push), start, 200)
    cut, _ = daily(Latent(knots=knots, push=push, breaks={"Cuba": [dt.date(2023, 1, 5)]}),
                   start, 200)
    c, m = NATIONALITIES.index("Cuba"), NATIONALITIES.index("Mexico")
    before = (dt.date(2023, 1, 5) - start).days - PUSH_LEAD_DAYS - 1   # departures, Dec 14
    assert cut[before, c] == pytest.approx(4.0)           # held at the autumn knot
    assert plain[before, c] < 1.0                         # interpolation spread the drop back
    assert cut[before + 1, c] == pytest.approx(0.25)      # the winter knot from the break on
    assert np.array_equal(cut[:, m], plain[:, m])         # Mexicans have no break
    with pytest.raises(ValueError, match="latent.breaks"):
        Latent(knots=knots, push=push, breaks={"Atlantis": [dt.date(2023, 1, 5)]})


def test_policy_breaks_are_dated_changes_that_name_nationalities():
    b = policy_breaks("2024-01")
    assert dt.date(2023, 1, 5) in b["Cuba"]               # Title 42 and parole for CHNV
    assert dt.date(2023, 5, 11) in b["Cuba"]              # Title 42 ends
    assert dt.date(2022, 10, 12) in b["Venezuela"]        # Title 42 extended to Venezuelans
    assert dt.date(2023, 1, 5) not in b.get("Mexico", [])
    everyone = dt.date(2023, 12, 27)                      # crackdown for all: not a break
    assert all(everyone not in v for v in b.values())
    assert all(d < dt.date(2023, 1, 1) for v in policy_breaks("2022-12").values() for d in v)


def _run(latent, strength=None):
    # network momentum off: it feeds arrivals back into departures, so a departures
    # multiplier of 3 would give more than 3 times the encounters
    sc = (load_scenario("historical").with_span("2022-01", "2022-04").with_latent(latent)
          .with_parameters(network_elasticity=0.0))
    if strength is not None:
        sc = sc.with_parameters(latent_strength=strength)
    return simulate(sc, seed=4, scale=200)


def _by(res, by, key):
    e = res.encounters(by=by)
    return float(e.loc[e[by] == key, "encounters"].sum()), float(e["encounters"].sum())


def test_push_and_sector_series_move_the_run():
    base = neutral(_months("2022-01", "2022-04")).model_dump()
    strong = {**base, "push": {**base["push"], "Mexico": [3.0]},
              "sector": {**base["sector"], "Tucson, AZ": [2.0]}}
    a, b = _run(base), _run(strong)
    mex_a, tot_a = _by(a, "citizenship", "Mexico")
    mex_b, _ = _by(b, "citizenship", "Mexico")
    assert 2.3 < mex_b / mex_a < 3.7                      # departures x3 -> encounters ~x3
    tuc_a, _ = _by(a, "sector", "Tucson, AZ")
    tuc_b, tot_b = _by(b, "sector", "Tucson, AZ")
    assert tuc_b / tot_b > 1.5 * tuc_a / tot_a            # utility +2 -> larger share
    off = _run(strong, strength=0.0)                      # strength 0 = mechanisms alone
    assert _by(off, "citizenship", "Mexico") == _by(a, "citizenship", "Mexico")
