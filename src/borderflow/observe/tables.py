"""Tidy monthly tables, derived from a run's labelled dataset (:mod:`.dataset`).

Column names and values follow the output contract in the README: months as
"YYYY-MM", the nine OHSS Southwest sector names, OHSS citizenship names, the
three OHSS demographic groups and the title of authority.  A table lists the cells with
people (zeros dropped) in the dataset's order, the month first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr


def tidy(da: xr.DataArray, value: str, keep_zero: bool = False,
         counts: bool = True) -> pd.DataFrame:
    """A dense array as long rows: one column per dimension (its labels), then ``value``
    (int64 for ``counts``, else as held); cells with no people are dropped unless
    ``keep_zero``."""
    cube = da.values
    idx = np.indices(cube.shape).reshape(cube.ndim, -1)
    vals = cube.reshape(-1)
    keep = np.ones(len(vals), bool) if keep_zero else vals > 0
    data = {dim: np.asarray(da[dim].values, dtype=object)[idx[k][keep]]
            for k, dim in enumerate(da.dims)}
    data[value] = vals[keep].astype(np.int64) if counts else vals[keep]
    return pd.DataFrame(data)


def encounters_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, component, sector, citizenship, demographic, authority, encounters."""
    enc = ds["encounters"]
    usbp = tidy(enc.sel(component="USBP", drop=True), "encounters")
    usbp.insert(1, "component", "USBP")
    ofo = tidy(enc.sel(component="OFO", authority="Title 8", drop=True), "encounters")
    ofo.insert(1, "component", "OFO")
    ofo.insert(5, "authority", "Title 8")
    out = pd.concat([usbp, ofo], ignore_index=True)
    return out[["month", "component", "sector", "citizenship", "demographic", "authority",
                "encounters"]]


def mexico_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, measure, citizenship, people."""
    return tidy(ds["mexico"], "people").rename(columns={"mx_measure": "measure"})


def deaths_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, place, lat, lon, cause, deaths (a place is the segment where people died)."""
    df = tidy(ds["deaths"], "deaths")
    e = df.pop("edge").to_numpy(dtype=int)
    df.insert(1, "place", ds["place"].values[e])
    df.insert(2, "lat", ds["lat"].values[e])
    df.insert(3, "lon", ds["lon"].values[e])
    return df


def ledger_table(ds: xr.Dataset) -> pd.DataFrame:
    """date, state, people: every state every reported day."""
    return tidy(ds["ledger"], "people", keep_zero=True, counts=False)


def outcomes_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, measure, citizenship, people: departures, gotaways, repeat encounters, ..."""
    return tidy(ds["outcomes"], "people").rename(columns={"outcome": "measure"})


def crossings_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, crossing (segment), sector, kind (urban/remote/port; "" for a segment inside
    Mexico, listed with 0 people where someone's chance of dying on it was counted),
    people starting it and expected_deaths: the deaths (and missing) their chances of
    dying on the segment add up to, the noise-free counterpart of the deaths table (see
    ``engine.mortality``)."""
    df = tidy(ds["crossings"], "people", keep_zero=True)
    risk = ds["expected_deaths"].values.reshape(-1)
    keep = (df["people"].to_numpy() > 0) | (risk > 0)
    df = df[keep].reset_index(drop=True)
    e = df.pop("edge").to_numpy(dtype=int)
    df["expected_deaths"] = risk[keep]
    df.insert(1, "crossing", ds["place"].values[e])
    df.insert(2, "sector", ds["edge_sector"].values[e])
    df.insert(3, "kind", ds["kind"].values[e])
    return df


def fees_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, sector, fee_usd: smuggling fee for the border crossing into each sector."""
    return tidy(ds["fees"].round(0), "fee_usd", keep_zero=True, counts=False)


def backlog_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, pending_cases, expected_wait_years (end of month), mx_enforcement_effort."""
    return pd.DataFrame({"month": list(ds["month"].values),
                         "pending_cases": ds["pending_cases"].values.round(0).astype(np.int64),
                         "expected_wait_years": ds["expected_wait_years"].values.round(3),
                         "mx_enforcement_effort": ds["mx_enforcement_effort"].values.round(3)})


def waiting_table(ds: xr.Dataset) -> pd.DataFrame:
    """month, city, people: average number waiting in (or expelled to) each Mexican city."""
    stock = ds["waiting"].values
    nodes = np.flatnonzero(stock.sum(axis=0) > 0)
    n_months = stock.shape[0]
    return pd.DataFrame({
        "month": np.repeat(ds["month"].values.astype(object), len(nodes)),
        "city": np.tile(ds["city"].values[nodes].astype(object), n_months),
        "people": stock[:, nodes].reshape(-1).round(0).astype(np.int64)})


#: table name -> the function that derives it from the run's dataset
TABLES = {"encounters": encounters_table, "mexico": mexico_table, "deaths": deaths_table,
          "ledger": ledger_table, "outcomes": outcomes_table, "crossings": crossings_table,
          "fees": fees_table, "waiting": waiting_table, "backlog": backlog_table}
