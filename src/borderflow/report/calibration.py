"""The calibration's fit report (Markdown for docs/calibration.md, the terminal table and
the dashboard's metric rows): presentation of what
:func:`borderflow.validate.calibrate.calibrate` returns."""

from __future__ import annotations

from pathlib import Path

from borderflow.validate.calibrate import (
    BATCH,
    CANDIDATES,
    GROUPS,
    SECTOR_STEPS,
    SPACE,
    STARTS_FILE,
)


def _areas(by_area: dict | None) -> str:
    if not by_area:
        return "n/a"
    return ", ".join(f"{k} {v:.3g}" for k, v in by_area.items())


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
    ("objective", "Objective (weighted sum)", 1, ""),
)


def metric_rows(fit: dict) -> list[dict]:
    """The fit of a calibration document (``calibrated.json`` "fit") as rows: metric label
    and its value before (registry defaults), at the structural stage and after, formatted
    as in docs/calibration.md ("n/a" where not measured)."""
    def f(r, k, mult, unit):
        if not r or k not in r or r[k] is None:
            return "n/a"
        return f"{r[k] * mult:.1f}{unit}" if unit else f"{r[k]:.3f}"

    return [{"metric": label, "before": f(fit.get("before"), k, mult, unit),
             "structural": f(fit.get("structural"), k, mult, unit),
             "after": f(fit.get("after"), k, mult, unit)}
            for k, label, mult, unit in METRIC_LABELS]


def metric_table(before: dict | None, after: dict, structural: dict | None = None) -> str:
    """Markdown table: registry defaults, the structural stage alone (if given), and the
    shipped result."""
    rows = metric_rows({"before": before, "structural": structural, "after": after})
    cols = [("Before (registry defaults)", "before")]
    if structural is not None:
        cols.append(("Structural stage (no residual series)", "structural"))
    cols.append(("After (calibrated)", "after"))
    lines = ["| Metric | " + " | ".join(c for c, _ in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    for r in rows:
        lines.append(f"| {r['metric']} | " + " | ".join(r[k] for _, k in cols) + " |")
    return "\n".join(lines)


def _latent_text(fit: dict) -> str:
    st = fit.get("latent_stage") or {}
    if not st.get("iterations"):
        return "not run: the mechanisms alone)"
    return (f"`borderflow.validate.latent`): with the structural numbers fixed, a departures "
            f"multiplier per nationality and a route-utility shift per sector, one value per "
            f"{st['window_months']}-month window (a last window under "
            f"{st['min_last_window']} months joins the one before), by {st['iterations']} "
            f"damped (x{st['damping']}; a multiplier's step halves each time its error "
            f"changes sign) proportional-fitting iterations averaged over "
            f"{st['seeds']} seeds at scale 1:{st['scale']}; `hazard_scale` is rescaled in the "
            f"same iterations so that deaths over the span match (shipped "
            f"{st.get('hazard_scale', 'n/a')}), and `retry_after_expulsion` so that the mean "
            f"of CBP's published re-encounter rates matches (shipped "
            f"{st.get('retry_after_expulsion', 'n/a')}), and `interception_per_checkpoint` so "
            f"that Mexico's apprehension events (UPM, whole years) match (shipped "
            f"{st.get('interception_per_checkpoint', 'n/a')}), and `hazard_by_area` so that "
            f"each area's share of the deaths matches IOM's (geometric mean 1; shipped "
            f"{_areas(st.get('hazard_by_area'))}), and `crackdown_pickup` so that the months "
            f"under a full Mexican border-city crackdown hold the observed share of their "
            f"window's non-Mexican encounters (shipped {st.get('crackdown_pickup', 'n/a')}).  "
            f"The departures multipliers sit "
            f"{st.get('push_lead_days', 0)} days before the window centres (the encounters "
            f"of a window left home about that much earlier), the sector shifts at the "
            f"centres; both are interpolated between knots and held after the last one, so a "
            f"forecast keeps the last estimate; a multiplier is not interpolated across a "
            f"dated policy change that names its nationality (the start and end of Title 42, "
            f"parole, visa, release-rate and origin-shock events: held flat up to it, so a step "
            f"in policy is not spread over the months before; "
            f"`borderflow.scenario.latent.policy_breaks`); "
            f"changes faster than a window (December 2023 to January 2024 share the last "
            f"one) come from the mechanisms and the timeline only")


def _starts_text(fit: dict) -> str:
    starts = fit.get("starts") or []
    if not starts:
        return ""
    items = "; ".join(f"trial {st['trial']}: `{st['id']}` ({st['source']})" for st in starts)
    return (f"; then the start points of `src/borderflow/scenario/{STARTS_FILE}`, enqueued "
            f"as trials so that the search also explores from them ({items})")


def write_markdown(doc: dict, path: str | Path) -> None:
    from borderflow.atomic import atomic_path

    fit = doc["fit"]
    vals = "\n".join(f"| `{k}` | {v:.4g} |" for k, v in fit["fitted_numbers"].items())
    groups = "; ".join(f"{g}: {', '.join(n)}" for g, n in fit["groups"].items())
    text = f"""# Calibration

Generated by `borderflow calibrate` (seed {doc['seed']}, budget {doc['budget']} trials,
scale 1:{doc['scale']}, span {fit['span'][0]}..{fit['span'][1]}, study `{fit['study']}`,
best trial {fit['best_trial']}, {fit['wall_seconds']} s).  The values below ship as the
package default in `src/borderflow/scenario/calibrated.json`; every trial is in
`src/borderflow/scenario/calibrated_fit.json`.

## Method

* Targets (bundled observations only, never model inputs): USBP Southwest encounters
  by month (total, sector shares, citizenship shares, family-status shares),
  2019-01..2024-01; IOM Missing Migrants deaths per calendar year (U.S.-Mexico box);
  EOIR pending cases at the end of fiscal years; in the second stage, CBP's published
  12-month re-encounter rates whose periods lie inside the span and Mexico's yearly
  apprehension events (UPM).
* Objective (lower is better) = {' + '.join(f'{w} x {k}' for k, w in fit['weights'].items())}
  (MAPE as a fraction; ARD as defined in docs/validation.md; log ratios are
  mean |log(simulated / observed)|).
* Optimiser: optuna TPE (multivariate, seeded), batches of {BATCH} trials evaluated in
  parallel on any executor and told in trial order; SQLite storage, resumable.  Every
  evaluation uses the same simulation seed (common random numbers).  Trial 0 is the
  registry default{_starts_text(fit)}.  Then, from each of the {CANDIDATES} best trials, {SECTOR_STEPS}
  proportional-fitting steps of the sector constants (each + log(observed /
  simulated share over the span))
  and the best point seen by objective is kept (all with the same seed).
* **{fit['n_fitted']} fitted numbers**: {len(SPACE)} searched ({len(GROUPS)} group
  multipliers on `base_departures` and {len(SPACE) - len(GROUPS)} scalars) + 8 free
  sector constants.  Groups: {groups}.  No structural parameter is per month.
* **Residual series** (second stage, {_latent_text(fit)}.

## Fit before and after

{metric_table(fit.get('before'), fit['after'], fit.get('structural'))}

## Fitted numbers

| Number | Value |
|---|---:|
{vals}
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
