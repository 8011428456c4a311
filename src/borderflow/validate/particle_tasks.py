"""The particle tasks of the filters (:mod:`borderflow.validate.tempered`,
:mod:`borderflow.validate.enkf`): a particle runs some months of its own model state in a
worker and returns the months' counts and its new state.

**Parameters.**  With parameter draws (``ParticleRun.draws``, the fitted set's plausible
trials, as the mechanisms' members use them) particle ``i`` starts with the draw
:func:`~borderflow.ensemble.runner.member_draw` ``(entropy, i)`` gives a member of the
ensemble, and keeps it: the draw's index travels in the particle's checkpoint, so a
resampled particle carries the parameters that made its state.  The band of the
assimilated forecast then holds the parameters' uncertainty beside the latent's.

**Inputs.**  A task carries the scenario, not its resolved inputs (about 10 MB at scale
50): each worker resolves a draw's inputs once and keeps the most recent
:data:`INPUTS_KEPT` (keyed by the scenario's hash, the calibration included, and the
scale; a filter run in this process drops them when it ends).
:data:`PARTICLES_PER_TASK` particles go in one task.  Both are fixed, so the
results do not depend on the number of workers.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from borderflow.engine.constants import O_DARIEN, O_RELEASE_CHILD, O_RELEASE_US
from borderflow.engine.inputs import resolve
from borderflow.engine.rand import make_state
from borderflow.engine.simulate import Simulation
from borderflow.ensemble.runner import map_ordered, member_draw, member_seed
from borderflow.ensemble.summary import summary_dataset
from borderflow.results import Results
from borderflow.scenario.calibrated import ParameterSet, shipped_parameters
from borderflow.scenario.load import scenario_hash
from borderflow.scenario.registry import NATIONALITIES
from borderflow.validate.particles import DARIEN_COL, RELEASE_COL

#: particles per task
PARTICLES_PER_TASK = 8
#: resolved inputs a worker keeps (a filter's particles draw at most this many sets)
INPUTS_KEPT = 72
_INPUTS: OrderedDict[str, object] = OrderedDict()
#: the drawn scenarios, by the run's scenario object and the draw (so that a particle's
#: scenario is built and hashed once, not at every step)
_DRAWN: OrderedDict[tuple[int, int], tuple[object, object]] = OrderedDict()


@dataclass(frozen=True)
class ParticleRun:
    """What every particle task shares: the scenario, its resolved inputs at ``scale``
    (None: each worker resolves them), the seed of the streams, the fitted set and the
    parameter ``draws`` (empty: every particle runs the scenario's point)."""
    sc: object
    inputs: object
    scale: int
    entropy: int
    parameters: ParameterSet = field(default_factory=shipped_parameters)
    draws: tuple[dict, ...] = ()


def particle_scenario(run: ParticleRun, draw: int):
    """The scenario of parameter draw ``draw`` (-1: the point) and its resolved inputs."""
    if draw < 0:
        sc = run.sc
        if run.inputs is not None:
            return sc, run.inputs
    else:
        hit = _DRAWN.get((id(run.sc), draw))
        if hit is None or hit[0] is not run.sc:
            hit = (run.sc, run.sc.with_parameters(**run.draws[draw]))
            _DRAWN[(id(run.sc), draw)] = hit
            while len(_DRAWN) > INPUTS_KEPT:
                _DRAWN.popitem(last=False)
        sc = hit[1]
    key = f"{scenario_hash(sc, run.parameters)}:{run.scale}"
    if key in _INPUTS:
        _INPUTS.move_to_end(key)
    else:
        _INPUTS[key] = resolve(sc, run.scale, run.parameters)
        while len(_INPUTS) > INPUTS_KEPT:
            _INPUTS.popitem(last=False)
    return sc, _INPUTS[key]


def forget_inputs() -> None:
    """Drop the inputs this process keeps (the coordinator calls it when a filter ends:
    with no worker processes it resolved them itself)."""
    _INPUTS.clear()
    _DRAWN.clear()


def month_counts(sim, k: int) -> np.ndarray:
    """USBP encounters by nationality, Darien crossings and USBP releases (people) in
    calendar month ``k`` of ``sim``."""
    C = sim.C
    out = np.zeros(len(NATIONALITIES) + 2)
    out[:len(NATIONALITIES)] = C.enc[k].sum(axis=(0, 2, 3, 4))
    out[DARIEN_COL] = C.outcomes[k, O_DARIEN].sum()
    out[RELEASE_COL] = (C.outcomes[k, O_RELEASE_US].sum()    # by USBP: children go to ORR
                        - C.outcomes[k, O_RELEASE_CHILD].sum())
    return out * sim.scale


def advance_particle(run: ParticleRun, start, restart, push: np.ndarray, month0: int,
                     final: bool):
    """One particle: state ``start`` (a member index for a new run, else a checkpoint)
    runs ``len(push)`` calendar months from ``month0`` with ``push[j]`` (per nationality) in
    month ``month0 + j``; ``restart`` (a spawn key) gives it a new random stream first.
    Returns the months' counts (:func:`month_counts`) and the new checkpoint (with the
    particle's parameter draw), or with ``final`` the member's summary dataset instead."""
    if isinstance(start, (int, np.integer)):
        draw = member_draw(run.entropy, int(start), len(run.draws)) if run.draws else -1
        sc, inputs = particle_scenario(run, draw)
        sim = Simulation(sc, seed=None, scale=run.scale, parameters=run.parameters,
                         seed_sequence=member_seed(run.entropy, int(start)), inputs=inputs)
    else:
        draw = int(start.get("draw", -1))
        sc, inputs = particle_scenario(run, draw)
        sim = Simulation.restore(sc, start, parameters=run.parameters, inputs=inputs)
    if restart is not None:
        sim.model.rng[...] = make_state(np.random.SeedSequence(run.entropy,
                                                               spawn_key=tuple(restart)))
    ends = list(np.flatnonzero(np.diff(sim.cal.day_month)) + 1) + [sim.n_days]
    counts = np.zeros((len(push), len(NATIONALITIES) + 2))
    for j, row in enumerate(push):
        sim.model.F.push[...] = row
        sim.advance(int(ends[month0 + j]) - sim.day)
        counts[j] = month_counts(sim, month0 + j)
    if final:
        return counts, summary_dataset(Results(sim.result()))
    return counts, {**sim.checkpoint(), "draw": np.array(draw)}


def advance_chunk(run: ParticleRun, items: list[tuple]) -> list:
    """One task: :func:`advance_particle` for each ``(start, restart, push, month0, final)``
    of ``items``, in order."""
    return [advance_particle(run, *item) for item in items]


def advance_particles(frame, state: list, restart: list, push: np.ndarray,
                      month0: int, final: bool) -> list:
    """Every particle's :func:`advance_particle` for one step of the filter ``frame`` (a
    :class:`~borderflow.validate.particles.FilterFrame`; ``push``: particles x months x
    nationalities), :data:`PARTICLES_PER_TASK` particles a task on the frame's executor;
    the results in particle order."""
    items = [(state[i], restart[i], push[i], month0, final) for i in range(frame.n)]
    chunks = [(frame.run, items[k:k + PARTICLES_PER_TASK])
              for k in range(0, frame.n, PARTICLES_PER_TASK)]
    res = map_ordered(frame.executor, advance_chunk, chunks)
    return [r for k in range(len(chunks)) for r in res[k]]
