"""Queries over the store: totals and one-way breakdowns of a series, monthly frames."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import catalog, schema
from borderflow.data.storage import snapshot
from borderflow.errors import InputError


def parse_month(text: str | None, end: bool = False) -> np.datetime64 | None:
    """``'2023-12'`` or ``'2023'`` -> first day (or, with ``end``, last day) of that period."""
    if text is None or text == "":
        return None
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-\d{1,2})?\s*", str(text))
    if not match or (match.group(2) and not 1 <= int(match.group(2)) <= 12):
        raise InputError(f"unreadable month {text!r}", field="start/end",
                         expected="YYYY-MM or YYYY")
    month = np.datetime64(f"{match.group(1)}-{int(match.group(2) or (12 if end else 1)):02d}")
    return (month + 1).astype("datetime64[D]") - 1 if end else month.astype("datetime64[D]")


def _window(df: pd.DataFrame, start, end) -> pd.DataFrame:
    lo, hi = parse_month(start), parse_month(end, end=True)
    if lo is not None and hi is not None and hi < lo:
        raise InputError(f"the range {start}..{end} is empty", field="start/end",
                         expected="start before end")
    keep = np.ones(len(df), dtype=bool)
    if lo is not None:
        keep &= (df["period_start"] >= lo).to_numpy()
    if hi is not None:
        keep &= (df["period_start"] <= hi).to_numpy()
    return df[keep]


def _only(df: pd.DataFrame, filled: str | None) -> np.ndarray:
    """Rows whose breakdown columns are all empty except ``filled``."""
    keep = np.ones(len(df), dtype=bool)
    for col in schema.BREAKDOWN:
        empty = (df[col] == "").to_numpy()
        keep &= ~empty if col == filled else empty
    return keep


def _sum_by(df: pd.DataFrame, col: str | None, values: pd.Series | None) -> pd.DataFrame:
    keys = ["source", "series", "period_start", "period_end", "frequency", "unit"]
    data = df[keys + ["value"]].copy()
    if col is not None:
        data[col] = values.to_numpy()
    out = data.groupby(keys + ([col] if col else []), sort=True, as_index=False)["value"].sum()
    return schema.conform(out)


def _resolve(by: str, info: catalog.SeriesInfo, rows: pd.DataFrame | None = None
             ) -> tuple[str, int | None]:
    """Map a ``by`` name to (column, geography level or None)."""
    column = catalog.by_column(info, by)
    if column is not None:
        return column, None
    if by == "geography":
        return "geography", None
    if by in info.geo_levels:
        return "geography", info.geo_levels.index(by) if len(info.geo_levels) > 1 else None
    raise _no_breakdown(info, by, rows)


def _no_breakdown(info: catalog.SeriesInfo, by: str, rows: pd.DataFrame | None = None
                  ) -> InputError:
    options = catalog.by_options(info)
    if rows is not None:
        filled = {c for c in schema.BREAKDOWN if (rows[c] != "").any()}
        options = [o for o in options if _resolve_column(o, info) in filled]
    return InputError(f"series {info.name!r} has no {by!r} breakdown", field="by",
                      expected=", ".join(options) or "no breakdown; use by=None")


def _resolve_column(by: str, info: catalog.SeriesInfo) -> str:
    return catalog.by_column(info, by) or "geography"


def _breakdown(rows: pd.DataFrame, info: catalog.SeriesInfo, by: str) -> pd.DataFrame:
    col, level = _resolve(by, info, rows)
    if info.layout == "margins":
        out = rows[_only(rows, col)]
    else:
        values = rows[col] if level is None else rows[col].str.split("/").str[level]
        if not rows.empty and not (values != "").any():
            raise _no_breakdown(info, by, rows)
        if info.layout == "records":
            filled = (values != "").to_numpy()
            out = rows[filled].assign(**{col: values[filled].to_numpy()})
        else:
            out = _sum_by(rows, col, values)
    if out.empty and not rows.empty:
        raise _no_breakdown(info, by, rows)
    return out.sort_values(["period_start", col], kind="stable").reset_index(drop=True)


def _totals(rows: pd.DataFrame, info: catalog.SeriesInfo) -> pd.DataFrame:
    if info.layout == "margins":
        out = rows[_only(rows, None)]
    elif info.layout == "cells":
        out = _sum_by(rows, None, None)
    else:
        out = rows
    return out.sort_values("period_start", kind="stable").reset_index(drop=True)


def observations(series: str, by: str | None = None, start: str | None = None,
                 end: str | None = None, data_dir=None) -> pd.DataFrame:
    """Tidy rows of ``series``: totals (``by=None``) or a one-way breakdown ``by`` one of
    ``sector``, ``citizenship``, ``demographic``, ``authority``, a geography level of the series
    (``region``, ``state``, ``point``, ...), an alias of the series (``criminality``) or
    ``geography``; ``start``/``end`` are inclusive
    ``YYYY-MM`` bounds on the period start."""
    info = catalog.info(series)
    rows = snapshot(data_dir).series_frame(series)
    if rows.empty:
        raise InputError(f"series {series!r} has no observations in the store", field="series",
                         expected="a series listed by 'borderflow data list'")
    rows = _window(rows, start, end)
    out = _totals(rows, info) if by is None else _breakdown(rows, info, by)
    return out.reset_index(drop=True)


def monthly(series: str, by: str | None = None, start: str | None = None,
            end: str | None = None, data_dir=None) -> pd.DataFrame:
    """Monthly values of ``series`` with columns ``month`` ("YYYY-MM"), the ``by`` column
    (named ``by``, when given) and ``value`` (float)."""
    obs = observations(series, by=by, start=start, end=end, data_dir=data_dir)
    obs = obs[(obs["frequency"] == "M").to_numpy()]
    if obs.empty and catalog.info(series).frequency != "M":
        raise InputError(f"series {series!r} is not monthly", field="series",
                         expected="a monthly series; use observations() for others")
    out = pd.DataFrame({"month": obs["period_start"].dt.strftime("%Y-%m").to_numpy()})
    if by is not None:
        col, _ = _resolve(by, catalog.info(series))
        out[by] = obs[col].to_numpy()
    out["value"] = obs["value"].to_numpy(dtype="float64")
    return out
