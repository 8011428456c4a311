"""Tidy monthly tables from the event counters (people = agents x scale).

Column names and values follow the output contract in the README: months as
"YYYY-MM", the nine OHSS Southwest sector names, OHSS citizenship names, the
three OHSS demographic groups and the title of authority.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from borderflow.engine import constants as c
from borderflow.engine.simulate import RawRun
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS


def _reported(raw: RawRun) -> np.ndarray:
    """Month indices inside the scenario span (the spin-up months are dropped)."""
    months = np.array(raw.calendar.months)
    return np.flatnonzero((months >= raw.scenario.start) & (months <= raw.scenario.end))


def _frame(cube: np.ndarray, axes: list[tuple[str, tuple]], value: str, scale: int,
           keep_zero: bool = False) -> pd.DataFrame:
    idx = np.indices(cube.shape).reshape(len(axes), -1)
    vals = cube.reshape(-1) * scale
    keep = np.ones(len(vals), bool) if keep_zero else vals > 0
    data = {name: np.asarray(labels, dtype=object)[idx[k][keep]] for k, (name, labels) in
            enumerate(axes)}
    data[value] = vals[keep].astype(np.int64)
    return pd.DataFrame(data)


def encounters_table(raw: RawRun) -> pd.DataFrame:
    """month, component, sector, citizenship, demographic, authority, encounters."""
    mi = _reported(raw)
    months = [raw.calendar.months[i] for i in mi]
    usbp = _frame(raw.counters.enc[mi].sum(axis=5),
                  [("month", months), ("sector", SECTORS), ("citizenship", NATIONALITIES),
                   ("demographic", DEMOGRAPHICS), ("authority", c.AUTHORITIES)],
                  "encounters", raw.scale)
    usbp.insert(1, "component", "USBP")
    ofo = _frame(raw.counters.ofo[mi], [("month", months), ("sector", SECTORS),
                                        ("citizenship", NATIONALITIES),
                                        ("demographic", DEMOGRAPHICS)], "encounters", raw.scale)
    ofo.insert(1, "component", "OFO")
    ofo.insert(5, "authority", "Title 8")
    out = pd.concat([usbp, ofo], ignore_index=True)
    return out[["month", "component", "sector", "citizenship", "demographic", "authority",
                "encounters"]]


def mexico_table(raw: RawRun) -> pd.DataFrame:
    """month, measure, citizenship, people."""
    mi = _reported(raw)
    months = [raw.calendar.months[i] for i in mi]
    return _frame(raw.counters.mx[mi], [("month", months), ("measure", c.MX_MEASURES),
                                        ("citizenship", NATIONALITIES)], "people", raw.scale)


def deaths_table(raw: RawRun) -> pd.DataFrame:
    """month, place, lat, lon, cause, deaths (a place is the segment where people died)."""
    mi = _reported(raw)
    months = [raw.calendar.months[i] for i in mi]
    net = raw.network
    names = net.nodes["name"].to_numpy()
    place = [f"{names[s]} - {names[t]}" for s, t in zip(net.edge_src, net.edge_dst, strict=True)]
    df = _frame(raw.counters.deaths[mi], [("month", months), ("edge", range(len(place))),
                                          ("cause", c.CAUSES)], "deaths", raw.scale)
    e = df.pop("edge").to_numpy(dtype=int)
    df.insert(1, "place", np.asarray(place, dtype=object)[e])
    df.insert(2, "lat", (net.node_lat[net.edge_src[e]] + net.node_lat[net.edge_dst[e]]) / 2)
    df.insert(3, "lon", (net.node_lon[net.edge_src[e]] + net.node_lon[net.edge_dst[e]]) / 2)
    return df


def ledger_table(raw: RawRun) -> pd.DataFrame:
    """date, state, people: every state every reported day."""
    cal = raw.calendar
    first = int(np.flatnonzero(cal.day_month == _reported(raw)[0])[0])
    days = np.arange(first, cal.n_days)
    dates = np.datetime_as_string(np.datetime64(cal.start, "D") + days, unit="D")
    n_states = len(c.STATES)
    return pd.DataFrame({
        "date": np.repeat(dates.astype(object), n_states),
        "state": np.tile(np.array(c.STATES, dtype=object), len(days)),
        "people": (raw.ledger[days] * raw.scale).reshape(-1),
    })


def outcomes_table(raw: RawRun) -> pd.DataFrame:
    """month, measure, citizenship, people: departures, gotaways, repeat encounters, ..."""
    mi = _reported(raw)
    months = [raw.calendar.months[i] for i in mi]
    return _frame(raw.counters.outcomes[mi], [("month", months), ("measure", c.OUTCOMES),
                                              ("citizenship", NATIONALITIES)], "people",
                  raw.scale)


def crossings_table(raw: RawRun) -> pd.DataFrame:
    """month, crossing (segment), sector, kind (urban/remote/port; "" for a segment inside
    Mexico, listed with 0 people where someone's chance of dying on it was counted),
    people starting it and expected_deaths: the deaths (and missing) their chances of
    dying on the segment add up to, the noise-free counterpart of the deaths table (see
    ``engine.mortality``)."""
    mi = _reported(raw)
    months = [raw.calendar.months[i] for i in mi]
    net = raw.network
    names = net.nodes["name"].to_numpy()
    n_edges = len(net.edges)
    df = _frame(raw.counters.crossings[mi], [("month", months), ("edge", range(n_edges))],
                "people", raw.scale, keep_zero=True)
    risk = raw.counters.risk[mi].reshape(-1) * raw.scale
    keep = (df["people"].to_numpy() > 0) | (risk > 0)
    df = df[keep].reset_index(drop=True)
    e = df.pop("edge").to_numpy(dtype=int)
    df["expected_deaths"] = risk[keep]
    df.insert(1, "crossing", [f"{names[net.edge_src[k]]} - {names[net.edge_dst[k]]}" for k in e])
    df.insert(2, "sector", np.asarray(SECTORS, dtype=object)[net.edge_sector[e]])
    df.insert(3, "kind", np.asarray(("", "urban", "remote", "port"), dtype=object)
              [net.edge_crossing[e]])
    return df


def fees_table(raw: RawRun) -> pd.DataFrame:
    """month, sector, fee_usd: smuggling fee for the border crossing into each sector."""
    mi = _reported(raw)
    fees = raw.monthly["fees"][mi]
    return pd.DataFrame({
        "month": np.repeat(np.array([raw.calendar.months[i] for i in mi], dtype=object),
                           len(SECTORS)),
        "sector": np.tile(np.array(SECTORS, dtype=object), len(mi)),
        "fee_usd": fees.reshape(-1).round(0)})


def backlog_table(raw: RawRun) -> pd.DataFrame:
    """month, pending_cases, expected_wait_years (end of month), mx_enforcement_effort."""
    mi = _reported(raw)
    b = raw.monthly["backlog"][mi]
    return pd.DataFrame({"month": [raw.calendar.months[i] for i in mi],
                         "pending_cases": b[:, 0].round(0).astype(np.int64),
                         "expected_wait_years": b[:, 1].round(3),
                         "mx_enforcement_effort": raw.monthly["effort"][mi].round(3)})


def waiting_table(raw: RawRun) -> pd.DataFrame:
    """month, city, people: average number waiting in (or expelled to) each Mexican city."""
    mi = _reported(raw)
    net = raw.network
    days = raw.calendar.month_days[mi][:, None]
    stock = raw.counters.waiting[mi] * raw.scale / days
    nodes = np.flatnonzero(stock.sum(axis=0) > 0)
    names = net.nodes["name"].to_numpy()
    return pd.DataFrame({
        "month": np.repeat(np.array([raw.calendar.months[i] for i in mi], dtype=object),
                           len(nodes)),
        "city": np.tile(names[nodes].astype(object), len(mi)),
        "people": stock[:, nodes].reshape(-1).round(0).astype(np.int64)})
