"""DHS OHSS "Immigration Enforcement and Legal Processes Monthly Tables", one CSV per sheet in
the layout ``period_start, period_end, fiscal_year, geography, agency, citizenship, subgroup,
measure, value, unit, source, note``.

The sheet is named in the ``source`` cell (``ohss_ielp_2024-08:CBP SWB Book-Outs by Agency``),
so one file may hold rows of several sheets. Each sheet has its own keys:

- book-outs by agency: one series per agency and outcome (``cbp_bookouts_usbp_releases``,
  ``usbp_bookouts_t42_expulsions``, ``ofo_bookouts_ofo_paroles``); the CBP rows are the totals;
- book-outs by citizenship / family status: one-way breakdown rows of the CBP series. Their
  ``all`` rows repeat the CBP total of the agency sheet (the same figure in the August 2024
  edition), so they are checked against their own breakdown rows and then dropped: the agency
  sheet is the one source of the totals;
- CBP One, removals, ICE book-ins by citizenship: ``all`` is the total, countries are rows;
- CHNV: the parole process (``process_cuba``) goes into ``citizenship`` (rarely it differs from
  the parolee's nationality);
- ICE book-ins / book-outs by arresting agency: CBP and ICE arrests become series suffixes
  (``_cbp``, ``_ice``); the all-agency total belongs to the citizenship / criminality sheet;
- ICE book-outs by criminality: the class goes into ``demographic`` (``by="criminality"``);
- credible fear referrals: citizenship cells with no published total; completed screenings: one
  series per result.

Cells OHSS marks ``X`` (not applicable) are absent from the CSVs and stay absent. Every value is
a whole number rounded to 10. Breakdown rows must add up to their total within the rounding of
the cells (a partition), or stay below it (family status and arresting agency, whose totals also
count unknown or other groups).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from borderflow.data import catalog, names
from borderflow.data.importers import _fields, _mechanisms, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "DHS OHSS Immigration Enforcement and Legal Processes monthly tables (sheet as CSV)"
SOURCE = "dhs_ohss_ielp"
COLUMNS = ["period_start", "period_end", "fiscal_year", "geography", "agency", "citizenship",
           "subgroup", "measure", "value", "unit", "source", "note"]
_SOURCE_CELL = re.compile(r"ohss_ielp_\d{4}-\d{2}:(.+)")
_SWB = "US Southwest land border (at and between ports)"
_US = "United States (nationwide)"
_CF = "US Southwest land border"
_BOOKOUT_UNIT = "encounters (events) by book-out outcome"
_ICE_OUT_UNIT = "book-outs from ICE detention"
_ICE_IN_UNIT = "book-ins to ICE detention"
_ARRESTING = {"all_arresting_agencies": None, "initial_arrest_cbp": "_cbp",
              "initial_arrest_ice": "_ice"}
_CHNV = {"process_cuba": "Cuba", "process_haiti": "Haiti", "process_nicaragua": "Nicaragua",
         "process_venezuela": "Venezuela"}
_FAMILY = ("single_adults", "family_unit_individuals", "unaccompanied_children_single_minors")
_CRIMINALITY = ("criminality_convicted_criminals", "criminality_pending_criminal_charges",
                "criminality_other_immigration_violators")


@dataclass(frozen=True)
class Sheet:
    """How the keys of one OHSS sheet become series and breakdown rows."""

    agencies: dict[str, tuple[str, str]]  # agency cell -> (series prefix, geography cell)
    measures: dict[str, str]              # measure -> unit cell
    key: str | None = None                # the key that varies: citizenship, family, process, ...
    total: str = "all"                    # the key's label of the total
    owns_total: bool = True               # False: another sheet carries the total rows
    adds_up: str | None = "partition"     # "partition", "subset" or None
    subgroups: tuple[str, ...] = field(default=())

    def series(self, prefix: str, measure: str) -> str:
        if measure in catalog.BOOKOUT_MEASURES:
            return catalog.bookout_series(prefix, measure)
        return measure


def _bookouts(agencies: dict[str, tuple[str, str]], **kw) -> Sheet:
    return Sheet(agencies, {m: _BOOKOUT_UNIT for m in catalog.BOOKOUT_MEASURES}, **kw)


_CBP = {"CBP (USBP+OFO)": ("cbp", _SWB)}
_ICE_OUT = {f"ice_bookout_{r}": _ICE_OUT_UNIT for r in catalog.ICE_BOOKOUT_REASONS}
SHEETS = {
    "CBP SWB Book-Outs by Agency": _bookouts(
        {**_CBP, "USBP": ("usbp", "US Southwest land border (between ports)"),
         "OFO": ("ofo", "US Southwest land border (at ports of entry)")}, adds_up=None),
    "CBP SWB Book-Outs by Citp": _bookouts(_CBP, key="citizenship", owns_total=False),
    "CBP SWB Book-Outs by Family": _bookouts(_CBP, key="family", owns_total=False,
                                             adds_up="subset", subgroups=_FAMILY),
    "CBP One Appointments": Sheet(
        {"OFO": ("", "US Southwest land border land ports of entry")},
        {"cbp_one_appointments_processed":
         "appointments processed (not persons with appointments)"}, key="citizenship"),
    "CHNV Paroles": Sheet(
        {"USCIS/CBP": ("", "United States (air arrivals under CHNV parole processes)")},
        {"chnv_confirmed_paroles": "persons paroled (by parole date)"}, key="process",
        total="all_processes", subgroups=tuple(_CHNV)),
    "DHS Removals by Citizenship": Sheet(
        {"DHS (ICE ERO + CBP)": ("", _US)},
        {"dhs_removals": "removals (events; excludes returns)"}, key="citizenship"),
    "ICE ERO R&R by Citizenship": Sheet(
        {"ICE ERO": ("", _US)}, {"ice_ero_removals_and_returns": "removals and returns (events)"},
        key="citizenship"),
    "ICE Book-Ins by Citizenship": Sheet(
        {"ICE ERO": ("", _US)}, {"ice_detention_bookins": _ICE_IN_UNIT}, key="citizenship"),
    "ICE Book-Ins by Arrest Agency": Sheet(
        {"ICE ERO": ("", _US)}, {"ice_detention_bookins": _ICE_IN_UNIT}, key="arresting",
        total="all_arresting_agencies", owns_total=False, adds_up="subset",
        subgroups=tuple(_ARRESTING)[1:]),
    "ICE Book-Outs by Criminality": Sheet(
        {"ICE ERO": ("", _US)}, _ICE_OUT, key="criminality", total="criminality_all",
        subgroups=_CRIMINALITY),
    "ICE Book-Outs by Arrest Agency": Sheet(
        {"ICE ERO": ("", _US)}, _ICE_OUT, key="arresting", total="all_arresting_agencies",
        owns_total=False, adds_up="subset", subgroups=tuple(_ARRESTING)[1:]),
    "SWB CF Filed by Citp": Sheet(
        {"USCIS": ("", _CF)}, {"credible_fear_referrals": "credible fear cases referred to USCIS "
                               "(unique applicants, by case-created date)"},
        key="citizenship", total="", adds_up=None),
    "SWB CF Completed by Result": Sheet(
        {"USCIS": ("", _CF)},
        {f"credible_fear_completed_{r}": "credible fear screenings completed (by completion date)"
         for r in catalog.CREDIBLE_FEAR_RESULTS}, adds_up=None),
}


def detect(header: list[str]) -> bool:
    return header == COLUMNS


def _sheet_of(cell: str) -> str | None:
    match = _SOURCE_CELL.fullmatch(cell)
    return match.group(1) if match and match.group(1) in SHEETS else None


def _subtable(t: Table, rows: np.ndarray) -> Table:
    return Table(t.path, t.columns, t.frame.iloc[rows].reset_index(drop=True), t.lines[rows])


def _only_total(t: Table, col: str, label: str = "all") -> None:
    _fields.one_of(t, col, (label,))


def _citizenships(t: Table, spec: Sheet) -> tuple[np.ndarray, np.ndarray]:
    """(citizenship, is_total) of a sheet keyed by citizenship."""
    cells = t.col("citizenship").to_numpy(dtype=object)
    is_total = cells == spec.total if spec.total else np.zeros(len(t), dtype=bool)
    also = f", or {spec.total!r} for the total" if spec.total else " (this sheet has no total)"
    named = _fields.mapped(t, "citizenship",
                           lambda v: v if spec.total and v == spec.total
                           else names.citizenship(v, allow_other=True),
                           f"an OHSS country name such as 'Mexico', or 'Other'{also}",
                           hint=lambda v: names.citizenship_hint(v, allow_other=True))
    return np.where(is_total, "", named).astype(object), is_total


def _subgroups(t: Table, spec: Sheet) -> tuple[np.ndarray, np.ndarray]:
    allowed = (spec.total, *spec.subgroups)
    cells = _fields.one_of(t, "subgroup", allowed)
    return cells, cells == spec.total


def _keys(t: Table, spec: Sheet) -> dict:
    """Breakdown columns, series suffixes and the total mask of every row of one sheet."""
    n = len(t)
    out = {"citizenship": np.full(n, "", dtype=object), "demographic": np.full(n, "", dtype=object),
           "suffix": np.full(n, "", dtype=object), "total": np.ones(n, dtype=bool)}
    if spec.key == "citizenship":
        _only_total(t, "subgroup")
        out["citizenship"], out["total"] = _citizenships(t, spec)
        return out
    if spec.key == "process":
        cells, out["total"] = _subgroups(t, spec)
        country = np.array([_CHNV.get(c, "all") for c in cells], dtype=object)
        wrong = t.col("citizenship").to_numpy(dtype=object) != country
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise t.error(f"citizenship {t.col('citizenship').iloc[i]!r} does not match the "
                          f"parole process {cells[i]!r}", i, "citizenship",
                          expected=repr(country[i]))
        out["citizenship"] = np.where(out["total"], "", country).astype(object)
        return out
    _only_total(t, "citizenship")
    if spec.key is None:
        _only_total(t, "subgroup")
        return out
    cells, out["total"] = _subgroups(t, spec)
    if spec.key == "arresting":
        out["suffix"] = np.array([_ARRESTING[c] or "" for c in cells], dtype=object)
    else:
        label = names.demographic if spec.key == "family" else names.criminality
        out["demographic"] = np.array(["" if c == spec.total else label(c) for c in cells],
                                      dtype=object)
    return out


def _check_sums(t: Table, spec: Sheet, series: np.ndarray, start: np.ndarray,
                values: np.ndarray, is_total: np.ndarray) -> None:
    """Breakdown rows against the total row of the same series, month and sheet."""
    if spec.adds_up is None:
        return
    df = pd.DataFrame({"series": series, "start": start, "value": values, "total": is_total,
                       "row": np.arange(len(t))})
    parts = df[~df["total"]].groupby(["series", "start"])["value"].agg(["sum", "size"])
    totals = df[df["total"]].set_index(["series", "start"])
    both = parts.join(totals, how="inner")
    tolerance = 5 * (both["size"] + 1)
    excess = both["sum"] - both["value"]
    bad = excess > tolerance if spec.adds_up == "subset" else excess.abs() > tolerance
    if bad.any():
        (name, when), row = both.index[bad.to_numpy()][0], both[bad].iloc[0]
        how = "stay below" if spec.adds_up == "subset" else "add up to"
        raise t.error(f"the {row['size']} {spec.key} rows of {name} for {when:%Y-%m} sum to "
                      f"{row['sum']:,.0f}, but the total row says {row['value']:,.0f}",
                      int(row["row"]), "value",
                      expected=f"rows that {how} the total within {tolerance[bad].iloc[0]:,} "
                               f"(each cell is rounded to 10)")


def _read_sheet(t: Table, spec: Sheet) -> pd.DataFrame:
    agency = _fields.one_of(t, "agency", list(spec.agencies))
    prefix = np.array([spec.agencies[a][0] for a in agency], dtype=object)
    place = np.array([spec.agencies[a][1] for a in agency], dtype=object)
    wrong = t.col("geography").to_numpy(dtype=object) != place
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise t.error(f"geography {t.col('geography').iloc[i]!r} is not that of agency "
                      f"{agency[i]!r}", i, "geography", expected=repr(place[i]))
    measure = _fields.one_of(t, "measure", list(spec.measures))
    _mechanisms.units(t, measure, spec.measures)
    keys = _keys(t, spec)
    base = np.array([spec.series(p, m) for p, m in zip(prefix, measure, strict=True)],
                    dtype=object)
    unknown = ~np.isin(base, list(catalog.SERIES))
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        allowed = [m for m in spec.measures if spec.series(prefix[i], m) in catalog.SERIES]
        raise t.error(f"measure {measure[i]!r} does not apply to agency {agency[i]!r}", i,
                      "measure", expected="one of " + ", ".join(allowed))
    series = (base + keys["suffix"]).astype(object)
    start, end = _mechanisms.period_dates(t)
    _mechanisms.whole_months(t, start, end)
    _mechanisms.fiscal_years(t, start)
    _mechanisms.coverage(t, start, SOURCE, series)
    subgroup = np.array([names.label_key(v) for v in t.col("subgroup")], dtype=object)
    _fields.unique_cells(t, {"period_start": start, "period_end": end, "agency": agency,
                             "citizenship": np.where(keys["total"] & (spec.key == "citizenship"),
                                                     "(total)", keys["citizenship"]),
                             "subgroup": subgroup, "measure": measure})
    values = _fields.numbers(t, "value", whole=True, series=series)
    _mechanisms.rounded_to_10(t, values)
    # Compare the breakdown with the all-agency total even where that lives in the series
    # without the arresting-agency suffix.
    _check_sums(t, spec, base, start, values, keys["total"])
    keep = ~keys["total"] | spec.owns_total
    units = np.array([catalog.SERIES[s].unit for s in series], dtype=object)
    return _tidy.frame(
        source=SOURCE,
        series=series[keep],
        start=start[keep],
        end=end[keep],
        frequency="M",
        value=values[keep],
        unit=units[keep],
        labels=dict(citizenship=keys["citizenship"][keep], demographic=keys["demographic"][keep]),
    )


def read(path) -> pd.DataFrame:
    t = read_table(path, COLUMNS)
    sheets = _fields.mapped(t, "source", _sheet_of,
                            "'ohss_ielp_YYYY-MM:<sheet>' naming one of the sheets "
                            + "; ".join(SHEETS))
    frames = [_read_sheet(_subtable(t, np.flatnonzero(sheets == name)), SHEETS[name])
              for name in dict.fromkeys(sheets)]
    return _tidy.finish(pd.concat(frames, ignore_index=True))
