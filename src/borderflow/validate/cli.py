"""Commands of this package (registered on the main CLI): calibrate, validate, forecast."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress

from borderflow.atomic import check_writable, write_text_atomic
from borderflow.cli_common import (
    PARAMETER_CHOICES,
    PARAMETERS_HELP,
    SCALE_MAX,
    SEED_MAX,
    check_agents,
    choice,
    progress_bar,
    scale_option,
    seed_option,
    warn_overlaps,
)
from borderflow.errors import InputError
from borderflow.report.terminal import forecast_lines, validation_tables
from borderflow.validate.assimilate import DEFAULT_METHOD, DEFAULT_PARTICLES, METHODS
from borderflow.validate.backtest import REFIT_BUDGET, REFIT_POLISH
from borderflow.validate.documents import CONFIRM_SEEDS, POLISH_SWEEPS
from borderflow.validate.documents import METHODS as CALIBRATION_METHODS

FILTER_DRAWS_HELP = ("the filter's particles draw their fitted numbers as the members do "
                     "(--parameters); off: every particle runs the fitted point (the "
                     "draws measured worse, docs/validation.md)")

#: longest forecast (``--months``): beyond three years the drivers, the dated policy path
#: and the backtest errors behind the intervals say nothing
MAX_FORECAST_MONTHS = 36
#: observed months a forecast run needs before its first forecast month when it starts at
#: the scenario's start: the empirical error model reads the run's own errors there and
#: uses none for a key with fewer (borderflow.validate.forecast.residuals)
MIN_ERROR_MONTHS = 12


def _months_option(value: int) -> int:
    if value is not None and not 1 <= value <= MAX_FORECAST_MONTHS:

        raise InputError(f"{value} is not an allowed horizon", field="--months",
                         expected=f"1 to {MAX_FORECAST_MONTHS} months")
    return value


def _historical_check(scale: int) -> None:
    """The scale check of commands that run the historical scenario over its span."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario import load_scenario

    check_agents(load_scenario("historical"), scale)


