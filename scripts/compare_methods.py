"""Compare calibration methods on this model: each method of ``borderflow calibrate`` run
with several optimiser seeds at the same budget in simulations and the same simulation
seed (common random numbers), then the spread of the results between seeds and each
fitted number's plausible range (borderflow.validate.identify, at the noise s.d. of the
shipped calibration) checked against the other seeds' points.

With ``--seeds-per-point K`` every point is scored by the mean of K simulation seeds
(``borderflow calibrate --seeds-per-point``), its plausible ranges at the noise s.d.
divided by the square root of K.  Every calibration's final point is then scored again at
``--check-seeds`` common seeds (1000, 1001, ...: those of scripts/identify.py), so that
calibrations searched with different seeds per point compare on the same footing: the mean
objective and the median MAPE over those seeds.

Resumable: each (method, seed) keeps its SQLite study and its calibrated.json in
``--out``; a finished one is read back, an interrupted one resumes.  Writes
``comparison.json`` there and prints the table for docs/calibration.md.

    python scripts/compare_methods.py [--methods tpe cmaes] [--seeds 0 1 2]
        [--budget 400] [--seeds-per-point 1] [--check-seeds 10] [--workers 2]
        [--out results/calibration-methods]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from borderflow.atomic import write_text_atomic
from borderflow.ensemble.runner import make_executor, map_ordered
from borderflow.validate.calibrate import (
    SPACE,
    SPAN,
    CalibrationSpec,
    RunSpec,
    calibrate,
    load_starts,
)
from borderflow.validate.identify import plausible_set
from borderflow.validate.objective import load_targets
from borderflow.validate.trial import run_and_score

ROOT = Path(__file__).resolve().parents[1]
FIT = ROOT / "src" / "borderflow" / "scenario" / "calibrated_fit.json"


def label(method: str, per_point: int) -> str:
    return method if per_point <= 1 else f"{method}-x{per_point}"


def one(method: str, seed: int, args, ex) -> dict:
    out = Path(args.out) / f"{label(method, args.seeds_per_point)}-opt{seed}"
    out.mkdir(parents=True, exist_ok=True)
    cal, fit = out / "calibrated.json", out / "calibrated_fit.json"
    if not (cal.is_file() and fit.is_file()):
        spec = CalibrationSpec(budget=args.budget, storage=out / "study.sqlite3",
                               starts=tuple(load_starts(None)), method=method,
                               optimiser_seed=seed, seeds_per_point=args.seeds_per_point)
        calibrate(RunSpec(scale=args.scale, seed=args.sim_seed, executor=ex), spec, cal, fit,
                  lambda d, b, what="trials": print(f"  {method} seed {seed}: {what} {d}/{b}",
                                                  flush=True))
    doc = {"calibrated": json.loads(cal.read_text()), "fit": json.loads(fit.read_text())}
    check = out / f"check-{args.check_seeds}.json"
    if args.check_seeds > 0 and not check.is_file():
        targets = load_targets(*SPAN)
        scores = map_ordered(ex, run_and_score, [
            (doc["calibrated"]["parameters"], targets, SPAN, args.scale, 1000 + k)
            for k in range(args.check_seeds)])
        write_text_atomic(check, json.dumps(
            {"objective": [scores[k]["objective"] for k in range(args.check_seeds)],
             "total_mape": [scores[k]["total_mape"] for k in range(args.check_seeds)]},
            indent=1) + "\n")
    if check.is_file():
        doc["check"] = json.loads(check.read_text())
    return doc


def summary(runs: dict, noise_sd: float) -> dict:
    rows, points = {}, {}
    for key, r in runs.items():
        after = r["calibrated"]["fit"]["after"]
        vals = {n: r["calibrated"]["numbers"][n] for n, *_ in SPACE}
        points[key] = vals
        per_point = int(r["calibrated"]["fit"].get("seeds_per_point", 1) or 1)
        pl = plausible_set(r["fit"]["trials"], noise_sd / np.sqrt(per_point), SPACE)
        rows[key] = {"objective": after["objective"], "total_mape": after["total_mape"],
                     "wall_seconds": r["calibrated"]["fit"]["wall_seconds"],
                     "plausible_trials": pl["plausible_trials"], "ranges": pl["ranges"],
                     "values": vals}
        if "check" in r:
            rows[key]["check_objective"] = float(np.mean(r["check"]["objective"]))
            rows[key]["check_mape"] = float(np.median(r["check"]["total_mape"]))
    by_method: dict = {}
    for key, row in rows.items():
        by_method.setdefault(key.split("-opt")[0], []).append((key, row))
    out = {"noise_sd": noise_sd, "runs": rows, "methods": {}}
    for m, items in by_method.items():
        checked = all("check_objective" in r for _, r in items)
        objs = np.array([r["check_objective" if checked else "objective"] for _, r in items])
        mapes = np.array([r["check_mape" if checked else "total_mape"] for _, r in items]) * 100
        inside, total = 0, 0
        for k, r in items:       # each point inside the other seeds' plausible ranges
            for k2, r2 in items:
                if k2 == k:
                    continue
                for n in r["values"]:
                    lo, hi = r2["ranges"][n]["low"], r2["ranges"][n]["high"]
                    inside += int(lo <= r["values"][n] <= hi)
                    total += 1
        out["methods"][m] = {
            "seeds": [k for k, _ in items], "objective_mean": float(objs.mean()),
            "objective_spread_pct": float(100 * (objs.max() - objs.min()) / objs.mean()),
            "mape_spread_points": float(mapes.max() - mapes.min()),
            "best_objective": float(objs.min()), "at_check_seeds": checked,
            "numbers_inside_others_ranges": f"{inside}/{total}"}
    return out


def table(doc: dict) -> str:
    lines = ["| method | optimiser seed | objective | MAPE | objective, mean of check seeds | "
             "MAPE, median of check seeds | plausible trials | wall s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, r in doc["runs"].items():
        m, s = key.split("-opt")
        chk = (f"{r['check_objective']:.3f} | {100 * r['check_mape']:.1f}%"
               if "check_objective" in r else "- | -")
        lines.append(f"| {m} | {s} | {r['objective']:.3f} | {100 * r['total_mape']:.1f}% | "
                     f"{chk} | {r['plausible_trials']} | {r['wall_seconds']:.0f} |")
    lines += ["", "| method | mean objective | objective spread | MAPE spread | "
              "numbers inside the other seeds' plausible ranges |", "|---|---:|---:|---:|---:|"]
    for m, r in doc["methods"].items():
        lines.append(f"| {m} | {r['objective_mean']:.3f} | {r['objective_spread_pct']:.1f}% | "
                     f"{r['mape_spread_points']:.1f} points | "
                     f"{r['numbers_inside_others_ranges']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--methods", nargs="+", default=["tpe", "cmaes"])
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    ap.add_argument("--budget", type=int, default=400)
    ap.add_argument("--scale", type=int, default=50)
    ap.add_argument("--sim-seed", type=int, default=0)
    ap.add_argument("--seeds-per-point", type=int, default=1)
    ap.add_argument("--check-seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="results/calibration-methods")
    args = ap.parse_args()
    noise_sd = json.loads(FIT.read_text())["plausible"]["noise_sd"]
    runs = {}
    with make_executor(args.workers) as ex:
        for seed in args.seeds:                 # seed by seed: a partial run stays balanced
            for method in args.methods:
                key = f"{label(method, args.seeds_per_point)}-opt{seed}"
                runs[key] = one(method, seed, args, ex)
    doc = summary(runs, noise_sd)
    write_text_atomic(Path(args.out) / "comparison.json", json.dumps(doc, indent=1) + "\n")
    print(table(doc))


if __name__ == "__main__":
    main()
