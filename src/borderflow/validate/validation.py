"""``borderflow validate``: out-of-sample backtests first, then the in-sample fit.

The backtests (:mod:`borderflow.validate.backtest`) refit everything at each rolling and
episode origin and cut the drivers there.  The in-sample part runs the shipped
calibration as an ensemble over the months it was fitted on: fit metrics on the
ensemble-mean counts (and the spread of the objective over members), and the episode
checks of the calibration span on the same runs.  This module computes and writes JSON;
the HTML report is :mod:`borderflow.report.validation`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.atomic import atomic_path
from borderflow.ensemble.spec import RunSpec
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import calibrated_document, calibrated_values
from borderflow.scenario.registry import LEVERS, PARAMETERS
from borderflow.validate.assimilate import COUNTED_NUMBERS
from borderflow.validate.backtest import FULL, BacktestSpec, backtest
from borderflow.validate.documents import episodes_of
from borderflow.validate.episodes import episodes
from borderflow.validate.forecast import BACKTEST_FILE, INTERVAL_FILE
from borderflow.validate.insample import SPAN, ensemble_fit, fit_by_series
from borderflow.validate.origin import fitted_count
from borderflow.validate.scores import HEADLINE, interval_coverage, proper_scores, summary
from borderflow.validate.writers import jsonable, write_backtests, write_interval_errors


def parameters_table() -> dict:
    vals = calibrated_values()
    return {n: {"value": vals.get(n, e.default), "default": e.default, "unit": e.unit,
                "calibrated_file": n in vals}
            for n, e in PARAMETERS.items() if e.calibrated}


def hand_set_count(scenario: str = "historical") -> dict:
    """Numbers set by hand while looking at the data: timeline magnitudes that are estimates
    (an ``event_class``, or a note that says so; not those that take their class's fitted
    magnitude, counted with the fitted numbers), registry parameters whose source is an
    estimate read off the observed series (not fitted by calibrate, but counted), and
    lever defaults whose source is an estimate (each distinct value once), and the rules
    that derive parameters from the data up to each run's cut (each rule once)."""

    events = [e for e in load_scenario(scenario).timeline
              if e.value is not None and (e.event_class or "estimate" in e.note.lower())]
    params, rules = {}, []
    for n, e in PARAMETERS.items():
        if not e.calibrated and str(e.source).lower().startswith("estimate"):
            params[n] = len(e.default) if isinstance(e.default, dict) else 1
        if str(e.source).lower().startswith("rule:"):
            rules.append(n)
    levers = {}
    for n, e in LEVERS.items():
        if "estimate" in str(e.source).lower():
            levers[n] = len(set(e.default.values())) if isinstance(e.default, dict) else 1
    return {"timeline_estimates": len(events),
            "event_classes": len({e.event_class for e in events if e.event_class}),
            "parameters_estimated": params,
            "parameter_values_estimated": int(sum(params.values())),
            "levers_estimated": levers, "lever_values_estimated": int(sum(levers.values())),
            "rules": rules, "rule_count": len(rules)}


def validate(out_dir: str | Path, run: RunSpec, spec: BacktestSpec = FULL,
             backtest_runs: int = 10, progress=None) -> tuple[dict, dict]:
    """Compute the validation and write ``validation.json``, ``interval_errors.json`` and
    ``backtests.json`` into ``out_dir`` (atomically): the in-sample ensemble ``run``
    (its members, scale, seed and executor; the historical scenario over the calibration
    span) and the backtests of ``spec`` with ``backtest_runs`` members per origin (fits
    stored in ``spec.work_dir``, default ``out_dir/fits``).  Returns the document and the
    arrays the report draws (``mean``, ``targets``, ``backtest``).  Everything in the
    document is a function of the code, the bundled data and the settings (no wall
    times), so two runs with one seed write the same file."""
    out_dir = Path(out_dir)
    executor, runs, scale, seed = run.executor, run.runs, run.scale, run.seed
    particles = spec.particles
    mean, members, t = ensemble_fit(executor, runs, scale, seed)
    fit = fit_by_series(mean, members, t)
    eps = episodes(mean, t, members)
    if spec.work_dir is None:
        spec = replace(spec, work_dir=out_dir / "fits")
    bt = backtest(replace(run, runs=backtest_runs), spec, progress)
    summ = summary(bt)
    cov = bt["coverage"]
    intervals = interval_coverage(bt)
    intervals_asm = interval_coverage(bt, "assimilated")

    counted = fitted_count(calibrated_document())
    doc = {"settings": {"runs": runs, "scale": scale, "seed": seed, "span": list(SPAN),
                        "backtest": bt["settings"]},
           "refit_at_origin": bt["settings"]["refit_at_origin"],
           "drivers_cut_at_origin": True,
           "fitted_count": counted["total"],
           "fitted_count_by_kind": counted,
           "hand_set_count": (hs := hand_set_count()),
           "counted_numbers": (n_counted := counted["total"] + hs["timeline_estimates"]
                               + hs["parameter_values_estimated"]
                               + hs["lever_values_estimated"] + hs["rule_count"]),
           **({"counted_numbers_assimilated": n_counted + COUNTED_NUMBERS,
               "assimilation_noise_numbers_per_origin": COUNTED_NUMBERS}
              if particles else {}),
           "episodes": bt["episodes"],
           "interval_coverage": intervals,
           "proper_scores": proper_scores(bt),
           **({"interval_coverage_assimilated": intervals_asm} if intervals_asm else {}),
           "backtest": {"scores": bt["scores"].to_dict("records"),
                        "summary": summ.to_dict("records"),
                        "coverage": cov.to_dict("records")},
           "in_sample": {"note": "the shipped calibration (fitted on "
                                 + "..".join(calibrated_document().get("fit", {}).get(
                                     "span", SPAN)) + ") run over the months it was fitted on",
                         "fit": fit, "episodes": eps},
           "parameters": parameters_table()}
    doc["targets_met"] = targets_met(doc, summ)
    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_path(out_dir / "validation.json") as tmp:
        Path(tmp).write_text(json.dumps(doc, indent=1, default=jsonable), encoding="utf-8")
    write_interval_errors(bt, out_dir / INTERVAL_FILE)
    write_backtests(bt, {"summary": doc["backtest"]["summary"],
                         "mean_coverage": ([{"method": HEADLINE, **intervals["all"]}]
                                           if "all" in intervals else [])
                         + ([{"method": "assimilated", **intervals_asm["all"]}]
                            if "all" in intervals_asm else [])},
                    out_dir / BACKTEST_FILE)
    return doc, {"mean": mean, "targets": t, "backtest": bt}


