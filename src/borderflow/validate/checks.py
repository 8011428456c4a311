"""What a reader must know before using a forecast table: the gap between its first month
and the last observed one, bands no month of the record comes near, and medians that have
lost a flow that exists (``forecast.json`` ``checks``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data.observed import observed_total
from borderflow.validate.bands import observed_breakdown

#: a band whose 97.5% bound exceeds this multiple of the key's largest observed month is
#: flagged (a band no month of the record comes near says the model cannot place the key)
BAND_FLAG_MULTIPLE = 3.0
#: a median below this share of the key's last observed month is flagged, where that month
#: had at least :data:`MEDIAN_FLAG_MIN` encounters (the model has lost a flow that exists)
MEDIAN_FLAG_SHARE, MEDIAN_FLAG_MIN = 0.05, 1000.0


def forecast_checks(table: pd.DataFrame, first: str) -> dict:
    """What a reader must know before using a forecast table from ``first``: the last
    observed month before it, the gap between the first forecast month's median and that
    month, and per breakdown key the bands above :data:`BAND_FLAG_MULTIPLE` times the
    key's largest observed month and the medians below :data:`MEDIAN_FLAG_SHARE` of its
    last observed month.  Only months before ``first`` are read."""

    obs = observed_total(start="2019-01", until=str(pd.Period(first, "M") - 1))
    out: dict = {"last_observed": None, "flags": []}
    if obs.empty:
        return out
    last_month, last_value = str(obs.index[-1]), float(obs.iloc[-1])
    tot = table[(table["breakdown"] == "total")].sort_values("month")
    head = tot.iloc[0]
    gap = (float(head["median"]) / last_value - 1.0) if last_value > 0 else None
    out["last_observed"] = {"month": last_month, "observed": last_value,
                            "first_month": str(head["month"]),
                            "first_median": round(float(head["median"]), 1),
                            "gap": None if gap is None else round(gap, 4),
                            "months_between": (pd.Period(str(head["month"]), "M")
                                               - pd.Period(last_month, "M")).n}
    hist = [str(m_) for m_ in obs.index]
    for breakdown in ("total", "sector", "citizenship", "demographic"):
        part = table[table["breakdown"] == breakdown]
        if part.empty:
            continue
        keys = sorted(part["key"].unique())
        o = observed_breakdown(breakdown, hist, keys)           # months x keys
        for k, key in enumerate(keys):
            col = o[:, k]
            if not np.isfinite(col).any():
                continue
            top, last = float(np.nanmax(col)), float(col[np.isfinite(col)][-1])
            rows = part[part["key"] == key]
            wide = rows[rows["p975"] > BAND_FLAG_MULTIPLE * max(top, 1.0)]
            if len(wide):
                out["flags"].append({
                    "breakdown": breakdown, "key": key, "what": "band",
                    "months": [str(x) for x in wide["month"]],
                    "text": f"95% upper bound up to {wide['p975'].max():,.0f}, over "
                            f"{BAND_FLAG_MULTIPLE:g}x the largest observed month "
                            f"({top:,.0f})"})
            low = rows[rows["median"] < MEDIAN_FLAG_SHARE * last] if last >= MEDIAN_FLAG_MIN \
                else rows.iloc[:0]
            if len(low):
                out["flags"].append({
                    "breakdown": breakdown, "key": key, "what": "median",
                    "months": [str(x) for x in low["month"]],
                    "text": f"median down to {low['median'].min():,.0f} against "
                            f"{last:,.0f} in {last_month}: the model has lost this flow"})
    return out
