"""Where each source comes from: publisher, title, licence and the raw files of the snapshot."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str
    licence: str
    retrieval: str
    raw_files: tuple[str, ...] = ()  # paths relative to the shared raw folder


_OHSS_SHEETS = tuple(
    f"cbp_ohss_lamstein/ohss_usbp_{freq}_{sheet}.csv"
    for freq in ("monthly", "annual")
    for sheet in ("count", "citizenship", "family_status", "region", "sector", "rgn_and_citp",
                  "rgn_and_fam_status", "rgn_and_sector"))
_LAMSTEIN = ("Copied from the GitHub repository arilamstein/immigration_enforcement "
             "(commit c438a05), Nov 2026; rows after November 2024 removed.")
_UWCHR = "Copied from the GitHub repository UWCHR/cbp (commit abd1f57), Nov 2026."
_LAPANQUECITA = ("Copied from the GitHub repository lapanquecita/remesas (commit 7b108a4), "
                 "Nov 2026; rows after November 2024 removed.")
_GUASI = "Copied from the GitHub repository guasi/homicides_shiny (commit 19a2669), Nov 2026."
_IELP_FILES = tuple(f"mechanisms/ohss_{name}_monthly.csv" for name in (
    "swb_bookouts_by_agency", "swb_bookouts_by_citizenship", "swb_bookouts_by_family_status",
    "cbp_one_appointments", "chnv_paroles", "dhs_removals_by_citizenship",
    "ice_removals_returns_by_citizenship", "ice_bookins_by_citizenship",
    "ice_bookins_by_arresting_agency", "ice_bookouts_by_reason_criminality",
    "ice_bookouts_by_reason_arresting_agency", "swb_credible_fear_referrals_by_citizenship",
    "swb_credible_fear_completed_by_result"))
_IELP = ("Flattened from the workbook 2024_1206_ohss_immigration-enforcement-and-legal-processes-"
         "tables-august-2024.xlsx in the GitHub repository brentryanjohnson/DHS-Monthly-Tables "
         "(blob 60fa546, commit 8c4e1e6), Dec 2026: monthly rows 2018-01 to 2024-08, one CSV per "
         "sheet; cells marked X (not applicable) omitted, not set to 0. Data as of 2024-09-30 "
         "(CBP One 2024-10-22, CHNV 2024-10-16). Values are rounded to the nearest 10.")
_PAGES = ("Transcribed, Dec 2026, from stored public web pages; each row keeps the page URL, the "
          "page date and its status.")

SOURCES = {s.id: s for s in (
    Source("dhs_ohss_usbp", "DHS Office of Homeland Security Statistics (OHSS)",
           "CBP Encounters - USBP (KHSM Encounters (USBP) fy25m11.xlsx), one CSV per sheet",
           "https://ohss.dhs.gov/khsm/cbp-encounters", "U.S. Government work (public domain)",
           _LAMSTEIN + " Values are rounded to the nearest 10.", _OHSS_SHEETS),
    Source("cbp_sbo", "U.S. Customs and Border Protection",
           "Southwest Land Border Encounters (sbo-encounters-fy22-fy25-aug.csv)",
           "https://www.cbp.gov/document/stats/southwest-land-border-encounters",
           "U.S. Government work (public domain)", _LAMSTEIN,
           ("cbp_ohss_lamstein/sbo-encounters-fy22-fy24nov.csv",)),
    Source("cbp_nationwide_state", "U.S. Customs and Border Protection",
           "Nationwide Encounters by state (nationwide-encounters-fy20-fy23-state.csv)",
           "https://www.cbp.gov/newsroom/stats/nationwide-encounters",
           "U.S. Government work (public domain)", _UWCHR,
           ("cbp_uwchr/cbp-nationwide-encounters-fy20-fy23-state.csv",)),
    Source("cbp_nationwide_aor", "U.S. Customs and Border Protection",
           "Nationwide Encounters by area of responsibility (nationwide-encounters-*-aor.csv)",
           "https://www.cbp.gov/newsroom/stats/nationwide-encounters",
           "U.S. Government work (public domain)", "Not in the bundled snapshot; import it."),
    Source("cbp_usbp_fy2000_2020", "U.S. Customs and Border Protection",
           "U.S. Border Patrol Monthly Encounters FY2000-FY2020 (PDF converted by UWCHR)",
           "https://www.cbp.gov/document/stats/us-border-patrol-monthly-encounters-fy-2000-fy-2020",
           "U.S. Government work (public domain)", _UWCHR + " Gunzipped; pipe-delimited.",
           ("cbp_uwchr/usbp_monthly_encounters_fy2000-fy2020.csv",)),
    Source("iom_missing_migrants", "IOM Missing Migrants Project",
           "Missing Migrants global incident data, 2014-2022-02",
           "https://missingmigrants.iom.int/downloads", "IOM terms of use (attribution)",
           "Copied from mengyuan616/data-journalism-final (commit 2b06d6c), Nov 2026.",
           ("iom_mmp/MissingMigrants_global_2014-2022_mengyuan616.csv",)),
    Source("iom_missing_migrants_extract", "IOM Missing Migrants Project",
           "Missing Migrants global figures, 3-column extract (date, dead and missing, lat/lon)",
           "https://missingmigrants.iom.int/downloads", "IOM terms of use (attribution)",
           "Copied from jingwensun/Visual (commit 58ac82c), Nov 2026.",
           ("iom_mmp/MissingMigrants_global_date_total_coords_2014-2023_jingwensun.csv",)),
    Source("pima_ome_remains", "Humane Borders / Pima County Office of the Medical Examiner",
           "Arizona OpenGIS Initiative for Deceased Migrants (names removed)",
           "https://humaneborders.info/app/map.asp", "not stated; publicly served",
           "Copied from mengyuan616/data-journalism-final (commit 2b06d6c); Name column deleted.",
           ("pima_ome_humane_borders/ogis_arizona_migrant_remains_2000-2022_noname.csv",)),
    Source("banxico_remittances", "Banco de Mexico (SIE)", "Remittance inflows and outflows",
           "https://www.banxico.org.mx/SieInternet/", "public data; repository MIT",
           _LAPANQUECITA, tuple(f"banxico_lapanquecita/remesas_{n}.csv"
                                for n in ("mensuales", "entidad", "usa"))),
    Source("worldbank_gdp", "World Bank (WDI NY.GDP.MKTP.CD)", "GDP, current US$",
           "https://data.worldbank.org/indicator/NY.GDP.MKTP.CD", "CC BY 4.0",
           "Copied from datasets/gdp (commit 822019c), Nov 2026.",
           ("push_factors/datasets_gdp_current_usd.csv",)),
    Source("worldbank_population", "World Bank (WDI SP.POP.TOTL)", "Population, total",
           "https://data.worldbank.org/indicator/SP.POP.TOTL", "CC BY 4.0",
           "Copied from datasets/population (commit 425fc44), Nov 2026.",
           ("push_factors/datasets_population.csv",)),
    Source("undata_gdp_ppp", "World Bank WDI NY.GDP.PCAP.PP.CD via UNdata",
           "GDP per capita, PPP (current international $)", "https://data.un.org/",
           "CC BY 4.0", _GUASI, ("push_factors/UNdata_Export_GDP_PerCap_PPP.csv",)),
    Source("who_homicides", "WHO Global Health Observatory (VIOLENCE_HOMICIDENUM)",
           "Estimated number of homicides", "https://ghoapi.azureedge.net/api/VIOLENCE_HOMICIDENUM",
           "CC BY-NC-SA 3.0 IGO", _GUASI, ("push_factors/who_gho_VIOLENCE_HOMICIDENUM.csv",)),
    Source("reference_figures", "various (see cited_via_url in the raw file)",
           "Hand-transcribed reference figures from stored public web pages", "",
           "secondary reports of official figures",
           "Transcribed by hand, Nov 2026; periods after November 2024 removed.",
           ("reference_figures/reported_figures_from_stored_pages.csv",)),
    Source("dhs_ohss_ielp", "DHS Office of Homeland Security Statistics (OHSS)",
           "Immigration Enforcement and Legal Processes Monthly Tables, FY2014 to 2024 YTD "
           "(August 2024)",
           "https://ohss.dhs.gov/topics/immigration/immigration-enforcement/"
           "immigration-enforcement-and-legal-processes-monthly",
           "U.S. Government work (public domain); the repository has no licence file",
           _IELP, _IELP_FILES),
    Source("ice_detention_stats", "U.S. Immigration and Customs Enforcement",
           "Detention Statistics FY2019-FY2024: average daily population and average length of "
           "stay by arresting agency, month and criminality",
           "https://www.ice.gov/detain/detention-management",
           "U.S. Government work (public domain); the repository has no licence file",
           "From the parquet extracts of the GitHub repository "
           "deportationdata/ice-detention-management (commit ccc5405), Dec 2026: the arresting "
           "agency restored from row order, one workbook per FY (the latest complete pull), "
           "FY2025 dropped, values rounded to 2 decimals.",
           ("mechanisms/ice_detention_adp_alos_monthly.csv",)),
    Source("ice_funded_beds", "various (U.S. Congress appropriations as reported)",
           "ICE detention beds funded by Congress (funded average daily population), "
           "FY2019-FY2024", "", "short factual figures quoted with attribution",
           _PAGES + " FY2020 is derived (34,000 + 11,274); FY2019 is approximate.",
           ("mechanisms/ice_funded_detention_beds_transcribed.csv",)),
    Source("r4v_venezuelan_stock", "R4V (UNHCR-IOM Inter-Agency Coordination Platform)",
           "Venezuelan refugees and migrants abroad, reported by host governments",
           "https://www.r4v.info/", "short factual figures quoted with attribution",
           _PAGES + " 11 snapshots, 2019-02 to 2024-07, as reported in the press.",
           ("mechanisms/r4v_venezuelan_stock_transcribed.csv",)),
    Source("darien_transcribed", "Panama Ministerio de Seguridad Publica; UNHCR; France 24",
           "Irregular transits through the Darien by nationality, 2024 year to date", "",
           "short factual figures quoted with attribution", _PAGES,
           ("mechanisms/darien_2024_ytd_by_nationality_transcribed.csv",)),
    Source("mexico_transcribed", "Mexico UPM (SEGOB) and INM",
           "Mexico 2024: UPM events of persons in an irregular situation; INM foreigners "
           "located", "", "short factual figures quoted with attribution", _PAGES,
           ("mechanisms/mexico_2024_transcribed.csv",)),
    Source("removal_flight_events", "various (news reports of DHS, ICE and Panama statements)",
           "Removal-flight events: runs, suspensions, resumptions and agreements, 2019-2024", "",
           "short factual statements quoted with attribution", _PAGES,
           ("mechanisms/removal_flight_events.csv",)),
)}
