"""One run's counters as one labelled dataset: dense, in people, with units.

:func:`run_dataset` is the single place where a run's counters (agents, by month and the
model's indices) become people on labelled coordinates: the reported months (spin-up
dropped), the OHSS sector, citizenship and demographic names, the title of authority, the
segments of the network and the cities.  Everything downstream derives from it: the tidy
tables of :mod:`borderflow.observe.tables` (the Parquet output), the ensemble summaries,
the run report and the calibration's simulated targets, which select on the same
coordinates as the observations of :func:`borderflow.data.observed`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from borderflow.engine import constants as c
from borderflow.engine.simulate import RawRun
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS

#: the two encounter components: Border Patrol between ports, Field Operations at them
COMPONENTS = ("USBP", "OFO")
#: the kind of a segment (``network.edge_crossing``): "" for a segment inside Mexico
EDGE_KINDS = ("", "urban", "remote", "port")

#: variable -> (units, long name)
VARIABLES: dict[str, tuple[str, str]] = {
    "encounters": ("people a month", "CBP encounters at the Southwest border"),
    "mexico": ("people a month", "Mexican enforcement measures by citizenship"),
    "outcomes": ("people a month", "outcomes (departures, gotaways, releases, ...)"),
    "deaths": ("people a month", "dead and missing by segment and cause"),
    "crossings": ("people a month", "people starting each segment"),
    "expected_deaths": ("people a month",
                        "deaths and missing the chances of dying on each segment add up to"),
    "waiting": ("people", "average number waiting in (or expelled to) each city"),
    "fees": ("USD", "smuggling fee for the border crossing into each sector"),
    "pending_cases": ("cases", "immigration court cases pending at the end of the month"),
    "expected_wait_years": ("years", "expected wait for a court decision, end of month"),
    "mx_enforcement_effort": ("1", "Mexico's enforcement effort (index)"),
    "ledger": ("people", "people in each state at the end of each day"),
}


def reported_months(raw: RawRun) -> np.ndarray:
    """Month indices inside the scenario span (the spin-up months are dropped)."""
    months = np.array(raw.calendar.months)
    return np.flatnonzero((months >= raw.scenario.start) & (months <= raw.scenario.end))


def _encounters(raw: RawRun, mi: np.ndarray) -> np.ndarray:
    """(month, component, sector, citizenship, demographic, authority) in people: USBP
    summed over first and repeat encounters; OFO, always Title 8, in the first slot."""
    usbp = raw.counters.enc[mi].sum(axis=5) * raw.scale
    out = np.zeros((len(mi), len(COMPONENTS), *usbp.shape[1:]), np.int64)
    out[:, 0] = usbp
    out[:, 1, ..., c.AUTHORITIES.index("Title 8")] = raw.counters.ofo[mi] * raw.scale
    return out


def run_dataset(raw: RawRun) -> xr.Dataset:
    """The run's counters over the reported months, in people, on labelled coordinates
    (dims ``month``, ``component``, ``sector``, ``citizenship``, ``demographic``,
    ``authority``, ``mx_measure``, ``outcome``, ``cause``, ``edge``, ``city``, ``date``,
    ``state``); every variable carries ``units`` and ``long_name``."""
    mi = reported_months(raw)
    months = [raw.calendar.months[i] for i in mi]
    net, cal, scale = raw.network, raw.calendar, raw.scale
    names = net.nodes["name"].to_numpy().astype(object)
    src, dst = net.edge_src, net.edge_dst
    first = int(np.flatnonzero(cal.day_month == mi[0])[0])
    days = np.arange(first, cal.n_days)
    dates = np.datetime_as_string(np.datetime64(cal.start, "D") + days, unit="D")
    backlog = raw.monthly["backlog"][mi]
    ds = xr.Dataset(
        {
            "encounters": (("month", "component", "sector", "citizenship", "demographic",
                            "authority"), _encounters(raw, mi)),
            "mexico": (("month", "mx_measure", "citizenship"), raw.counters.mx[mi] * scale),
            "outcomes": (("month", "outcome", "citizenship"),
                         raw.counters.outcomes[mi] * scale),
            "deaths": (("month", "edge", "cause"), raw.counters.deaths[mi] * scale),
            "crossings": (("month", "edge"), raw.counters.crossings[mi] * scale),
            "expected_deaths": (("month", "edge"), raw.counters.risk[mi] * scale),
            "waiting": (("month", "city"), raw.counters.waiting[mi] * scale
                        / cal.month_days[mi][:, None]),
            "fees": (("month", "sector"), raw.monthly["fees"][mi]),
            "pending_cases": ("month", backlog[:, 0]),
            "expected_wait_years": ("month", backlog[:, 1]),
            "mx_enforcement_effort": ("month", raw.monthly["effort"][mi]),
            "ledger": (("date", "state"), raw.ledger[days] * scale),
        },
        coords={
            "month": months,
            "component": list(COMPONENTS), "sector": list(SECTORS),
            "citizenship": list(NATIONALITIES), "demographic": list(DEMOGRAPHICS),
            "authority": list(c.AUTHORITIES), "mx_measure": list(c.MX_MEASURES),
            "outcome": list(c.OUTCOMES), "cause": list(c.CAUSES),
            "edge": np.arange(len(src)),
            "place": ("edge", np.array([f"{names[s]} - {names[t]}"
                                        for s, t in zip(src, dst, strict=True)], dtype=object)),
            "lat": ("edge", (net.node_lat[src] + net.node_lat[dst]) / 2),
            "lon": ("edge", (net.node_lon[src] + net.node_lon[dst]) / 2),
            # a segment inside Mexico has sector index -1 and reads the last label, as the
            # crossings table always has; its kind "" says where it is
            "edge_sector": ("edge", np.asarray(SECTORS, dtype=object)[net.edge_sector]),
            "kind": ("edge", np.asarray(EDGE_KINDS, dtype=object)[net.edge_crossing]),
            "city": names, "date": dates.astype(object), "state": list(c.STATES),
        },
        attrs={"scale": scale, "scenario": raw.scenario.id},
    )
    for name, (units, long_name) in VARIABLES.items():
        ds[name].attrs = {"units": units, "long_name": long_name}
    return ds
