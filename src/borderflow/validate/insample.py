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


def fit_by_series(mean, members, t) -> dict:
    sc = score(_mean_sim_for_score(mean, t.months), t)
    objs = [score(_mean_sim_for_score(mm, t.months), t)["objective"] for mm in members]
    sc["objective_members_p10_p50_p90"] = [float(np.quantile(objs, q)) for q in (.1, .5, .9)]
    # per sector and per citizenship MAPE of monthly counts

    sc["sector_mape"] = {s: m.mape(mean["sector"][:, k], t.sector[:, k])
                         for k, s in enumerate(SECTORS)}
    sc["citizenship_mape"] = {n: m.mape(mean["citizenship"][:, k], t.citizenship[:, k])
                              for k, n in enumerate(NATIONALITIES)}
    return sc
