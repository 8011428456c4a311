"""DHS OHSS "CBP Encounters - USBP" sheets (KHSM workbook), one CSV per sheet.

Accepts the per-sheet CSVs (``Fiscal Year, Month, [Region], [Sector|Citizenship|Family
Status], Quantity``) and the workbook's own header spelling ``Fiscal\\nYear``. Months such as
``04 January`` are fiscal month number + calendar month name (FY starts 1 October).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import names, periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "DHS OHSS CBP Encounters - USBP (workbook sheet as CSV)"
SOURCE = "dhs_ohss_usbp"
_DIMS = {"Sector": "geography", "Citizenship": "citizenship", "Family Status": "demographic"}
_ALLOWED = {"Fiscal Year", "Month", "Region", "Quantity", *_DIMS}
_SERIES = {"Southwest Land Border": "usbp_sw_encounters",
           "Northern Land Border": "usbp_northern_encounters",
           "Coastal Border": "usbp_coastal_encounters", "": "usbp_nationwide_encounters"}


def detect(header: list[str]) -> bool:
    return (len(header) >= 2 and header[0] == "Fiscal Year" and header[-1] == "Quantity"
            and set(header) <= _ALLOWED)


def _dimension(t: Table) -> str | None:
    dims = [c for c in t.columns if c in _DIMS]
    if len(dims) > 1:
        raise t.error("a sheet has at most one of Sector, Citizenship, Family Status",
                      field=dims[1], expected="one breakdown column")
    return dims[0] if dims else None


def _periods(t: Table) -> tuple[np.ndarray, np.ndarray, str]:
    fy = _fields.years(t, "Fiscal Year")
    if "Month" not in t.columns:
        start, end = periods.fiscal_year_bounds(fy)
        _fields.in_coverage(t, "Fiscal Year", start, SOURCE)
        return start, end, "FY"
    fm = _fields.mapped(t, "Month", periods.parse_fiscal_month,
                        "a fiscal month label such as '01 October' or '04 January'")
    fm = fm.astype("int64")
    month = (fm + 8) % 12 + 1
    start = periods.month_starts(np.where(fm <= 3, fy - 1, fy), month)
    _fields.in_coverage(t, "Fiscal Year", start, SOURCE)
    return start, periods.month_ends(start), "M"


def _quantities(t: Table, series: np.ndarray) -> np.ndarray:
    q = _fields.numbers(t, "Quantity", whole=True, series=series)
    off = q % 10 != 0
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise t.error(f"quantity {t.col('Quantity').iloc[i]} is not rounded to 10 as OHSS "
                      "publishes (truncated file?)", i, "Quantity", expected="a multiple of 10")
    return q


def _regions(t: Table) -> np.ndarray:
    if "Region" not in t.columns:
        return np.full(len(t), "", dtype=object)
    return _fields.mapped(t, "Region", names.region, ", ".join(names.REGIONS),
                          hint=_fields.suggest(names.REGIONS))


def _breakdown(t: Table, dim: str | None, regions: np.ndarray) -> np.ndarray:
    if dim is None:
        return np.full(len(t), "", dtype=object)
    if dim == "Citizenship":
        return _fields.mapped(t, dim, names.citizenship,
                              "an OHSS country name (docs/data.md, Harmonised names), e.g. "
                              "'Mexico'", hint=names.citizenship_hint)
    if dim == "Family Status":
        return _fields.mapped(t, dim, names.demographic, ", ".join(names.DEMOGRAPHICS),
                              hint=_fields.suggest(names.DEMOGRAPHICS))
    sectors = _fields.mapped(t, dim, names.sector, "a USBP sector: " + ", ".join(names.SECTORS),
                             hint=_fields.suggest(names.SECTORS))
    pairs = zip(sectors, regions, strict=True)
    wrong = np.array([r != "" and names.region_of(s) != r for s, r in pairs], dtype=bool)
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise t.error(f"sector {sectors[i]!r} is not in the {regions[i]}", i, "Sector",
                      expected=", ".join(names.REGIONS[regions[i]]))
    return sectors


def read(path) -> pd.DataFrame:
    t = read_table(path, ["Fiscal Year", "Quantity"])
    dim = _dimension(t)
    start, end, freq = _periods(t)
    regions = _regions(t)
    values = _breakdown(t, dim, regions)
    keys = {"Fiscal Year": start, "Month": start, "Region": regions, dim: values}
    _fields.unique_cells(t, {c: keys[c] for c in t.columns if c in keys})
    suffix = "_fy" if freq == "FY" else ""
    series = np.array([_SERIES[r] + suffix for r in regions], dtype=object)
    column = _DIMS.get(dim, "geography")
    out = _tidy.frame(source=SOURCE, series=series, start=start, end=end, frequency=freq,
                      value=_quantities(t, series), unit="encounters", labels={column: values})
    return _tidy.finish(out)
