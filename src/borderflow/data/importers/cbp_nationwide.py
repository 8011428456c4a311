"""CBP "Nationwide Encounters" CSVs: the state file and the area-of-responsibility file.

State file -> ``cbp_nationwide_encounters_state``, geography ``"<Land Border Region>/<ST>"``.
AOR file -> ``cbp_nationwide_encounters_aor``, geography ``"<Land Border Region>/<AOR>"``,
where Border Patrol sectors take their OHSS names ("Tucson, AZ") and field offices keep CBP's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import names
from borderflow.data.importers import _cbp, _fields, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "CBP Nationwide Encounters (state or area-of-responsibility file)"
COMMON = ["Fiscal Year", "Month (abbv)", "Land Border Region", "Demographic", "Citizenship",
          "Title of Authority", "Encounter Count"]
REGIONS = ("Southwest Land Border", "Northern Land Border", "Other")
STATES = tuple(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU MP AS UM".split())
_AOR = "Area of Responsibility"
# Columns that are no part of a cell's key: the count, CBP's presentation aid, the AOR code
# (the AOR name is the key) and the region (part of the place, "<region>/<state or AOR>").
_NOT_KEYS = ("Encounter Count", "Month Grouping", "AOR (Abbv)", "Land Border Region")
FIELD_OFFICES = tuple(f"{city} Field Office" for city in (
    "Atlanta", "Baltimore", "Boston", "Buffalo", "Chicago", "Detroit", "El Paso", "Houston",
    "Laredo", "Los Angeles", "Miami", "New Orleans", "New York", "Portland", "San Diego",
    "San Francisco", "San Juan", "Seattle", "Tampa", "Tucson")) + ("Preclearance",)


def detect(header: list[str]) -> bool:
    cols = set(header)
    return {"Land Border Region", "Encounter Count"} <= cols and bool({"State", _AOR} & cols)


def _aor_name(value: str, component: str) -> str | None:
    if component == "U.S. Border Patrol":
        return names.sector(value)
    return value if value in FIELD_OFFICES else names.sector(value)


def _places(t: Table) -> tuple[str, np.ndarray]:
    regions = _fields.one_of(t, "Land Border Region", REGIONS)
    if "State" in t.columns:
        places = _fields.one_of(t, "State", STATES)
        return "cbp_nationwide_encounters_state", regions + "/" + places
    comps = t.col("Component") if "Component" in t.columns else pd.Series([""] * len(t))
    pairs = pd.Series(list(zip(t.col(_AOR), comps, strict=True)))
    table = {}
    for pair in pairs.unique():
        if (table.setdefault(pair, _aor_name(*pair))) is None:
            i = int(np.flatnonzero((pairs == pair).to_numpy())[0])
            raise t.error(f"unknown area of responsibility {pair[0]!r}", i, _AOR,
                          expected="a USBP sector (e.g. 'Tucson Sector'), Preclearance or a "
                                   "CBP field office: " + ", ".join(FIELD_OFFICES[:-1]))
    places = pairs.map(table).to_numpy()
    return "cbp_nationwide_encounters_aor", regions + "/" + places


def read(path) -> pd.DataFrame:
    t = read_table(path, COMMON)
    if "State" not in t.columns and _AOR not in t.columns:
        raise t.error("missing column", field="State", expected=f"'State' or '{_AOR}'")
    series, places = _places(t)
    source = "cbp_nationwide_state" if series.endswith("state") else "cbp_nationwide_aor"
    start, end = _cbp.months(t, source)
    titles = _cbp.authorities(t)
    groups = _cbp.demographic_categories(t)
    citizenship = _cbp.citizenships(t, "Citizenship")
    where = "State" if "State" in t.columns else _AOR
    keys = {"Fiscal Year": _cbp.years(t), "Month (abbv)": start, where: places,
            "Demographic": groups, "Citizenship": citizenship, "Title of Authority": titles}
    if "Component" in t.columns:
        keys["Component"] = _cbp.components(t)
        if "Encounter Type" in t.columns:
            keys["Encounter Type"] = _cbp.encounter_types(t, keys["Component"], titles)
    extra = [c for c in t.columns if c not in keys and c not in _NOT_KEYS]
    _fields.unique_cells(t, {**keys, **{c: t.col(c).to_numpy() for c in extra}})
    demographic = np.array([names.demographic(g) for g in groups], dtype=object)
    out = _tidy.frame(source=source, series=series, start=start, end=end, frequency="M",
                      value=_cbp.counts(t, series), unit="encounters",
                      labels=dict(geography=places, citizenship=citizenship,
                                  demographic=demographic, authority=titles))
    return _tidy.finish(_tidy.aggregate(out))
