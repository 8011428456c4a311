"""Statistical baselines on the same series as the model: seasonal naive, last value,
ETS and SARIMA (statsmodels), each forecasting ``h`` months after an origin.

``history`` is a ``pd.Series`` indexed by month (``"YYYY-MM"``), ending at the
origin (the last month used); forecasts are for the ``h`` following months.
ETS and SARIMA are fitted on the logarithm of the series (encounters are positive
and their swings multiplicative) over at most the last ``window`` months.

Each baseline also gives its own 80% and 95% bands (:func:`band`): ETS and SARIMA from
their statsmodels prediction intervals, last value and seasonal naive from the spread of
their own past one-step (12-step) log changes, growing with the square root of the
steps ahead (the naive methods' standard intervals).
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


#: the normal quantiles of the bands' bounds (p025, p10, p90, p975)
BAND_Z = {"p025": -1.959964, "p10": -1.281552, "p90": 1.281552, "p975": 1.959964}


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


def _ets_fit(history: pd.Series, window: int):
    # lazy: statsmodels is a slow import, needed only here
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    z = _log(history, window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ExponentialSmoothing(z, trend="add", damped_trend=True, seasonal="add",
                                    seasonal_periods=12, initialization_method="estimated").fit()


def ets(history: pd.Series, h: int, window: int = 120) -> np.ndarray:
    """Additive damped-trend, additive-seasonal exponential smoothing on log values."""
    return np.exp(np.asarray(_ets_fit(history, window).forecast(h), float))


def _sarima_fit(history: pd.Series, window: int):
    # lazy: statsmodels is a slow import, needed only here
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = _log(history, window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SARIMAX(z, order=(1, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(disp=False)


def sarima(history: pd.Series, h: int, window: int = 120) -> np.ndarray:
    """SARIMA(1,1,1)(0,1,1)_12 on log values (the 'airline'-type model)."""
    return np.exp(np.asarray(_sarima_fit(history, window).forecast(h), float))


def _log_sd(name: str, history: pd.Series, h: int, window: int = 120) -> np.ndarray:
    """Standard deviation of the log forecast 1..``h`` months ahead: the models' own
    (SARIMA's state-space variance; ETS: the residual variance x (1 + sum over j < k of
    c_j^2), c_j = alpha (1 + beta (phi + ... + phi^j)) + gamma (1 - alpha) where j is a
    multiple of 12, the h-step variance of the additive damped-trend seasonal model,
    Hyndman et al. 2008, table 6.1), or the naive methods' (the s.d. of past one-step, for
    seasonal naive 12-step, log changes, x the square root of the steps)."""
    k = np.arange(1, h + 1, dtype=float)
    if name == "sarima":
        fit = _sarima_fit(history, window)
        return np.sqrt(np.asarray(fit.get_forecast(h).var_pred_mean, float))
    if name == "ets":
        fit = _ets_fit(history, window)
        a, b = float(fit.params["smoothing_level"]), float(fit.params["smoothing_trend"])
        g, phi = float(fit.params["smoothing_seasonal"]), float(fit.params["damping_trend"])
        j = np.arange(1, h, dtype=float)
        c = a * (1.0 + b * phi * (1.0 - phi ** j) / max(1.0 - phi, 1e-12))
        c = c + g * (1.0 - a) * (j % 12 == 0)
        sd = float(np.std(np.asarray(fit.resid, float), ddof=1))
        return sd * np.sqrt(1.0 + np.concatenate([[0.0], np.cumsum(c ** 2)]))
    z = _log(history, window)
    lag = 12 if name == "seasonal_naive" else 1
    steps = np.floor((k - 1.0) / 12.0) + 1.0 if lag == 12 else k
    return float(np.std(z[lag:] - z[:-lag], ddof=1)) * np.sqrt(steps)


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


def band(name: str, series: pd.Series, origin: str, h: int) -> pd.DataFrame:
    """Baseline ``name``'s forecast (``forecast``) with its own bands (p025, p10, p90,
    p975: the point x exp(z x the log standard deviation of :func:`_log_sd`)), indexed by
    the ``h`` months after ``origin``."""
    point = forecast(name, series, origin, h)
    sd = _log_sd(name, series.loc[:origin], h)
    out = pd.DataFrame({"forecast": point.to_numpy(float)}, index=point.index)
    for col, z in BAND_Z.items():
        out[col] = point.to_numpy(float) * np.exp(z * sd)
    return out
