"""Observed series the analysis compares the model with, read from the store."""

from __future__ import annotations

import pandas as pd

from borderflow.data.query import monthly

#: USBP Southwest monthly encounters: the series every forecast and score is of
USBP_SW = "usbp_sw_encounters"


def observed_total(start: str | None = None, end: str | None = None) -> pd.Series:
    """USBP Southwest monthly encounters as a Series indexed by month (all bundled)."""
    o = monthly(USBP_SW, start=start, end=end)
    return o.set_index("month")["value"].astype(float)
