"""ICE detention statistics: average daily population (ADP) and average length of stay (ALOS)
by initial arresting agency, month and criminality, in the layout ``period_start, period_end,
fiscal_year, geography, agency, arresting_agency, criminality, measure, value, unit, source,
note``.

- ``ice_detention_adp`` (persons) and ``ice_detention_alos`` (days) are monthly;
  ``ice_detention_adp_fy`` and ``ice_detention_alos_fy`` are ICE's "FY Overall" column, one
  fiscal year per row.
- The arresting agency becomes a series suffix: ``all`` none, ``CBP`` ``_cbp``, ``ICE`` ``_ice``
  (``ice_detention_adp_cbp_fy``).
- Criminality goes into ``demographic`` (``Convicted Criminal``, ``Pending Criminal Charges``,
  ``Other Immigration Violator``; ``Non-Criminal`` in FY2019) and answers to
  ``by="criminality"``; ``all`` is the row with no breakdown.
- ADP series have the ``margins`` layout. ALOS series are ``records``: an average length of stay
  is never summed.
- Values are averages with two decimals. The population of the criminality classes must add up
  to the row with no class, and CBP plus ICE arrests to all arrests, within that rounding
  (half a cent per cell).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import catalog, names
from borderflow.data.importers import _fields, _mechanisms, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "ICE detention statistics: average daily population and length of stay (CSV)"
SOURCE = "ice_detention_stats"
COLUMNS = ["period_start", "period_end", "fiscal_year", "geography", "agency",
           "arresting_agency", "criminality", "measure", "value", "unit", "source", "note"]
GEOGRAPHY = "United States (ICE detention, nationwide)"
MEASURES = {"ice_detention_adp": "persons (average daily population)",
            "ice_detention_adp_fy": "persons (average daily population)",
            "ice_detention_alos": "days (average length of stay)",
            "ice_detention_alos_fy": "days (average length of stay)"}
ARRESTING = {"all": "", "CBP": "_cbp", "ICE": "_ice"}


def detect(header: list[str]) -> bool:
    return header == COLUMNS


def _criminality(value: str) -> str | None:
    return "" if value == "all" else names.criminality(value)


def _adds_up(t: Table, df: pd.DataFrame, part: str, whole: str, by: list[str]) -> None:
    """ADP rows of the ``part`` column against the row where it is ``whole``."""
    adp = df[df["measure"].str.startswith("ice_detention_adp")]
    parts = adp[adp[part] != whole].groupby(by)["value"].agg(["sum", "size"])
    both = parts.join(adp[adp[part] == whole].set_index(by), how="inner")
    tolerance = 0.005 * (both["size"] + 1) + 1e-9
    bad = (both["sum"] - both["value"]).abs() > tolerance
    if bad.any():
        row = both[bad].iloc[0]
        raise t.error(f"the {part} rows sum to {row['sum']:,.2f}, but the {whole!r} row says "
                      f"{row['value']:,.2f}", int(row["row"]), "value",
                      expected=f"rows that add up within {tolerance[bad].iloc[0]:.3f} (each is "
                               "rounded to 2 decimals)")


def read(path) -> pd.DataFrame:
    t = read_table(path, COLUMNS)
    _fields.one_of(t, "agency", ("ICE ERO",))
    _fields.one_of(t, "geography", (GEOGRAPHY,))
    measure = _fields.one_of(t, "measure", list(MEASURES))
    _mechanisms.units(t, measure, MEASURES)
    arresting = _fields.one_of(t, "arresting_agency", list(ARRESTING))
    crime = _fields.mapped(t, "criminality", _criminality,
                           "all or " + ", ".join(c.lower().replace(" ", "_").replace("-", "_")
                                                 for c in names.CRIMINALITY))
    fy = np.array([m.endswith("_fy") for m in measure])
    series = np.array([m.removesuffix("_fy") + ARRESTING[a] + ("_fy" if f else "")
                       for m, a, f in zip(measure, arresting, fy, strict=True)], dtype=object)
    start, end = _mechanisms.period_dates(t)
    freq = _mechanisms.frequency(start, end)
    wrong = freq != np.where(fy, "FY", "M")
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise t.error(f"the period {start[i]}..{end[i]} does not fit measure {measure[i]!r}", i,
                      "period_end", expected="a whole fiscal year" if fy[i] else
                      "a whole month (monthly measure)")
    _mechanisms.fiscal_years(t, start)
    _mechanisms.coverage(t, start, SOURCE, series)
    _fields.unique(t, ["period_start", "period_end", "arresting_agency", "criminality",
                       "measure"])
    values = _fields.numbers(t, "value", series=series)
    df = pd.DataFrame({"start": start, "end": end, "measure": measure, "arresting": arresting,
                       "criminality": t.col("criminality").to_numpy(), "value": values,
                       "row": np.arange(len(t))})
    _adds_up(t, df, "criminality", "all", ["start", "end", "measure", "arresting"])
    _adds_up(t, df, "arresting", "all", ["start", "end", "measure", "criminality"])
    units = np.array([catalog.SERIES[s].unit for s in series], dtype=object)
    out = _tidy.frame(
        source=SOURCE,
        series=series,
        start=start,
        end=end,
        frequency=freq,
        value=values,
        unit=units,
        labels=dict(demographic=crime),
    )
    return _tidy.finish(out)