def check_forecast_start(start: str, warmup: int | None, scenario) -> None:
    """Refuse a first forecast month outside the allowed range: from the scenario's start
    plus :data:`MIN_ERROR_MONTHS` observed months (or, with ``--warmup N``, from the first
    month whose run would start in 2000 or later, where the observations begin) to the
    month after the last observation (the origin is the last month whose data may be
    used)."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario.model import YEAR_MIN
    from borderflow.validate.forecast import first_unobserved_month, parse_month

    first = parse_month(start)
    last = pd.Period(first_unobserved_month(), "M")
    earliest = pd.Period(f"{YEAR_MIN}-01", "M")
    if warmup is None:
        lo = pd.Period(scenario.start, "M") + MIN_ERROR_MONTHS
        why = (f"the run starts at the scenario's start, {scenario.start}, and its error model "
               f"needs {MIN_ERROR_MONTHS} observed months before the first forecast month")
        hint = " (or --warmup N to start N months before --from)"
    else:
        lo, why, hint = earliest, f"the first month of the data is {earliest}", ""
    if first > last:
        why = (f"the last observed month is {last - 1}, and a forecast's origin (the month "
               "before --from) must be an observed month")
    if not lo <= first <= last:
        raise InputError(f"{first} is outside the allowed first months: {why}", field="--from",
                         expected=f"a month from {lo} to {last}{hint}")
    if warmup is not None and first - warmup < earliest:
        raise InputError(f"{warmup} months before --from {first} the run would start in "
                         f"{first - warmup}, before {earliest}", field="--warmup",
                         expected=f"at most {(first - earliest).n} months with --from {first}")


def _forecast_dir(run, spec) -> str:
    """The default folder of the forecast ``spec`` of the ensemble ``run`` (a RunSpec of a
    Scenario), named by its inputs (like ``run``'s ``results/<scenario>-<hash>-seed<N>-x<K>``),
    so that a forecast never replaces one made from other inputs."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario import scenario_hash
    from borderflow.validate.forecast import ASSIMILATE_DEFAULT

    sc = run.scenario
    name = (f"forecast-{sc.id}-{scenario_hash(sc)[:8]}-{spec.start}-m{spec.months}"
            f"-r{run.runs}-x{run.scale}-seed{run.seed}")
    if spec.warmup is not None:
        name += f"-w{spec.warmup}"
    if spec.projection is not None:
        name += f"-{spec.projection}"
    if ASSIMILATE_DEFAULT if spec.assimilate is None else spec.assimilate:
        name += f"-assim{spec.particles}"
        if spec.filter_method not in (None, DEFAULT_METHOD):
            name += f"-{spec.filter_method}"
        if spec.filter_draws:
            name += "-draws"
    elif spec.error_model != "empirical":
        name += f"-{spec.error_model}"
    if spec.parameters != "plausible":
        name += f"-{spec.parameters}"
    return f"results/{name}"


def _executor(workers: int | None, scheduler: str | None):
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.ensemble.runner import make_executor

    return make_executor(workers, scheduler=scheduler)


def calibrate_command(
    budget: int = typer.Option(200, "--budget", min=1, help="optuna trials in total "
                               "(a resumed study only runs the missing ones)"),
    scale: int = typer.Option(50, "--scale", callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    workers: int | None = typer.Option(None, "--workers", min=1,
                                       help="worker processes (default: all cores)"),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Dask scheduler address, e.g. tcp://host:8786"),
    seed: int = typer.Option(0, "--seed", callback=seed_option,
                             help=f"sampler and simulation seed, 0 to {SEED_MAX}"),
    storage: str = typer.Option("calibration.sqlite3", "--storage",
                                help="SQLite file of the optuna study (resumes if present)"),
    study: str | None = typer.Option(None, "--study", help="study name (default from "
                                     "span, scale and seed)"),
    out: str = typer.Option("calibrated.json", "--out", help="calibrated.json to write (copy "
                            "it to src/borderflow/scenario/ to make it the package default)"),
    docs: str = typer.Option("docs/calibration.md", "--docs", help="fit report (Markdown)"),
    starts: str = typer.Option("bundled", "--starts", help="JSON file of start points of "
                               "the structural search, 'bundled' (the package's "
                               "calibration_starts.json) or 'none'"),
    method: str = typer.Option("cmaes", "--method", help="search: cmaes (CMA-ES from the "
                               "last start point; default) or tpe (optuna TPE)"),
    optimiser_seed: int | None = typer.Option(None, "--optimiser-seed", min=0,
                                              help="seed of the search only (default: "
                                              "--seed); the simulations keep --seed"),
    seeds_per_point: int = typer.Option(1, "--seeds-per-point", min=1, max=16,
                                        help="simulation seeds per evaluated point (the "
                                             "objective is their mean; the same seeds for "
                                             "every point)"),
    polish: int = typer.Option(POLISH_SWEEPS, "--polish", min=0, max=5,
                               help="sweeps of the coordinate polish after the budget: each "
                                    "searched number tried at 5 points of its range and 4 "
                                    "steps from its value, all else held (0: none)"),
    confirm_seeds: int = typer.Option(CONFIRM_SEEDS, "--confirm-seeds", min=0, max=64,
                                      help="other seeds at which the point found must beat "
                                           "the last start point, the incumbent, to replace "
                                           "it (0: no confirmation)"),
) -> None:
    """Fit the calibrated parameters to the bundled observations (optuna, resumable)."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.report.calibration import metric_table, write_markdown
    from borderflow.validate.calibrate import CalibrationSpec, RunSpec, calibrate, load_starts

    console = Console(markup=False, highlight=False)
    if method not in CALIBRATION_METHODS:
        raise InputError(f"unknown calibration method {method!r}", field="--method",
                         expected=" or ".join(CALIBRATION_METHODS))
    start_points = ([] if starts == "none"
                    else load_starts(None if starts == "bundled" else starts))
    out_path = Path(out)
    fit_path = out_path.with_name(out_path.stem + "_fit.json")
    for path, field in ((out_path, "--out"), (docs, "--docs"), (storage, "--storage")):
        check_writable(path, field, kind="file")      # before any trial, not after
    _historical_check(scale)
    console.print(f"calibrate: budget {budget}, scale {scale}, seed {seed}, storage {storage}")
    with _executor(workers, scheduler) as ex:
        doc = calibrate(RunSpec(scale=scale, seed=seed, executor=ex),
                        CalibrationSpec(budget=budget, storage=storage, study_name=study,
                                        starts=tuple(start_points), method=method,
                                        optimiser_seed=optimiser_seed,
                                        seeds_per_point=seeds_per_point, polish=polish,
                                        confirm_seeds=confirm_seeds),
                        out_path, fit_path,
                        lambda d, b, what="trials": console.print(f"  {what} {d}/{b}"))
    write_markdown(doc, docs)
    console.print(metric_table(doc["fit"].get("before"), doc["fit"]["after"]))
    console.print(f"wrote {out_path}, {fit_path}, {docs}")


def validate_command(
    out: str = typer.Option("results/validation", "--out", help="output folder"),
    runs: int = typer.Option(10, "--runs", min=1, help="ensemble members for the in-sample fit"),
    backtest_runs: int = typer.Option(10, "--backtest-runs", min=1,
                                      help="ensemble members per backtest origin"),
    scale: int = typer.Option(50, "--scale", callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    seed: int = typer.Option(0, "--seed", callback=seed_option, help=f"0 to {SEED_MAX}"),
    workers: int | None = typer.Option(None, "--workers", min=1),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    mode: str = typer.Option("refit", "--mode", help="what is fitted at each origin: refit "
                             "(everything, on data up to the origin; default) or shipped "
                             "(the shipped calibration: in-sample)"),
    refit_budget: int = typer.Option(REFIT_BUDGET, "--refit-budget", min=1,
                                     help="structural trials refitted at each origin"),
    refit_polish: int = typer.Option(REFIT_POLISH, "--refit-polish", min=0, max=5,
                                     help="sweeps of the coordinate polish after each "
                                          "refit's trials (0: none)"),
    origins: str | None = typer.Option(None, "--origins", help="comma-separated rolling "
                                       "origins (default: the nine of docs/validation.md; "
                                       "'none' for none)"),
    episodes: str | None = typer.Option(None, "--episodes", help="comma-separated episode "
                                        "origins (default: all eight; 'none' for none)"),
    work: str | None = typer.Option(None, "--work", help="folder of the per-origin fits, "
                                    "reused when validate is run again (default DIR/fits)"),
    particles: int = typer.Option(DEFAULT_PARTICLES, "--particles", min=0,
                                  help="particles of the assimilated variant at each origin "
                                       "(0: the mechanisms alone)"),
    parameters: str = typer.Option("plausible", "--parameters", help="plausible (members "
                                   "draw the fitted numbers from the plausible trials of the "
                                   "fit at each origin) or point (the best point)"),
    filter_method: str = typer.Option(DEFAULT_METHOD, "--filter",
                                      help="the assimilated variant's update: enkf, tempered "
                                           "or bootstrap (docs/validation.md)"),
    filter_draws: bool = typer.Option(False, "--filter-draws", help=FILTER_DRAWS_HELP),
) -> None:
    """Validation report (DIR/validation.html, DIR/validation.json): out-of-sample
    backtests at rolling and episode origins (everything refitted at each origin, drivers
    cut there), then the in-sample fit.  Resumable: fits already in DIR/fits are reused.
    Reduced size for a quick check: --refit-budget 8 --scale 200
    --runs 2 --backtest-runs 2 --particles 8 --origins none --episodes 2022-09,2023-04."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.report.validation import write_html
    from borderflow.validate.backtest import MODES, BacktestSpec, RunSpec
    from borderflow.validate.validation import validate

    choice(mode, MODES, "--mode")
    choice(parameters, PARAMETER_CHOICES, "--parameters")
    choice(filter_method, METHODS, "--filter")
    check_writable(out, "--out", kind="folder")        # before any fit, not after
    if work is not None:
        check_writable(work, "--work", kind="folder")
    _historical_check(scale)

    def months(text, field):
        if text is None:
            return None
        if text.strip() == "none":
            return ()
        # lazy: the command's code loads only when it runs (fast --help)
        from borderflow.validate.forecast import parse_month

        return tuple(str(parse_month(x.strip(), field)) for x in text.split(",") if x.strip())

    console = Console(markup=False, highlight=False)
    t0 = time.perf_counter()
    with console.status("validation: in-sample ensemble") as status, \
            _executor(workers, scheduler) as ex:
        chosen = {"origins": months(origins, "--origins"),
                  "episodes": months(episodes, "--episodes"),
                  "budget": refit_budget, "polish": refit_polish}
        spec = BacktestSpec(mode=mode, work_dir=work, particles=particles, parameters=parameters,
                            filter_method=filter_method, filter_draws=filter_draws,
                            **{k: v for k, v in chosen.items() if v is not None})
        doc, art = validate(out, RunSpec(runs=runs, scale=scale, seed=seed, executor=ex),
                            spec, backtest_runs,
                            lambda o: (console.print(f"  backtest origin {o} done"),
                                       status.update(f"validation: origin {o} done")))
    html = write_html(doc, art, f"{out}/validation.html")
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.report.validation import markdown

    write_text_atomic(f"{out}/validation.md", markdown(doc) + "\n")
    for table in validation_tables(doc):
        console.print(table)
    for k, v in doc["targets_met"].items():
        console.print(f"  {k}: {v if not isinstance(v, bool) else ('yes' if v else 'no')}")
    console.print(f"wrote {html}, validation.md, validation.json, interval_errors.json and "
                  "backtests.json "
                  f"({time.perf_counter() - t0:.0f} s); copy the last two beside "
                  "calibrated.json to ship them")


def forecast_command(
    start: str | None = typer.Option(None, "--from", help="first forecast month YYYY-MM "
                                     "(default: the month after the observations)"),
    months: int = typer.Option(12, "--months", callback=_months_option,
                               help=f"months to forecast, 1 to {MAX_FORECAST_MONTHS}"),
    runs: int = typer.Option(20, "--runs", min=1, help="ensemble members"),
    scenario: str = typer.Option("historical", "--scenario", help="scenario id or YAML"),
    scale: int = typer.Option(50, "--scale", callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    seed: int = typer.Option(0, "--seed", callback=seed_option, help=f"0 to {SEED_MAX}"),
    warmup: int | None = typer.Option(None, "--warmup", min=0,
                                      help="months simulated before --from (default: "
                                           "from the scenario's start, 2019-01)"),
    workers: int | None = typer.Option(None, "--workers", min=1),
    scheduler: str | None = typer.Option(None, "--scheduler"),
    errors: str = typer.Option("empirical", "--errors", help="interval error model: "
                               "empirical (default), centred or none (members only)"),
    projection: str | None = typer.Option(None, "--projection", help="rule that projects "
                                          "the drivers past the origin: persistence or "
                                          "trend (default: the scenario's)"),
    out: str | None = typer.Option(None, "--out", help="output folder (default: in "
                                   "results/, named by the scenario, --from, --months, "
                                   "--runs, --scale, --seed and the other options given; "
                                   "see docs/refusals.md)"),
    assimilate: bool | None = typer.Option(None, "--assimilate/--no-assimilate",
                                           help="start from the particle filter over the "
                                                "observations up to the origin (default: "
                                                "see docs/validation.md)"),
    particles: int = typer.Option(DEFAULT_PARTICLES, "--particles", min=2,
                                  help="particles of the filter (with --assimilate)"),
    parameters: str = typer.Option("plausible", "--parameters", help=PARAMETERS_HELP),
    filter_method: str = typer.Option(DEFAULT_METHOD, "--filter",
                                      help="the filter's update (with --assimilate): enkf, "
                                           "tempered or bootstrap (docs/validation.md)"),
    filter_draws: bool = typer.Option(False, "--filter-draws", help=FILTER_DRAWS_HELP),
) -> None:
    """Ensemble forecast of USBP Southwest encounters: DIR/forecast.parquet (median,
    80% and 95% intervals by total, sector, citizenship) and DIR/forecast.html."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.progress import PhasedProgress, forecast_phases
    from borderflow.report.forecast import write_outputs
    from borderflow.scenario import load_scenario
    from borderflow.scenario.drivers import RULES
    from borderflow.validate.forecast import (
        ASSIMILATE_DEFAULT,
        ERROR_MODELS,
        ForecastSpec,
        RunSpec,
        first_unobserved_month,
        forecast,
        parse_month,
    )
    from borderflow.validate.origin import forecast_inputs

    if projection is not None:
        choice(projection, RULES, "--projection")
    choice(errors, ERROR_MODELS, "--errors")
    choice(parameters, PARAMETER_CHOICES, "--parameters")
    choice(filter_method, METHODS, "--filter")
    console = Console(markup=False, highlight=False, soft_wrap=True)  # paths stay whole in a log
    if start is None:
        start = first_unobserved_month()
    sc = load_scenario(scenario)
    check_forecast_start(start, warmup, sc)
    start = str(parse_month(start))
    run = RunSpec(sc, runs=runs, scale=scale, seed=seed, workers=workers, scheduler=scheduler)
    spec = ForecastSpec(start, months, warmup=warmup, error_model=errors, projection=projection,
                        assimilate=assimilate, particles=particles, parameters=parameters,
                        filter_method=filter_method, filter_draws=filter_draws)
    out_dir = out or _forecast_dir(run, spec)
    check_writable(out_dir, "--out", kind="folder")   # before the runs, not after
    run_sc, _ = forecast_inputs(sc, str(parse_month(start) - 1), months,
                                projection=projection, warmup=warmup)
    check_agents(run_sc, scale)
    warn_overlaps(sc, scenario)
    # members, then (assimilated) the particle filter: one monotone bar over both phases
    phases = forecast_phases(runs, particles if (ASSIMILATE_DEFAULT if assimilate is None
                                                 else assimilate) else None)
    labels = {"forecast": "forecast: ensemble members", "filter": "forecast: particle filter"}
    with progress_bar(console, *Progress.get_default_columns(), label=None, percent=True,
                      transient=True) as bar:
        task = bar.add_task(labels["forecast"], total=100)

        def report(phase: str, fraction: float) -> None:
            bar.update(task, completed=100 * fraction, total=100, description=labels[phase])

        progress = PhasedProgress(phases, report)
        table, meta = forecast(replace(run, scenario=scenario), spec, progress)
    pq, html = write_outputs(table, meta, out_dir)
    for text in forecast_lines(table, meta):
        console.print(text)
    console.print(f"wrote {pq} and {html} ({meta['wall_seconds']} s)")


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate_command)
    app.command("validate")(validate_command)
    app.command("forecast")(forecast_command)
