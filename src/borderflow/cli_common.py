"""Checks and output shared by the commands (``borderflow.cli`` and the command modules
of ``ensemble``, ``validate``, ``compare`` and ``run``)."""

from __future__ import annotations

import numpy as np
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress

from borderflow.errors import InputError, did_you_mean
from borderflow.safeprint import line

err_console = Console(stderr=True)

#: largest seed: numpy's SeedSequence takes any whole number from 0; one 32-bit word keeps a
#: seed exact in every file format results are written to
SEED_MAX = 2**32 - 1
#: largest --scale (people per agent); for a short span the agent count (:data:`MIN_AGENTS`)
#: is the stricter limit
SCALE_MAX = 100_000
#: fewest agents a run may create: with fewer its counts are noise, or zero
MIN_AGENTS = 100


def seed_option(value: int) -> int:
    """``--seed``: a whole number from 0 to :data:`SEED_MAX` (checked before any work)."""
    if value is not None and not 0 <= value <= SEED_MAX:
        raise InputError(f"{value} is not an allowed seed", field="--seed",
                         expected=f"a whole number from 0 to {SEED_MAX} (2**32 - 1)")
    return value


def scale_option(value: int) -> int:
    """``--scale``: people per agent, from 1 to :data:`SCALE_MAX` (checked before any work;
    :func:`check_agents` then checks it against the scenario)."""
    if value is not None and not 1 <= value <= SCALE_MAX:
        raise InputError(f"{value} is not an allowed scale", field="--scale",
                         expected=f"people per agent from 1 to {SCALE_MAX:,}, leaving at "
                                  f"least {MIN_AGENTS} agents in the run")
    return value


def choice(value: str, allowed, field: str) -> str:
    """Refuse a value of a free-text option that is not one of ``allowed`` (with the
    closest allowed value, if one is close)."""

    allowed = list(allowed)
    if value not in allowed:
        hint = did_you_mean(value, allowed)
        raise InputError(f"unknown value {value!r}" + (f"; {hint.strip()}" if hint else ""),
                         field=field, expected="one of: " + ", ".join(allowed))
    return value


#: ``--parameters`` of the commands that run members (validate.parameters.PARAMETER_MODES)
PARAMETER_CHOICES = ("plausible", "point")
PARAMETERS_HELP = ("plausible (members draw the fitted numbers from the shipped "
                   "calibration's plausible trials) or point (every member runs the best point)")


def parameter_draws(mode: str) -> tuple[dict, ...]:
    """The parameter sets members draw from under ``--parameters mode``: the shipped
    calibration's plausible trials, or none for "point"."""
    choice(mode, PARAMETER_CHOICES, "--parameters")
    if mode == "point":
        return ()
    # lazy: the shipped calibration's trials load only for a command that draws from them
    from borderflow.validate.origin import shipped_fitted

    return shipped_fitted().draws


def spanned(sc, start: str | None, end: str | None, field: str = "--start/--end"):
    """``sc`` over ``start``..``end`` (months; a start before the driver data refused)."""
    if not (start or end):
        return sc

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.scenario.model import FIRST_MONTH

    try:
        return sc.with_span(start, end, first_month=FIRST_MONTH if start else None)
    except ValidationError as exc:
        raise InputError("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors()),
                         field=field, expected=f"months YYYY-MM from {FIRST_MONTH} on, with "
                         "start <= end") from None


