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
)}
