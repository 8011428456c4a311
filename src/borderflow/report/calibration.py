"""The calibration's fit report (Markdown for docs/calibration.md, the terminal table and
the dashboard's metric rows): presentation of what
:func:`borderflow.validate.calibrate.calibrate` returns (the constants it
needs come from :mod:`borderflow.validate.documents`)."""

from __future__ import annotations

from pathlib import Path

from borderflow.atomic import atomic_path
from borderflow.validate.documents import (
    BATCH,
    CANDIDATES,
    GROUPS,
    SECTOR_STEPS,
    SPACE,
    STARTS_FILE,
)

METRIC_LABELS = (
    ("total_mape", "USBP SW monthly total MAPE", 100, "%"),
    ("sector_ard", "Sector-share ARD", 1, ""),
    ("citizenship_ard", "Citizenship-share ARD", 1, ""),
    ("demographic_ard", "Family-status-share ARD", 1, ""),
    ("total_within_factor2", "Months with total within factor 2", 100, "%"),
    ("sector_within_factor2", "Sector x month cells (obs >= 1,000) within factor 2", 100, "%"),
    ("citizenship_within_factor2", "Citizenship x month cells (obs >= 1,000) within factor 2",
     100, "%"),
    ("drop_dec2023_jan2024", "Dec 2023 -> Jan 2024 drop (observed 50.3%)", 100, "%"),
    ("deaths_log_ratio", "Deaths per year, mean abs log ratio", 1, ""),
    ("deaths_area_ard", "Deaths by area (5 border bands), share ARD", 1, ""),
    ("backlog_log_ratio", "EOIR backlog end-FY, mean abs log ratio", 1, ""),
    ("reencounter_abs_error", "Re-encounter rate (CBP, 6 periods), mean abs error", 100,
     " points"),
    ("mexico_log_ratio", "Mexico apprehension events per year (UPM), mean abs log ratio", 1,
     ""),
    ("darien_log_ratio", "Darien crossings (Panama, monthly), mean abs log ratio", 1, ""),
    ("release_total_abs_error", "USBP release share (book-outs, monthly), mean abs error", 100,
     " points"),
    ("release_demographic_abs_error", "USBP release share of families and of single adults, "
     "mean abs error", 100, " points"),
    ("release_citizenship_abs_error", "USBP release share of 8 citizenships, mean abs error",
     100, " points"),
    ("port_parole_ard", "OFO paroles at the ports (book-outs), citizenship-share ARD", 1, ""),
    ("objective", "Objective (weighted sum)", 1, ""),
)


def metric_rows(fit: dict) -> list[dict]:
    """The fit of a calibration document (``calibrated.json`` "fit") as rows: metric label
    and its value before (registry defaults) and after, formatted
    as in docs/calibration.md ("n/a" where not measured)."""
    def f(r, k, mult, unit):
        if not r or k not in r or r[k] is None:
            return "n/a"
        return f"{r[k] * mult:.1f}{unit}" if unit else f"{r[k]:.3f}"

    return [{"metric": label, "before": f(fit.get("before"), k, mult, unit),
             "after": f(fit.get("after"), k, mult, unit)}
            for k, label, mult, unit in METRIC_LABELS]