def expected_people(sc) -> float:
    """People the departures of ``sc`` create over a run, spin-up months included: the sum
    of the engine's expected daily departures (``engine.departures.departure_rates`` on
    the resolved levers, parameters and drivers, as ``engine.inputs.resolve`` computes
    them) times the pull at the release seen before the first outcome, before the day
    loop's feedback (the release seen, networks, waiting), which moves the realised number
    by some tens of percent.  Takes well under a second; nothing is simulated."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.engine.calendar import make_calendar, shift_month
    from borderflow.engine.departures import (
        attempt_value,
        departure_rates,
        evade_tables,
        network_start,
        reference_value,
    )
    from borderflow.engine.diplomacy import apply_pressure
    from borderflow.engine.inputs import SPINUP_MONTHS, mx_state_of_edges, release0
    from borderflow.engine.levers import resolve_levers, resolve_parameters
    from borderflow.scenario.calibrated import shipped_parameters
    from borderflow.scenario.registry import MX_STATES
    from borderflow.world.network import load_network

    cal = make_calendar(shift_month(sc.start, -SPINUP_MONTHS), sc.end)
    p = resolve_parameters(sc, shipped_parameters())
    lv = apply_pressure(resolve_levers(sc, cal, params=p), p)
    net = load_network()
    mxs = mx_state_of_edges(net)
    chk = np.bincount(mxs[mxs >= 0], weights=net.edge_checkpoints[mxs >= 0],
                      minlength=len(MX_STATES)).astype(float)
    # the pull at the release seen before the first outcome (the loop then moves it)
    _, evade = evade_tables(lv, p)
    value = attempt_value(evade, release0(lv, p)[None, :], np.asarray(p["evasion_floor"], float))
    pull = (np.maximum(value, 1e-6) / reference_value(p)) ** p["pull_elasticity"]
    # a young network sends as much as its maturity at the start (it then grows)
    start = network_start(p, cal.months[0])
    maturity = np.minimum(start, 1.0) if p["network_maturity_months"] > 0 else 1.0
    return float((departure_rates(lv, p, cal, sc.drivers, chk) * pull * maturity).sum())


def check_agents(sc, scale: int, field: str = "--scale") -> None:
    """Refuse a scale that leaves a run of ``sc`` fewer than :data:`MIN_AGENTS` agents
    (estimated by :func:`expected_people`), with the largest scale allowed for it."""
    people = expected_people(sc)
    agents = people / scale
    if agents >= MIN_AGENTS:
        return
    largest = int(people // MIN_AGENTS)
    if largest < 1:
        raise InputError(f"{sc.id} {sc.start}..{sc.end} creates about {people:,.0f} people, "
                         f"fewer than {MIN_AGENTS} agents even at scale 1", field=field,
                         expected="a scenario or span with more departures")
    raise InputError(f"scale {scale:,} leaves about {agents:,.1f} agents in a run of {sc.id} "
                     f"{sc.start}..{sc.end} (about {people:,.0f} people, spin-up included); "
                     f"fewer than {MIN_AGENTS} make counts that are noise or zero",
                     field=field, expected=f"a scale from 1 to {largest:,} for this run")


def warn_overlaps(sc, origin: str | None = None) -> None:
    """Print a warning (stderr) for each timeline event whose result is held within its
    lever's domain where it overlaps an earlier event on that lever
    (``engine.overlaps.clipped_overlaps``)."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.engine.overlaps import clipped_overlaps
    from borderflow.scenario.calibrated import shipped_parameters

    for c in clipped_overlaps(sc, shipped_parameters()):
        ev = sc.timeline[c["event"]]
        earlier = ", ".join(f"{sc.timeline[k].date} ({sc.timeline[k].op} "
                            f"{c['values'][k]:g})" for k in c["earlier"][:3])
        lo, hi = c["bounds"]
        at = " and ".join(f"{x:g}" for x in c["at"])
        err_console.print(line(("warning:", "bold yellow"), " ",
                               f"{origin or sc.id}: the timeline event of {ev.date} "
                               f"({ev.lever} {ev.op} {c['values'][c['event']]:g}) overlaps the event(s) of "
                               f"{earlier} on the same keys; the result leaves the lever's "
                               f"domain {lo:g} to {hi:g} and is held at {at} on {c['days']:,} "
                               f"days from {c['first']}"), highlight=False, soft_wrap=True)


class PlainProgress:
    """A stand-in for ``rich.progress.Progress`` on a console that is not a terminal (a
    pipe or a log): plain lines ``<label> <done>/<total>`` about every tenth of the way,
    instead of a bar that would stay silent."""

    def __init__(self, console: Console, label: str | None = None, every: float = 0.1,
                 percent: bool = False):
        self.console, self.label, self.every, self.percent = console, label, every, percent
        self._total: float | None = None
        self._next = 0.0
        self._description = ""

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def add_task(self, description: str, total: float | None = None, **_) -> int:
        self._description, self._total = description, total
        return 0

    def update(self, task: int, *, completed: float | None = None, total: float | None = None,
               description: str | None = None, **_) -> None:
        if description is not None and description != self._description:
            self._description = description
            self._next = self._next if self.percent else 0.0
        if total is not None and total != self._total:
            self._total, self._next = total, 0.0
        if completed is None or not self._total:
            return
        frac = completed / self._total
        if frac >= self._next or completed >= self._total:
            label = self.label or self._description
            done = (f"{frac:.0%}" if self.percent
                    else f"{int(completed)}/{int(self._total)}")
            self.console.print(f"{label} {done}", markup=False, highlight=False,
                               soft_wrap=True)
            self._next = (int(frac / self.every + 1e-9) + 1) * self.every


def progress_bar(console: Console, *columns, label: str | None = None, percent: bool = False,
                 **kwargs):
    """A rich progress bar on a terminal, else :class:`PlainProgress` lines (``percent``:
    the share of the whole job, ``forecast: particle filter 60%``, for a task of total
    100 that spans several phases)."""
    if console.is_terminal:
        return Progress(*columns, console=console, **kwargs)
    return PlainProgress(console, label, percent=percent)

