"""The tidy observations schema shared by every importer, the store and the API."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.errors import InputError

COLUMNS = ["source", "series", "period_start", "period_end", "frequency", "geography",
           "citizenship", "demographic", "authority", "value", "unit", "url", "status"]
TEXT_COLUMNS = ["source", "series", "frequency", "geography", "citizenship", "demographic",
                "authority", "unit", "url", "status"]
# Where a transcribed figure was read (page URL) and how (``transcribed``, ``transcribed
# (derived)``); ``""`` for rows imported from an official file. Not part of the key; a store
# written before these columns existed loads with ``""`` in them.
PROVENANCE = ["url", "status"]
DATE_COLUMNS = ["period_start", "period_end"]
BREAKDOWN = ["geography", "citizenship", "demographic", "authority"]
KEY = ["source", "series", "period_start", "period_end", *BREAKDOWN]
FREQUENCIES = {"M": "monthly", "Q": "quarterly", "A": "calendar year", "FY": "U.S. fiscal year",
               "P": "other period"}
DATE_DTYPE = "datetime64[ms]"


def empty() -> pd.DataFrame:
    """An empty observations frame with the right dtypes."""
    return conform(pd.DataFrame({c: [] for c in COLUMNS}))


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the schema columns, in order, with canonical dtypes."""
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for col in COLUMNS:
        values = df[col].to_numpy() if col in df else np.full(len(df), "")
        if col in TEXT_COLUMNS:
            out[col] = pd.Series(values, dtype=str, index=out.index)
        elif col in DATE_COLUMNS:
            out[col] = pd.to_datetime(values).astype(DATE_DTYPE)
        else:
            out[col] = np.asarray(values, dtype="float64")
    return out


def validate(df: pd.DataFrame, file: str | None = None) -> None:
    """Check a tidy frame before it is merged into a store; raise InputError if it is not."""
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError("observations table lacks columns", file=file, field=missing[0],
                         expected=", ".join(COLUMNS))
    for col in TEXT_COLUMNS:
        if df[col].isna().any():
            raise InputError("text column holds missing values", file=file, field=col,
                             expected='text, with "" for not applicable')
    for col in DATE_COLUMNS:
        if df[col].isna().any():
            raise InputError("missing period date", file=file, field=col, expected="a date")
    if (df["period_end"] < df["period_start"]).any():
        raise InputError("a period ends before it starts", file=file, field="period_end")
    bad = ~np.isfinite(df["value"].to_numpy(dtype="float64"))
    if bad.any():
        raise InputError("non-finite value", file=file, field="value", expected="a number")
    unknown = set(df["frequency"].unique()) - set(FREQUENCIES)
    if unknown:
        raise InputError(f"unknown frequency {sorted(unknown)[0]!r}", file=file,
                         field="frequency", expected=", ".join(FREQUENCIES))
    dup = df.duplicated(KEY)
    if dup.any():
        row = df[dup].iloc[0]
        raise InputError(f"two rows share the key of series {row['series']!r} at "
                         f"{row['period_start']:%Y-%m-%d}", file=file, field="series",
                         expected="one row per source, series, period and breakdown")
