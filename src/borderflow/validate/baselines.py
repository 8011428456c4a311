"""Statistical baselines on the same series as the model: seasonal naive, last value,
ETS and SARIMA (statsmodels), each forecasting ``h`` months after an origin.

``history`` is a ``pd.Series`` indexed by month (``"YYYY-MM"``), ending at the
origin (the last month used); forecasts are for the ``h`` following months.
ETS and SARIMA are fitted on the logarithm of the series (encounters are positive
and their swings multiplicative) over at most the last ``window`` months.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from borderflow.errors import InputError

NAMES = ("seasonal_naive", "last_value", "ets", "sarima")


def months_after(origin: str, h: int) -> list[str]:
    p = pd.Period(origin, "M")
    return [str(p + k) for k in range(1, h + 1)]


def seasonal_naive(history: pd.Series, h: int, m: int = 12) -> np.ndarray:
    y = np.asarray(history, float)
    if len(y) < m:
        raise InputError(f"seasonal naive needs {m} months of history, got {len(y)}")
    return np.array([y[len(y) - m + (k % m)] for k in range(h)])


def last_value(history: pd.Series, h: int) -> np.ndarray:
    return np.full(h, float(np.asarray(history, float)[-1]))


def _log(history: pd.Series, window: int) -> np.ndarray:
    y = np.asarray(history, float)[-window:]
    return np.log(np.maximum(y, 1.0))


def ets(history: pd.Series, h: int, window: int = 120) -> np.ndarray:
    """Additive damped-trend, additive-seasonal exponential smoothing on log values."""
    # lazy: statsmodels is a slow import, needed only here
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    z = _log(history, window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(z, trend="add", damped_trend=True, seasonal="add",
                                   seasonal_periods=12, initialization_method="estimated").fit()
    return np.exp(np.asarray(fit.forecast(h), float))


def sarima(history: pd.Series, h: int, window: int = 120) -> np.ndarray:
    """SARIMA(1,1,1)(0,1,1)_12 on log values (the 'airline'-type model)."""
    # lazy: statsmodels is a slow import, needed only here
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = _log(history, window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SARIMAX(z, order=(1, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(disp=False)
    return np.exp(np.asarray(fit.forecast(h), float))


FUNCS = {"seasonal_naive": seasonal_naive, "last_value": last_value, "ets": ets,
         "sarima": sarima}


def forecast(name: str, series: pd.Series, origin: str, h: int) -> pd.Series:
    """Baseline ``name`` fitted on ``series`` up to and including ``origin``; a Series of
    ``h`` values indexed by the months after the origin."""
    if name not in FUNCS:
        raise InputError(f"unknown baseline {name!r}", expected=", ".join(NAMES))
    hist = series.loc[:origin]
    if not len(hist) or hist.index[-1] != origin:
        raise InputError(f"no observation at the origin {origin}", field="origin")
    return pd.Series(FUNCS[name](hist, h), index=months_after(origin, h), name=name)
