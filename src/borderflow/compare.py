"""Compare two scenarios with common random numbers: member i of both runs uses
``SeedSequence(seed, spawn_key=(i,))``, so differences come from the scenarios, not the draws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from borderflow.api import simulate
from borderflow.scenario.model import Scenario

URBAN_SECTOR = "San Diego, CA"


def metrics(res) -> dict[str, float]:
    """Scalar outcomes of one run that a comparison reports."""
    enc = res.tables["encounters"]
    usbp = enc[enc["component"] == "USBP"]
    by_sector = usbp.groupby("sector")["encounters"].sum()
    mx = res.tables["mexico"].groupby("measure")["people"].sum()
    out = res.tables["outcomes"].groupby("measure")["people"].sum()
    cr = res.tables["crossings"]
    between = cr[cr["kind"] != "port"]["people"].sum()
    remote = cr[cr["kind"] == "remote"]["people"].sum()
    deaths = res.tables["deaths"]["deaths"].sum()
    exp_deaths = cr[cr["kind"] != "port"]["expected_deaths"].sum()
    fees = res.tables["fees"]["fee_usd"].mean() if len(res.tables["fees"]) else np.nan
    waiting = res.tables["waiting"].groupby("month")["people"].sum().mean()
    backlog = res.tables["backlog"]["pending_cases"].iloc[-1]
    effort = res.tables["backlog"]["mx_enforcement_effort"].to_numpy()
    return {
        "USBP encounters": float(usbp["encounters"].sum()),
        f"encounters {URBAN_SECTOR}": float(by_sector.get(URBAN_SECTOR, 0)),
        "encounters other sectors": float(by_sector.drop(URBAN_SECTOR, errors="ignore").sum()),
        "OFO encounters": float(enc[enc["component"] == "OFO"]["encounters"].sum()),
        "gotaways": float(out.get("gotaways", 0)),
        "remote crossing share": float(remote / between) if between else np.nan,
        "Mexico apprehended": float(mx.get("apprehended", 0)),
        "Mexico detained": float(mx.get("detained", 0)),
        "Mexico deported": float(mx.get("deported", 0)),
        "Mexico released": float(mx.get("released", 0)),
        "Mexico transferred south": float(mx.get("transferred_south", 0)),
        "deaths and missing": float(deaths),
        "expected deaths and missing": float(cr["expected_deaths"].sum()),
        "deaths per 100,000 crossings": float(deaths / between * 1e5) if between else np.nan,
        "expected deaths per 100,000 crossings": float(exp_deaths / between * 1e5)
        if between else np.nan,
        "mean smuggling fee (USD)": float(fees),
        "waiting in border cities (mean)": float(waiting) if not np.isnan(waiting) else 0.0,
        "court backlog at end": float(backlog),
        "Mexican effort: peak (x)": float(effort.max()),
        "Mexican effort: months to peak": float(effort.argmax()),
        "Mexican effort: months above 1.2x": float((effort > 1.2).sum()),
    }


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
        from borderflow.errors import InputError

        raise InputError(f"{a.id} ({a.start}..{a.end}) and {b.id} ({b.start}..{b.end}) share no "
                         "month", field="scenario")
    return a.with_span(start, end), b.with_span(start, end)


def compare(a: Scenario, b: Scenario, runs: int = 10, scale: int = 20, seed: int = 0,
            progress: Callable[[int, int], None] | None = None) -> Comparison:
    a, b = common_span(a, b)
    rows, monthly = [], []
    for i in range(runs):
        pair = []
        for sc in (a, b):
            res = simulate(sc, scale=scale, seed=None,
                           seed_sequence=np.random.SeedSequence(seed, spawn_key=(i,)))
            pair.append(metrics(res))
            m = res.encounters()
            monthly.append(pd.DataFrame({"run": i, "scenario": sc.id, "month": m["month"],
                                         "encounters": m["encounters"]}))
            if progress:
                progress(2 * i + len(pair), 2 * runs)
        for k in pair[0]:
            rows.append({"run": i, "metric": k, "a": pair[0][k], "b": pair[1][k],
                         "diff": pair[1][k] - pair[0][k]})
    return Comparison(a, b, pd.DataFrame(rows), pd.concat(monthly, ignore_index=True))
