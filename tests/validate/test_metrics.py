import numpy as np
import pandas as pd
import pytest

from borderflow.validate import metrics as m


def test_mape_hand_computed():
    # |110-100|/100 = 0.10, |180-200|/200 = 0.10, |0-50|/50 = 1.0 -> mean 0.4 -> 40%
    assert m.mape([110, 180, 0], [100, 200, 50]) == pytest.approx(40.0)


def test_mape_skips_zero_observations():
    assert m.mape([5, 110], [0, 100]) == pytest.approx(10.0)
    assert np.isnan(m.mape([1], [0]))


def test_seasonal_naive_scale_and_mase():
    # period 2 for a short hand example: y = 1,2,3,5 -> errors |3-1|, |5-2| -> mean 2.5
    assert m.seasonal_naive_scale([1, 2, 3, 5], m=2) == pytest.approx(2.5)
    # forecast errors |12-10|, |7-10| -> mean 2.5 -> MASE 1.0
    assert m.mase([12, 7], [10, 10], [1, 2, 3, 5], m=2) == pytest.approx(1.0)
    hist = np.arange(24.0)   # 12-month differences are all 12
    assert m.seasonal_naive_scale(hist) == pytest.approx(12.0)
    assert m.mase([30], [24], hist) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        m.seasonal_naive_scale([1.0] * 12)


def test_ard_hand_computed():
    obs = [[50, 50, 0], [10, 30, 60]]
    sim = [[100, 0, 0], [20, 60, 120]]   # month 1: |1-.5|+|0-.5| = 1.0; month 2: same shares
    assert m.ard(sim, obs) == pytest.approx(0.5)
    # scale invariance and a month with no observations is skipped
    assert m.ard([[1, 1], [3, 4]], [[10, 10], [0, 0]]) == pytest.approx(0.0)


def test_ard_shape_mismatch():
    with pytest.raises(ValueError):
        m.ard([[1, 2]], [[1, 2, 3]])


def test_coverage_and_within_factor():
    assert m.coverage([1, 5, 10, 20], [0, 0, 0, 0], [10, 10, 10, 10]) == pytest.approx(0.75)
    # ratios 2 (in), 0.4 (out), 1 (in); obs 0 skipped
    assert m.within_factor([20, 4, 7, 3], [10, 10, 7, 0]) == pytest.approx(2 / 3)
    assert m.within_factor([20, 4], [10, 500], min_obs=100) == pytest.approx(0.0)


def test_drop():
    s = pd.Series([249740.0, 124220.0], index=["2023-12", "2024-01"])
    assert m.drop(s, "2023-12", "2024-01") == pytest.approx(1 - 124220 / 249740)
