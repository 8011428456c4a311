"""Helpers shared by the engine tests."""

from borderflow.scenario.model import TimelineEvent
from borderflow.scenario.registry import NATIONALITIES

#: the day after the historical timeline ends family detention (us_family_beds 0)
FAMILY_DETENTION_END = "2021-03-06"


def ample_custody(date: str = "2018-01-01") -> list[TimelineEvent]:
    """Events that give ICE a bed (adult or family) and a removal flight for everyone from
    ``date`` (before any test run's spin-up), so that the Title 8 release is the policy's
    ``us_release_rate`` (custody never binds)."""
    src = "test: custody that never binds"
    return [TimelineEvent(date=date, lever="us_detention_beds", value=1e6, source=src),
            # family beds also after the historical timeline's end of family detention
            *(TimelineEvent(date=d, lever="us_family_beds", value=1e6, source=src)
              for d in sorted({date, max(date, FAMILY_DETENTION_END)})),
            TimelineEvent(date=date, lever="us_removal_flights", value=1e6,
                          keys=list(NATIONALITIES), source=src)]
