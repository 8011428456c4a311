"""Compare two scenarios with common random numbers: member i of both runs uses
``SeedSequence(seed, spawn_key=(i,))``, so differences come from the scenarios, not the draws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from borderflow.api import simulate
from borderflow.ensemble.runner import member_scenario
from borderflow.ensemble.spec import RunSpec
from borderflow.errors import InputError
from borderflow.observe.outcomes import URBAN_SECTOR, metrics
from borderflow.scenario.model import Scenario

__all__ = ["URBAN_SECTOR", "Comparison", "common_span", "compare", "metrics"]

@dataclass
class Comparison:
    a: Scenario
    b: Scenario
    runs: pd.DataFrame      # run, metric, a, b, diff
    monthly: pd.DataFrame   # run, scenario, month, encounters

    def summary(self) -> pd.DataFrame:
        g = self.runs.groupby("metric", sort=False)
        return pd.DataFrame({
            "a_median": g["a"].median(), "b_median": g["b"].median(),
            "diff_median": g["diff"].median(), "diff_p10": g["diff"].quantile(0.1),
            "diff_p90": g["diff"].quantile(0.9),
            "pct_change": g.apply(lambda x: 100 * x["diff"].median() / x["a"].median()
                                  if x["a"].median() else np.nan, include_groups=False),
        }).reset_index()


def common_span(a: Scenario, b: Scenario) -> tuple[Scenario, Scenario]:
    """Both scenarios over the months they share."""
    start, end = max(a.start, b.start), min(a.end, b.end)
    if start > end:

        raise InputError(f"{a.id} ({a.start}..{a.end}) and {b.id} ({b.start}..{b.end}) share no "
                         "month", field="scenario")
    return a.with_span(start, end), b.with_span(start, end)


#: the comparison's default runs: 10 pairs at scale 20, seed 0
PAIRS = RunSpec(runs=10, scale=20, seed=0)


def compare(a: Scenario, b: Scenario, run: RunSpec = PAIRS,
            progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Run ``a`` and ``b`` ``run.runs`` times at ``run.scale`` with common random numbers
    (``run.scenario`` is not used): run i of both uses ``SeedSequence(run.seed,
    spawn_key=(i,))`` and, with parameter ``run.draws``, the same draw
    (``ensemble.runner.member_draw``), less the parameters each scenario sets itself; both
    read the fitted set ``run.parameters`` (None: the shipped one)."""
    runs, scale, seed, draws = run.runs, run.scale, run.seed, run.draws
    a, b = common_span(a, b)
    rows, monthly = [], []
    for i in range(runs):
        pair = []
        for base in (a, b):
            own = set(base.parameters)
            sc = member_scenario(base, tuple({k: v for k, v in d.items() if k not in own}
                                             for d in draws), seed, i)
            res = simulate(sc, scale=scale, seed=np.random.SeedSequence(seed, spawn_key=(i,)),
                           parameters=run.parameters)
            pair.append(metrics(res))
            m = res.encounters()
            monthly.append(pd.DataFrame({"run": i, "scenario": base.id, "month": m["month"],
                                         "encounters": m["encounters"]}))
            if progress:
                progress(2 * i + len(pair), 2 * runs)
        for k in pair[0]:
            rows.append({"run": i, "metric": k, "a": pair[0][k], "b": pair[1][k],
                         "diff": pair[1][k] - pair[0][k]})
    return Comparison(a, b, pd.DataFrame(rows), pd.concat(monthly, ignore_index=True))
