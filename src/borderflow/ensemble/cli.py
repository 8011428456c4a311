"""Commands of this package (registered on the main CLI): ensemble, sensitivity, explore."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from borderflow.atomic import check_writable
from borderflow.cli_common import (
    PARAMETERS_HELP,
    SCALE_MAX,
    SEED_MAX,
    check_agents,
    choice,
    parameter_draws,
    progress_bar,
    scale_option,
    seed_option,
    spanned,
    warn_overlaps,
)
from borderflow.safeprint import plain

#: ``--backend`` values (borderflow.ensemble.runner.make_executor)
BACKENDS = ("processes", "dask", "sequential")
#: ``--method`` values of ``sensitivity``
METHODS = ("sobol", "morris")


def _span(sc, start: str | None, end: str | None):
    return spanned(sc, start, end)


def _progress_bar(label: str, total: int, console=None):
    """A progress bar of runs on a terminal, plain lines "<label> k/n" otherwise."""

    return progress_bar(console or Console(), TextColumn("[bold]{task.description}"),
                        BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        label=label, transient=False)


def _before_work(sc, scale: int, out: str | Path, scenario: str | None = None) -> None:
    """The checks every command of this package makes before any run: the output folder
    can be written, the scale leaves enough agents, and overlapping events are named."""

    check_writable(out, "--out", kind="folder")
    check_agents(sc, scale)
    warn_overlaps(sc, scenario)


def ensemble_command(
    scenario: str = typer.Argument("historical", help="bundled scenario id or YAML file"),
    runs: int = typer.Option(8, "--runs", min=1, help="number of members"),
    workers: int | None = typer.Option(None, "--workers", min=1,
                                       help="worker processes (default: all cores; 1 = this process)"),
    backend: str = typer.Option("processes", "--backend",
                                help="processes (local pool), dask (a LocalCluster of --workers) "
                                     "or sequential"),
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="address of an existing Dask scheduler, "
                                              "e.g. tcp://host:8786"),
    seed: int = typer.Option(0, "--seed", callback=seed_option,
                             help=f"root entropy, 0 to {SEED_MAX}: member i uses "
                                  "SeedSequence(seed, spawn_key=(i,))"),
    scale: int = typer.Option(10, "--scale", callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    start: str | None = typer.Option(None, help="first month YYYY-MM (default: the scenario's)"),
    end: str | None = typer.Option(None, help="last month YYYY-MM (default: the scenario's)"),
    out: str | None = typer.Option(None, "--out", help="output folder (default "
                                   "results/ensemble-<scenario>-<hash>-s<seed>-x<scale>/)"),
    parameters: str = typer.Option("plausible", "--parameters", help=PARAMETERS_HELP),
    calibration: str | None = typer.Option(
        None, "--calibration", help="a calibration written by borderflow calibrate --out "
        "(default: the package's shipped calibration)"),
) -> None:
    """Run an ensemble; write DIR/ensemble.nc (member x month x breakdown) and resume if
    interrupted."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.ensemble.runner import RunSpec, run_attrs, run_ensemble
    from borderflow.report.numbers import few_runs_note
    from borderflow.scenario import load_scenario
    from borderflow.scenario.calibrated import load_parameters
    from borderflow.validate.parameters import scenario_draws

    choice(backend, BACKENDS, "--backend")
    sc = _span(load_scenario(scenario), start, end)
    fitted = load_parameters(calibration) if calibration else None
    if fitted is not None and parameters == "plausible":
        parameters = "point"      # the shipped calibration's trials belong to it alone
    draws = scenario_draws(sc, parameter_draws(parameters))
    run = RunSpec(sc, runs=runs, seed=seed, scale=scale, workers=workers, scheduler=scheduler,
                  draws=draws, parameters=fitted)
    out_dir = Path(out) if out else Path("results") / (
        f"ensemble-{sc.id}-{run_attrs(sc, seed, scale, draws, fitted)['scenario_hash'][:8]}"
        f"-s{seed}-x{scale}")
    _before_work(sc, scale, out_dir, scenario)
    console = Console()
    where = (f"Dask scheduler {scheduler}" if scheduler else
             f"{backend} x {workers or 'all cores'}")
    console.print(plain(f"{sc.id} {sc.start}..{sc.end}: {runs} members at scale {scale}, "
                        f"seed {seed}, on {where} -> {out_dir}"))
    t0 = time.perf_counter()
    with _progress_bar("ensemble: members", runs) as bar:
        task = bar.add_task("members", total=runs)
        ds = run_ensemble(
            run,
            out_dir,
            backend=backend,
            progress=lambda done, total: bar.update(task, completed=done),
        )
    wall = time.perf_counter() - t0
    console.print(totals_table(ds, sc, runs))
    if note := few_runs_note(runs):
        console.print(f"note: {note}", markup=False, highlight=False)
    console.print(plain(f"wrote {out_dir / 'ensemble.nc'} in {wall:.1f} s "
                        f"({wall / runs:.2f} s per member)"))


