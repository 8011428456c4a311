"""Compact arrays from one run: month x breakdown, for ensembles, comparisons and forecasts.

:func:`summarise` turns a :class:`borderflow.results.Results` into a dict of
``xarray.DataArray`` (people, int64), all sharing the ``month`` dimension and the
fixed label sets below, so that any two runs of the same span stack along a
``member`` dimension without reindexing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from borderflow.engine import constants as c
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS

#: Breakdown dimensions and their labels (fixed order: OHSS / model order).
DIMS: dict[str, tuple[str, ...]] = {
    "sector": SECTORS,
    "citizenship": NATIONALITIES,
    "demographic": DEMOGRAPHICS,
    "authority": c.AUTHORITIES,
    "mx_measure": c.MX_MEASURES,
    "cause": c.CAUSES,
    "outcome": c.OUTCOMES,
}

#: Headline totals: (label, variable, selection), summed over the whole span.
KEY_TOTALS: tuple[tuple[str, str, dict], ...] = (
    ("USBP encounters", "usbp_encounters", {}),
    ("OFO encounters", "ofo_encounters", {}),
    ("Mexico apprehensions", "mexico", {"mx_measure": "apprehended"}),
    ("Mexico deportations", "mexico", {"mx_measure": "deported"}),
    ("Deaths and missing", "deaths", {}),
    ("Gotaways", "gotaways", {}),
    ("Repeat encounters", "repeat_encounters", {}),
)


def _by(da: xr.DataArray, *dims: str) -> xr.DataArray:
    """``da`` summed over every dimension but ``month`` and ``dims`` (int64, exact), with
    only the kept dimensions' labels."""
    out = da.sum([d for d in da.dims if d != "month" and d not in dims])
    return out.drop_vars([k for k in out.coords if k not in out.dims])


def summarise(res) -> dict[str, xr.DataArray]:
    """One run as compact month x breakdown arrays (people), sums of the run's dataset
    (:func:`borderflow.observe.run_dataset`).

    Keys: ``usbp_encounters`` (month), ``usbp_by_sector``, ``usbp_by_citizenship``,
    ``usbp_by_demographic``, ``usbp_by_authority`` (month x breakdown),
    ``ofo_encounters`` (month), ``mexico`` (month x mx_measure),
    ``mexico_by_citizenship`` (month x mx_measure x citizenship), ``deaths`` (month),
    ``deaths_by_cause`` (month x cause), ``outcomes`` (month x outcome),
    ``gotaways`` and ``repeat_encounters`` (month).
    """
    ds = res.dataset
    usbp = ds["encounters"].sel(component="USBP", drop=True)
    out_cube = _by(ds["outcomes"], "outcome")
    return {
        "usbp_encounters": _by(usbp),
        "usbp_by_sector": _by(usbp, "sector"),
        "usbp_by_citizenship": _by(usbp, "citizenship"),
        "usbp_by_demographic": _by(usbp, "demographic"),
        "usbp_by_authority": _by(usbp, "authority"),
        "ofo_encounters": _by(ds["encounters"].sel(component="OFO", drop=True)),
        "mexico": _by(ds["mexico"], "mx_measure"),
        "mexico_by_citizenship": _by(ds["mexico"], "mx_measure", "citizenship"),
        "deaths": _by(ds["deaths"]),
        "deaths_by_cause": _by(ds["deaths"], "cause"),
        "outcomes": out_cube,
        "gotaways": out_cube.sel(outcome="gotaways", drop=True),
        "repeat_encounters": out_cube.sel(outcome="repeat_encounters", drop=True),
    }


