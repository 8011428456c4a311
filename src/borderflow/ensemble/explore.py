"""Latin hypercube exploration and PRIM scenario discovery.

A sweep over the declared factors (``scipy.stats.qmc.LatinHypercube``) is
simulated; the cases where an outcome exceeds a threshold are then described by
PRIM boxes (Friedman and Fisher's Patient Rule Induction Method) using the EMA
Workbench's implementation (``ema_workbench.analysis.prim``).  Outputs:
``sweep.csv`` (factors, outcomes, case of interest), ``prim_trajectory.csv``
(coverage/density of every peeling step), ``boxes.json`` and ``boxes.csv`` (the
limits of the chosen box), ``explore.html`` (trade-off and box chart, offline).
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.atomic import atomic_path, write_text_atomic
from borderflow.ensemble.factors import FACTORS, Factor, factor_names
from borderflow.ensemble.sensitivity import OUTCOMES, evaluate, evaluate_point
from borderflow.ensemble.spec import RunSpec
from borderflow.errors import InputError

#: ``--outcome`` names -> column of the sweep.
EXPLORE_OUTCOMES = {"deaths": "max_monthly_deaths", "deaths_total": "deaths",
                    "usbp_encounters": "usbp_encounters",
                    "mexico_apprehensions": "mexico_apprehensions", "gotaways": "gotaways"}


def lhs(n: int, seed: int, factors: tuple[Factor, ...] = FACTORS) -> np.ndarray:
    # lazy: scipy is a slow import, needed only here
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(factors), seed=np.random.default_rng(seed)).random(n)
    return qmc.scale(unit, [f.low for f in factors], [f.high for f in factors])


def prim_boxes(x: pd.DataFrame, y: np.ndarray, min_density: float = 0.8,
               peel_alpha: float = 0.05) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """PRIM on ``x`` (factors) for the boolean cases ``y``; returns the peeling
    trajectory, the chosen box's limits (factor, min, max, restricted) and stats.
    The chosen box is the one of highest coverage whose density reaches
    ``min_density`` (else the densest)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # lazy: ema_workbench is optional (the analysis extra)
        from ema_workbench.analysis import prim

        p = prim.Prim(x, y, threshold=min_density, peel_alpha=peel_alpha)
        box = p.find_box()
    traj = box.peeling_trajectory.copy()
    ok = traj[traj.density >= min_density]
    pick = int(ok.coverage.idxmax()) if len(ok) else int(traj.density.idxmax())
    lims = box.box_lims[pick]
    full = box.box_lims[0]
    rows = [dict(factor=c, min=float(lims[c].iloc[0]), max=float(lims[c].iloc[1]),
                 restricted=bool(lims[c].iloc[0] > full[c].iloc[0] or
                                 lims[c].iloc[1] < full[c].iloc[1])) for c in x.columns]
    stats = {k: float(traj.loc[pick, k]) for k in ("coverage", "density", "mass")}
    stats["box"] = pick
    return traj, pd.DataFrame(rows), stats


def _chart(traj: pd.DataFrame, limits: pd.DataFrame, stats: dict, factors, path: Path,
           title: str) -> None:
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, column_widths=[0.4, 0.6],
                        subplot_titles=["PRIM peeling trajectory", f"box {stats['box']}: "
                                        f"coverage {stats['coverage']:.2f}, "
                                        f"density {stats['density']:.2f}"])
    fig.add_trace(go.Scatter(x=traj.coverage, y=traj.density, mode="markers+lines",
                             text=[f"box {i}, {r} dims" for i, r in zip(traj.id, traj.res_dim,
                                                                         strict=True)],
                             name="boxes"), row=1, col=1)
    lo = {f.name: f.low for f in factors}
    hi = {f.name: f.high for f in factors}
    for _, r in limits.iterrows():
        a = (r["min"] - lo[r.factor]) / (hi[r.factor] - lo[r.factor])
        b = (r["max"] - lo[r.factor]) / (hi[r.factor] - lo[r.factor])
        fig.add_trace(go.Bar(y=[r.factor], x=[b - a], base=[a], orientation="h",
                             marker_color="firebrick" if r.restricted else "lightgray",
                             text=f"{r['min']:.3g} to {r['max']:.3g}", showlegend=False),
                      row=1, col=2)
    fig.update_xaxes(title_text="coverage", row=1, col=1)
    fig.update_yaxes(title_text="density", row=1, col=1)
    fig.update_xaxes(title_text="share of the factor's range", range=[0, 1], row=1, col=2)
    fig.update_layout(title=title, height=450)
    with atomic_path(path) as tmp:
        fig.write_html(tmp, include_plotlyjs=True, full_html=True)


