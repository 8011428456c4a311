"""Dated events that scenario timelines can cite: removal flights run, suspended or resumed.

The bundled table is ``snapshot/removal_flight_events.csv``: the rows of the shared raw file
``mechanisms/removal_flight_events.csv`` dated on or before the snapshot's cut-off, written by
``scripts/build_snapshot.py``. The same events are the series ``removal_flight_events`` of the
store (value 1 per event).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from borderflow.data.importers import removal_flights as importer
from borderflow.data.importers._csv import read_table
from borderflow.data.storage import bundled_dir

BUNDLED_FILE = "removal_flight_events.csv"
RAW_FILE = "mechanisms/removal_flight_events.csv"


def removal_flights(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Removal-flight events in date order, one row each.

    Columns: ``date`` (``YYYY-MM-DD``, or ``YYYY-MM`` when only the month is known), ``start``
    and ``end`` (the day, or the first and last day of the month), ``country`` (as given,
    e.g. ``Haiti`` or ``Panama (to Colombia)``), ``citizenship`` (the OHSS name of the country
    people were removed to, ``""`` for flights run by another country), ``event_type``
    (``ran (first)``, ``ran (regular)``, ``ran (surge)``, ``suspended``,
    ``last_flight_before_suspension``, ``resumed``, ``agreement``), ``event`` (what happened),
    ``publisher``, ``url`` and ``status``.

    ``path`` reads another events file in the same layout (validated like an import) instead of
    the bundled one.

    >>> from borderflow.data import removal_flights
    >>> removal_flights().query("country == 'Venezuela'")["date"].tolist()  # doctest: +SKIP
    ['2019-05', '2023-10-18', '2024-02']
    """

    return importer.events(path if path is not None else bundled_dir() / BUNDLED_FILE)


def bundle_text(raw_path: str | os.PathLike, cutoff: str) -> str:
    """The events file to bundle: the raw rows whose date ends on or before ``cutoff``, in the
    raw columns (used by ``scripts/build_snapshot.py``)."""

    importer.events(raw_path)  # validates every row
    table = read_table(raw_path, importer.COLUMNS)
    ends = np.array([importer.span(c)[1] for c in table.col("event_date")], dtype="datetime64[D]")
    return table.frame[ends <= np.datetime64(cutoff)].to_csv(index=False, lineterminator="\n")
