"""Simulated vs observed targets, and the scalar objective minimised by ``calibrate``.

Targets (all bundled observations, never model inputs): USBP Southwest monthly total,
its sector and citizenship shares and its demographic (family status) shares; deaths
per calendar year (IOM Missing Migrants, U.S.-Mexico box) and their shares by area
(longitude bands of the border, :data:`DEATH_AREAS`); the EOIR pending-case
backlog at the end of fiscal years; CBP's published 12-month re-encounter rates (share
of Southwest encounters with an earlier encounter, by month or fiscal year) and Mexico's
yearly apprehension events (UPM), which identify the retry chance after an expulsion
and the interception rate; and Panama's monthly Darien counts against the model's
``darien_crossings`` (the same migrants' flow, an outcome, never an input); and the
monthly share of USBP encounters released into the U.S. (OHSS book-outs, to August 2024)
against the model's releases, which custody decides (``feedback.custody_step``).  Deaths by
area are reported with weight 0 (the sampled deaths of a scale-50 run are a few dozen
agents a year, too few to steer a search), and so are the citizenship shares of the OFO
paroles at the ports (OHSS book-outs, to August 2024: CBP One appointments from 2023)
against the model's port paroles (``routechoice.port_boost``: who waits in line for an
appointment): fitted at weight 0.5, they traded the citizenship mix and the Venezuelan flow
for a better share of the ports (docs/calibration.md).
:func:`score` returns every metric; :data:`WEIGHTS` combine them into the objective
(lower is better).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from borderflow.data import observations, observed
from borderflow.data.build import OBSERVED_END
from borderflow.data.observed import OTHER, USBP_SW, observed_total
from borderflow.engine.mortality import border_area
from borderflow.errors import InputError
from borderflow.scenario.drivers import monthly_darien
from borderflow.scenario.registry import BORDER_AREAS, DEMOGRAPHICS, NATIONALITIES, SECTORS
from borderflow.validate import metrics as m
from borderflow.validate.bookouts import (
    port_groups,
    port_parole_targets,
    release_group_targets,
    release_share_targets,
)
from borderflow.validate.documents import INSAMPLE_CHECKS

#: Objective = sum of weight x metric (MAPE as a fraction, ARDs, mean |log ratio|).
WEIGHTS = {"total_mape": 1.0, "sector_ard": 1.0, "citizenship_ard": 1.0,
           "demographic_ard": 0.5, "deaths_log_ratio": 0.2, "backlog_log_ratio": 0.2,
           "darien_log_ratio": 0.5, "reencounter_abs_error": 1.0, "mexico_log_ratio": 0.2,
           "release_share_abs_error": 1.0, "port_parole_ard": 0.0}
SERIES = USBP_SW
DEATHS = "iom_deaths_us_mexico_bbox"
BACKLOG = "ref_eoir_pending_cases_end_of_fy"
REENCOUNTER = "ref_recidivism_swb_reencounter_rate_12m"
#: Mexico's yearly apprehension events (UPM): "extranjeros presentados" up to 2020, renamed
#: "personas en situacion migratoria irregular" from 2021
MEXICO_EVENTS = ("ref_mexico_eventos_extranjeros_presentados",
                 "ref_mexico_eventos_situacion_migratoria_irregular")
#: breakdown -> its keys, the coordinates on which simulated and observed counts are compared
BREAKDOWNS = {"sector": SECTORS, "citizenship": NATIONALITIES, "demographic": DEMOGRAPHICS}
#: Areas of the border for deaths (registry ``BORDER_AREAS``: longitude bands, west to east)
DEATH_AREAS = BORDER_AREAS


def deaths_by_area(lat, lon, deaths) -> np.ndarray:
    """Deaths summed per area of :data:`DEATH_AREAS` (points outside the box left out)."""

    a = border_area(lat, lon)
    ok = a >= 0
    return np.bincount(a[ok], weights=np.asarray(deaths, float)[ok],
                       minlength=len(DEATH_AREAS)).astype(float)


def month_range(start: str, end: str) -> list[str]:
    return [str(p) for p in pd.period_range(start, end, freq="M")]


@dataclass
class Targets:
    """Observed arrays over ``months`` (aligned with the model's label order)."""

    months: list[str]
    total: np.ndarray
    sector: np.ndarray            # months x SECTORS
    citizenship: np.ndarray       # months x NATIONALITIES ("Other" = total - named)
    demographic: np.ndarray       # months x DEMOGRAPHICS
    deaths: dict = field(default_factory=dict)    # year -> (deaths, months observed)
    backlog: dict = field(default_factory=dict)   # "YYYY-09" -> pending cases
    reencounter: dict = field(default_factory=dict)  # months -> share of encounters
    mexico: dict = field(default_factory=dict)   # year -> Mexico's apprehension events
    deaths_area: np.ndarray | None = None        # recorded deaths per DEATH_AREAS in span
    darien: dict = field(default_factory=dict)   # month -> Panama's Darien transits
    release_share: dict = field(default_factory=dict)  # month -> USBP releases / encounters
    #: (breakdown, key) -> {month: USBP releases / USBP encounters} by family status (single
    #: adults, family units) and by citizenship (the book-outs' named citizenships)
    release_groups: dict = field(default_factory=dict)
    #: month -> OFO paroles at the ports by :data:`PORT_GROUPS` (the book-outs' named
    #: citizenships and the rest), for the months the book-outs publish
    port_paroles: dict = field(default_factory=dict)

    @property
    def total_series(self) -> pd.Series:
        return pd.Series(self.total, index=self.months)


def load_targets(start: str = "2019-01", end: str = OBSERVED_END,
                 exclude: tuple[str, ...] | list[str] = ()) -> Targets:
    """The targets over ``start``..``end`` without the months in ``exclude`` (a
    leave-episode-out fit); nothing outside the span is read."""

    months = [mo for mo in month_range(start, end) if mo not in set(exclude)]
    tot = observed_total(start, end).reindex(months)
    if tot.isna().any():

        raise InputError(f"no USBP observations for {tot[tot.isna()].index.tolist()}",
                         field="span", expected="months within the bundled observations")
    sec, cit, dem = (observed_counts(by, months, (start, end)) for by in BREAKDOWNS)
    deaths = {}
    try:
        d = observed(DEATHS, span=(start, end)).to_series().dropna()
        d = d[d.index.isin(months)]
        for y, g in d.groupby(d.index.str[:4]):
            deaths[y] = (float(g.sum()), tuple(g.index))
    except Exception:  # noqa: BLE001 - a missing optional target is left out
        deaths = {}
    backlog = {}
    try:
        b = observations(BACKLOG)
        for _, r in b.iterrows():
            mo = str(pd.Timestamp(r["period_end"]).to_period("M"))
            if mo in months:
                backlog[mo] = float(r["value"])
    except Exception:  # noqa: BLE001
        backlog = {}

    darien = {mo: v for mo, v in monthly_darien().items() if mo in months}
    return Targets(months, tot.to_numpy(float), sec, cit, dem, deaths, backlog,
                   reencounter_targets(months), mexico_targets(months),
                   death_area_targets(months), darien, release_share_targets(months),
                   release_group_targets(months), port_parole_targets(months))


def observed_counts(breakdown: str, months: list[str], span: tuple[str, str]) -> np.ndarray:
    """Observed USBP SW encounters over ``months`` (months x :data:`BREAKDOWNS` keys of
    ``breakdown``, the simulated counts' coordinates, selected by label; 0 where the store
    holds no figure); the citizenship "Other" is the total minus the named ones
    (:func:`borderflow.data.observed`)."""
    frame = observed(SERIES, breakdown, span=span).to_pandas()
    arr = np.ascontiguousarray(frame.reindex(index=months, columns=list(BREAKDOWNS[breakdown]))
                               .fillna(0.0).to_numpy(float))
    # the layout decides the order of the sums over keys in metrics.ard; the one the
    # targets always had: column-major for the citizenships over the whole span
    if OTHER in frame.columns and list(frame.index) == list(months):
        arr = np.asfortranarray(arr)
    return arr


def death_area_targets(months: list[str]) -> np.ndarray | None:
    """IOM dead and missing in the U.S.-Mexico box per :data:`DEATH_AREAS` over ``months``
    (incident coordinates "lat,lon"); None without records."""

    try:
        d = observed(DEATHS, "geography", span=(months[0], months[-1])).to_series().dropna()
    except Exception:  # noqa: BLE001 - a missing optional target is left out
        return None
    d = d[d.index.get_level_values("month").isin(months)]
    if d.empty:
        return None
    latlon = d.index.get_level_values("geography").str.split(",")
    return deaths_by_area(latlon.str[0].astype(float), latlon.str[1].astype(float),
                          d.to_numpy(float))


def mexico_targets(months: list[str]) -> dict[str, float]:
    """Mexico's apprehension events (UPM) for the calendar years wholly inside ``months``;
    the model's counterpart is its apprehensions in Mexico (every interception, including
    the people released for want of a place, as UPM counts every event)."""

    out = {}
    for series in MEXICO_EVENTS:
        try:
            o = observations(series)
        except Exception:  # noqa: BLE001 - a missing optional target is left out
            continue
        o = o[o["frequency"] == "A"]
        for _, r in o.iterrows():
            y = str(pd.Timestamp(r["period_start"]).year)
            if all(f"{y}-{k:02d}" in months for k in range(1, 13)):
                out[y] = float(r["value"])
    return dict(sorted(out.items()))


def reencounter_targets(months: list[str]) -> dict[tuple[str, ...], float]:
    """CBP's 12-month re-encounter rates whose period lies inside ``months``, as
    (months of the period) -> share.  The model's counterpart is the share of its USBP
    encounters made by someone encountered before (a run starts with nobody encountered
    four spin-up months before the reported span, so its first months count too few)."""

    try:
        o = observations(REENCOUNTER)
    except Exception:  # noqa: BLE001 - a missing optional target is left out
        return {}
    out = {}
    for _, r in o.iterrows():
        span = month_range(str(pd.Timestamp(r["period_start"]).to_period("M")),
                           str(pd.Timestamp(r["period_end"]).to_period("M")))
        if set(span) <= set(months):
            out[tuple(span)] = float(r["value"]) / 100.0
    return out


def simulated(ds: xr.Dataset, months: list[str]) -> dict:
    """The model's counterparts of :class:`Targets` from one run's dataset
    (:func:`borderflow.observe.run_dataset`, ``Results.dataset``) on the observations'
    coordinates: ``months`` and the keys of :data:`BREAKDOWNS`."""
    run_months = [str(mo) for mo in ds["month"].values]
    on = ds.reindex(month=months, fill_value=0)
    usbp = on["encounters"].sel(component="USBP", drop=True)

    def monthly(da: xr.DataArray, *keep: str) -> xr.DataArray:
        return da.sum([d for d in da.dims if d != "month" and d not in keep])

    out = {"total": monthly(usbp).values.astype(float)}
    for by, keys in BREAKDOWNS.items():
        out[by] = np.ascontiguousarray(monthly(usbp, by).sel({by: list(keys)}).values,
                                       dtype=float)
    out["deaths_monthly"] = pd.Series(monthly(ds["deaths"]).values, index=run_months)
    area = on["deaths"].sum(("month", "cause"))
    out["deaths_area"] = deaths_by_area(area["lat"].values, area["lon"].values, area.values)
    out["mx_apprehended"] = monthly(on["mexico"].sel(mx_measure="apprehended")).values.astype(
        float)
    for key, outcome in (("repeat", "repeat_encounters"), ("darien", "darien_crossings"),
                         ("releases", "releases_us")):
        out[key] = monthly(on["outcomes"].sel(outcome=outcome)).values.astype(float)
    # released by USBP, as the book-outs count it: children placed with ORR are transfers
    outcomes = on["outcomes"]
    if "child_placements" in outcomes["outcome"].values:
        by_nat = (outcomes.sel(outcome="releases_us", drop=True)
                  - outcomes.sel(outcome="child_placements", drop=True))
        out["usbp_releases"] = monthly(by_nat).values.astype(float)
        out["usbp_releases_citizenship"] = np.ascontiguousarray(
            monthly(by_nat, "citizenship").sel(citizenship=list(NATIONALITIES)).values,
            dtype=float)
        fam = monthly(outcomes.sel(outcome="family_releases")).values.astype(float)
        out["usbp_releases_demographic"] = np.stack([out["usbp_releases"] - fam, fam], axis=1)
    if "port_paroles" in outcomes["outcome"].values:
        out["port_paroles"] = port_groups(
            monthly(outcomes.sel(outcome="port_paroles", drop=True), "citizenship")
            .sel(citizenship=list(NATIONALITIES)).values, list(NATIONALITIES))
    out["backlog"] = pd.Series(ds["pending_cases"].values.round(0).astype(np.int64),
                               index=pd.Index(run_months, name="month"))
    return out


def release_errors(sim: dict, t: Targets) -> dict[str, float]:
    """Mean absolute errors of the monthly share of USBP encounters released by USBP:
    ``release_total_abs_error`` (all), ``release_demographic_abs_error`` (mean over single
    adults and family units), ``release_citizenship_abs_error`` (mean over
    :data:`RELEASE_GROUPS`' citizenships) and their mean, ``release_share_abs_error``, the
    objective's term.  Released by USBP: the model's releases less the children it places
    with ORR sponsors (the book-outs count them as transfers to HHS)."""
    idx = {mo: k for k, mo in enumerate(t.months)}
    rel = np.asarray(sim.get("usbp_releases", sim["releases"]), float)
    tot = np.asarray(sim["total"], float)
    out = {"release_total_abs_error": float(np.mean(
        [abs(rel[idx[mo]] / max(tot[idx[mo]], 1.0) - o) for mo, o in t.release_share.items()]))}
    by = {b: sim.get(f"usbp_releases_{b}") for b in ("demographic", "citizenship")}
    if by["citizenship"] is not None and t.release_groups:
        keys = {b: list(k) for b, k in BREAKDOWNS.items()}
        keys["demographic"] = ["Single Adults", "Family Unit Individuals"]
        for b in ("demographic", "citizenship"):
            errs = []
            for (bb, key), obs in t.release_groups.items():
                if bb != b:
                    continue
                j = keys[b].index(key)
                jj = list(BREAKDOWNS[b]).index(key)
                enc = np.asarray(sim[b], float)[:, jj]
                errs.append(np.mean([abs(by[b][idx[mo], j] / max(enc[idx[mo]], 1.0) - o)
                                     for mo, o in obs.items()]))
            if errs:
                out[f"release_{b}_abs_error"] = float(np.mean(errs))
    out["release_share_abs_error"] = float(np.mean(list(out.values())))
    return out


def reencounter_rates(sim: dict, t: Targets) -> list[tuple[tuple[str, ...], float, float]]:
    """(months, published rate, simulated share of repeat encounters) per CBP period."""
    idx = {mo: k for k, mo in enumerate(t.months)}
    rep, tot = np.asarray(sim["repeat"], float), np.asarray(sim["total"], float)
    out = []
    for months, obs in t.reencounter.items():
        rows = [idx[mo] for mo in months]
        out.append((months, obs, float(rep[rows].sum()) / max(float(tot[rows].sum()), 1.0)))
    return out


def mexico_years(sim: dict, t: Targets) -> list[tuple[str, float, float]]:
    """(year, UPM apprehension events, simulated apprehensions in Mexico) per whole year."""
    idx = {mo: k for k, mo in enumerate(t.months)}
    app = np.asarray(sim["mx_apprehended"], float)
    return [(y, obs, float(app[[idx[f"{y}-{k:02d}"] for k in range(1, 13)]].sum()))
            for y, obs in t.mexico.items()]


def score(sim: dict, t: Targets) -> dict:
    """Every fit metric of one simulation against the targets, plus ``objective``."""
    tot_s = pd.Series(sim["total"], index=t.months)
    r = {
        "total_mape": m.mape(sim["total"], t.total) / 100.0,
        "sector_ard": m.ard(sim["sector"], t.sector),
        "citizenship_ard": m.ard(sim["citizenship"], t.citizenship),
        "demographic_ard": m.ard(sim["demographic"], t.demographic),
        "total_within_factor2": m.within_factor(sim["total"], t.total),
        "citizenship_within_factor2": m.within_factor(sim["citizenship"], t.citizenship,
                                                      min_obs=1000),
        "sector_within_factor2": m.within_factor(sim["sector"], t.sector, min_obs=1000),
    }
    dec, jan = INSAMPLE_CHECKS["dec2023_jan2024"]["first"], INSAMPLE_CHECKS["dec2023_jan2024"]["last"]
    if dec in t.months and jan in t.months:
        r["drop_dec2023_jan2024"] = m.drop(tot_s, dec, jan)
    lr = []
    for obs, months in t.deaths.values():
        s = float(sim["deaths_monthly"].reindex(list(months)).fillna(0).sum())
        if obs > 0:
            lr.append(abs(np.log(max(s, 1.0) / obs)))
    r["deaths_log_ratio"] = float(np.mean(lr)) if lr else 0.0
    if t.deaths_area is not None and "deaths_area" in sim and t.deaths_area.sum() > 0:
        q = np.asarray(sim["deaths_area"], float)
        if q.sum() > 0:
            r["deaths_area_ard"] = float(np.abs(q / q.sum()
                                                - t.deaths_area / t.deaths_area.sum()).sum())
    lb = []
    for mo, obs in t.backlog.items():
        if mo in sim["backlog"].index and obs > 0:
            lb.append(abs(np.log(max(float(sim["backlog"].loc[mo]), 1.0) / obs)))
    r["backlog_log_ratio"] = float(np.mean(lb)) if lb else 0.0
    if t.reencounter and "repeat" in sim:
        r["reencounter_abs_error"] = float(np.mean(
            [abs(s - o) for _, o, s in reencounter_rates(sim, t)]))
    if t.mexico and "mx_apprehended" in sim:
        r["mexico_log_ratio"] = float(np.mean(
            [abs(np.log(max(s, 1.0) / o)) for _, o, s in mexico_years(sim, t)]))
    if t.darien and "darien" in sim:
        idx = {mo: k for k, mo in enumerate(t.months)}
        dar = np.asarray(sim["darien"], float)
        r["darien_log_ratio"] = float(np.mean(
            [abs(np.log((dar[idx[mo]] + 1.0) / (o + 1.0))) for mo, o in t.darien.items()]))
    if t.release_share and "releases" in sim:
        r.update(release_errors(sim, t))
    if t.port_paroles and "port_paroles" in sim:
        rows = [t.months.index(mo) for mo in t.port_paroles]
        r["port_parole_ard"] = m.ard(np.asarray(sim["port_paroles"], float)[rows],
                                     np.stack(list(t.port_paroles.values())))
    r["objective"] = float(sum(w * r[k] for k, w in WEIGHTS.items()
                               if np.isfinite(r.get(k, np.nan))))
    return r
