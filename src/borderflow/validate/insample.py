"""The in-sample ensemble of ``borderflow validate``: the shipped calibration run over the
months it was fitted on, member by member, and its fit by series."""

from __future__ import annotations

from concurrent.futures import Executor

import numpy as np
import pandas as pd

from borderflow.api import simulate
from borderflow.data.build import OBSERVED_END
from borderflow.ensemble.runner import map_ordered, member_seed
from borderflow.scenario import load_scenario
from borderflow.scenario.registry import NATIONALITIES, SECTORS
from borderflow.validate import metrics as m
from borderflow.validate.objective import (
    load_targets,
    score,
    simulated,
)

SPAN = ("2019-01", OBSERVED_END)


def member_run(i: int, entropy: int, scale: int, span: tuple[str, str], months: list[str]
               ) -> dict:
    """One member over ``span``: the objective's arrays plus episode tables (worker)."""

    sc = load_scenario("historical").with_span(*span)
    res = simulate(sc, seed=member_seed(entropy, i), scale=scale)
    sim = simulated(res.dataset, months)
    out = res.tables["outcomes"]
    rep = out[out["measure"] == "repeat_encounters"].groupby("month")["people"].sum()
    cr = res.tables["crossings"]
    cr = cr[cr["kind"] != "port"]
    sim["expected_deaths"] = cr.groupby("month")["expected_deaths"].sum().reindex(
        months).fillna(0).to_numpy(float)
    cr = cr.groupby(["month", "kind"])["people"].sum().unstack(fill_value=0)
    sim["repeat"] = rep.reindex(months).fillna(0).to_numpy(float)
    sim["remote"] = cr.get("remote", pd.Series(dtype=float)).reindex(months).fillna(0).to_numpy(float)
    sim["urban"] = cr.get("urban", pd.Series(dtype=float)).reindex(months).fillna(0).to_numpy(float)
    sim["deaths"] = sim.pop("deaths_monthly").reindex(months).fillna(0).to_numpy(float)
    sim["backlog"] = sim["backlog"].reindex(months).to_numpy(float)
    return sim


def ensemble_fit(executor: Executor, runs: int, scale: int, seed: int,
                 span=SPAN) -> tuple[dict, list[dict], object]:
    t = load_targets(*span)
    res = map_ordered(executor, member_run, [(i, seed, scale, span, t.months)
                                             for i in range(runs)])
    members = [res[i] for i in range(runs)]
    mean = {k: np.mean([mm[k] for mm in members], axis=0) for k in members[0]}
    return mean, members, t


def _mean_sim_for_score(mean: dict, months: list[str]) -> dict:
    s = dict(mean)
    s["deaths_monthly"] = pd.Series(mean["deaths"], index=months)
    s["backlog"] = pd.Series(mean["backlog"], index=months)
    return s


#: the months of the targets :func:`target_figures` reports: the record of December 2023,
#: the months around the June 2024 rule, and the year of the Venezuelan surge
RECORD_MONTH, JUNE_RULE, VENEZUELAN_YEAR = "2023-12", ("2024-05", "2024-07"), "2023"
#: how many non-Mexican citizenships the release figure averages (the largest by encounters)
RELEASE_LARGEST = 5


def target_figures(members: list[dict], t) -> dict:
    """The model's targets on the members' median month by month (the raw median, no
    correction), each as {"model", "observed"}: the total of :data:`RECORD_MONTH`, the drop
    over :data:`JUNE_RULE`, the Venezuelans of :data:`VENEZUELAN_YEAR`, and the mean
    absolute error of the monthly share of USBP encounters USBP released, averaged over the
    :data:`RELEASE_LARGEST` non-Mexican citizenships of the book-outs with the most
    encounters in the span ("observed" 0).  A figure whose months are not in the span is
    left out."""
    med = {k: np.median(np.stack([np.asarray(mm[k], float) for mm in members]), axis=0)
           for k in ("total", "citizenship", "usbp_releases_citizenship")}
    idx = {mo: k for k, mo in enumerate(t.months)}
    out = {}
    if RECORD_MONTH in idx:
        k = idx[RECORD_MONTH]
        out["record_total"] = {"model": float(med["total"][k]), "observed": float(t.total[k])}
    if all(mo in idx for mo in JUNE_RULE):
        a, b = (idx[mo] for mo in JUNE_RULE)
        out["june_rule_drop"] = {"model": m.drop(pd.Series(med["total"]), a, b),
                                 "observed": m.drop(pd.Series(t.total), a, b)}
    year = [k for mo, k in idx.items() if mo.startswith(VENEZUELAN_YEAR)]
    if len(year) == 12:
        j = NATIONALITIES.index("Venezuela")
        out["venezuelans_year"] = {"model": float(med["citizenship"][year, j].sum()),
                                   "observed": float(t.citizenship[year, j].sum())}
    groups = [key for (b, key) in t.release_groups if b == "citizenship" and key != "Mexico"]
    largest = sorted(groups, key=lambda n: -t.citizenship[:, NATIONALITIES.index(n)].sum())
    errs = []
    for n in largest[:RELEASE_LARGEST]:
        j = NATIONALITIES.index(n)
        errs.append(np.mean([abs(med["usbp_releases_citizenship"][idx[mo], j]
                                 / max(med["citizenship"][idx[mo], j], 1.0) - o)
                             for mo, o in t.release_groups[("citizenship", n)].items()]))
    if errs:
        out["release_largest_abs_error"] = {"model": float(np.mean(errs)), "observed": 0.0,
                                            "citizenships": largest[:RELEASE_LARGEST]}
    return out


def fit_by_series(mean, members, t) -> dict:
    sc = score(_mean_sim_for_score(mean, t.months), t)
    sc["targets"] = target_figures(members, t)
    objs = [score(_mean_sim_for_score(mm, t.months), t)["objective"] for mm in members]
    sc["objective_members_p10_p50_p90"] = [float(np.quantile(objs, q)) for q in (.1, .5, .9)]
    # per sector and per citizenship MAPE of monthly counts

    sc["sector_mape"] = {s: m.mape(mean["sector"][:, k], t.sector[:, k])
                         for k, s in enumerate(SECTORS)}
    sc["citizenship_mape"] = {n: m.mape(mean["citizenship"][:, k], t.citizenship[:, k])
                              for k, n in enumerate(NATIONALITIES)}
    return sc
