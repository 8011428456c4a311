"""Fit and forecast-skill metrics, with their definitions (see docs/validation.md).

All functions take aligned arrays (same months, same order) and ignore nothing
silently: months where a metric is undefined (observed zero for MAPE, no
observations for a share) are skipped and the count used is what it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def mape(sim, obs) -> float:
    """Mean absolute percentage error, in percent: mean over months with obs != 0 of
    ``100 * |sim - obs| / |obs|``."""
    sim, obs = np.asarray(sim, float), np.asarray(obs, float)
    ok = obs != 0
    if not ok.any():
        return float("nan")
    return float(100.0 * np.mean(np.abs(sim[ok] - obs[ok]) / np.abs(obs[ok])))


def seasonal_naive_scale(history, m: int = 12) -> float:
    """In-sample mean absolute error of the seasonal-naive forecast ``y[t-m]`` on
    ``history`` (the MASE denominator, Hyndman & Koehler 2006)."""
    y = np.asarray(history, float)
    if len(y) <= m:
        raise ValueError(f"need more than {m} months of history for the MASE scale")
    return float(np.mean(np.abs(y[m:] - y[:-m])))


def mase(sim, obs, history, m: int = 12) -> float:
    """Mean absolute scaled error: ``mean |sim - obs|`` divided by the in-sample MAE of
    the seasonal-naive (``m``-month) forecast on ``history``.  Below 1: better than
    the seasonal-naive in-sample one-step error."""
    sim, obs = np.asarray(sim, float), np.asarray(obs, float)
    return float(np.mean(np.abs(sim - obs)) / seasonal_naive_scale(history, m))


def shares(counts) -> np.ndarray:
    """Rows of a months x categories array as shares (a row of zeros stays zeros)."""
    c = np.asarray(counts, float)
    tot = c.sum(axis=1, keepdims=True)
    return np.divide(c, tot, out=np.zeros_like(c), where=tot > 0)


def ard(sim_counts, obs_counts) -> float:
    """Averaged relative difference of shares (Flee-style): for each month, the sum over
    categories of ``|sim share - obs share|`` (equivalently, sum of absolute count
    differences after scaling the simulation to the observed total, divided by the
    observed total); averaged over months with observations.  0 = identical
    composition, 2 = disjoint."""
    s, o = np.asarray(sim_counts, float), np.asarray(obs_counts, float)
    if s.shape != o.shape:
        raise ValueError(f"shape mismatch {s.shape} vs {o.shape}")
    ok = o.sum(axis=1) > 0
    if not ok.any():
        return float("nan")
    return float(np.mean(np.abs(shares(s) - shares(o)).sum(axis=1)[ok]))


def coverage(obs, lower, upper) -> float:
    """Share of observations inside ``[lower, upper]`` (an interval's empirical coverage)."""
    obs, lo, hi = (np.asarray(x, float) for x in (obs, lower, upper))
    if not len(obs):
        return float("nan")
    return float(np.mean((obs >= lo) & (obs <= hi)))


def within_factor(sim, obs, factor: float = 2.0, min_obs: float = 0.0) -> float:
    """Share of cells with ``obs > min_obs`` where ``sim / obs`` lies in
    ``[1/factor, factor]``."""
    sim, obs = np.asarray(sim, float).ravel(), np.asarray(obs, float).ravel()
    ok = obs > max(min_obs, 0.0)
    if not ok.any():
        return float("nan")
    r = sim[ok] / obs[ok]
    return float(np.mean((r >= 1 / factor) & (r <= factor)))


def drop(series: pd.Series, a: str, b: str) -> float:
    """Relative fall from month ``a`` to month ``b``: ``1 - y[b] / y[a]``."""
    return float(1.0 - series.loc[b] / series.loc[a])