#: long_name of each variable (CF); every count is people a month unless said otherwise
LONG_NAMES: dict[str, str] = {
    "usbp_encounters": "U.S. Border Patrol encounters at the Southwest border",
    "usbp_by_sector": "U.S. Border Patrol encounters by Border Patrol sector",
    "usbp_by_citizenship": "U.S. Border Patrol encounters by citizenship",
    "usbp_by_demographic": "U.S. Border Patrol encounters by demographic group",
    "usbp_by_authority": "U.S. Border Patrol encounters by title of authority",
    "ofo_encounters": "CBP Office of Field Operations encounters at Southwest ports of entry",
    "mexico": "Mexican enforcement measures (apprehended, detained, deported, ...)",
    "mexico_by_citizenship": "Mexican enforcement measures by citizenship",
    "deaths": "dead and missing",
    "deaths_by_cause": "dead and missing by cause",
    "outcomes": "outcomes (departures, gotaways, repeat encounters, ...)",
    "gotaways": "known gotaways",
    "repeat_encounters": "repeat encounters",
    "agents": "agents simulated in the run",
    "agent_steps": "agent-steps simulated in the run (one agent in the corridor for one day)",
}
CONVENTIONS = "CF-1.10"


def month_starts(months) -> np.ndarray:
    """``['2019-01', ...]`` -> datetime64[ns] of the first day of each month."""
    return pd.PeriodIndex(list(months), freq="M").to_timestamp().to_numpy("datetime64[ns]")


def cf_annotate(ds: xr.Dataset) -> xr.Dataset:
    """Follow the CF conventions: a datetime ``time`` coordinate (the first day of each
    month, with month bounds) beside the ``YYYY-MM`` month labels, and ``units``,
    ``long_name`` and ``cell_methods`` on every variable. The ``month`` dimension and its
    labels stay, so readers that select by month keep working."""
    if "month" in ds.dims:
        months = [str(m) for m in ds["month"].values]
        starts = month_starts(months)
        ends = (pd.PeriodIndex(months, freq="M") + 1).to_timestamp().to_numpy("datetime64[ns]")
        ds = ds.assign_coords(time=("month", starts),
                              time_bounds=(("month", "nv"), np.stack([starts, ends], axis=1)))
        ds["time"].attrs = {"standard_name": "time", "long_name": "first day of the month",
                            "axis": "T", "bounds": "time_bounds"}
        ds["time_bounds"].attrs = {"long_name": "start and end of the month"}
        ds["month"].attrs = {"long_name": "calendar month (YYYY-MM)"}
    for name, var in ds.data_vars.items():
        monthly = "month" in var.dims
        var.attrs.update({"units": "1",
                          "long_name": LONG_NAMES.get(name, name.replace("_", " ")) +
                          (" (people a month)" if monthly else ""),
                          **({"cell_methods": "time: sum"} if monthly else {})})
    for dim in DIMS:
        if dim in ds.coords:
            ds[dim].attrs = {"long_name": dim.replace("_", " ")}
    if "member" in ds.coords:
        ds["member"].attrs = {"long_name": "ensemble member (SeedSequence spawn key)"}
    ds.attrs = {"Conventions": CONVENTIONS, **ds.attrs}
    return ds


def summary_dataset(res) -> xr.Dataset:
    """:func:`summarise` as one Dataset, with run size (agents, agent-steps) as scalars."""
    ds = xr.Dataset(summarise(res))
    ds["agents"] = xr.DataArray(np.int64(res.meta["agents"]))
    ds["agent_steps"] = xr.DataArray(np.int64(res.meta["agent_steps"]))
    return cf_annotate(ds)


def key_totals(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """Headline totals over the span, one value per member (or a 0-d array for one run)."""
    out = {}
    for label, var, sel in KEY_TOTALS:
        da = ds[var].sel(sel) if sel else ds[var]
        out[label] = da.sum("month").values
    return out


def intervals(values: np.ndarray, q: tuple[float, ...] = (0.1, 0.5, 0.9)) -> tuple[float, ...]:
    """Quantiles of member values (default: 10%, median, 90%)."""
    return tuple(float(x) for x in np.quantile(np.asarray(values, float), q))
