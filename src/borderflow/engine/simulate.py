"""Run a scenario: resolve its input once, build the model, run the compiled day loop."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from borderflow.atomic import atomic_path
from borderflow.engine import constants as c
from borderflow.engine.calendar import Calendar
from borderflow.engine.departures import enforcement_index
from borderflow.engine.feedback import network_step
from borderflow.engine.inputs import SPINUP_MONTHS, Inputs, resolve
from borderflow.engine.loop import NEGATIVE, OK, RECOUNT, UNBALANCED, compact, run_days
from borderflow.engine.loop import check as check_model
from borderflow.engine.rand import make_state
from borderflow.engine.state import (
    AGENT_DTYPES,
    CAP_FACTOR,
    CAP_MONTH,
    CAP_OVERFLOW,
    CAP_T8_MONTH,
    CUST_SHARE,
    DAY,
    DEP_ALL,
    DEP_REL,
    DEPARTED,
    EDGE_DAYS,
    EP_DETOUR,
    EXP_DEP,
    EXP_NOW,
    N_ACT,
    PORT_OPEN,
    RELEASED_PREV,
    STEPS,
    Agents,
    CounterDims,
    Counters,
    Feedback,
    allocate,
    allocate_counters,
)
from borderflow.engine.tables import Choice, ModelRef, as_tuple, compiled
from borderflow.errors import InputError
from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.load import scenario_hash
from borderflow.scenario.model import Scenario
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS
from borderflow.world.network import CROSSINGS, Network

__all__ = ["SPINUP_MONTHS", "RawRun", "RunawayRun", "Simulation", "simulate_raw", "save_checkpoint",
           "load_checkpoint"]
#: bundles a checkpoint saves (everything of the model that changes during a run)
STATE_BUNDLES = {"A": Agents, "C": Counters, "F": Feedback}


@dataclass
class RawRun:
    """Everything a run produced, in agent units (``scale`` people each).

    The calendar starts ``SPINUP_MONTHS`` before the scenario so that people are
    already on their way in its first month; those months are not reported."""
    scenario: Scenario
    calendar: Calendar
    network: Network
    counters: Counters
    ledger: np.ndarray          # (days, states) agents per state at the end of each day
    departed: np.ndarray        # (days,) cumulative unique agents departed
    seed: int | None
    scale: int
    agents: int
    agent_steps: int
    wall_seconds: float
    monthly: dict | None = None  # month-level series: fees, backlog, effort (arrays by month)
    parameters: ParameterSet | None = None  # the fitted set the run read


def _cap_start() -> np.ndarray:
    """Feedback.cap before the first day: factor 1, no load, no month counted yet, no
    overflow."""
    cap = np.zeros(CAP_OVERFLOW + 1)
    cap[CAP_FACTOR], cap[CAP_MONTH], cap[CAP_T8_MONTH] = 1.0, -1.0, -1.0
    return cap


def _seen_start(release0: np.ndarray) -> np.ndarray:
    """Feedback.seen before any outcome: the release chance ``release0`` on a weight too
    small to outlast the first concluded encounters."""
    seen = np.zeros((len(release0), PORT_OPEN + 1))
    seen[:, DEP_REL] = 1e-6 * release0
    seen[:, DEP_ALL] = 1e-6
    seen[:, [EXP_DEP, EXP_NOW]] = release0[:, None]
    seen[:, PORT_OPEN] = 1.0
    return seen


def _saved(ckpt: dict[str, np.ndarray], key: str, cls):
    """Bundle ``key`` of a checkpoint (its arrays copied: a checkpoint may be restored
    more than once)."""
    return cls(*(ckpt[f"{key}_{f}"].copy() for f in cls._fields))


def _new_model(inp: Inputs, rstate: np.ndarray, ckpt: dict[str, np.ndarray] | None = None):
    """A model at the start of the run, or at a checkpoint (``ckpt``: its agents, counters,
    feedback state and random stream; route choice is rebuilt the next day)."""
    cal, K, n_nat = inp.calendar, inp.K, len(NATIONALITIES)
    if ckpt is not None:
        n = int(ckpt["F_scal"][N_ACT])
        A = allocate(max(n, 1 << 16))
        for f in Agents._fields:
            getattr(A, f)[:n] = ckpt[f"A_{f}"].astype(AGENT_DTYPES[f])
        return _model(inp, A, _saved(ckpt, "C", Counters), _saved(ckpt, "F", Feedback),
                      ckpt["rng"].copy())
    C = allocate_counters(CounterDims(
        months=len(cal.months), sectors=len(SECTORS), nationalities=n_nat,
        demographics=len(DEMOGRAPHICS), edges=len(inp.network.edges), states=c.N_STATES,
        measures=len(c.MX_MEASURES), causes=len(c.CAUSES), outcomes=len(c.OUTCOMES),
        nodes=len(inp.network.nodes)))
    F = Feedback(scal=np.zeros(RELEASED_PREV + 1, np.int64),
                 backlog=np.array([float(inp.params["backlog_start"])]),
                 backlog_month=np.zeros((len(cal.months), 2)),
                 net_arrivals=K.net_ref * K.net_start,
                 maturity=np.where(K.mature_stock > 0.0, np.minimum(K.net_start, 1.0), 1.0),
                 arrived_prev=np.zeros(n_nat, np.int64),
                 departing=np.zeros(n_nat, np.int64),
                 edge_p=np.zeros((EDGE_DAYS, len(inp.network.edges), EP_DETOUR + 1)),
                 edge_day=np.full(EDGE_DAYS, -1, np.int64),
                 surrender=np.zeros((n_nat, len(DEMOGRAPHICS))),
                 cap=_cap_start(),
                 ledger=np.zeros((cal.n_days, c.N_STATES), np.int64),
                 departed=np.zeros(cal.n_days, np.int64), push=np.ones(n_nat),
                 cust=np.zeros(CUST_SHARE + 1), t8=np.zeros((n_nat, 2)), t8_load=np.zeros(n_nat),
                 rel_t8=np.ones(n_nat), ret_t8=np.zeros(n_nat),
                 cust_fam=np.zeros(CUST_SHARE + 1), t8_fam=np.zeros((n_nat, 2)),
                 t8_fam_load=np.zeros(n_nat), rel_fam=np.ones(n_nat),
                 ice_t8=np.zeros(n_nat), ice_fam=np.zeros(n_nat),
                 seen=_seen_start(K.release0),
                 value=np.zeros((cal.n_days, n_nat)), value_now=np.zeros(n_nat),
                 port_seen=np.zeros((cal.n_days, n_nat)),
                 pull=np.ones(n_nat), port_boost=np.ones(n_nat),
                 patience=np.full(n_nat, K.port_patience))
    return _model(inp, allocate(1 << 16), C, F, rstate)


def _model(inp: Inputs, A: Agents, C: Counters, F: Feedback, rstate: np.ndarray):
    """The compiled model of these agents, counters, feedback state and random stream, with
    the input's constant bundles and route choice to be computed."""
    K, R = inp.K, inp.R
    n_routes = len(R.length)
    slots = abs(K.lag_independent - K.lag_smuggler) + 2
    n_sec, n_x = len(SECTORS), len(CROSSINGS)
    Q = Choice(prob=np.zeros((4, n_routes)), cum=np.zeros((4, n_routes)), first=inp.first,
               count=inp.count, ea=np.zeros((slots, n_routes)),
               g=np.zeros((slots, 2, n_sec, n_x)), tag=np.full(slots, -1, np.int64),
               h=np.zeros((n_sec, n_x)), slot=np.zeros(2, np.int64),
               ea_day=np.full((slots, len(inp.network.nodes)), -1, np.int64),
               stamp=np.full((4, len(inp.network.nodes)), -1, np.int64))
    return ModelRef(compiled(A), compiled(C), compiled(F), compiled(K),
                    compiled(inp.D), compiled(inp.N), compiled(R), compiled(Q), rstate)


