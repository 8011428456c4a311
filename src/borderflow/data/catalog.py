"""What each series is and how its rows combine (its layout).

Layouts:
- ``margins``: one total row per period (every breakdown column ``""``) plus one-way breakdown
  rows, each with exactly one breakdown column filled (the OHSS sheets).
- ``cells``: disjoint cells; totals and breakdowns are sums over cells (CBP files, incidents).
- ``records``: independent observations that must not be summed (country indicators,
  reference figures, average lengths of stay, transcribed figures, dated events); a query
  returns them as stored.

Some series keep a breakdown in a column named for something else; ``aliases`` gives the name a
query uses for it (the ICE detention series keep criminality in ``demographic`` and answer to
``by="criminality"``).
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
    aliases: tuple[tuple[str, str], ...] = ()  # (by name, column), e.g. criminality -> demographic


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

# --- Mechanisms: what happens after an encounter (DHS OHSS, ICE, transcribed figures) ---------

# OHSS book-out measure -> (series stem, what it counts). One series per agency and measure:
# ``<agency>_bookouts_<stem>``, e.g. ``cbp_bookouts_usbp_releases``.
BOOKOUT_MEASURES = {
    "bookout_total_encounters": ("total_encounters", "all outcomes (total encounters)"),
    "bookout_t8_repatriations": ("t8_repatriations", "Title 8 repatriations"),
    "bookout_t42_expulsions": ("t42_expulsions", "Title 42 expulsions"),
    "bookout_migrant_protection_protocols": ("migrant_protection_protocols",
                                             "Migrant Protection Protocols"),
    "bookout_transfers_to_ice": ("transfers_to_ice", "transfers to ICE"),
    "bookout_transfers_to_hhs": ("transfers_to_hhs", "transfers to HHS"),
    "bookout_usbp_releases": ("usbp_releases", "USBP releases"),
    "bookout_ofo_paroles": ("ofo_paroles", "OFO paroles"),
    "bookout_other_outcomes": ("other_outcomes", "other outcomes"),
}
BOOKOUT_AGENCIES = {"cbp": "CBP (USBP + OFO)", "usbp": "Border Patrol, between ports",
                    "ofo": "Field Operations, at ports of entry"}
# Outcomes that belong to one agency by definition.
BOOKOUT_ONLY = {"bookout_usbp_releases": "usbp", "bookout_ofo_paroles": "ofo"}
# Suffix of a series restricted to the initial arresting agency (ICE detention, book-ins, -outs).
ARRESTING = {"": "all arresting agencies", "_cbp": "initially arrested by CBP",
             "_ice": "initially arrested by ICE"}
ICE_BOOKOUT_REASONS = {
    "total": "all reasons", "removal_book_out": "removed (including Title 42 expulsions)",
    "order_of_supervision": "released on an order of supervision", "bonded_out": "bonded out",
    "order_of_recognizance": "released on an order of recognizance", "paroled": "paroled",
    "relief": "granted relief", "other": "other (transfers, deaths, escapes, re-bookings)",
}
CREDIBLE_FEAR_RESULTS = {"total": "all results", "positive_fear": "positive fear",
                         "negative_fear": "negative fear",
                         "administrative_closure": "administrative closure"}
_CRIMINALITY = (("criminality", "demographic"),)


def bookout_series(agency: str, measure: str) -> str:
    """``('cbp', 'bookout_usbp_releases')`` -> ``'cbp_bookouts_usbp_releases'``."""
    return f"{agency}_bookouts_{BOOKOUT_MEASURES[measure][0]}"


def _mechanisms() -> list[SeriesInfo]:
    out = []
    for agency, who in BOOKOUT_AGENCIES.items():
        for measure, (_, what) in BOOKOUT_MEASURES.items():
            if agency not in ("cbp", BOOKOUT_ONLY.get(measure, agency)):
                continue
            out.append(SeriesInfo(bookout_series(agency, measure), f"Southwest border encounters "
                                  f"by book-out outcome: {what}; {who} (OHSS)", "encounters",
                                  "M", "margins"))
    for suffix, whom in ARRESTING.items():
        for fy, freq, when in (("", "M", "monthly"), ("_fy", "FY", "fiscal year")):
            out.append(SeriesInfo(f"ice_detention_adp{suffix}{fy}", f"ICE detention average daily "
                                  f"population, {when}; {whom} (ICE)", "persons", freq,
                                  "margins", aliases=_CRIMINALITY))
            out.append(SeriesInfo(f"ice_detention_alos{suffix}{fy}", f"ICE detention average "
                                  f"length of stay, {when}; {whom} (ICE; never summed)", "days",
                                  freq, "records", aliases=_CRIMINALITY))
        out.append(SeriesInfo(f"ice_detention_bookins{suffix}", f"Book-ins to ICE detention, "
                              f"nationwide; {whom} (OHSS)", "book-ins", "M", "margins"))
        for reason, what in ICE_BOOKOUT_REASONS.items():
            out.append(SeriesInfo(f"ice_bookout_{reason}{suffix}", f"Book-outs from ICE "
                                  f"detention: {what}; {whom} (OHSS)", "book-outs", "M",
                                  "margins", aliases=_CRIMINALITY))
    for result, what in CREDIBLE_FEAR_RESULTS.items():
        out.append(SeriesInfo(f"credible_fear_completed_{result}", f"Southwest border credible "
                              f"fear screenings completed: {what} (OHSS)", "screenings", "M",
                              "margins"))
    return out + [
        SeriesInfo("credible_fear_referrals", "Southwest border credible fear cases referred to "
                   "USCIS, by citizenship (OHSS; no published total)", "referrals", "M", "cells"),
        SeriesInfo("cbp_one_appointments_processed", "CBP One appointments processed at "
                   "Southwest land ports of entry (OHSS)", "appointments", "M", "margins"),
        SeriesInfo("chnv_confirmed_paroles", "Paroles under the CHNV processes; citizenship "
                   "holds the parole process (OHSS)", "persons", "M", "margins"),
        SeriesInfo("dhs_removals", "DHS removals (ICE and CBP, Title 8, no returns), by "
                   "citizenship (OHSS)", "removals", "M", "margins"),
        SeriesInfo("ice_ero_removals_and_returns", "ICE ERO removals and returns, by "
                   "citizenship (OHSS)", "removals and returns", "M", "margins"),
        SeriesInfo("ice_funded_detention_beds", "ICE detention capacity funded by Congress "
                   "(transcribed)", "beds", "FY", "records"),
        SeriesInfo("venezuelan_refugees_migrants_stock", "Venezuelan refugees and migrants "
                   "abroad, as compiled by R4V (transcribed)", "persons", "P", "records"),
        SeriesInfo("irregular_transits_darien_ytd", "Irregular transits through the Darien, "
                   "2024 year to date (transcribed)", "persons", "P", "records"),
        SeriesInfo("upm_eventos_situacion_migratoria_irregular", "Mexico UPM events of persons "
                   "in an irregular migration situation (transcribed)", "events", "Q",
                   "records"),
        SeriesInfo("inm_personas_extranjeras_ubicadas_condicion_irregular", "Mexico INM "
                   "foreigners located in an irregular condition (transcribed)", "persons", "P",
                   "records"),
        SeriesInfo("removal_flight_events", "Removal-flight events (value 1 per event; see "
                   "borderflow.data.removal_flights())", "events", "P", "records"),
    ]


_ENTRIES += _mechanisms()
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
    return (*s.geo_levels, *(name for name, _ in s.aliases), *BY_COLUMNS, "geography")


def by_column(s: SeriesInfo, by: str) -> str | None:
    """The column that holds breakdown ``by`` of ``s`` when ``by`` is a column or an alias."""
    alias = dict(s.aliases).get(by)
    if alias is not None:
        return alias
    return by if by in BY_COLUMNS else None
