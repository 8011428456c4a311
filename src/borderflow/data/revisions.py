"""A release replaces what it covers as a whole.

A file covers *groups*: a (source, series, period) and, for a series of ``margins`` or
``records`` layout, the breakdown its rows fill (the totals, the sector rows, the citizenship
rows, ...). For a ``cells`` series (the CBP files, incidents) the whole period is one group.
Importing a file replaces every row of each group it covers, so a cell that a revision leaves
out (El Salvador folded into Other, a cell revised to zero, which CBP files omit) is gone, not
kept from the earlier release. Groups the file does not cover are untouched: an OHSS sector
sheet replaces the sector rows of its months, not their totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from borderflow.data import catalog, schema

GROUP = ["source", "series", "period_start", "period_end", "layer"]


def _layout(series: str) -> str:
    try:
        return catalog.info(series).layout
    except Exception:  # a series the catalogue does not describe: keep its breakdowns apart
        return "records"


def with_groups(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with a ``layer`` column: 0 for a ``cells`` series (the whole period), else a
    bit per breakdown column the row fills (0 for a total row)."""
    layer = np.zeros(len(df), dtype="int64")
    for bit, col in enumerate(schema.BREAKDOWN):
        layer |= (df[col].to_numpy(dtype=object) != "").astype("int64") << bit
    cells = {s for s in df["series"].unique() if _layout(str(s)) == "cells"}
    if cells:
        layer[df["series"].isin(cells).to_numpy()] = 0
    return df.assign(layer=layer)


def covered(base: pd.DataFrame, new: pd.DataFrame) -> np.ndarray:
    """Mask of the rows of ``base`` in a group that ``new`` covers."""
    mask = np.zeros(len(base), dtype=bool)
    if not len(new) or not len(base):
        return mask
    near = base["series"].isin(new["series"].unique()).to_numpy()
    if not near.any():
        return mask
    groups = with_groups(new)[GROUP].drop_duplicates()
    part = with_groups(base[near])[GROUP].reset_index(drop=True)
    hit = part.merge(groups.assign(_hit=True), on=GROUP, how="left")["_hit"]
    mask[np.flatnonzero(near)] = hit.fillna(False).to_numpy(dtype=bool)
    return mask


def replace(base: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """``base`` without the groups ``new`` covers, then ``new``."""
    keep = base[~covered(base, new)]
    return pd.concat([keep, new], ignore_index=True)


@dataclass
class Revision:
    """A covered group whose categories changed: ``removed`` cells are gone, ``added`` are new."""

    series: str
    month: str
    old_total: float
    new_total: float
    added: str
    removed: str


def _period(start, end) -> str:
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return f"{start:%Y-%m}"
    return f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"


def _describe(gone: pd.DataFrame, left: pd.DataFrame) -> str:
    """The categories of the cells in ``gone``: the values no cell of ``left`` has, column by
    column, and how many further cells went."""
    parts = []
    for col in schema.BREAKDOWN:
        values = sorted(set(gone[col]) - set(left[col]) - {""})
        if values:
            parts.append(f"{col} " + ", ".join(values))
    text = "; ".join(parts)
    if not text and len(gone):
        text = f"{len(gone)} cell{'s' if len(gone) > 1 else ''}"
    return text


def revisions(new: pd.DataFrame, current: pd.DataFrame) -> list[Revision]:
    """The groups of ``new`` that replace a group of ``current`` with other categories: the
    period, the series, the old and new total and the categories added and removed."""
    if not len(new) or not len(current):
        return []
    old = current[covered(current, new)]
    if not len(old):
        return []
    old, fresh = with_groups(old), with_groups(new)
    cell = GROUP + schema.BREAKDOWN
    merged = old[cell + ["value"]].merge(fresh[cell + ["value"]], on=cell, how="outer",
                                         suffixes=("_old", "_new"), indicator=True)
    out = []
    for key, part in merged.groupby(GROUP, sort=True):
        kinds = part["_merge"].to_numpy()
        if (kinds == "both").all() or not (kinds != "right_only").any():
            continue  # the same cells, or a group new to the store
        removed = part[kinds == "left_only"]
        added = part[kinds == "right_only"]
        _, series, start, end, _ = key
        out.append(Revision(str(series), _period(start, end),
                            float(part["value_old"].sum()), float(part["value_new"].sum()),
                            _describe(added, part[kinds != "right_only"]),
                            _describe(removed, part[kinds != "left_only"])))
    return out
