"""The episode origins of the backtests, read from ``episodes.csv`` beside this module:
the last month of data before each policy shock, the shock, the nationalities it
concerns, the date it began and the source (the same sources as the historical
scenario's timeline)."""

from __future__ import annotations

import csv
from importlib import resources

FILE = "episodes.csv"


def load_episodes() -> list[dict]:
    """The rows of ``episodes.csv`` in file order, nationalities as a tuple."""
    text = resources.files("borderflow.validate").joinpath(FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for r in rows:
        r["nationalities"] = tuple(n.strip() for n in r["nationalities"].split(";"))
    return rows


#: origin (last month before the shock) -> (shock, nationalities it concerns)
EPISODES: dict[str, tuple[str, tuple[str, ...]]] = {
    r["origin"]: (r["shock"], r["nationalities"]) for r in load_episodes()}
#: origin -> (first day of the shock, source)
EPISODE_SOURCES: dict[str, tuple[str, str]] = {
    r["origin"]: (r["first_shock_date"], r["source"]) for r in load_episodes()}
