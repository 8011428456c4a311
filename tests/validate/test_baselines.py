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


def _synthetic(n=96, seed=4):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    z = 9.0 + 0.01 * t + 0.2 * np.sin(2 * np.pi * t / 12) + np.cumsum(rng.normal(0, 0.08, n))
    months = [str(pd.Period("2015-01", "M") + k) for k in range(n)]
    return pd.Series(np.exp(z), index=months)


def test_ets_band_is_the_state_space_models_interval():
    """The ETS band's h-step spread equals statsmodels' ETSModel prediction interval of
    the same additive damped-trend seasonal model (fitted separately, within 3%)."""
    import warnings

    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    y = _synthetic()
    band = b.band("ets", y, y.index[-1], 6)
    z = pd.Series(np.log(y.to_numpy()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = ETSModel(z, error="add", trend="add", damped_trend=True, seasonal="add",
                     seasonal_periods=12).fit(disp=False)
    ref = f.get_prediction(start=len(z), end=len(z) + 5).summary_frame(alpha=0.2)
    ours = np.log(band["p90"] / band["p10"]).to_numpy()
    theirs = (ref["pi_upper"] - ref["pi_lower"]).to_numpy()
    assert np.allclose(ours, theirs, rtol=0.03)


def test_naive_bands_grow_with_the_steps_and_hold_the_point():
    y = _synthetic()
    lv = b.band("last_value", y, y.index[-1], 4)
    w = np.log(lv["p90"] / lv["p10"]).to_numpy()
    assert np.allclose(w / w[0], np.sqrt([1, 2, 3, 4]))
    assert np.allclose(lv["forecast"], y.iloc[-1])
    s = b.band("seasonal_naive", y, y.index[-1], 13)
    ws = np.log(s["p90"] / s["p10"]).to_numpy()
    assert np.allclose(ws[:12], ws[0]) and np.isclose(ws[12], ws[0] * np.sqrt(2))
    assert (lv["p025"] < lv["p10"]).all() and (lv["p90"] < lv["p975"]).all()
