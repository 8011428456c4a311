"""Dated removal-flight events, transcribed from stored web pages: ``event_date, country,
event_type, event, source_publisher, url, page_date, status, note``.

- Each event becomes one ``records`` row of ``removal_flight_events`` with value 1 (unit
  ``events``).
- ``event_date`` is ``YYYY-MM-DD`` (a one-day period, frequency ``P``) or ``YYYY-MM`` when only
  the month is known (the whole month, frequency ``M``).
- ``geography`` keeps the country as given.
  - For U.S. removal flights it is the destination, an OHSS country name, which also goes into
    ``citizenship``.
  - Flights run by another country are written ``Panama (to Colombia)`` or ``Panama (to
    Colombia/Ecuador/India)``. They leave ``citizenship`` empty, since the people removed are
    not Panamanians.
- ``authority`` holds the publisher; ``url`` and ``status`` are kept.
- ``events(path)`` returns the full table with the event text, for
  ``borderflow.data.removal_flights()``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from borderflow.data import names, periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table, read_table
from borderflow.data.importers.transcribed import STATUSES, in_coverage, text, urls

NAME = "Removal-flight events, transcribed (CSV)"
SOURCE = "removal_flight_events"
SERIES = "removal_flight_events"
COLUMNS = ["event_date", "country", "event_type", "event", "source_publisher", "url",
           "page_date", "status", "note"]
EVENT_TYPES = ("ran (first)", "ran (regular)", "ran (surge)", "suspended",
               "last_flight_before_suspension", "resumed", "agreement")
_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_THIRD = re.compile(r"(.+?) \(to (.+)\)")


def detect(header: list[str]) -> bool:
    return header == COLUMNS


def span(cell: str) -> tuple[np.datetime64, np.datetime64, str] | None:
    """``'2024-02'`` -> (2024-02-01, 2024-02-29, ``'M'``); ``'2024-02-29'`` -> that day,
    ``'P'``; None if unreadable."""
    match = _DATE.fullmatch(cell)
    if not match:
        return None
    year, month, day = match.groups()
    if not 1 <= int(month) <= 12:
        return None
    first = periods.month_starts([int(year)], [int(month)])[0]
    if day is None:
        return first, periods.month_ends(np.array([first]))[0], "M"
    try:
        when = np.datetime64(f"{year}-{month}-{day}", "D")
    except ValueError:
        return None
    return (when, when, "P") if when.astype("datetime64[M]") == first.astype(
        "datetime64[M]") else None


def _country(cell: str) -> tuple[str] | None:
    """(citizenship,) for ``Cuba``; ``("",)`` for ``Panama (to Colombia/Ecuador)``."""
    if (name := names.citizenship(cell)) is not None:
        return (name,) if name == cell else None
    match = _THIRD.fullmatch(cell)
    if match and names.citizenship(match.group(1)) == match.group(1) and all(
            names.citizenship(c) == c for c in match.group(2).split("/")):
        return ("",)
    return None


def _parse(path) -> tuple[Table, dict]:
    t = read_table(path, COLUMNS)
    spans = _fields.mapped(t, "event_date", span, "YYYY-MM-DD, or YYYY-MM when only the month "
                                                   "is known")
    start = np.array([s[0] for s in spans], dtype="datetime64[D]")
    end = np.array([s[1] for s in spans], dtype="datetime64[D]")
    in_coverage(t, start, np.full(len(t), SOURCE, dtype=object))
    country = _fields.mapped(t, "country", _country,
                             "an OHSS country name such as 'Haiti', or 'Panama (to Colombia)' "
                             "for flights run by another country")
    event_type = _fields.one_of(t, "event_type", EVENT_TYPES)
    _fields.unique(t, ["event_date", "country", "event_type"], what="event")
    cols = {"date": t.col("event_date").to_numpy(dtype=object), "start": start, "end": end,
            "frequency": np.array([s[2] for s in spans], dtype=object),
            "country": t.col("country").to_numpy(dtype=object),
            "citizenship": np.array([c[0] for c in country], dtype=object),
            "event_type": event_type, "event": text(t, "event", "event description"),
            "publisher": text(t, "source_publisher", "publisher"), "url": urls(t),
            "status": _fields.one_of(t, "status", STATUSES)}
    return t, cols


def read(path) -> pd.DataFrame:
    _, c = _parse(path)
    out = _tidy.frame(
        source=SOURCE,
        series=SERIES,
        start=c["start"],
        end=c["end"],
        frequency=c["frequency"],
        value=np.ones(len(c["start"])),
        unit="events",
        labels=dict(
            geography=c["country"],
            citizenship=c["citizenship"],
            authority=c["publisher"],
            url=c["url"],
            status=c["status"],
        ),
    )
    return _tidy.finish(out)


def events(path) -> pd.DataFrame:
    """The events of ``path`` in date order: ``date`` (as written), ``start``, ``end``,
    ``country``, ``citizenship``, ``event_type``, ``event``, ``publisher``, ``url``,
    ``status``."""
    _, c = _parse(path)
    df = pd.DataFrame({k: v for k, v in c.items() if k != "frequency"})
    for col in ("start", "end"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[ms]")
    return df.sort_values(["start", "country"], kind="stable").reset_index(drop=True)
