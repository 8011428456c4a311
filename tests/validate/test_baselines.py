import numpy as np
import pandas as pd
import pytest

from borderflow.errors import InputError
from borderflow.validate import baselines as b


def _series(n=72):
    months = [str(p) for p in pd.period_range("2015-01", periods=n, freq="M")]
    t = np.arange(n)
    return pd.Series(1000 + 10 * t + 200 * np.sin(2 * np.pi * t / 12), index=months)


def test_naive_baselines_values():
    y = _series()
    sn = b.forecast("seasonal_naive", y, y.index[-1], 14)
    assert list(sn.index[:2]) == ["2021-01", "2021-02"]
    assert sn.iloc[0] == y.iloc[-12] and sn.iloc[12] == y.iloc[-12]
    lv = b.forecast("last_value", y, "2019-12", 3)
    assert (lv == y["2019-12"]).all() and list(lv.index) == ["2020-01", "2020-02", "2020-03"]


@pytest.mark.parametrize("name", ["ets", "sarima"])
def test_statistical_baselines_shape(name):
    y = _series()
    f = b.forecast(name, y, y.index[-1], 12)
    assert len(f) == 12 and np.isfinite(f).all() and (f > 0).all()
    # a clean seasonal series is forecast closely
    t = np.arange(72, 84)
    truth = 1000 + 10 * t + 200 * np.sin(2 * np.pi * t / 12)
    assert np.mean(np.abs(f.to_numpy() - truth) / truth) < 0.1


def test_bad_inputs():
    y = _series()
    with pytest.raises(InputError):
        b.forecast("prophet", y, y.index[-1], 3)
    with pytest.raises(InputError):
        b.forecast("last_value", y, "2030-01", 3)
