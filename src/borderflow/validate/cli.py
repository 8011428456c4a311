"""Commands of this package (registered on the main CLI): calibrate, validate, forecast."""

from __future__ import annotations

import typer

from borderflow.validate.backtest import REFIT_ITERATIONS
from borderflow.validate.calibrate import LATENT_ITERATIONS, LATENT_SCALE


def _executor(workers: int | None, scheduler: str | None):
    from borderflow.ensemble.runner import make_executor

    return make_executor(workers, scheduler=scheduler)


def calibrate_command(
    budget: int = typer.Option(200, "--budget", min=1, help="optuna trials in total "
                               "(a resumed study only runs the missing ones)"),
    scale: int = typer.Option(50, "--scale", min=1, help="people per agent"),
    workers: int | None = typer.Option(None, "--workers", min=1,
                                       help="worker processes (default: all cores)"),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Dask scheduler address, e.g. tcp://host:8786"),
    seed: int = typer.Option(0, "--seed", min=0, help="sampler and simulation seed"),
    storage: str = typer.Option("calibration.sqlite3", "--storage",
                                help="SQLite file of the optuna study (resumes if present)"),
    study: str | None = typer.Option(None, "--study", help="study name (default from "
                                     "span, scale and seed)"),
    out: str | None = typer.Option(None, "--out", help="calibrated.json to write (default: "
                                   "the package default beside borderflow/scenario)"),
    docs: str = typer.Option("docs/calibration.md", "--docs", help="fit report (Markdown)"),
    latent_iterations: int = typer.Option(
        LATENT_ITERATIONS, "--latent-iterations", min=0,
        help="proportional-fitting iterations of the residual series (0: structural only)"),
    latent_scale: int = typer.Option(LATENT_SCALE, "--latent-scale", min=1,
                                     help="people per agent in the residual-series stage"),
    starts: str = typer.Option("bundled", "--starts", help="JSON file of start points of "
                               "the structural search, 'bundled' (the package's "
                               "calibration_starts.json) or 'none'"),
) -> None:
    """Fit the calibrated parameters to the bundled observations (optuna TPE, resumable)."""
    from pathlib import Path

    from rich.console import Console

    from borderflow.scenario import calibrated as cal_mod
    from borderflow.scenario import latent as latent_mod
    from borderflow.validate.calibrate import calibrate, load_starts, metric_table

    console = Console()
    start_points = ([] if starts == "none"
                    else load_starts(None if starts == "bundled" else starts))
    pkg = Path(cal_mod.__file__).parent
    out_path = Path(out) if out else pkg / "calibrated.json"
    fit_path = out_path.with_name(out_path.stem + "_fit.json")
    console.print(f"calibrate: budget {budget}, scale {scale}, seed {seed}, storage {storage}")
    with _executor(workers, scheduler) as ex:
        doc = calibrate(ex, budget, scale=scale, seed=seed, storage=storage, study_name=study,
                        out=out_path, fit_out=fit_path, doc_out=docs,
                        latent_iterations=latent_iterations, latent_scale=latent_scale,
                        starts=start_points, progress=lambda d, b: console.print(f"  trials {d}/{b}"),
                        latent_progress=lambda i, n, r: console.print(
                            f"  residual series {i}/{n}: MAPE {100 * r['total_mape']:.1f}%, "
                            f"sector ARD {r['sector_ard']:.3f}, citizenship ARD "
                            f"{r['citizenship_ard']:.3f}"))
    cal_mod.calibrated_values.cache_clear()
    cal_mod.calibrated_document.cache_clear()
    latent_mod.shipped.cache_clear()
    console.print(metric_table(doc["fit"].get("before"), doc["fit"]["after"],
                               doc["fit"].get("structural")))
    console.print(f"wrote {out_path}, {fit_path}, {docs}")


