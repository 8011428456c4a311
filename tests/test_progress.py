"""One monotone progress fraction over a forecast's phases (members, then the filter), shared
by the command line and the dashboard from ``borderflow.progress``."""

from __future__ import annotations

import pytest
from rich.console import Console

from borderflow.progress import PhasedProgress, forecast_phases


def _forecast_counts(runs: int, particles: int, months: int):
    """The ``progress(done, total)`` calls of an assimilated forecast: members, then
    particle-months from 0 again."""
    for done in range(runs + 1):
        yield done, runs
    for done in range(0, particles * months + 1, particles):
        yield done, particles * months


def test_fractions_are_monotone_over_members_then_filter():
    seen = []
    p = PhasedProgress(forecast_phases(2, 3), lambda phase, f: seen.append((phase, f)))
    for done, total in _forecast_counts(2, 3, 4):
        p(done, total)
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert seen[2] == ("forecast", pytest.approx(2 / (2 + 1.5 * 3)))
    assert seen[3][0] == "filter" and seen[3][1] == seen[2][1]   # no restart from 0


def test_cli_forecast_progress_lines_never_go_back():
    """The plain lines ``borderflow forecast`` prints when piped, one percentage of the whole
    job over both phases."""
    from borderflow.cli import PlainProgress, progress_bar

    console = Console(record=True, width=80, force_terminal=False)
    bar = progress_bar(console, label=None, percent=True)
    assert isinstance(bar, PlainProgress)
    labels = {"forecast": "forecast: ensemble members", "filter": "forecast: particle filter"}
    with bar:
        task = bar.add_task(labels["forecast"], total=100)
        p = PhasedProgress(forecast_phases(20, 64), lambda phase, f: bar.update(
            task, completed=100 * f, total=100, description=labels[phase]))
        for done, total in _forecast_counts(20, 64, 30):
            p(done, total)
    lines = console.export_text().splitlines()
    shares = [int(line.rsplit(" ", 1)[1].rstrip("%")) for line in lines]
    assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 100
    assert lines[-1] == "forecast: particle filter 100%"
    assert any(line.startswith("forecast: ensemble members") for line in lines)


def test_the_dashboard_and_the_cli_share_one_helper():
    from borderflow.dashboard import app, jobs

    assert jobs.PhasedProgress is PhasedProgress and app.forecast_phases is forecast_phases
    import ast
    from pathlib import Path

    import borderflow.validate.cli as vcli

    tree = ast.parse(Path(vcli.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(m and m.startswith("borderflow.dashboard") for m in imported)
