"""Banco de Mexico remittance tables as published by lapanquecita/remesas.

- ``remesas_mensuales.csv`` (PERIODO, ID_FLUJO, FLUJO, OPERACIONES, VALOR_USD): monthly
  ``mexico_remittances`` (Ingresos, USD), ``mexico_remittances_outflows`` (Egresos) and
  ``mexico_remittances_operations`` (inflow transactions).
- ``remesas_entidad.csv`` (PERIODO, CVE_ENT, ENTIDAD, VALOR_USD): quarterly inflows by
  receiving state, ``mexico_remittances_by_state``.
- ``remesas_usa.csv`` (PERIODO, ID_ESTADO, ESTADO, VALOR_USD): quarterly inflows by sending
  U.S. state, ``mexico_remittances_by_us_state``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.data import periods
from borderflow.data.importers import _fields, _tidy
from borderflow.data.importers._csv import Table, read_table

NAME = "Banxico remittances (monthly totals, by Mexican state, by U.S. state)"
SOURCE = "banxico_remittances"
MX_STATES = (
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Coahuila",
    "Colima", "Chiapas", "Chihuahua", "Ciudad de México", "Durango", "Guanajuato", "Guerrero",
    "Hidalgo", "Jalisco", "Estado de México", "Michoacán", "Morelos", "Nayarit", "Nuevo León",
    "Oaxaca", "Puebla", "Querétaro", "Quintana Roo", "San Luis Potosí", "Sinaloa", "Sonora",
    "Tabasco", "Tamaulipas", "Tlaxcala", "Veracruz", "Yucatán", "Zacatecas")
_FLOWS = {"Ingresos": "mexico_remittances", "Egresos": "mexico_remittances_outflows"}


def detect(header: list[str]) -> bool:
    return header[:1] == ["PERIODO"] and "VALOR_USD" in header and (
        "FLUJO" in header or "ENTIDAD" in header or "ID_ESTADO" in header) and "PAIS" not in header


def _starts(t: Table, quarterly: bool) -> np.ndarray:
    day = _fields.dates(t, "PERIODO", "%Y-%m-%d", "the first day of a month, e.g. 2024-01-01")
    months = day.astype("datetime64[M]")
    bad = months.astype("datetime64[D]") != day
    if quarterly:
        bad |= (months.astype("int64") % 3) != 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "quarter" if quarterly else "month"
        raise t.error(f"{t.col('PERIODO').iloc[i]!r} is not the first day of a {what}", i,
                      "PERIODO", expected=f"the first day of a {what}")
    _fields.in_coverage(t, "PERIODO", day, SOURCE)
    return day


def _monthly(t: Table) -> pd.DataFrame:
    _fields.unique(t, ["PERIODO", "FLUJO"])
    start = _starts(t, quarterly=False)
    end = periods.month_ends(start)
    series = _fields.mapped(t, "FLUJO", _FLOWS.get, "Ingresos or Egresos")
    usd = _fields.numbers(t, "VALOR_USD", series=series)
    frames = [_tidy.frame(source=SOURCE, series=series, start=start, end=end, frequency="M",
                          value=usd, unit="USD")]
    if "OPERACIONES" in t.columns:
        inflow = series == "mexico_remittances"
        ops = _fields.numbers(t, "OPERACIONES", whole=True, allow_empty=True,
                              series="mexico_remittances_operations")
        keep = inflow & np.isfinite(ops)
        frames.append(_tidy.frame(source=SOURCE, series="mexico_remittances_operations",
                                  start=start[keep], end=end[keep], frequency="M",
                                  value=ops[keep], unit="transactions"))
    return pd.concat(frames, ignore_index=True)


def _quarterly(t: Table, col: str, series: str, allowed) -> pd.DataFrame:
    _fields.unique(t, ["PERIODO", col])
    start = _starts(t, quarterly=True)
    place = _fields.one_of(t, col, allowed) if allowed else _fields.mapped(
        t, col, lambda v: v if len(v) == 2 and v.isalpha() else None, "a 2-letter state code")
    return _tidy.frame(
        source=SOURCE,
        series=series,
        start=start,
        end=periods.month_ends(start, 3),
        frequency="Q",
        value=_fields.numbers(t, "VALOR_USD", series=series),
        unit="USD",
        labels=dict(geography=place),
    )


def read(path) -> pd.DataFrame:
    t = read_table(path, ["PERIODO", "VALOR_USD"])
    if "FLUJO" in t.columns:
        out = _monthly(t)
    elif "ENTIDAD" in t.columns:
        out = _quarterly(t, "ENTIDAD", "mexico_remittances_by_state", MX_STATES)
    elif "ID_ESTADO" in t.columns:
        out = _quarterly(t, "ID_ESTADO", "mexico_remittances_by_us_state", None)
    else:
        raise t.error("missing column", field="FLUJO", expected="FLUJO, ENTIDAD or ID_ESTADO")
    return _tidy.finish(out)
