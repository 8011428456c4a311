"""Terminal output of ``borderflow validate`` and ``borderflow forecast``: rich tables
and plain lines from the documents those commands compute."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rich.table import Table

from borderflow.report.validation import episode_table, headline

#: episode table columns: record field -> header
EPISODE_COLUMNS = (("origin", "origin"), ("method", "method"), ("fit", "fit"),
                   ("months_scored", "n"),
                   ("mape6", "model"), ("mape6_last_value", "last"),
                   ("mape6_seasonal_naive", "naive"), ("mape6_ets", "ETS"),
                   ("mape6_nationalities", "nat."),
                   ("first_month_change", "1st chg"),
                   ("first_month_change_observed", "obs chg"))
SHORT_FIT = {"refit at origin": "refit", "leave-episode-out": "leave-out"}


def _cell(x, pct: bool = False) -> str:
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return "-"
    if pct:
        return f"{x:+.0%}"
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.1f}"


def episode_rich_table(doc: dict) -> Table | None:
    """The episode backtests of a validation document (None without episodes)."""
    eps = episode_table(doc["episodes"])
    if not len(eps):
        return None
    table = Table(title="episode backtests: MAPE % over the months after the origin")
    for col, label in EPISODE_COLUMNS:
        table.add_column(label, justify="left" if col in ("origin", "method", "fit")
                         else "right", no_wrap=col in ("origin", "method", "fit"))
    for r in eps.itertuples():
        table.add_row(r.origin, str(r.method)[:4], SHORT_FIT.get(r.fit, r.fit[:9]),
                      str(r.months_scored),
                      _cell(r.mape6),
                      _cell(r.mape6_last_value), _cell(r.mape6_seasonal_naive),
                      _cell(r.mape6_ets), _cell(r.mape6_nationalities),
                      _cell(r.first_month_change, True),
                      _cell(r.first_month_change_observed, True))
    return table


def headline_table(doc: dict) -> Table:
    table = Table(title="validation headline")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for label, value in headline(doc):
        table.add_row(label, value)
    return table


#: the in-sample targets of the mechanisms (``in_sample.fit.targets``, written by
#: ``validate.insample.target_figures``): key, label, format, target, whether it is met
TARGETS = (
    ("record_total", "December 2023 total", "{:,.0f}", "within 25% of observed",
     lambda m, o: abs(m / o - 1.0) <= 0.25),
    ("june_rule_drop", "May -> July 2024 drop", "{:.1%}", "at least 30%",
     lambda m, o: m >= 0.30),
    ("venezuelans_year", "Venezuelans in 2023", "{:,.0f}", "within 30% of observed",
     lambda m, o: abs(m / o - 1.0) <= 0.30),
    ("release_largest_abs_error", "USBP release share, 5 largest non-Mexican, MAE",
     "{:.3f}", "at most 0.10", lambda m, o: m <= 0.10))


def targets_table(doc: dict) -> Table | None:
    """The in-sample targets on the raw median of the members, beside the observed figure
    and the target, and the count of every number set looking at data (None when the
    document has no target figures)."""
    figs = doc.get("in_sample", {}).get("fit", {}).get("targets")
    if not figs:
        return None
    table = Table(title="in-sample targets (raw median of the members)")
    for label in ("figure", "model", "observed", "target", "met"):
        table.add_column(label, justify="left" if label in ("figure", "target") else "right")
    for key, label, fmt, target, met in TARGETS:
        if (f := figs.get(key)) is not None:
            table.add_row(label, fmt.format(f["model"]),
                          fmt.format(f["observed"]) if f["observed"] else "-", target,
                          "yes" if met(f["model"], f["observed"]) else "no")
    if "counted_numbers" in doc:
        n = doc["counted_numbers"]
        table.add_row("numbers set looking at data", f"{n}", "-", "at most 60",
                      "yes" if n <= 60 else "no")
    return table


def proper_rich_table(rows: list[dict]) -> Table | None:
    """CRPS, interval scores, coverage and width of the model and every baseline over the
    backtest months (``validation.json`` ``proper_scores``; None without rows)."""
    if not rows:
        return None
    table = Table(title="proper scores of the backtests (lower CRPS and IS are better)")
    for label in ("origins", "h", "method", "CRPS", "skill vs ETS", "IS 80%", "IS 95%",
                  "cov 80/95", "p90/p10"):
        table.add_column(label, justify="left" if label in ("origins", "method") else "right")
    for r in rows:
        skill = r.get("crps_skill_vs_ets")
        cov = (f"{r['coverage80']:.0%}/{r['coverage95']:.0%}" if "coverage80" in r else "-")
        table.add_row(r["origins"], str(r["horizon"]), r["method"], f"{r['crps']:,.0f}",
                      "-" if skill is None else f"{skill:+.2f}",
                      f"{r['interval_score80']:,.0f}" if "interval_score80" in r else "-",
                      f"{r['interval_score95']:,.0f}" if "interval_score95" in r else "-",
                      cov, f"{r['width_p90_p10']:.2f}" if "width_p90_p10" in r else "-")
    return table


def validation_tables(doc: dict) -> list[Table]:
    """The episode table (when there are episodes), the proper scores, the headline
    table and the in-sample targets (when the document has them)."""
    eps = episode_rich_table(doc)
    proper = proper_rich_table(doc.get("proper_scores") or [])
    targets = targets_table(doc)
    return (([eps] if eps is not None else []) + ([proper] if proper is not None else [])
            + [headline_table(doc)] + ([targets] if targets is not None else []))


def forecast_lines(table: pd.DataFrame, meta: dict) -> list[str]:
    """The forecast's total by month with its intervals, how the intervals were made and
    the inputs, as plain lines."""
    out = []
    tot = table[table.breakdown == "total"]
    raw = "raw_median" in tot.columns
    for r in tot.itertuples():
        out.append(f"  {r.month}: {r.median:>10,.0f}  80% {r.p10:,.0f}-{r.p90:,.0f}  "
                   f"95% {r.p025:,.0f}-{r.p975:,.0f}"
                   + (f"  raw model {r.raw_median:,.0f}" if raw else ""))
    if raw:
        out.append("  raw model: the members' median before the correction by the run's "
                   "errors before the origin")
    if meta.get("error_model") == "assimilated":
        nz = meta["noise"]
        seen = meta["observed_months"]
        out.append(f"  assimilated ({meta.get('method', 'bootstrap')}): {meta['particles']} "
                   "members over "
                   + (f"{seen[0]}..{seen[1]}" if seen else "no observed month") + ", mean "
                   f"effective sample size {meta['mean_ess']}, mean spread "
                   f"{meta.get('mean_spread')} (observation error "
                   f"{meta.get('mean_obs_error')}); latent random-walk sigma "
                   + ", ".join(f"{g} {v:.3f}" for g, v in zip(nz["groups"], nz["sigma"],
                                                               strict=True))
                   + f"; model discrepancy {meta['discrepancy_sd']:.3f} added to the band's "
                   f"log spread (from {meta['interval_errors_n']} earlier backtest errors)")
    elif meta.get("error_model", "none") != "none":
        out.append(f"  intervals: drift {meta['drift_per_month']:.3f} per square-root month "
                   f"x {meta['interval_scale']:.2f} (from {meta['interval_errors_n']} "
                   f"earlier backtest errors; {meta['interval_errors_source']})")
    par = meta.get("parameters")
    if par:
        out.append(f"  members: {par['rule']}"
                   + (f" ({par['draws']} plausible trials)" if par["draws"] else ""))
    inp = meta["inputs"]
    out.append(f"  inputs: drivers cut at {inp['drivers_cut_at']} and projected by "
               f"{inp['projection']}; fitted numbers: {inp['fitted']} "
               f"({inp['fitted_span'][0]}..{inp['fitted_span'][1]}"
               f"{', in-sample: it saw months after the origin' if inp['in_sample'] else ''})"
               f"; conditional on {len(inp['policy_path'])} dated policy changes after the "
               "origin (forecast.html lists them)")
    return out
