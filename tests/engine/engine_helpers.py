"""Helpers shared by the engine tests."""

from borderflow.scenario.model import TimelineEvent
from borderflow.scenario.registry import NATIONALITIES


def ample_custody(date: str = "2018-01-01") -> list[TimelineEvent]:
    """Events that give ICE a bed and a removal flight for everyone from ``date`` (before
    any test run's spin-up), so that
    the Title 8 release is the policy's ``us_release_rate`` (custody never binds)."""
    src = "test: custody that never binds"
    return [TimelineEvent(date=date, lever="us_detention_beds", value=1e6, source=src),
            TimelineEvent(date=date, lever="us_removal_flights", value=1e6,
                          keys=list(NATIONALITIES), source=src)]