def targets_met(doc: dict, summ: pd.DataFrame) -> dict:
    """The validation's yes/no checks (in-sample fit, backtest skill, coverage)."""
    fit = doc["in_sample"]["fit"]
    out = {"in_sample_total_mape<=10%": fit["total_mape"] <= 0.10,
           "in_sample_sector_ard<=0.15": fit["sector_ard"] <= 0.15,
           "in_sample_citizenship_ard<=0.20": fit["citizenship_ard"] <= 0.20}
    h6 = summ[summ.horizon == 6].set_index("method")["mase"] if len(summ) else pd.Series()
    if "model_corrected" in h6 and {"ets", "sarima"} <= set(h6.index):
        out["backtest_mase_h6<1"] = bool(h6["model_corrected"] < 1)
        out["backtest_beats_ets_sarima_h6"] = bool(
            h6["model_corrected"] < min(h6["ets"], h6["sarima"]))
    mech = episodes_of(doc["episodes"], "mechanisms")
    if mech:
        out["episodes_beat_last_value"] = int(sum(
            1 for e in mech if e.get("mape6_last_value") is not None
            and e["mape6"] < e["mape6_last_value"]))
    allc = doc["interval_coverage"].get("all")
    if allc:
        out["coverage80_in_70_90%"] = bool(0.7 <= allc["coverage80"] <= 0.9)
        out["coverage95_in_90_98%"] = bool(0.9 <= allc["coverage95"] <= 0.98)
    asm = episodes_of(doc["episodes"], "assimilated")
    if asm and mech:
        m_mech = float(np.mean([e["mape6"] for e in mech]))
        m_asm = float(np.mean([e["mape6"] for e in asm]))
        out["assimilated_episode_mape_20%_below_mechanisms"] = bool(m_asm <= 0.8 * m_mech)
        out["assimilated_episodes_beat_last_value"] = int(sum(
            1 for e in asm if e.get("mape6_last_value") is not None
            and e["mape6"] < e["mape6_last_value"]))
    crps = {(r["origins"], r["horizon"], r["method"]): r["crps"]
            for r in doc.get("proper_scores", [])}
    if {("rolling", 6, "model_corrected"), ("rolling", 12, "model_corrected"),
            ("rolling", 6, "ets"), ("rolling", 12, "ets")} <= set(crps):
        out["crps_beats_ets_h6_h12"] = bool(all(
            crps[("rolling", h, "model_corrected")] < crps[("rolling", h, "ets")]
            for h in (6, 12)))
    if "assimilated" in h6 and "model_corrected" in h6 and "ets" in h6:
        out["assimilated_mase_h6_below_mechanisms_and_ets"] = bool(
            h6["assimilated"] < min(h6["model_corrected"], h6["ets"]))
    allc = (doc.get("interval_coverage_assimilated") or {}).get("all")
    if allc:
        out["assimilated_coverage80_in_70_90%"] = bool(0.7 <= allc["coverage80"] <= 0.9)
        out["assimilated_coverage95_in_90_98%"] = bool(0.9 <= allc["coverage95"] <= 0.98)
    return out


