"""The one reader of observations for the analysis: :func:`observed` returns a monthly
series of the store as an ``xarray.DataArray`` dense over ``month`` (and a breakdown's
keys), cut at an origin so that a backtest never sees a later month."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import xarray as xr

from borderflow.data import catalog
from borderflow.data.query import monthly, parse_month
from borderflow.errors import InputError, did_you_mean
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS

#: USBP Southwest monthly encounters: the series every forecast and score is of
USBP_SW = "usbp_sw_encounters"

#: breakdown -> its keys in the model's order; a key the model does not name follows them
#: (sorted), or is summed into "Other" (the series' total minus the named keys) where the
#: keys end with "Other"
KEYS: dict[str, tuple[str, ...]] = {"citizenship": tuple(NATIONALITIES),
                                    "sector": tuple(SECTORS),
                                    "demographic": tuple(DEMOGRAPHICS)}

OTHER = "Other"


def _month(text: str | None, field: str) -> str | None:
    if text is None or text == "":
        return None
    if not re.fullmatch(r"\d{4}-\d{2}", str(text).strip()):
        raise InputError(f"unreadable month {text!r}", field=field, expected="YYYY-MM")
    parse_month(text)                      # an InputError for a month outside 01..12
    return str(text).strip()


def _check_series(series: str) -> catalog.SeriesInfo:
    if series in catalog.SERIES or series.startswith(catalog.REFERENCE_PREFIX):
        return catalog.info(series)
    names = [n for n, s in catalog.SERIES.items() if s.frequency == "M"]
    hint = did_you_mean(series, names).strip()
    raise InputError(f"unknown series {series!r}" + (f"; {hint}" if hint else ""),
                     field="series", expected="one of the monthly series " + ", ".join(names))


def _dense(rows: pd.DataFrame, breakdown: str, months: list[str]) -> pd.DataFrame:
    """Long (month, key, value) rows as months x keys (NaN where the store holds none)."""
    wide = rows.pivot_table(index="month", columns=breakdown, values="value", aggfunc="sum")
    keys = KEYS.get(breakdown, ())
    if keys[-1:] != (OTHER,):
        keys += tuple(sorted(str(k) for k in wide.columns if str(k) not in keys))
    return wide.reindex(index=months, columns=list(keys)).astype(float)


def observed(series: str, breakdown: str | None = None,
             span: tuple[str | None, str | None] | None = None, until: str | None = None,
             data_dir=None) -> xr.DataArray:
    """Monthly observations of ``series`` over ``span`` = (first, last month), dense:
    dimension ``month`` ("YYYY-MM", every month of the span) and, with ``breakdown``, a
    dimension of that name over its keys (``citizenship``, ``sector`` and ``demographic``
    in the registry's order, then any other key held, sorted; other breakdowns their keys
    sorted).  NaN where the store
    holds no figure.  The citizenships are the model's: "Other" is the series' total minus
    the named nationalities (at least 0), where the total is observed.

    ``until`` ("YYYY-MM") is the origin cut: no month after it is read, and the months of
    the span after it are NaN.  A bound of ``span`` left None is the series' first (last)
    month held up to ``until``.  ``attrs``: ``units`` (the series' unit), ``series`` and,
    with a cut, ``until``.  An unknown series or breakdown raises :class:`InputError` naming the
    allowed ones."""
    info = _check_series(series)
    start, end = span if span is not None else (None, None)
    start, end = _month(start, "span"), _month(end, "span")
    cut = _month(until, "until")
    if breakdown is not None and breakdown not in catalog.by_options(info):
        raise InputError(f"series {series!r} has no {breakdown!r} breakdown",
                         field="breakdown", expected=", ".join(catalog.by_options(info)))
    if start is not None and end is not None and end < start:
        raise InputError(f"the span {start}..{end} is empty", field="span",
                         expected="first month before last")
    hi = end if cut is None or (end is not None and end <= cut) else cut
    cut_all = start is not None and hi is not None and hi < start
    with_other = KEYS.get(breakdown, ())[-1:] == (OTHER,)

    def read(by: str | None) -> pd.DataFrame:
        if cut_all:                                            # all of the span is cut
            return pd.DataFrame({"month": [], **({by: []} if by else {}), "value": []})
        return monthly(series, by=by, start=start, end=hi, data_dir=data_dir)

    total = (read(None).set_index("month")["value"] if breakdown is None or with_other
             else None)
    rows = None if breakdown is None else read(breakdown)
    held = total.index if rows is None else pd.Index(rows["month"].unique())
    first = start or (min(held) if len(held) else None)
    last = end or (max(held) if len(held) else None)
    months = ([] if first is None or last is None or last < first
              else [str(p) for p in pd.period_range(first, last, freq="M")])
    attrs = {"units": info.unit, "series": series} | ({"until": cut} if cut else {})
    if rows is None:
        values = total.reindex(months).to_numpy(dtype=float)
        return xr.DataArray(values, coords={"month": months}, dims=("month",),
                            name=series, attrs=attrs)
    wide = _dense(rows, breakdown, months)
    if with_other:
        tot = total.reindex(months)
        named = np.array(wide.iloc[:, :-1].fillna(0.0), dtype=float)
        other = np.maximum(tot.fillna(0).to_numpy() - named.sum(axis=1), 0.0)
        wide[OTHER] = np.where(tot.notna().to_numpy(), other, np.nan)
    return xr.DataArray(wide.to_numpy(dtype=float), coords={"month": months,
                        breakdown: list(wide.columns)}, dims=("month", breakdown),
                        name=series, attrs=attrs)


def observed_total(start: str | None = None, end: str | None = None,
                   until: str | None = None) -> pd.Series:
    """USBP Southwest monthly encounters as a Series indexed by month (the months held,
    none after ``until``)."""
    return observed(USBP_SW, span=(start, end), until=until).to_series().dropna().rename(
        "value")
