"""CBP "Southwest Land Border Encounters" CSV (sbo-encounters-*.csv).

Component becomes the series (``cbp_sw_encounters_usbp`` / ``_ofo``; ``cbp_sw_encounters`` is
their sum, CBP's headline figure); Title of Authority goes to ``authority``; Encounter Type is
implied by component and authority and is only checked (an OFO type in a Border Patrol row
is refused). Two rows that name the same cell once their labels are read are refused.
Accompanied Minors (OFO only) join "Family Unit Individuals", so those rows are summed with
FMUA: the one documented merge of two categories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import names
from borderflow.data.importers import _cbp, _fields, _tidy
from borderflow.data.importers._csv import read_table

NAME = "CBP Southwest Land Border Encounters (sbo-encounters)"
SOURCE = "cbp_sbo"
COLUMNS = ["Fiscal Year", "Month Grouping", "Month (abbv)", "Component", "Demographic",
           "Citizenship Grouping", "Title of Authority", "Encounter Type", "Encounter Count"]
_COMPONENTS = {"U.S. Border Patrol": "cbp_sw_encounters_usbp",
               "Office of Field Operations": "cbp_sw_encounters_ofo"}


def detect(header: list[str]) -> bool:
    return {"Component", "Citizenship Grouping", "Encounter Count"} <= set(header)


def read(path) -> pd.DataFrame:
    t = read_table(path, [c for c in COLUMNS if c != "Month Grouping"])
    start, end = _cbp.months(t, SOURCE)
    comps = _cbp.components(t)
    series = np.array([_COMPONENTS[c] for c in comps], dtype=object)
    titles = _cbp.authorities(t)
    kinds = _cbp.encounter_types(t, comps, titles)
    groups = _cbp.demographic_categories(t)
    citizenship = _cbp.citizenships(t, "Citizenship Grouping")
    _fields.unique_cells(t, {"Fiscal Year": _cbp.years(t), "Month (abbv)": start,
                             "Component": comps, "Demographic": groups,
                             "Citizenship Grouping": citizenship, "Title of Authority": titles,
                             "Encounter Type": kinds})
    demographic = np.array([names.demographic(g) for g in groups], dtype=object)
    parts = _tidy.frame(source=SOURCE, series=series, start=start, end=end, frequency="M",
                        value=_cbp.counts(t, series), unit="encounters",
                        labels=dict(citizenship=citizenship, demographic=demographic,
                                    authority=titles))
    both = parts.assign(series=np.full(len(parts), "cbp_sw_encounters", dtype=object))
    out = _tidy.aggregate(pd.concat([parts, both], ignore_index=True))
    return _tidy.finish(out)
