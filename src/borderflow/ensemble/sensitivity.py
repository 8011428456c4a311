"""Global sensitivity analysis with SALib over the declared factors.

Every sample point is simulated with the same ``SeedSequence(seed)`` (common
random numbers), so differences between points come from the factors, not from
different random draws.  Outputs: ``indices.csv``/``indices.json`` (index with its
95% confidence interval), ``samples.csv`` (factors and outcomes of every run) and
``sensitivity.html`` (offline plotly bar chart with error bars).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from rich import box
from rich.table import Table

from borderflow.api import simulate
from borderflow.atomic import atomic_path, write_text_atomic
from borderflow.ensemble.factors import FACTORS, Factor, apply_factors, bounds, factor_names
from borderflow.ensemble.runner import make_executor, map_ordered
from borderflow.ensemble.spec import RunSpec
from borderflow.ensemble.summary import summarise
from borderflow.errors import InputError
from borderflow.scenario.model import Scenario

#: Outcomes of one point: totals over the span, plus the worst month of deaths.
OUTCOMES: dict[str, str] = {
    "usbp_encounters": "USBP encounters, total over the span",
    "deaths": "deaths and missing, total over the span",
    "max_monthly_deaths": "deaths and missing, highest month",
    "mexico_apprehensions": "Mexican apprehensions, total",
    "gotaways": "gotaways, total",
}


def evaluate_point(sc: Scenario, values: dict[str, float], scale: int, entropy: int,
                   factors: tuple[Factor, ...] = FACTORS) -> dict[str, float]:
    """Simulate ``sc`` with the factors set to ``values``; return the outcome totals."""

    res = simulate(apply_factors(sc, values, factors), seed=np.random.SeedSequence(entropy),
                   scale=scale)
    s = summarise(res)
    return {
        "usbp_encounters": float(s["usbp_encounters"].sum()),
        "deaths": float(s["deaths"].sum()),
        "max_monthly_deaths": float(s["deaths"].max()),
        "mexico_apprehensions": float(s["mexico"].sel(mx_measure="apprehended").sum()),
        "gotaways": float(s["gotaways"].sum()),
    }


def evaluate(run: RunSpec, X: np.ndarray, factors: tuple[Factor, ...] = FACTORS,
             progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run ``run.scenario`` at every row of ``X`` (one column per factor; each run seeded
    by ``run.seed``, at ``run.scale``, on ``run.executor`` or ``run.workers``/
    ``run.scheduler``) and return factors + outcomes, in row order, whatever the
    executor."""
    sc, scale, seed = run.scenario, run.scale, run.seed
    executor, workers, scheduler = run.executor, run.workers, run.scheduler

    names = factor_names(factors)
    items = [(sc, dict(zip(names, map(float, row), strict=True)), scale, seed, factors)
             for row in X]
    done = [0]

    def tick(_k, _r):
        done[0] += 1
        if progress is not None:
            progress(done[0], len(items))

    if progress is not None:
        progress(0, len(items))
    if executor is not None:
        out = map_ordered(executor, evaluate_point, items, on_result=tick)
    else:
        with make_executor(workers, scheduler=scheduler) as ex:
            out = map_ordered(ex, evaluate_point, items, on_result=tick)
    df = pd.DataFrame(X, columns=names)
    ys = pd.DataFrame([out[k] for k in range(len(items))])
    return pd.concat([df, ys], axis=1)


def problem(factors: tuple[Factor, ...] = FACTORS) -> dict:
    return {"num_vars": len(factors), "names": factor_names(factors), "bounds": bounds(factors)}


def _indices(method: str, prob: dict, X: np.ndarray, Y: pd.DataFrame, seed: int) -> pd.DataFrame:
    rows = []
    for name in OUTCOMES:
        y = Y[name].to_numpy(float)
        if np.ptp(y) == 0:          # a constant outcome has no variance to apportion
            for f in prob["names"]:
                rows.append(dict(outcome=name, factor=f, index="constant", value=0.0, conf=0.0))
            continue
        if method == "sobol":
            # lazy: SALib is needed only for a sensitivity analysis
            from SALib.analyze import sobol

            si = sobol.analyze(prob, y, calc_second_order=False, seed=seed)
            keys = (("S1", "S1_conf"), ("ST", "ST_conf"))
        else:
            # lazy: SALib is needed only for a sensitivity analysis
            from SALib.analyze import morris

            si = morris.analyze(prob, X, y, num_levels=4, seed=seed)
            keys = (("mu_star", "mu_star_conf"), ("sigma", None))
        for idx, conf in keys:
            for k, f in enumerate(prob["names"]):
                rows.append(dict(outcome=name, factor=f, index=idx, value=float(si[idx][k]),
                                 conf=float(si[conf][k]) if conf else float("nan")))
    return pd.DataFrame(rows)


