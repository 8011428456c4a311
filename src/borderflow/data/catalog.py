"""What each series is and how its rows combine (its layout).

Layouts:
- ``margins``: one total row per period (every breakdown column ``""``) plus one-way breakdown
  rows, each with exactly one breakdown column filled (the OHSS sheets).
- ``cells``: disjoint cells; totals and breakdowns are sums over cells (CBP files, incidents).
- ``records``: independent observations that must not be summed (country indicators,
  reference figures); a query returns them as stored.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from borderflow.errors import InputError

BY_COLUMNS = ("citizenship", "demographic", "authority")


@dataclass(frozen=True)
class SeriesInfo:
    name: str
    title: str
    unit: str
    frequency: str
    layout: str
    geo_levels: tuple[str, ...] = ()  # names of the "/"-separated parts of ``geography``


def _usbp(region_key: str, region: str) -> list[SeriesInfo]:
    title = f"USBP encounters, {region}"
    return [SeriesInfo(f"usbp_{region_key}_encounters", title + ", monthly (OHSS)", "encounters",
                       "M", "margins", ("sector",)),
            SeriesInfo(f"usbp_{region_key}_encounters_fy", title + ", fiscal year (OHSS)",
                       "encounters", "FY", "margins", ("sector",))]


_ENTRIES = [
    *_usbp("sw", "Southwest Land Border"), *_usbp("northern", "Northern Land Border"),
    *_usbp("coastal", "Coastal Border"), *_usbp("nationwide", "all regions"),
    SeriesInfo("usbp_encounters_by_sector_fy2000_2020", "USBP monthly encounters by sector, "
               "FY2000-FY2020 (CBP, unrounded)", "encounters", "M", "margins", ("sector",)),
    SeriesInfo("usbp_region_encounters_fy2000_2020", "USBP monthly encounters by region, "
               "FY2000-FY2020 (CBP)", "encounters", "M", "cells", ("region",)),
    SeriesInfo("cbp_sw_encounters", "CBP Southwest land border encounters, USBP + OFO",
               "encounters", "M", "cells"),
    SeriesInfo("cbp_sw_encounters_usbp", "CBP Southwest land border encounters, Border Patrol",
               "encounters", "M", "cells"),
    SeriesInfo("cbp_sw_encounters_ofo", "CBP Southwest land border encounters, Field "
               "Operations (ports of entry)", "encounters", "M", "cells"),
    SeriesInfo("cbp_nationwide_encounters_state", "CBP nationwide encounters by land border "
               "region and state (USBP + OFO)", "encounters", "M", "cells", ("region", "state")),
    SeriesInfo("cbp_nationwide_encounters_aor", "CBP nationwide encounters by area of "
               "responsibility (sector or field office)", "encounters", "M", "cells",
               ("region", "aor")),
    SeriesInfo("iom_deaths_us_mexico", "IOM dead and missing, US-Mexico border crossing route",
               "dead and missing", "M", "cells", ("point",)),
    SeriesInfo("iom_deaths_by_region", "IOM dead and missing by region of incident, worldwide",
               "dead and missing", "M", "cells", ("region",)),
    SeriesInfo("iom_deaths_us_mexico_bbox", "IOM dead and missing inside the US-Mexico border "
               "box (lat 25-37, lon -121 to -93), from the 3-column extract",
               "dead and missing", "M", "cells", ("point",)),
    SeriesInfo("pima_remains", "Migrant remains recovered in Arizona (Pima County OME)",
               "remains", "M", "cells", ("corridor", "county")),
    SeriesInfo("mexico_remittances", "Remittance inflows to Mexico", "USD", "M", "margins"),
    SeriesInfo("mexico_remittances_outflows", "Remittance outflows from Mexico", "USD", "M",
               "margins"),
    SeriesInfo("mexico_remittances_operations", "Remittance inflow transactions to Mexico",
               "transactions", "M", "margins"),
    SeriesInfo("mexico_remittances_by_state", "Remittance inflows by receiving Mexican state",
               "USD", "Q", "cells", ("state",)),
    SeriesInfo("mexico_remittances_by_us_state", "Remittance inflows to Mexico by sending U.S. "
               "state (XX = not identified)", "USD", "Q", "cells", ("state",)),
    SeriesInfo("gdp_current_usd", "GDP, current US$ (ISO3 code in geography)", "USD", "A",
               "records", ("country",)),
    SeriesInfo("population", "Population, total (ISO3 code in geography)", "persons", "A",
               "records", ("country",)),
    SeriesInfo("gdp_per_capita_ppp", "GDP per capita, PPP, current international $ (ISO3)",
               "international $", "A", "records", ("country",)),
    SeriesInfo("homicides", "Estimated homicides, both sexes, all ages (ISO3)", "homicides", "A",
               "records", ("country",)),
]
SERIES = {s.name: s for s in _ENTRIES}
REFERENCE_PREFIX = "ref_"


def info(name: str) -> SeriesInfo:
    """Describe a series; reference-figure series (``ref_<topic>_<measure>``) are generic."""
    if name in SERIES:
        return SERIES[name]
    if name.startswith(REFERENCE_PREFIX) and len(name) > len(REFERENCE_PREFIX):
        return SeriesInfo(name, "Reference figure (hand-transcribed)", "", "P", "records",
                          ("geography",))
    close = difflib.get_close_matches(name, list(SERIES), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"unknown series {name!r}{hint}", field="series",
                     expected="a name from 'borderflow data list'")


def by_options(s: SeriesInfo) -> tuple[str, ...]:
    return (*s.geo_levels, *BY_COLUMNS, "geography")
