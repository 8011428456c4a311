"""Exogenous driver tables for the scenario layer, derived from the observations store.

The engine reads these CSVs as package data and never imports the data layer.
"""

from __future__ import annotations

import pandas as pd

# OHSS citizenship name -> ISO3 code
DRIVER_COUNTRIES = {
    "Mexico": "MEX", "Guatemala": "GTM", "Honduras": "HND", "El Salvador": "SLV",
    "Nicaragua": "NIC", "Venezuela": "VEN", "Colombia": "COL", "Ecuador": "ECU", "Cuba": "CUB",
    "Haiti": "HTI", "Peru": "PER", "India": "IND", "China, People's Republic": "CHN",
}
YEARS = (2000, 2023)
_WB_POP = "World Bank WDI SP.POP.TOTL"
_LABELS = {
    "population": ("persons", _WB_POP, 0),
    "gdp_per_capita_usd": ("current USD per person",
                           "World Bank WDI NY.GDP.MKTP.CD / SP.POP.TOTL", 2),
    "gdp_per_capita_ppp": ("current international $ per person",
                           "World Bank WDI NY.GDP.PCAP.PP.CD via UNdata", 2),
    "homicide_rate_per_100k": ("homicides per 100,000 people",
                               "WHO GHO VIOLENCE_HOMICIDENUM (both sexes, all ages) / " + _WB_POP,
                               3),
}


def _annual(df: pd.DataFrame, series: str) -> pd.Series:
    part = df[(df["series"] == series) & df["geography"].isin(DRIVER_COUNTRIES.values())]
    years = part["period_start"].dt.year
    keep = years.between(*YEARS).to_numpy()
    index = pd.MultiIndex.from_arrays([part["geography"][keep], years[keep]],
                                      names=["iso3", "year"])
    return pd.Series(part["value"].to_numpy()[keep], index=index).sort_index()


def annual_drivers(df: pd.DataFrame) -> pd.DataFrame:
    """``country,year,indicator,value,unit,source`` for the driver countries, 2000-2023."""
    pop = _annual(df, "population")
    values = {"population": pop,
              "gdp_per_capita_usd": _annual(df, "gdp_current_usd") / pop,
              "gdp_per_capita_ppp": _annual(df, "gdp_per_capita_ppp"),
              "homicide_rate_per_100k": _annual(df, "homicides") / pop * 1e5}
    names = {iso: name for name, iso in DRIVER_COUNTRIES.items()}
    rows = []
    for indicator, series in values.items():
        unit, source, digits = _LABELS[indicator]
        for (iso, year), value in series.dropna().items():
            text = f"{value:.{digits}f}"
            rows.append((names[iso], int(year), indicator, text, unit, source))
    out = pd.DataFrame(rows, columns=["country", "year", "indicator", "value", "unit", "source"])
    order = {name: i for i, name in enumerate(DRIVER_COUNTRIES)}
    out["_o"] = out["country"].map(order)
    return out.sort_values(["_o", "indicator", "year"]).drop(columns="_o").reset_index(drop=True)


def monthly_remittances(df: pd.DataFrame) -> pd.DataFrame:
    """``month,value_usd,source``: Banxico monthly remittance inflows to Mexico."""
    part = df[(df["series"] == "mexico_remittances") & (df["geography"] == "")]
    part = part.sort_values("period_start")
    return pd.DataFrame({"month": part["period_start"].dt.strftime("%Y-%m").to_numpy(),
                         "value_usd": part["value"].round().astype("int64").to_numpy(),
                         "source": "Banco de Mexico SIE, remittance inflows (Ingresos)"})