def validate_command(
    out: str = typer.Option("results/validation", "--out", help="output folder"),
    runs: int = typer.Option(10, "--runs", min=1, help="ensemble members for the fit"),
    backtest_runs: int = typer.Option(10, "--backtest-runs", min=1,
                                      help="ensemble members per backtest origin"),
    scale: int = typer.Option(50, "--scale", min=1, help="people per agent"),
    seed: int = typer.Option(0, "--seed", min=0),
    workers: int | None = typer.Option(None, "--workers", min=1),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    refit_iterations: int = typer.Option(
        REFIT_ITERATIONS, "--refit-iterations", min=0, help="residual-series iterations refitted at each "
        "backtest origin on data up to it (0: use the shipped series, in-sample)"),
    refit_structural_budget: int = typer.Option(
        0, "--refit-structural-budget", min=0, help="redo the whole calibration at each "
        "backtest origin with this many structural trials (0: shipped structural numbers)"),
) -> None:
    """Validation report (DIR/validation.html, DIR/validation.json): fit, backtests,
    episodes, parameters."""
    from rich.console import Console

    from borderflow.validate.report import validate

    console = Console()
    with _executor(workers, scheduler) as ex:
        doc = validate(out, ex, runs=runs, scale=scale, seed=seed, backtest_runs=backtest_runs,
                       refit_iterations=refit_iterations,
                       structural_budget=refit_structural_budget,
                       progress=lambda o: console.print(f"  backtest origin {o} done"))
    from rich.table import Table

    from borderflow.validate.report import headline

    table = Table(title="validation headline")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for label, value in headline(doc):
        table.add_row(label, value)
    console.print(table)
    for k, v in doc["targets_met"].items():
        console.print(f"  {k}: {'yes' if v else 'no'}")
    console.print(f"wrote {out}/validation.html, validation.json, interval_errors.json and "
                  f"backtests.json ({doc['wall_seconds']} s); copy the last two beside "
                  "calibrated.json to ship them")


def forecast_command(
    start: str = typer.Option(..., "--from", help="first forecast month YYYY-MM"),
    months: int = typer.Option(12, "--months", min=1, help="months to forecast"),
    runs: int = typer.Option(20, "--runs", min=1, help="ensemble members"),
    scenario: str = typer.Option("historical", "--scenario", help="scenario id or YAML"),
    scale: int = typer.Option(50, "--scale", min=1, help="people per agent"),
    seed: int = typer.Option(0, "--seed", min=0),
    warmup: int | None = typer.Option(None, "--warmup", min=0,
                                      help="months simulated before --from (default: "
                                           "from the scenario's start, 2019-01)"),
    workers: int | None = typer.Option(None, "--workers", min=1),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    errors: str = typer.Option("empirical", "--errors", help="interval error model: "
                               "empirical (default), centred or none (members only)"),
    out: str | None = typer.Option(None, "--out", help="output folder (default "
                                   "results/forecast-<from>)"),
) -> None:
    """Ensemble forecast of USBP Southwest encounters: DIR/forecast.parquet (median,
    80% and 95% intervals by total, sector, citizenship) and DIR/forecast.html."""
    from rich.console import Console

    from borderflow.validate.forecast import forecast, write_outputs

    console = Console()
    out_dir = out or f"results/forecast-{start}"
    table, meta = forecast(start, months, runs=runs, scenario=scenario, scale=scale,
                           seed=seed, warmup=warmup, workers=workers, scheduler=scheduler,
                           error_model=errors)
    pq, html = write_outputs(table, meta, out_dir)
    tot = table[table.breakdown == "total"]
    for r in tot.itertuples():
        console.print(f"  {r.month}: {r.median:>10,.0f}  80% {r.p10:,.0f}-{r.p90:,.0f}  "
                      f"95% {r.p025:,.0f}-{r.p975:,.0f}")
    if meta.get("error_model", "none") != "none":
        console.print(f"  intervals: drift {meta['drift_per_month']:.3f} per square-root month "
                      f"x {meta['interval_scale']:.2f} (from {meta['interval_errors_n']} "
                      f"earlier backtest errors; {meta['interval_errors_source']})")
    console.print(f"wrote {pq} and {html} ({meta['wall_seconds']} s)")


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate_command)
    app.command("validate")(validate_command)
    app.command("forecast")(forecast_command)