def metric_table(before: dict | None, after: dict) -> str:
    """Markdown table: registry defaults and the shipped result."""
    rows = metric_rows({"before": before, "after": after})
    cols = [("Before (registry defaults)", "before"), ("After (calibrated)", "after")]
    lines = ["| Metric | " + " | ".join(c for c, _ in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    for r in rows:
        lines.append(f"| {r['metric']} | " + " | ".join(r[k] for _, k in cols) + " |")
    return "\n".join(lines)


def _starts_text(fit: dict) -> str:
    starts = fit.get("starts") or []
    if not starts:
        return ""
    items = "; ".join(f"trial {st['trial']}: `{st['id']}` ({st['source']})" for st in starts)
    return (f"; then the start points of `src/borderflow/scenario/{STARTS_FILE}`, enqueued "
            f"as trials so that the search also explores from them ({items})")


#: the line after which docs/calibration.md is written by hand (kept when it is rewritten)
MARKER = "<!-- Generated above by borderflow calibrate; written by hand below. -->"

_OPTIMISERS = {
    "tpe": "optuna TPE (multivariate, seeded)",
    "cmaes": "CMA-ES (optuna's CmaEsSampler, seeded; a generation of two batches, started "
             "at the last start point with step 0.15 of each range, log scale where "
             "declared)",
}


def _polish_text(fit: dict) -> str:
    sweeps = fit.get("polish", 0)
    if not sweeps:
        return ""
    return (f"  After the search, {sweeps} sweep{'s' if sweeps > 1 else ''} of a coordinate "
            "polish: from the best trial so far, each searched number in turn at 0, 1/4, "
            "1/2, 3/4 and 1 of its range and at -0.1, -0.03, +0.03 and +0.1 of it from its "
            "value (log scale where declared), all else held "
            f"({fit.get('polish_trials', 0)} trials, added to the study).")


def _confirm_text(fit: dict) -> str:
    c = fit.get("confirm")
    if not c:
        return ""
    kept = ("the incumbent is kept" if c["kept"] == "incumbent"
            else "the search's point replaces it")
    return (f"  Last, the search's point (trial {c['search_trial']}) and the incumbent, the "
            f"last start (trial {c['incumbent_trial']}), both after the sector steps, run "
            f"at seeds {c['seeds'][0]}-{c['seeds'][1]}: mean objective {c['search_mean']:.3f} "
            f"against {c['incumbent_mean']:.3f}, so {kept} (`--confirm-seeds`; "
            "`borderflow.validate.confirm`).")


def write_markdown(doc: dict, path: str | Path) -> None:
    """Write the fit report of ``doc`` to ``path``; whatever follows :data:`MARKER` in an
    existing file there is kept below it."""
    fit = doc["fit"]
    method = fit.get("method", "tpe")
    vals = "\n".join(f"| `{k}` | {v:.4g} |" for k, v in doc["numbers"].items())
    groups = ("one per nationality" if all(len(n) == 1 for n in fit["groups"].values())
              else "by group (" + "; ".join(f"{g}: {', '.join(n)}"
                                            for g, n in fit["groups"].items()) + ")")
    text = f"""# Calibration

Generated by `borderflow calibrate` (seed {doc['seed']}, budget {doc['budget']} trials,
scale 1:{doc['scale']}, span {fit['span'][0]}..{fit['span'][1]}, study `{fit['study']}`,
best trial {fit['best_trial']}, {fit['wall_seconds']} s).  The values below ship as the
package default in `src/borderflow/scenario/calibrated.json`; every trial is in
`src/borderflow/scenario/calibrated_fit.json`.

## Method

* Targets (bundled observations only, never model inputs): USBP Southwest encounters
  by month (total, sector shares, citizenship shares, family-status shares),
  {fit['span'][0]}..{fit['span'][1]}; IOM Missing Migrants deaths per calendar year (U.S.-Mexico box);
  EOIR pending cases at the end of fiscal years; the share of USBP encounters USBP released
  (OHSS book-outs: in all, by family status and for eight citizenships; the term
  `release_share_abs_error` is the mean of the three mean absolute errors). Reported with
  weight 0: deaths by area and the citizenship shares of the OFO paroles at the ports
  (OHSS book-outs; the nine citizenships they name and the rest, `port_parole_ard`).
* Objective (lower is better) = {' + '.join(f'{w} x {k}' for k, w in fit['weights'].items())}
  (MAPE as a fraction; ARD as defined in docs/validation.md; log ratios are
  mean |log(simulated / observed)|).
* Optimiser: {_OPTIMISERS.get(method, method)} (optimiser seed
  {fit.get('optimiser_seed', doc['seed'])}), batches of {BATCH} trials evaluated in
  parallel on any executor and told in trial order; SQLite storage, resumable.  Every
  evaluation uses the same simulation seed (common random numbers).  Trial 0 is the
  registry default{_starts_text(fit)}.{_polish_text(fit)}
  Then, from each of the {CANDIDATES} best trials, {SECTOR_STEPS}
  proportional-fitting steps of the sector constants (each + log(observed /
  simulated share over the span))
  and the best point seen by objective is kept (all with the same seed).{_confirm_text(fit)}
* **{doc['fitted_count']} fitted numbers** (`numbers` in calibrated.json): {len(SPACE)}
  searched ({len(GROUPS)} multipliers on `base_departures`, {groups}, and
  {len(SPACE) - len(GROUPS)} scalars, each with its range declared in the registry) +
  the free sector constants.  No number is per time window.

## Fit before and after

{metric_table(fit.get('before'), fit['after'])}

## Fitted numbers

| Number | Value |
|---|---:|
{vals}
"""
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    text += "\n" + MARKER + (old.split(MARKER, 1)[1] if MARKER in old else "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