def run_explore(run: RunSpec, n: int = 64, outcome: str = "deaths",
                threshold: float | None = None, out_dir: str | Path | None = None, *,
                factors: tuple[Factor, ...] = FACTORS,
                progress: Callable[[int, int], None] | None = None) -> dict:
    """Sweep ``n`` points of the factors over the scenario, scale and seed of ``run``,
    mark the cases where ``outcome`` > ``threshold`` (default: the value of the run at
    the scenario's own factor values, same seed), and find PRIM boxes."""
    sc, scale, seed = run.scenario, run.scale, run.seed

    if outcome not in EXPLORE_OUTCOMES:
        raise InputError(f"unknown outcome {outcome!r}", field="--outcome",
                         expected=", ".join(EXPLORE_OUTCOMES))
    col = EXPLORE_OUTCOMES[outcome]
    t0 = time.perf_counter()
    if threshold is None:
        threshold = evaluate_point(sc, {}, scale, seed, factors)[col]
        basis = f"{OUTCOMES[col]} of the run at the scenario's own values (seed {seed})"
    else:
        basis = "given"
    X = lhs(n, seed, factors)
    data = evaluate(run, X, factors, progress)
    y = (data[col] > threshold).to_numpy()
    data["case_of_interest"] = y
    names = factor_names(factors)
    result = {"sweep": data, "threshold": float(threshold), "threshold_basis": basis,
              "outcome": outcome, "column": col, "cases": int(y.sum()), "n": n,
              "prim": "ema_workbench.analysis.prim"}
    traj = limits = None
    if 0 < y.sum() < len(y):
        traj, limits, stats = prim_boxes(data[names], y)
        result.update(trajectory=traj, limits=limits, box=stats)
    files: list[str] = []
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "sweep.csv", data.to_csv(index=False))
        files.append(str(out / "sweep.csv"))
        meta = {k: v for k, v in result.items() if k not in ("sweep", "trajectory", "limits")}
        meta.update(scenario=sc.id, start=sc.start, end=sc.end, scale=scale, seed=seed,
                    factors=[dict(name=f.name, kind=f.kind, low=f.low, high=f.high)
                             for f in factors])
        if limits is not None:
            meta["limits"] = limits.to_dict(orient="records")
            write_text_atomic(out / "prim_trajectory.csv", traj.to_csv(index=False))
            write_text_atomic(out / "boxes.csv", limits.to_csv(index=False))
            _chart(traj, limits, result["box"], factors, out / "explore.html",
                   f"{outcome} > {threshold:,.0f}: {int(y.sum())} of {n} cases, "
                   f"{sc.id} {sc.start}..{sc.end}")
            files += [str(out / f) for f in ("prim_trajectory.csv", "boxes.csv", "explore.html")]
        write_text_atomic(out / "boxes.json", json.dumps(meta, indent=2) + "\n")
        files.append(str(out / "boxes.json"))
    result["files"] = files
    result["wall"] = time.perf_counter() - t0
    result["summary"] = _summary(result)
    return result


def _summary(r: dict) -> str:
    head = (f"{r['outcome']} > {r['threshold']:,.0f} ({r['threshold_basis']}): "
            f"{r['cases']} of {r['n']} cases")
    if "limits" not in r:
        return head + "; no PRIM box (all or none of the cases are of interest)"
    b = r["box"]
    lines = [head, f"PRIM box {b['box']}: coverage {b['coverage']:.2f}, density "
                   f"{b['density']:.2f}, mass {b['mass']:.2f}"]
    for _, row in r["limits"][r["limits"].restricted].iterrows():
        lines.append(f"  {row.factor}: {row['min']:.4g} to {row['max']:.4g}")
    return "\n".join(lines)
