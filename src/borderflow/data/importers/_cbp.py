"""Columns shared by the CBP encounter CSVs (fiscal year, month abbreviation, demographic,
citizenship, title of authority, encounter count)."""

from __future__ import annotations

import numpy as np

from borderflow.data import names, periods
from borderflow.data.importers import _fields
from borderflow.data.importers._csv import Table

AUTHORITIES = ("Title 8", "Title 42")


def months(t: Table, source: str) -> tuple[np.ndarray, np.ndarray]:
    """Fiscal Year ('2024', '2025 (FYTD)') + Month (abbv) ('OCT') -> calendar month bounds,
    within the coverage of ``source``. The month must be a whole abbreviation or name."""
    fy = _fields.years(t, "Fiscal Year")
    month = _fields.mapped(t, "Month (abbv)", periods.parse_month,
                           "a month abbreviation such as OCT").astype("int64")
    start = periods.month_starts(np.where(month >= 10, fy - 1, fy), month)
    _fields.in_coverage(t, "Fiscal Year", start, source)
    return start, periods.month_ends(start)


COMPONENTS = ("U.S. Border Patrol", "Office of Field Operations")
# The encounter type of each component and title: Border Patrol apprehends and the ports of
# entry find people inadmissible under Title 8; both expel under Title 42.
TYPES = {("U.S. Border Patrol", "Title 8"): "Apprehensions",
         ("U.S. Border Patrol", "Title 42"): "Expulsions",
         ("Office of Field Operations", "Title 8"): "Inadmissibles",
         ("Office of Field Operations", "Title 42"): "Expulsions"}


def years(t: Table) -> np.ndarray:
    return _fields.years(t, "Fiscal Year")


def demographic_categories(t: Table) -> np.ndarray:
    """The demographic each row names (Accompanied Minors still apart from FMUA)."""
    return _fields.mapped(t, "Demographic", names.demographic_category,
                          "Single Adults, FMUA, UC / Single Minors, UAC or Accompanied Minors",
                          hint=_fields.suggest(names.DEMOGRAPHIC_LABELS))


def demographics(t: Table) -> np.ndarray:
    """The stored family-status group (Accompanied Minors join Family Unit Individuals)."""
    return np.array([names.demographic(c) for c in demographic_categories(t)], dtype=object)


def citizenships(t: Table, col: str) -> np.ndarray:
    return _fields.mapped(t, col, lambda v: names.citizenship(v, allow_other=True),
                          "an OHSS country name (docs/data.md, Harmonised names; case and "
                          "accents do not matter, e.g. 'EL SALVADOR'), or 'OTHER'",
                          hint=lambda v: names.citizenship_hint(v, allow_other=True))


def authorities(t: Table) -> np.ndarray:
    return _fields.one_of(t, "Title of Authority", AUTHORITIES)


def components(t: Table) -> np.ndarray:
    return _fields.one_of(t, "Component", COMPONENTS)


def encounter_types(t: Table, comps: np.ndarray, titles: np.ndarray) -> np.ndarray:
    """Each row's Encounter Type must be the one of its component and title of authority:
    an OFO type ('Inadmissibles') in a Border Patrol row is refused, not added in."""
    kinds = _fields.one_of(t, "Encounter Type", sorted(set(TYPES.values())))
    want = np.array([TYPES[(c, a)] for c, a in zip(comps, titles, strict=True)], dtype=object)
    wrong = kinds != want
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        own = ", ".join(f"{k} under {a}" for (c, a), k in TYPES.items() if c == comps[i])
        raise t.error(f"encounter type {t.col('Encounter Type').iloc[i]!r} does not belong to "
                      f"{comps[i]} under {titles[i]}", i, "Encounter Type",
                      expected=f"{want[i]!r} (the types of {comps[i]}: {own})")
    return kinds


def counts(t: Table, series) -> np.ndarray:
    return _fields.numbers(t, "Encounter Count", whole=True, series=series)
