"""The band machinery that the forecast (:mod:`borderflow.validate.forecast`) and the
assimilated forecast (:mod:`borderflow.validate.assimilate`) share: the ensemble's arrays
by breakdown, the observed counts on the same keys, quantile tables in the
forecast.parquet layout and the calibration of their width on earlier errors."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import observed
from borderflow.validate.objective import SERIES

COLUMNS = ["month", "breakdown", "key", "median", "p10", "p90", "p025", "p975"]


QUANTILES = {"median": 0.5, "p10": 0.1, "p90": 0.9, "p025": 0.025, "p975": 0.975}


VARS = {"total": ("usbp_encounters", None), "sector": ("usbp_by_sector", "sector"),
        "citizenship": ("usbp_by_citizenship", "citizenship")}


def series_arrays(ds, breakdown: str) -> tuple[np.ndarray, list[str]]:
    """member x month x key array of one breakdown (key axis of length 1 for total)."""
    var, dim = VARS[breakdown]
    da = ds[var]
    if dim is None:
        return da.transpose("member", "month").values[:, :, None].astype(float), ["total"]
    return (da.transpose("member", "month", dim).values.astype(float),
            [str(k) for k in da[dim].values])


def observed_breakdown(breakdown: str, months: list[str], keys: list[str]) -> np.ndarray:
    """Observed USBP SW encounters (months x ``keys``, selected by label from
    :func:`borderflow.data.observed`; NaN where the month is not observed, 0 where the
    store holds no figure for a key in an observed month); the citizenship "Other" is the
    model's (the total minus the named citizenships), wherever it stands in ``keys``."""
    out = np.full((len(months), len(keys)), np.nan)
    if not months:
        return out
    span = (min(months), max(months))
    tot = observed(SERIES, span=span).to_series().reindex(months)
    ok = tot.notna().to_numpy()
    if not ok.any():
        return out
    if breakdown == "total":
        out[:, 0] = tot.to_numpy(float)
        return out
    frame = observed(SERIES, breakdown, span=span).to_pandas()
    arr = frame.reindex(index=months, columns=keys).fillna(0.0).to_numpy(float)
    out[ok] = arr[ok]
    return out


#: standard normal quantiles at (j + 0.5) / 9: a deterministic sample of the drift
DRIFT_Z = (-1.5932, -0.9674, -0.5895, -0.2822, 0.0, 0.2822, 0.5895, 0.9674, 1.5932)


#: the standard normal quantile of 0.9: an 80% interval is +/- this many standard deviations
Z80 = 1.2816


#: fewer past backtest errors than this leave the drift unscaled
INTERVAL_MIN_ERRORS = 12


def interval_scale(errors, first: str, method: str = "model_corrected") -> tuple[float, int]:
    """Factor on the drift from the model's own earlier backtest errors (split conformal
    calibration): ``errors`` are rows ``origin, month, method, z`` with ``z`` the log error
    of a backtest median divided by that backtest's ``drift x sqrt(horizon)``; only rows
    of ``method`` with origin and month before ``first`` (the first forecast month) count,
    so nothing observed from ``first`` on enters.  The factor makes +/- Z80 x factor cover
    80% of those normalised errors: the 0.8 quantile of ``|z|`` over Z80.  (1.0, n) when
    fewer than :data:`INTERVAL_MIN_ERRORS` rows count."""
    z = np.array([r["z"] for r in (errors or []) if r.get("method", method) == method
                  and r["origin"] < first and r["month"] < first
                  and np.isfinite(r["z"])], float)
    if len(z) < INTERVAL_MIN_ERRORS:
        return 1.0, int(len(z))
    return float(np.quantile(np.abs(z), 0.8) / Z80), int(len(z))


#: the quantiles a band is widened at, and their standard normal scores
BAND_Z = {"p10": -Z80, "p90": Z80, "p025": -1.96, "p975": 1.96}


