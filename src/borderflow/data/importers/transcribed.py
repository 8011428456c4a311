"""Figures transcribed from stored web pages, one per row, each with the page it was read on:
``period_start, period_end, [fiscal_year,] geography, [citizenship,] measure, value, unit,
source, note, url, page_date, status``.

- The measure is the series (``venezuelan_refugees_migrants_stock``,
  ``ice_funded_detention_beds``, ``irregular_transits_darien_ytd``, and Mexico's
  ``upm_eventos_situacion_migratoria_irregular`` and
  ``inm_personas_extranjeras_ubicadas_condicion_irregular``), and it decides the source.
- Every series is ``records``: the figures are kept as stored and never summed.
- ``geography`` is kept as given. ``citizenship`` takes the OHSS spelling; ``all`` is stored as
  ``""``.
- ``authority`` holds the publisher as cited (the ``source`` cell), so two pages' figures for
  the same date and place stay apart.
- ``url`` and ``status`` (``transcribed``, ``transcribed (derived)``) are kept on every row.
  ``note`` and ``page_date`` stay in the raw file.
- The frequency follows the span: ``M``, ``Q``, ``A`` or ``FY`` for a whole month, quarter,
  year or fiscal year, else ``P`` (a stock on one day, a year to date).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import catalog, domains, names
from borderflow.data.importers import _fields, _mechanisms, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "Transcribed figures with page URL and status (CSV)"
_TAIL = ["measure", "value", "unit", "source", "note", "url", "page_date", "status"]
LAYOUTS = (["period_start", "period_end", "geography", "citizenship", *_TAIL],
           ["period_start", "period_end", "fiscal_year", "geography", *_TAIL])
# measure -> (source, unit as published, frequency required or None)
MEASURES = {
    "venezuelan_refugees_migrants_stock": (
        "r4v_venezuelan_stock", "persons (stock reported by host governments, compiled by R4V)",
        None),
    "ice_funded_detention_beds": ("ice_funded_beds", "beds (funded average daily population)",
                                  "FY"),
    "irregular_transits_darien_ytd": ("darien_transcribed", "persons", None),
    "upm_eventos_situacion_migratoria_irregular": ("mexico_transcribed", "events (not persons)",
                                                   None),
    "inm_personas_extranjeras_ubicadas_condicion_irregular": (
        "mexico_transcribed", "persons located by INM (INM operational count)", None),
}
STATUSES = ("transcribed", "transcribed (derived)")
_URL = re.compile(r"https?://[^\s/]+\.[^\s]+")


def detect(header: list[str]) -> bool:
    return header in LAYOUTS


def text(t: Table, col: str, what: str) -> np.ndarray:
    """A free-text column that may not be empty."""
    cells = t.col(col).to_numpy(dtype=object)
    empty = cells == ""
    if empty.any():
        raise t.error(f"missing {what}", int(np.flatnonzero(empty)[0]), col,
                      expected=f"the {what} as given on the page")
    return cells


def urls(t: Table, col: str = "url") -> np.ndarray:
    cells = t.col(col).to_numpy(dtype=object)
    bad = np.array([not _URL.fullmatch(c) for c in cells], dtype=bool)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        shown = repr(cells[i]) if cells[i] else "empty value"
        raise t.error(f"{shown} is not a page address", i, col,
                      expected="the URL of the page the figure was read on (http:// or https://)")
    return cells


def in_coverage(t: Table, start: np.ndarray, sources: np.ndarray) -> None:
    for source in dict.fromkeys(sources.tolist()):
        first, last = domains.coverage(source)
        bad = (sources == source) & ((start < first) | (start > last))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise t.error(f"{start[i]} is outside the coverage of {source}", i, "period_start",
                          expected=f"a period starting {first} to {last}")


def _citizenship(t: Table) -> np.ndarray:
    if "citizenship" not in t.columns:
        return np.full(len(t), "", dtype=object)
    return _fields.mapped(t, "citizenship",
                          lambda v: "" if v == "all" else names.citizenship(v),
                          "an OHSS country name such as 'Venezuela', or 'all'").astype(object)


def read(path) -> pd.DataFrame:
    t = read_table(path, ["period_start", "period_end", *_TAIL])
    measure = _fields.one_of(t, "measure", list(MEASURES))
    sources = np.array([MEASURES[m][0] for m in measure], dtype=object)
    _mechanisms.units(t, measure, {m: spec[1] for m, spec in MEASURES.items()})
    start, end = _mechanisms.period_dates(t)
    freq = _mechanisms.frequency(start, end)
    need = np.array([MEASURES[m][2] or f for m, f in zip(measure, freq, strict=True)],
                    dtype=object)
    wrong = freq != need
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise t.error(f"the period {start[i]}..{end[i]} is not a whole fiscal year", i,
                      "period_end", expected=f"a U.S. fiscal year for {measure[i]}")
    if "fiscal_year" in t.columns:
        _mechanisms.fiscal_years(t, start)
    in_coverage(t, start, sources)
    geography = text(t, "geography", "geography")
    citizenship = _citizenship(t)
    publisher = text(t, "source", "publisher")
    _fields.unique(t, [c for c in ("period_start", "period_end", "geography", "citizenship",
                                   "measure", "source") if c in t.columns], what="figure")
    values = _fields.numbers(t, "value", whole=True, series=measure)
    status = _fields.one_of(t, "status", STATUSES)
    units = np.array([catalog.SERIES[m].unit for m in measure], dtype=object)
    out = _tidy.frame(
        source=sources,
        series=measure,
        start=start,
        end=end,
        frequency=freq,
        value=values,
        unit=units,
        labels=dict(
            geography=geography,
            citizenship=citizenship,
            authority=publisher,
            url=urls(t),
            status=status,
        ),
    )
    return _tidy.finish(out)
