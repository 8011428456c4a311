"""The value domain of every imported field: which periods a source can plausibly cover and
how large one row of a series can plausibly be.

``borderflow data import`` refuses a file whose row falls outside these bounds, naming the file,
line, field and the allowed range, and stores nothing from it.

Coverage (first day a source can hold; no period may start after today, and the FY2000-FY2020
table may not go past September 2020):

========================  ==========  ====================================================
source                    from        why
========================  ==========  ====================================================
dhs_ohss_usbp             1999-10-01  OHSS's USBP series start in FY2000
cbp_sbo, cbp_nationwide_* 2016-10-01  CBP's encounter dashboards start in FY2017
cbp_usbp_fy2000_2020      1999-10-01  the table is FY2000 to FY2020 (ends 2020-09-30)
iom_missing_migrants*     2014-01-01  the Missing Migrants Project began in 2014
pima_ome_remains          1975-01-01  earliest OME case in the export is from 1981
banxico_remittances       1995-01-01  Banxico's remittance series start in January 1995
worldbank_*               1960-01-01  WDI starts in 1960
undata_gdp_ppp            1990-01-01  PPP series start in 1990
who_homicides             2000-01-01  the GHO estimates start in 2000
reference_figures         1990-01-01  the transcribed reports start in the 2000s
dhs_ohss_ielp             2013-10-01  the OHSS monthly tables start in October 2013 (FY2014)
ice_detention_stats       2018-10-01  ICE's detention statistics workbooks start with FY2019
ice_funded_beds           2002-10-01  ICE was created in FY2003
r4v_venezuelan_stock      2015-01-01  R4V's counts of Venezuelans abroad go back to 2015
darien_transcribed        2010-01-01  a bound well before the transcribed 2024 figures
mexico_transcribed        2010-01-01  a bound well before the transcribed 2023-2024 figures
removal_flight_events     2000-01-01  a bound well before the transcribed events (2019 on)
========================  ==========  ====================================================

Two series of ``dhs_ohss_ielp`` begin later than the source: ``cbp_one_appointments_processed``
on 2023-01-01 (CBP One scheduling opened on 2023-01-12) and ``chnv_confirmed_paroles`` on
2022-10-01 (the Venezuela process opened on 2022-10-18).

Ceilings (largest plausible value of one row of the file, about four times or more the
largest value on record; every count is also non-negative and finite):

=====================================  ==============  =======================================
series                                 ceiling         largest on record
=====================================  ==============  =======================================
usbp_*_encounters (monthly cells)      1,000,000       250,000 (December 2023, Southwest)
usbp_*_encounters_fy                   10,000,000      2.2 million (FY2022/FY2023)
usbp_*_fy2000_2020 (monthly)           1,000,000       223,000 (March 2000)
cbp_sw_encounters*, cbp_nationwide_*   1,000,000       110,000 (one cell)
iom_deaths_* (one incident)            10,000          about 1,000 (a 2015 shipwreck)
pima_remains                           1,000           one body per row
mexico_remittances(_outflows) USD      100 billion     5.8 billion a month
mexico_remittances_by_* USD            100 billion     5.4 billion a quarter
mexico_remittances_operations          1 billion       15 million a month
gdp_current_usd                        1e15            1.05e14 (world)
population                             20 billion      8.1 billion (world)
gdp_per_capita_ppp                     1,000,000       154,000
homicides                              1,000,000       69,000
ref_* (absolute value)                 1 billion       2.5 million
*_bookouts_* (monthly cells)           1,000,000       302,000 (CBP total, December 2023)
cbp_one_appointments_processed         200,000         45,800 (one month; 1,450 a day allowed)
chnv_confirmed_paroles                 200,000         32,000 (30,000 a month allowed)
dhs_removals, ice_ero_removals_*       200,000         36,200 (one month)
credible_fear_*                        100,000         23,200 (one month)
ice_detention_bookins*, ice_bookout_*  250,000         56,800 (one month)
ice_detention_adp*                     100,000         55,200 (August 2019)
ice_detention_alos*                    365 days        167 days (CBP arrests, June 2020)
ice_funded_detention_beds              100,000         45,274 (FY2020)
venezuelan_refugees_migrants_stock     30,000,000      7.8 million; about all of Venezuela
irregular_transits_darien_ytd          2,000,000       520,000 (all of 2023)
upm_*, inm_* (Mexico)                  10,000,000      1.4 million (January to May 2024)
removal_flight_events                  1               one event per row
=====================================  ==============  =======================================

ICE's average daily population and funded beds are bounded at 100,000, about twice the largest
on record rather than four times: Congress funded at most 45,274 beds in these years, and the
population rose above that only from October 2018 to November 2019 (to 55,200). An average
length of stay longer than a year in a monthly table is not plausible.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np

EARLIEST = {
    "dhs_ohss_usbp": "1999-10-01", "cbp_sbo": "2016-10-01", "cbp_nationwide_state": "2016-10-01",
    "cbp_nationwide_aor": "2016-10-01", "cbp_usbp_fy2000_2020": "1999-10-01",
    "iom_missing_migrants": "2014-01-01", "iom_missing_migrants_extract": "2014-01-01",
    "pima_ome_remains": "1975-01-01", "banxico_remittances": "1995-01-01",
    "worldbank_gdp": "1960-01-01", "worldbank_population": "1960-01-01",
    "undata_gdp_ppp": "1990-01-01", "who_homicides": "2000-01-01",
    "reference_figures": "1990-01-01", "dhs_ohss_ielp": "2013-10-01",
    "ice_detention_stats": "2018-10-01", "ice_funded_beds": "2002-10-01",
    "r4v_venezuelan_stock": "2015-01-01", "darien_transcribed": "2010-01-01",
    "mexico_transcribed": "2010-01-01", "removal_flight_events": "2000-01-01",
}
SERIES_EARLIEST = {"cbp_one_appointments_processed": "2023-01-01",
                   "chnv_confirmed_paroles": "2022-10-01"}
LATEST = {"cbp_usbp_fy2000_2020": "2020-09-30"}  # else today

_CEILINGS = {
    "usbp_encounters_by_sector_fy2000_2020": 1e6, "usbp_region_encounters_fy2000_2020": 1e6,
    "cbp_sw_encounters": 1e6, "cbp_sw_encounters_usbp": 1e6, "cbp_sw_encounters_ofo": 1e6,
    "cbp_nationwide_encounters_state": 1e6, "cbp_nationwide_encounters_aor": 1e6,
    "iom_deaths_us_mexico": 1e4, "iom_deaths_by_region": 1e4, "iom_deaths_us_mexico_bbox": 1e4,
    "pima_remains": 1e3, "mexico_remittances": 1e11, "mexico_remittances_outflows": 1e11,
    "mexico_remittances_by_state": 1e11, "mexico_remittances_by_us_state": 1e11,
    "mexico_remittances_operations": 1e9, "gdp_current_usd": 1e15, "population": 2e10,
    "gdp_per_capita_ppp": 1e6, "homicides": 1e6,
    "cbp_one_appointments_processed": 2e5, "chnv_confirmed_paroles": 2e5, "dhs_removals": 2e5,
    "ice_ero_removals_and_returns": 2e5, "credible_fear_referrals": 1e5,
    "ice_funded_detention_beds": 1e5, "venezuelan_refugees_migrants_stock": 3e7,
    "irregular_transits_darien_ytd": 2e6, "upm_eventos_situacion_migratoria_irregular": 1e7,
    "inm_personas_extranjeras_ubicadas_condicion_irregular": 1e7, "removal_flight_events": 1,
}
# Families of series named by a pattern (agency, outcome, arresting agency, frequency).
_FAMILIES = ((r"(cbp|usbp|ofo)_bookouts_\w+", 1e6), (r"credible_fear_completed_\w+", 1e5),
             (r"ice_detention_bookins(_cbp|_ice)?", 2.5e5), (r"ice_bookout_\w+", 2.5e5),
             (r"ice_detention_adp(_cbp|_ice)?(_fy)?", 1e5),
             (r"ice_detention_alos(_cbp|_ice)?(_fy)?", 365))
REFERENCE_CEILING = 1e9


def today() -> np.datetime64:
    return np.datetime64(date.today(), "D")


def coverage(source: str) -> tuple[np.datetime64, np.datetime64]:
    """First and last day a period of ``source`` may start on."""
    last = np.datetime64(LATEST[source], "D") if source in LATEST else today()
    return np.datetime64(EARLIEST[source], "D"), min(last, today())


def series_start(series: str) -> np.datetime64 | None:
    """First day a period of ``series`` may start on, when it is later than its source's."""
    return np.datetime64(SERIES_EARLIEST[series], "D") if series in SERIES_EARLIEST else None


def ceiling(series: str) -> float:
    """Largest plausible absolute value of one row of ``series``."""
    if series in _CEILINGS:
        return _CEILINGS[series]
    for pattern, limit in _FAMILIES:
        if re.fullmatch(pattern, series):
            return limit
    if series.startswith("usbp_"):
        return 1e7 if series.endswith("_fy") else 1e6
    if series.startswith("ref_"):
        return REFERENCE_CEILING
    raise KeyError(f"no ceiling documented for series {series!r}")