class RunawayRun(RuntimeError):
    """A run stopped because its agents passed the ``max_agents`` it was given (a
    calibration trial whose feedbacks explode: its score would be meaningless and its run
    would take hours)."""


class Simulation:
    """A run in progress: its resolved input and its model (agents, counters, feedback
    state, random stream), advanced by the compiled day loop.

    ``checkpoint``/``restore`` save and rebuild the model's state exactly, so running N
    days equals running k, checkpointing, restoring and running N-k."""

    def __init__(self, sc: Scenario, seed: int | None = 0, scale: int = 1, *,
                 parameters: ParameterSet,
                 seed_sequence: np.random.SeedSequence | None = None,
                 debug: bool | None = None, inputs: Inputs | None = None,
                 state: dict[str, np.ndarray] | None = None) -> None:
        self.sc, self.seed, self.scale = sc, seed, scale
        #: the fitted values of the parameters ``sc`` does not set (in the run's hash)
        self.parameters = parameters
        #: recount every state from the agents at the end of every day (:meth:`check`);
        #: default from the environment variable BORDERFLOW_DEBUG=1
        self.debug = (os.environ.get("BORDERFLOW_DEBUG", "") == "1") if debug is None else debug
        ss = seed_sequence if seed_sequence is not None else np.random.SeedSequence(seed)
        #: ``inputs``: the resolved input of ``(sc, scale)`` when the caller already has
        #: it (the particle filter restores many runs of one scenario)
        self.inputs = resolve(sc, scale, parameters) if inputs is None else inputs
        #: ``state``: a checkpoint to go on from (:meth:`restore`, which checks it)
        self.model = (_new_model(self.inputs, make_state(ss)) if state is None
                      else _new_model(self.inputs, None, state))
        self.wall = 0.0
        self.max_agents: int | None = None     # stop with RunawayRun past this many agents

    # views of the model (the same arrays)
    @property
    def A(self) -> Agents:
        return as_tuple(self.model.A, Agents)

    @property
    def C(self) -> Counters:
        return as_tuple(self.model.C, Counters)

    @property
    def F(self) -> Feedback:
        return as_tuple(self.model.F, Feedback)

    @property
    def cal(self) -> Calendar:
        return self.inputs.calendar

    @property
    def net(self) -> Network:
        return self.inputs.network

    @property
    def n_days(self) -> int:
        return self.cal.n_days

    @property
    def day(self) -> int:
        return int(self.model.F.scal[DAY])

    @property
    def n_act(self) -> int:
        return int(self.model.F.scal[N_ACT])

    @property
    def departed_total(self) -> int:
        return int(self.model.F.scal[DEPARTED])

    @departed_total.setter
    def departed_total(self, value: int) -> None:
        self.model.F.scal[DEPARTED] = value

    def network_step(self) -> np.ndarray:
        """One day of network momentum (the loop's own step): the factor per citizenship."""
        out = np.ones(len(NATIONALITIES))
        network_step(self.model, out)
        return out

    def advance(self, days: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> None:
        """Run ``days`` more days (default: to the end), a month per compiled call."""
        t0 = time.perf_counter()
        stop = self.n_days if days is None else min(self.day + days, self.n_days)
        ends = np.flatnonzero(np.diff(self.cal.day_month)) + 1
        while self.day < stop:
            later = ends[ends > self.day]
            d1 = int(min(later[0], stop)) if len(later) else stop
            code, s, a, b = run_days(self.model, d1, self.debug)
            if code != OK:
                self._fail(code, s, a, b)
            if self.max_agents is not None and self.departed_total > self.max_agents:
                raise RunawayRun(f"{self.departed_total:,} agents by "
                                 f"{self.cal.date(self.day - 1)}, past the {self.max_agents:,} "
                                 "allowed")
            if progress is not None:
                progress(self.day, self.n_days)
        self.wall += time.perf_counter() - t0

    def _fail(self, code: int, s: int, a: int, b: int) -> None:
        day = self.cal.date(self.day - 1)
        if code == NEGATIVE:
            raise AssertionError(f"{day}: negative count of state {c.STATES[s]}")
        if code == UNBALANCED:
            raise AssertionError(f"{day}: states hold {a} agents, {b} departed")
        if code == RECOUNT:
            raise AssertionError(f"{day}: {a} active agents in state {c.STATES[s]}, "
                                 f"running count {b}")

    def check(self) -> None:
        """The loop's daily conservation check, now (raises AssertionError naming the day
        and the state)."""
        code, s, a, b = check_model(self.model)
        if code != OK:
            self._fail(code, s, a, b)

    def checkpoint(self) -> dict[str, np.ndarray]:
        """The model's state, as plain arrays (no pickle): agents, counters, feedback
        state and the random stream (route choice is rebuilt the next day); the input is rebuilt from the
        scenario, whose hash (calibration included) the checkpoint carries."""
        compact(self.model)                  # unobservable: the order of agents is kept
        n = self.n_act
        out = {}
        for key, cls in STATE_BUNDLES.items():
            ref = getattr(self.model, key)
            for f in cls._fields:
                v = getattr(ref, f)
                out[f"{key}_{f}"] = (v[:n] if key == "A" else v).copy()
        out.update(rng=np.asarray(self.model.rng).copy(), scale=np.array(self.scale),
                   scenario_hash=np.array(scenario_hash(self.sc, self.parameters)))
        return out

    @classmethod
    def restore(cls, sc: Scenario, ckpt: dict[str, np.ndarray], *, parameters: ParameterSet,
                inputs: Inputs | None = None) -> Simulation:
        """Rebuild a run of ``sc`` from ``checkpoint()`` output (the scenario must match;
        ``inputs``: its resolved input at the checkpoint's scale, if already at hand)."""
        if str(ckpt["scenario_hash"]) != scenario_hash(sc, parameters):
            raise InputError("checkpoint belongs to another scenario", field="scenario_hash",
                             expected=scenario_hash(sc, parameters))
        want = [f"{k}_{f}" for k, b in STATE_BUNDLES.items() for f in b._fields]
        missing = [k for k in want if k not in ckpt]
        if missing:
            raise InputError("checkpoint written by another engine version: no "
                             f"{', '.join(missing[:5])}", field="checkpoint",
                             expected=", ".join(want))
        return cls(sc, seed=None, scale=int(ckpt["scale"]), parameters=parameters,
                   inputs=inputs, state=ckpt)

    def monthly_series(self) -> dict:
        """Fees by sector, the court backlog and Mexico's enforcement effort, by month."""
        cal, p, lv = self.cal, self.inputs.params, self.inputs.levers
        months = cal.day_month
        n = len(cal.months)

        def month_mean(x: np.ndarray) -> np.ndarray:
            tot = np.zeros((n,) + x.shape[1:])
            np.add.at(tot, months, x)
            return tot / cal.month_days.reshape((-1,) + (1,) * (x.ndim - 1))

        e_mx = month_mean(enforcement_index(lv["mx_checkpoint_staff"],
                                            self.inputs.checkpoints_by_state))
        posture = month_mean(lv["us_bp_posture"])
        fees = (p["base_fee"][None, :] * (posture * e_mx[:, None]) ** p["fee_elasticity"])
        return {"fees": fees, "backlog": self.F.backlog_month.copy(),
                "effort": month_mean(lv["mx_effort"]), "mx_enforcement": e_mx}

    def result(self) -> RawRun:
        F = self.F
        return RawRun(scenario=self.sc, calendar=self.cal, network=self.net, counters=self.C,
                      ledger=F.ledger, departed=F.departed, seed=self.seed,
                      scale=self.scale, agents=self.departed_total,
                      agent_steps=int(F.scal[STEPS]), wall_seconds=self.wall,
                      monthly=self.monthly_series(), parameters=self.parameters)


def save_checkpoint(sim: Simulation, path: str | Path) -> None:
    """Write ``sim.checkpoint()`` to an ``.npz`` file atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **sim.checkpoint())


def load_checkpoint(sc: Scenario, path: str | Path, parameters: ParameterSet) -> Simulation:
    with np.load(path, allow_pickle=False) as z:
        return Simulation.restore(sc, {k: z[k] for k in z.files}, parameters=parameters)


def simulate_raw(sc: Scenario, seed: int | None = 0, scale: int = 1, *,
                 parameters: ParameterSet,
                 seed_sequence: np.random.SeedSequence | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 debug: bool | None = None, max_agents: int | None = None) -> RawRun:
    """Run ``sc`` to its end, the parameters it does not set taken from ``parameters``,
    and return the raw counters. One agent = ``scale`` people.
    ``debug``: check conservation every day (default: BORDERFLOW_DEBUG=1).
    ``max_agents``: raise :class:`RunawayRun` once the run has made more agents."""
    sim = Simulation(sc, seed=seed, scale=scale, parameters=parameters,
                     seed_sequence=seed_sequence, debug=debug)
    sim.max_agents = max_agents
    sim.advance(progress=progress)
    return sim.result()