def _chart(ind: pd.DataFrame, method: str, path: Path, title: str) -> None:
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    outs = [o for o in OUTCOMES if (ind.outcome == o).any()]
    fig = make_subplots(rows=len(outs), cols=1, subplot_titles=[OUTCOMES[o] for o in outs])
    for r, o in enumerate(outs, start=1):
        sub = ind[ind.outcome == o]
        for idx in sub["index"].unique():
            s = sub[sub["index"] == idx]
            fig.add_trace(go.Bar(x=s.factor, y=s.value, name=idx, legendgroup=idx,
                                 showlegend=(r == 1),
                                 error_y=dict(type="data", array=s.conf.fillna(0))), row=r, col=1)
    fig.update_layout(title=title, barmode="group", height=300 * len(outs))
    with atomic_path(path) as tmp:
        fig.write_html(tmp, include_plotlyjs=True, full_html=True)


def run_sensitivity(run: RunSpec, method: str = "sobol", n: int = 32,
                    out_dir: str | Path | None = None, *, factors: tuple[Factor, ...] = FACTORS,
                    progress: Callable[[int, int], None] | None = None) -> dict:
    """Sample with SALib (Sobol/Saltelli without second order, or Morris), simulate the
    scenario, scale and seed of ``run`` (its ``runs`` are the sample's), analyse; returns
    ``{'indices', 'samples', 'table', 'files', 'runs', 'wall'}``."""
    sc, scale, seed = run.scenario, run.scale, run.seed

    if method not in ("sobol", "morris"):
        raise InputError(f"unknown method {method!r}", field="--method", expected="sobol or morris")
    t0 = time.perf_counter()
    prob = problem(factors)
    if method == "sobol":
        # lazy: SALib is needed only for a sensitivity analysis
        from SALib.sample import sobol as sobol_sample

        if n & (n - 1):
            raise InputError(f"--n must be a power of two for Sobol sampling, got {n}",
                             field="--n", expected="2, 4, 8, 16, 32, 64, ...")
        X = sobol_sample.sample(prob, n, calc_second_order=False, seed=seed)
    else:
        # lazy: SALib is needed only for a sensitivity analysis
        from SALib.sample import morris as morris_sample

        X = morris_sample.sample(prob, n, num_levels=4, seed=seed)
    data = evaluate(run, X, factors, progress)
    ind = _indices(method, prob, X, data[list(OUTCOMES)], seed)
    files: list[str] = []
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "indices.csv", ind.to_csv(index=False))
        write_text_atomic(out / "samples.csv", data.to_csv(index=False))
        meta = {"method": method, "n": n, "runs": len(X), "scale": scale, "seed": seed,
                "scenario": sc.id, "start": sc.start, "end": sc.end,
                "factors": [dict(name=f.name, kind=f.kind, low=f.low, high=f.high, why=f.why)
                            for f in factors],
                "outcomes": OUTCOMES, "indices": ind.to_dict(orient="records")}
        write_text_atomic(out / "indices.json", json.dumps(meta, indent=2) + "\n")
        _chart(ind, method, out / "sensitivity.html",
               f"{method} sensitivity, {sc.id} {sc.start}..{sc.end}, {len(X)} runs")
        files = [str(out / f) for f in ("indices.csv", "indices.json", "samples.csv",
                                        "sensitivity.html")]
    return {"indices": ind, "samples": data, "table": _table(ind, method), "files": files,
            "runs": len(X), "wall": time.perf_counter() - t0}


#: short column headings (the table fits 80 columns); the caption spells them out
SHORT: dict[str, str] = {"usbp_encounters": "USBP", "deaths": "deaths",
                         "max_monthly_deaths": "peak dth", "mexico_apprehensions": "MX appr",
                         "gotaways": "gotaways"}


def _table(ind: pd.DataFrame, method: str):
    main = "ST" if method == "sobol" else "mu_star"
    sub = ind[ind["index"].isin([main, "S1"])]
    pv = sub.pivot_table(index="factor", columns=["outcome", "index"], values="value")
    outs = [o for o in OUTCOMES if o in pv.columns.get_level_values(0)]
    sobol = method == "sobol"
    legend = "; ".join(f"{SHORT.get(o, o)} = {OUTCOMES[o]}" for o in outs)
    t = Table(title=f"{method}: {main}" + (" (S1 below)" if sobol else "") + " by outcome",
              caption=legend, box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1))
    t.add_column("factor", overflow="fold", min_width=max(map(len, pv.index), default=6))
    for o in outs:
        t.add_column(SHORT.get(o, o), justify="right", no_wrap=True)
    for f in pv.index:
        cells = []
        for o in outs:
            v = pv.loc[f].get((o, main), float("nan"))
            s1 = pv.loc[f].get((o, "S1"), None)
            text = "-" if v != v else (f"{v:.2f}" if sobol or abs(v) < 100 else f"{v:,.0f}")
            if sobol and s1 is not None and v == v:
                text += f"\n({s1:.2f})"
            cells.append(text)
        t.add_row(f, *cells)
    return t
