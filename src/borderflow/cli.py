"""Command-line interface: presentation only, it calls the public API."""

from __future__ import annotations

import json
import sys
from importlib.metadata import PackageNotFoundError, version

import typer
from rich.console import Console

from borderflow.cli_common import (  # re-exported: tests and callers import them from here
    MIN_AGENTS,
    PARAMETERS_HELP,
    SCALE_MAX,
    SEED_MAX,
    PlainProgress,
    check_agents,
    choice,
    err_console,
    expected_people,
    progress_bar,
    scale_option,
    seed_option,
    spanned,
    warn_overlaps,
)
from borderflow.errors import InputError
from borderflow.safeprint import line

__all__ = ["MIN_AGENTS", "SCALE_MAX", "SEED_MAX", "PlainProgress", "app", "check_agents",
           "choice", "expected_people", "main", "progress_bar", "scale_option", "seed_option",
           "spanned", "warn_overlaps"]

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="borderflow: simulate, explain and forecast migration through the "
                       "Central America - Mexico - United States corridor.")


def _version(value: bool) -> None:
    if value:

        try:
            typer.echo(f"borderflow {version('borderflow')}")
        except PackageNotFoundError:
            typer.echo("borderflow (version unknown: not installed)")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                       help="show the version and exit")) -> None:
    """borderflow: simulate, explain and forecast migration through the Central America -
    Mexico - United States corridor."""


_registered = False

scenario_app = typer.Typer(no_args_is_help=True, help="Validate scenarios and export their schema.",
                           context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(scenario_app, name="scenario")


@app.command()
def run(
    scenario: str = typer.Argument("historical", help="bundled scenario id or YAML file"),
    seed: int = typer.Option(0, callback=seed_option,
                             help=f"random seed, 0 to {SEED_MAX}"),
    scale: int = typer.Option(1, callback=scale_option,
                              help="people per agent (10 = ten times faster), 1 to "
                                   f"{SCALE_MAX:,}, leaving at least {MIN_AGENTS} agents"),
    start: str | None = typer.Option(None, help="first month YYYY-MM (default: the scenario's)"),
    end: str | None = typer.Option(None, help="last month YYYY-MM (default: the scenario's)"),
    out: str | None = typer.Option(None, help="output folder (default results/<run-id>/)"),
    report: bool = typer.Option(True, help="write report.html"),
    drivers_annual: str | None = typer.Option(
        None, "--drivers-annual", help="your own annual driver table (CSV with the columns "
        "of the bundled drivers_annual.csv: country, year, indicator, value) instead of "
        "the scenario's"),
    check: bool = typer.Option(False, "--check", help="recount every state from the agents "
                               "at the end of every day and stop at the first difference "
                               "from the ledger (slower; also BORDERFLOW_DEBUG=1)"),
    calibration: str | None = typer.Option(
        None, "--calibration", help="a calibration written by borderflow calibrate --out "
        "(default: the package's shipped calibration)"),
) -> None:
    """Run a scenario and write encounters, Mexican measures, deaths, the ledger and a report."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.cli_run import UserFiles, run_command

    run_command(scenario, seed=seed, scale=scale, span=(start, end), out=out, report=report,
                files=UserFiles(drivers_annual=drivers_annual, calibration=calibration),
                check=True if check else None)


@app.command()
def compare(
    a: str = typer.Argument(..., help="baseline scenario id or YAML file"),
    b: str = typer.Argument(..., help="alternative scenario id or YAML file"),
    runs: int = typer.Option(10, min=1, max=1000, help="runs per scenario"),
    scale: int = typer.Option(20, callback=scale_option,
                              help=f"people per agent, 1 to {SCALE_MAX:,}"),
    seed: int = typer.Option(0, callback=seed_option,
                             help=f"root seed (common to both scenarios), 0 to {SEED_MAX}"),
    out: str | None = typer.Option(None, help="output folder (default results/compare-A-B/)"),
    parameters: str = typer.Option("plausible", "--parameters", help=PARAMETERS_HELP),
) -> None:
    """Compare two scenarios over the months they share, with common random numbers."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.cli_compare import compare_command

    compare_command(a, b, runs=runs, scale=scale, seed=seed, out=out, parameters=parameters)


@scenario_app.command("validate")
def scenario_validate(
    path: str = typer.Argument(..., help="scenario YAML file or bundled id"),
) -> None:
    """Check a scenario file; errors name the field and the allowed values (exit code 2)."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario import load_scenario

    sc = load_scenario(path)
    warn_overlaps(sc, path)
    Console().print(line(("ok", "green"), f": {sc.id} ({sc.start} to {sc.end}, "
                         f"{len(sc.timeline)} timeline events, {len(sc.levers)} levers and "
                         f"{len(sc.parameters)} parameters set)"))


@scenario_app.command("schema")
def scenario_schema() -> None:
    """Print the scenario JSON Schema (for editors)."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario.load import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@scenario_app.command("list")
def scenario_list() -> None:
    """List the bundled scenarios."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario import bundled_scenarios, load_scenario

    for sid in bundled_scenarios():
        sc = load_scenario(sid)
        typer.echo(f"{sid:24s} {sc.title}")


def _register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data.cli import app as data_app

    app.add_typer(data_app, name="data",
                  help="Bundled official observations: list, show, import, export.")
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.dashboard.cli import register as register_dashboard
    from borderflow.ensemble.cli import register as register_ensemble
    from borderflow.validate.cli import register as register_validate

    register_ensemble(app)
    register_dashboard(app)
    register_validate(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors print one clear message and exit with code 2."""
    _register()
    try:
        app(args=argv, standalone_mode=False)
    except InputError as exc:
        # the message quotes user text (file names, CSV cells, YAML keys): never markup
        err_console.print(line(("error:", "bold red"), " ", exc), highlight=False,
                          soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # usage errors (bad option values, unknown commands) come from the click that typer
        # bundles: they know how to show themselves and carry their exit code
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()
            sys.exit(exc.exit_code or 0)
        raise


if __name__ == "__main__":
    main()