def discrepancy_sd(errors, first: str, method: str) -> tuple[float, int]:
    """Model discrepancy (a log standard deviation) to add to a band's own spread, from
    the earlier backtest errors of ``method``: rows ``origin, month, log_error, sd`` (the
    log error of a backtest median and the log standard deviation of its band), only those
    with origin and month before ``first``.  It is the smallest ``s`` >= 0 for which
    +/- Z80 x sqrt(sd^2 + s^2) covers 80% of those errors (0 when the bands already do).
    Being added in quadrature, it widens a narrow band most and a band already wide hardly
    at all, so a filter whose spread collapsed at earlier origins cannot blow up a later
    band (a factor on the band's own width would).  (0.0, n) when fewer than
    :data:`INTERVAL_MIN_ERRORS` rows count."""
    rows = [(r["log_error"], r["sd"]) for r in (errors or [])
            if r.get("method") == method and r["origin"] < first and r["month"] < first
            and np.isfinite(r.get("log_error", np.nan)) and np.isfinite(r.get("sd", np.nan))]
    if len(rows) < INTERVAL_MIN_ERRORS:
        return 0.0, len(rows)
    e, sd = (np.array(x, float) for x in zip(*rows, strict=True))
    e = np.abs(e)

    def q80(s: float) -> float:
        return float(np.quantile(e / np.sqrt(sd ** 2 + s ** 2), 0.8))

    if q80(0.0) <= Z80:
        return 0.0, len(rows)
    lo, hi = 0.0, max(float(e.max()), 1e-6)     # q80(hi) <= e.max() / hi = 1 < Z80
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if q80(mid) > Z80 else (lo, mid)
    return hi, len(rows)


def widen_band(table: pd.DataFrame, s: float) -> pd.DataFrame:
    """Every quantile of :data:`BAND_Z` moved away from the median on the log scale so that
    its offset is sqrt(offset^2 + (z x ``s``)^2): a band of log standard deviation sd
    becomes one of sqrt(sd^2 + s^2), and a band of no width gets +/- z x s."""
    if s <= 0.0:
        return table
    out = table.copy()
    med = out["median"].to_numpy(float) + 1.0
    for q, z in BAND_Z.items():
        off = np.log((out[q].to_numpy(float) + 1.0) / med)
        out[q] = med * np.exp(np.sign(z) * np.sqrt(off ** 2 + (z * s) ** 2)) - 1.0
    return out


def quantile_frame(x: np.ndarray, months: list[str], breakdown: str, key: str
                   ) -> pd.DataFrame:
    """The :data:`QUANTILES` over the first axis of ``x`` (samples x months) as rows of
    the forecast.parquet layout."""
    q = {name: np.quantile(x, qq, axis=0) for name, qq in QUANTILES.items()}
    return pd.DataFrame({"month": months, "breakdown": breakdown, "key": key, **q})


def stack_quantiles(frames: list[pd.DataFrame]) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    for k in QUANTILES:
        out[k] = out[k].astype(float)
    return out


def band_table(ds, months: list[str], taus: dict) -> pd.DataFrame:
    """Quantiles (the forecast.parquet layout) of ``months`` over members x the
    observation error of each key (a deterministic normal sample of 9 points)."""
    all_months = [str(v) for v in ds["month"].values]
    idx = [all_months.index(mo) for mo in months]
    z = np.array(DRIFT_Z)
    frames = []
    for breakdown in VARS:
        arr, keys = series_arrays(ds, breakdown)
        for k, key in enumerate(keys):
            t = taus.get((breakdown, key), taus["default"])
            x = (arr[:, idx, k][:, None, :] * np.exp(t * z)[None, :, None]
                 ).reshape(-1, len(months))
            frames.append(quantile_frame(x, months, breakdown, key))
    return stack_quantiles(frames)


def band_sd(table: pd.DataFrame, months: list[str]) -> np.ndarray:
    """The total's predictive log standard deviation per month, read off its 80% band
    (the normaliser of the assimilated backtest errors)."""
    t = table[table["breakdown"] == "total"].set_index("month").loc[months]
    sd = np.log((t["p90"].to_numpy(float) + 1.0) / (t["p10"].to_numpy(float) + 1.0)) / (2 * Z80)
    return np.maximum(sd, 1e-6)
