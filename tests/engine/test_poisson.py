"""The departures' Poisson draws (rand.poisson) follow the Poisson law at small and
large means (both branches of the sampler)."""

import numpy as np
import pytest
from numba import njit
from scipy import stats

from borderflow.engine.rand import make_state, poisson


@njit
def _draws(state, lam, n):
    out = np.empty(n, np.int64)
    for k in range(n):
        out[k] = poisson(state, lam)
    return out


@pytest.mark.parametrize("lam", [0.3, 4.0, 9.99, 10.0, 37.5, 2500.0])
def test_draws_follow_the_poisson_law(lam):
    x = _draws(make_state(np.random.SeedSequence(7)), lam, 200_000)
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / len(x))
    assert abs(x.var() / lam - 1.0) < 0.03
    # chi-square over the bins that hold at least 20 expected draws
    lo, hi = stats.poisson.ppf([1e-4, 1 - 1e-4], lam).astype(int)
    ks = np.arange(max(lo, 0), hi + 1)
    expected = stats.poisson.pmf(ks, lam) * len(x)
    keep = expected >= 20
    observed = np.bincount(x, minlength=hi + 1)[ks][keep]
    expected = expected[keep] * observed.sum() / expected[keep].sum()
    _, pvalue = stats.chisquare(observed, expected)
    assert pvalue > 1e-4


def test_no_departures_at_zero_rate_and_same_stream_same_draws():
    s = make_state(np.random.SeedSequence(1))
    assert (_draws(s, 0.0, 100) == 0).all()
    a = _draws(make_state(np.random.SeedSequence(3)), 50.0, 1000)
    b = _draws(make_state(np.random.SeedSequence(3)), 50.0, 1000)
    assert np.array_equal(a, b)