def totals_table(ds, sc, runs: int):
    """Key totals of an ensemble: median and 10-90% interval, plain formats."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.ensemble.summary import intervals, key_totals
    from borderflow.report.numbers import MIN_INTERVAL_RUNS, number

    few = runs < MIN_INTERVAL_RUNS  # starred: see the note printed below the table
    table = Table(title=Text(f"{sc.id}, {sc.start} to {sc.end}, {runs} members (people)"))
    table.add_column("total", overflow="fold")
    for col in ("median", "10%", "90%"):
        table.add_column(col + ("*" if few and col != "median" else ""), justify="right",
                         no_wrap=True)
    for label, vals in key_totals(ds).items():
        lo, med, hi = intervals(vals)
        table.add_row(Text(label), number(med), number(lo), number(hi))
    return table


def sensitivity_command(
    scenario: str = typer.Argument("historical", help="bundled scenario id or YAML file"),
    method: str = typer.Option("sobol", "--method", help="sobol or morris"),
    n: int = typer.Option(32, "--n", min=2, help="base sample size (Sobol: N x (D+2) runs; "
                                                  "Morris: trajectories, N x (D+1) runs)"),
    scale: int = typer.Option(50, "--scale", callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    seed: int = typer.Option(0, "--seed", callback=seed_option,
                             help=f"sampling and simulation seed, 0 to {SEED_MAX}"),
    start: str = typer.Option("2021-01", help="first month (a short span keeps it quick)"),
    end: str = typer.Option("2021-06", help="last month"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="worker processes"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address"),
    out: str = typer.Option("results/sensitivity", "--out", help="output folder"),
) -> None:
    """Global sensitivity (SALib Sobol or Morris) of key totals to the declared factors."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.ensemble.sensitivity import RunSpec, run_sensitivity
    from borderflow.scenario import load_scenario

    choice(method, METHODS, "--method")
    sc = _span(load_scenario(scenario), start, end)
    _before_work(sc, scale, out, scenario)
    console = Console()
    with _progress_bar("sensitivity: runs", 1) as bar:
        task = bar.add_task("runs", total=None)
        res = run_sensitivity(
            RunSpec(sc, scale=scale, seed=seed, workers=workers, scheduler=scheduler),
            method=method,
            n=n,
            out_dir=out,
            progress=lambda d, t: bar.update(task, completed=d, total=t),
        )
    console.print(res["table"])
    console.print(plain(f"wrote {', '.join(res['files'])} ({res['runs']} runs, "
                        f"{res['wall']:.1f} s)"))


def explore_command(
    scenario: str = typer.Argument("historical", help="bundled scenario id or YAML file"),
    n: int = typer.Option(64, "--n", min=4, help="Latin hypercube sample size"),
    outcome: str = typer.Option("deaths", "--outcome",
                                help="deaths (max monthly), usbp_encounters (total), "
                                     "mexico_apprehensions (total) or gotaways (total)"),
    threshold: float | None = typer.Option(None, "--threshold",
                                           help="cases of interest: outcome above this "
                                                "(default: the default-factor run's value)"),
    scale: int = typer.Option(20, "--scale", callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    seed: int = typer.Option(0, "--seed", callback=seed_option,
                             help=f"sampling and simulation seed, 0 to {SEED_MAX}"),
    start: str = typer.Option("2021-01", help="first month"),
    end: str = typer.Option("2021-12", help="last month"),
    workers: int | None = typer.Option(None, "--workers", min=1, help="worker processes"),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address"),
    out: str = typer.Option("results/explore", "--out", help="output folder"),
) -> None:
    """Latin hypercube sweep over the factors, then PRIM scenario discovery of when the
    outcome exceeds the threshold."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.ensemble.explore import EXPLORE_OUTCOMES, RunSpec, run_explore
    from borderflow.scenario import load_scenario

    choice(outcome, EXPLORE_OUTCOMES, "--outcome")
    sc = _span(load_scenario(scenario), start, end)
    _before_work(sc, scale, out, scenario)
    console = Console()
    with _progress_bar("explore: runs", n) as bar:
        task = bar.add_task("runs", total=n)
        res = run_explore(
            RunSpec(sc, scale=scale, seed=seed, workers=workers, scheduler=scheduler),
            n=n,
            outcome=outcome,
            threshold=threshold,
            out_dir=out,
            progress=lambda d, t: bar.update(task, completed=d, total=t),
        )
    console.print(res["summary"])
    console.print(plain(f"wrote {', '.join(res['files'])} ({res['wall']:.1f} s)"))


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    app.command("ensemble")(ensemble_command)
    app.command("sensitivity")(sensitivity_command)
    app.command("explore")(explore_command)
