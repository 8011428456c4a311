"""CBP "Southwest Land Border Encounters" CSV (sbo-encounters-*.csv).

Component becomes the series (``cbp_sw_encounters_usbp`` / ``_ofo``; ``cbp_sw_encounters`` is
their sum, CBP's headline figure); Title of Authority goes to ``authority``; Encounter Type is
implied by component and authority and is only checked. Accompanied Minors (OFO only) join
"Family Unit Individuals", so those rows are summed with FMUA.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data.importers import _cbp, _fields, _tidy
from borderflow.data.importers._csv import read_table

NAME = "CBP Southwest Land Border Encounters (sbo-encounters)"
SOURCE = "cbp_sbo"
COLUMNS = ["Fiscal Year", "Month Grouping", "Month (abbv)", "Component", "Demographic",
           "Citizenship Grouping", "Title of Authority", "Encounter Type", "Encounter Count"]
_COMPONENTS = {"U.S. Border Patrol": "cbp_sw_encounters_usbp",
               "Office of Field Operations": "cbp_sw_encounters_ofo"}
_TYPES = ("Apprehensions", "Inadmissibles", "Expulsions")


def detect(header: list[str]) -> bool:
    return {"Component", "Citizenship Grouping", "Encounter Count"} <= set(header)


def read(path) -> pd.DataFrame:
    t = read_table(path, [c for c in COLUMNS if c != "Month Grouping"])
    _fields.unique(t, ["Fiscal Year", "Month (abbv)", "Component", "Demographic",
                       "Citizenship Grouping", "Title of Authority", "Encounter Type"])
    start, end = _cbp.months(t, SOURCE)
    series = _fields.mapped(t, "Component", _COMPONENTS.get, ", ".join(_COMPONENTS))
    _fields.one_of(t, "Encounter Type", _TYPES)
    parts = _tidy.frame(
        source=SOURCE,
        series=series,
        start=start,
        end=end,
        frequency="M",
        value=_cbp.counts(t, series),
        unit="encounters",
        labels=dict(
            citizenship=_cbp.citizenships(t, "Citizenship Grouping"),
            demographic=_cbp.demographics(t),
            authority=_cbp.authorities(t),
        ),
    )
    both = parts.assign(series=np.full(len(parts), "cbp_sw_encounters", dtype=object))
    out = _tidy.aggregate(pd.concat([parts, both], ignore_index=True))
    return _tidy.finish(out)
