"""Build tidy observation frames from importer columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import schema

#: the optional columns of a tidy frame (empty unless given in ``labels``)
LABELS = ("geography", "citizenship", "demographic", "authority", "url", "status")


def frame(*, source: str, series, start, end, frequency, value, unit: str,
          labels: dict | None = None) -> pd.DataFrame:
    """Assemble a tidy frame; scalar arguments are broadcast to the length of ``value``.
    ``labels``: values of the optional columns (:data:`LABELS`), empty when not given."""
    n = len(value)
    labels = labels or {}
    unknown = set(labels) - set(LABELS)
    if unknown:
        raise TypeError(f"unknown tidy columns {sorted(unknown)}")
    geography, citizenship, demographic, authority, url, status = (
        labels.get(k, "") for k in LABELS)

    def full(v):
        return np.full(n, v, dtype=object) if np.isscalar(v) else np.asarray(v, dtype=object)

    data = {"source": full(source), "series": full(series), "period_start": start,
            "period_end": end, "frequency": full(frequency), "geography": full(geography),
            "citizenship": full(citizenship), "demographic": full(demographic),
            "authority": full(authority), "value": np.asarray(value, dtype="float64"),
            "unit": full(unit), "url": full(url), "status": full(status)}
    return schema.conform(pd.DataFrame(data))


def aggregate(df: pd.DataFrame) -> pd.DataFrame:
    """Sum rows that share a key (used after harmonising names merges categories)."""
    keys = [c for c in schema.COLUMNS if c != "value"]
    out = df.groupby(keys, sort=False, as_index=False, observed=True)["value"].sum()
    return schema.conform(out)


def finish(df: pd.DataFrame) -> pd.DataFrame:
    """Canonical row order so that reading the same file twice gives identical frames."""
    order = ["series", "period_start", "period_end", *schema.BREAKDOWN]
    return df.sort_values(order, kind="stable").reset_index(drop=True)
