"""`borderflow run`: progress while it runs, a summary table at the end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from borderflow.atomic import check_writable
from borderflow.cli_common import check_agents, progress_bar, spanned, warn_overlaps
from borderflow.report.run_report import write_run_report
from borderflow.safeprint import line, plain
from borderflow.scenario import load_scenario, scenario_hash
from borderflow.scenario.calibrated import load_parameters


def with_user_drivers(sc, annual: str | None = None):
    """``sc`` reading the user's own driver tables (checked and stored by content hash,
    :func:`borderflow.scenario.drivers.add_user_table`)."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario.drivers import add_user_table
    from borderflow.scenario.model import Scenario

    update = {}
    if annual:
        update["annual"] = add_user_table(annual, "annual")
    if not update:
        return sc
    drv = {**sc.drivers.model_dump(), **update}
    return Scenario.model_validate({**sc.model_dump(), "drivers": drv})


@dataclass(frozen=True)
class UserFiles:
    """The user's own files a run reads: an annual driver table (``--drivers-annual``) and
    a calibration (``--calibration``; None: the package's shipped one)."""
    drivers_annual: str | None = None
    calibration: str | None = None


def run_command(scenario: str, *, seed: int, scale: int,
                span: tuple[str | None, str | None], out: str | None, report: bool,
                files: UserFiles = UserFiles(), check: bool | None = None) -> Path:
    """``borderflow run``: ``span`` is (first month, last month), None for the
    scenario's own."""
    drivers_annual, calibration = files.drivers_annual, files.calibration
    start, end = span
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.api import simulate

    console = Console(stderr=True)
    sc = with_user_drivers(load_scenario(scenario), drivers_annual)
    parameters = load_parameters(calibration) if calibration else None
    run_id = f"{sc.id}-{scenario_hash(sc, parameters)[:8]}-seed{seed}-x{scale}"
    out_dir = Path(out) if out else Path("results") / run_id
    # refuse before a long run, not after
    check_writable(out_dir, "--out", kind="replace")
    check_agents(spanned(sc, start, end), scale)
    warn_overlaps(sc, scenario)
    with progress_bar(console, TextColumn("[bold]{task.description}"), BarColumn(),
                      TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                      label="run: day", transient=True) as bar:
        task = bar.add_task(f"simulating {sc.id}", total=None)

        def progress(day: int, days: int) -> None:     # called once a simulated month
            bar.update(task, completed=day, total=days)

        res = simulate(sc, seed=seed, scale=scale, start=start, end=end, progress=progress,
                       debug=check, parameters=parameters)
    with console.status("writing results"):
        res.write(out_dir, report=write_run_report if report else None)
    _summary(res, out_dir)
    return out_dir


def _summary(res, out_dir: Path) -> None:
    enc = res.encounters()
    mx = res.mexico().groupby("measure")["people"].sum()
    deaths = int(res.deaths()["deaths"].sum())
    t = Table(title=plain(f"{res.meta['scenario']}: {res.meta['start']} to {res.meta['end']}"),
              show_header=True)
    t.add_column("measure")
    t.add_column("value", justify="right")
    peak = enc.loc[enc["encounters"].idxmax()]
    t.add_row("USBP Southwest encounters", f"{int(enc['encounters'].sum()):,}")
    t.add_row("  peak month", f"{peak['month']} ({int(peak['encounters']):,})")
    t.add_row("  last month", f"{enc['month'].iloc[-1]} ({int(enc['encounters'].iloc[-1]):,})")
    for k in ("apprehended", "deported", "transferred_south", "released"):
        t.add_row(f"Mexico {k.replace('_', ' ')}", f"{int(mx.get(k, 0)):,}")
    t.add_row("dead and missing", f"{deaths:,}")
    t.add_row("agents / agent-steps", f"{res.meta['agents']:,} / {res.meta['agent_steps']:,}")
    t.add_row("wall time", f"{res.meta['wall_seconds']:.1f} s")
    console = Console()
    console.print(t)
    console.print(line("results in ", (out_dir, "bold"), f" ({dt.datetime.now():%H:%M:%S})"))
