"""Run a scenario: resolve inputs, then advance the state day by day."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from borderflow.engine import constants as c
from borderflow.engine.calendar import Calendar, make_calendar
from borderflow.engine.departures import (
    border_values,
    departure_rates,
    enforcement_index,
    entry_shares,
)
from borderflow.engine.diplomacy import apply_pressure
from borderflow.engine.kernel import step
from borderflow.engine.levers import resolve_levers, resolve_parameters
from borderflow.engine.mortality import edge_hazard, heat_season
from borderflow.engine.rand import make_state
from borderflow.engine.routechoice import (
    RouteAttrs,
    block_cumsum,
    block_softmax,
    route_checkpoints,
    route_utilities,
)
from borderflow.engine.state import Agents, Counters, allocate, allocate_counters, grow
from borderflow.engine.tables import Choice, Consts, DayLevers, NetArrays, RouteArrays, compiled
from borderflow.scenario.latent import daily as latent_daily
from borderflow.scenario.latent import resolve as resolve_latent
from borderflow.scenario.model import Scenario
from borderflow.scenario.registry import (
    BORDER_CITIES,
    DEMOGRAPHICS,
    MX_STATES,
    NATIONALITIES,
    SECTORS,
)
from borderflow.world.network import NODE_KINDS, Network, load_network
from borderflow.world.routes import RouteTable, build_routes

SPINUP_MONTHS = 4  # the corridor fills before the first reported month
SOUTH_RESTART = ("mx_tapachula", "mx_villahermosa")  # where transfers south leave people
START_KINDS = ("origin", "air_arrival", "darien", "southern_entry", "border_city")
CA_ORIGINS = {"Guatemala": "GTM", "Honduras": "HND", "El Salvador": "SLV", "Nicaragua": "NIC"}


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


def _months_before(ym: str, k: int) -> str:
    y, m = int(ym[:4]), int(ym[5:7]) - 1 - k
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def route_starts(net: Network) -> list[str]:
    """Nodes with route tables: entries, border cities and the transfer-south restarts."""
    kinds = net.nodes["kind"].to_numpy()
    ids = net.nodes["id"].to_numpy()
    return sorted(set(ids[np.isin(kinds, START_KINDS)]) | set(SOUTH_RESTART))


def _entry_nodes(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Candidate start nodes and, per nationality, a weight on each of them (visa-free case
    is refined daily by the air share)."""
    nodes = net.nodes
    kind = nodes["kind"].to_numpy()
    country = nodes["country"].to_numpy()
    mex = np.flatnonzero((kind == "origin") & (country == "MEX"))
    ca = [int(np.flatnonzero((kind == "origin") & (country == iso))[0])
          for iso in CA_ORIGINS.values()]
    air = np.flatnonzero(kind == "air_arrival")
    darien = np.flatnonzero(kind == "darien")[:1]
    entry = np.concatenate([mex, ca, air, darien]).astype(np.int16)
    return entry, np.array([len(mex), len(ca), len(air), 1])


def _entry_cum(p: dict, visa: np.ndarray, entry_sizes: np.ndarray) -> np.ndarray:
    """(days, nat, n_entry) cumulative start-node probabilities."""
    n_mex, n_ca, n_air, _ = entry_sizes
    days, n_nat = visa.shape
    w = np.zeros((days, n_nat, int(entry_sizes.sum())))
    shares = entry_shares(p, visa)                 # air, Managua, Darien
    for j, nat in enumerate(NATIONALITIES):
        if nat == "Mexico":
            w[:, j, :n_mex] = 1.0 / n_mex
        elif nat in CA_ORIGINS:
            w[:, j, n_mex + list(CA_ORIGINS).index(nat)] = 1.0
        else:
            w[:, j, n_mex + n_ca:n_mex + n_ca + n_air] = shares[:, j, 0:1] / n_air
            w[:, j, n_mex + list(CA_ORIGINS).index("Nicaragua")] += shares[:, j, 1]
            w[:, j, -1] = shares[:, j, 2]
    cum = np.cumsum(w, axis=-1)
    return cum / cum[..., -1:]


def _route_arrays(net: Network, rt: RouteTable) -> tuple[RouteArrays, RouteAttrs, Choice]:
    mxs = np.array([MX_STATES.index(s) if s in MX_STATES else -1 for s in net.mx_states])
    edge_mxs = np.where(net.edge_mx_state >= 0, mxs[np.maximum(net.edge_mx_state, 0)], -1)
    n_nodes = len(net.nodes)
    first = np.zeros(n_nodes, np.int32)
    count = np.zeros(n_nodes, np.int32)
    starts, block_start = np.unique(rt.start, return_index=True)
    first[starts] = block_start
    count[starts] = np.diff(np.append(block_start, len(rt.start)))
    border = NODE_KINDS.index("border_city")
    names = net.nodes["name"].to_numpy()
    last = rt.edges[np.arange(len(rt.start)), rt.length - 1]
    city_of = {name: k for k, name in enumerate(BORDER_CITIES)}
    cross_city = np.array([city_of.get(names[net.edge_src[e]], -1) for e in last])
    cross_city = np.where(np.isin(rt.crossing, (c.X_URBAN, c.X_PORT)), cross_city, -1)
    ra = RouteAttrs(days=rt.days.astype(float), cost=rt.cost.astype(float),
                    hazard_days=rt.hazard_days.astype(float),
                    checkpoints=route_checkpoints(rt, net.edge_checkpoints, edge_mxs,
                                                  len(MX_STATES)),
                    crossing=rt.crossing, sector=rt.sector, block_start=block_start,
                    start=rt.start, cross_city=cross_city)
    arrays = RouteArrays(edges=rt.edges, length=rt.length, crossing=rt.crossing,
                         from_border=(net.node_kind[rt.start] == border).astype(np.int8))
    choice = Choice(prob=np.zeros((4, len(rt.start))), cum=np.zeros((4, len(rt.start))),
                    first=first, count=count)
    return arrays, ra, choice


def _net_arrays(net: Network, hazard_by_area: np.ndarray) -> NetArrays:
    mxs = np.array([MX_STATES.index(s) if s in MX_STATES else -1 for s in net.mx_states])
    ids = net.node_index
    south = np.array([ids[k] for k in SOUTH_RESTART], dtype=np.int16)
    return NetArrays(src=net.edge_src, dst=net.edge_dst, days=net.edge_days.astype(np.int16),
                     hazard=edge_hazard(net, hazard_by_area), mode=net.edge_mode,
                     crossing=net.edge_crossing, checkpoints=net.edge_checkpoints,
                     mxs=np.where(net.edge_mx_state >= 0, mxs[np.maximum(net.edge_mx_state, 0)],
                                  -1).astype(np.int16),
                     sector=net.edge_sector, south=south,
                     city=np.array([BORDER_CITIES.index(x) if x in BORDER_CITIES else -1
                                    for x in net.nodes["name"]], dtype=np.int16))


def _consts(p: dict) -> Consts:
    return Consts(
        interception=p["interception_per_checkpoint"], smuggler_evasion=p["smuggler_evasion"],
        bus_days=p["bus_processing_days"], flight_days=p["flight_processing_days"],
        deport_share=p["deport_share"], comar_share=p["comar_share"],
        give_up_share=p["give_up_share"], transfer_restart_days=p["transfer_restart_days"],
        app_urban=p["apprehension_urban"], app_remote=p["apprehension_remote"],
        remote_posture_share=p["remote_posture_share"], retry_expulsion=p["retry_after_expulsion"],
        retry_removal=p["retry_after_removal"], retry_wait=p["retry_wait_days"],
        border_wait=p["border_wait_days"], port_patience=p["port_patience_days"],
        redeparture_share=p["redeparture_share"], redeparture_days=p["redeparture_days"],
        hazard_scale=p["hazard_scale"], rescue_share=p["rescue_share"],
        missing_share=p["missing_share"], reference_release=p["reference_release"],
        abandonment_share=p["abandonment_share"], abandonment_hazard=p["abandonment_hazard"],
        crackdown_pickup=p["crackdown_pickup"], border_response=p["border_response"],
        border_give_up=p["border_give_up"],
        surrender=np.asarray(p["surrender_propensity"], dtype=np.float64))


def _day_levers(lv: dict, p: dict, cal: Calendar, scale: int) -> DayLevers:
    return DayLevers(
        staff=lv["mx_checkpoint_staff"], det_limit=lv["mx_detention_limit_days"][:, 0],
        det_cap=lv["mx_detention_capacity"][:, 0] / scale,
        flight_cap=lv["mx_flight_capacity"][:, 0] / scale,
        transfer_south=lv["mx_transfer_south_share"][:, 0], bus=lv["mx_bus_deportation"],
        flights=lv["mx_repatriation_flights"], t42=lv["us_title42"],
        t42_family=lv["us_title42_family_share"][:, 0], t42_uac=lv["us_title42_uac"][:, 0],
        release=lv["us_release_rate"], mpp=lv["us_mpp_share"][:, 0], posture=lv["us_bp_posture"],
        port_cap=lv["us_port_daily_cap"][:, 0] / scale,
        season=heat_season(cal.day_doy, p["heat_amplitude"]),
        crackdown=lv["mx_city_crackdown"], **dict(zip(("value_now", "value_dep"),
                                                      border_values(lv, p), strict=True)))


def _spawn(A: Agents, sl: slice, new: np.ndarray, d: int, p: dict, cum: np.ndarray,
           entry: np.ndarray, rng: np.random.Generator) -> None:
    """Fill ``A[sl]`` with today's departures (``new`` per nationality)."""
    nat = np.repeat(np.arange(len(NATIONALITIES), dtype=np.int8), new)
    u = rng.random((len(nat), 4))
    fam, uac = p["family_share"][nat], p["uac_share"][nat]
    A.nat[sl] = nat
    A.demo[sl] = np.where(u[:, 0] < fam, c.FAMILY, np.where(u[:, 0] < fam + uac, c.UAC, c.SA))
    A.smug[sl] = u[:, 1] < p["smuggler_share"]
    start = entry[(cum[nat] < u[:, 2:3]).sum(axis=1)]
    A.start[sl] = start
    A.node[sl] = start
    A.route[sl] = -1
    A.state[sl] = c.IN_TRANSIT
    A.flag[sl] = c.F_NONE
    A.timer[sl] = 0
    A.leg[sl] = 0
    A.attempts[sl] = 0
    A.waited[sl] = 0
    A.depart_day[sl] = d
    A.intent_u[sl] = u[:, 3]


class Simulation:
    """A run in progress: resolved inputs, the agent state and the counters.

    ``advance`` moves it forward by whole days; ``checkpoint``/``restore`` save
    and rebuild it exactly (agent arrays, counters, both random streams, day),
    so running N days equals running k, checkpointing, restoring and running N-k.
    """

    def __init__(self, sc: Scenario, seed: int | None = 0, scale: int = 1, *,
                 seed_sequence: np.random.SeedSequence | None = None,
                 debug: bool | None = None) -> None:
        self.sc, self.seed, self.scale = sc, seed, scale
        #: check the conservation of agents at the end of every day (:meth:`check`);
        #: default from the environment variable BORDERFLOW_DEBUG=1
        self.debug = (os.environ.get("BORDERFLOW_DEBUG", "") == "1") if debug is None else debug
        ss = seed_sequence if seed_sequence is not None else np.random.SeedSequence(seed)
        spawn_ss, step_ss = ss.spawn(2)
        self.rng = np.random.default_rng(spawn_ss)     # departures, drawn in numpy
        self.rstate = make_state(step_ss)              # the compiled step's stream
        self.net = net = load_network()
        rt = build_routes(net, starts=route_starts(net))
        self.cal = cal = make_calendar(_months_before(sc.start, SPINUP_MONTHS), sc.end)
        self.p = p = resolve_parameters(sc)
        self.lv = lv = apply_pressure(resolve_levers(sc, cal), p)
        self.N = _net_arrays(net, p["hazard_by_area"])
        self.R, self.ra, self.Q = _route_arrays(net, rt)
        chk = np.bincount(self.N.mxs[self.N.mxs >= 0], weights=net.edge_checkpoints[
            self.N.mxs >= 0], minlength=len(MX_STATES)).astype(float)
        self.push_resid, self.sector_resid = latent_daily(
            resolve_latent(sc), cal.start, cal.n_days, float(p["latent_strength"]))
        self.lam = departure_rates(lv, p, cal, sc.drivers, chk, self.push_resid) / scale
        self.entry, entry_sizes = _entry_nodes(net)
        self.cum = _entry_cum(p, lv["mx_visa_required"], entry_sizes)
        self.K = _consts(p)
        self.D = _day_levers(lv, p, cal, scale)
        self.C = allocate_counters(len(cal.months), len(SECTORS), len(NATIONALITIES),
                                   len(DEMOGRAPHICS), len(net.edges), c.N_STATES,
                                   len(c.MX_MEASURES), len(c.CAUSES), len(c.OUTCOMES),
                                   len(net.nodes))
        self.A: Agents = allocate(1 << 16)
        self.n_act = 0                    # active agents occupy A[:n_act]
        self.day = 0
        self.departed_total = 0
        self.steps_total = 0
        self.queue_prev = 0
        self.wall = 0.0
        self.ledger = np.zeros((cal.n_days, c.N_STATES), np.int64)
        self.departed = np.zeros(cal.n_days, np.int64)
        self.lags = (int(p["smuggler_info_lag"]), int(p["independent_info_lag"]))
        self.chk = chk
        self.backlog = float(p["backlog_start"])
        self.backlog_ref_wait = self._wait_years(0)
        self.released_prev = 0
        self.backlog_month = np.zeros((len(cal.months), 2))   # pending cases, expected wait
        self.not_mexico = np.array([n != "Mexico" for n in NATIONALITIES])
        # network momentum: smoothed arrivals in the U.S. (agents/day), at reference at start
        self.net_ref = (p["base_departures"] * 12.0 / 365.25 * p["network_reference_success"]
                        / scale)
        self.net_arrivals = self.net_ref.copy()
        self.arrived_prev = np.zeros(len(NATIONALITIES), np.int64)

    def _wait_years(self, d: int) -> float:
        per_year = max(self.lv["us_court_completions"][d, 0] * 12.0, 1.0)
        return self.backlog / per_year

    def _backlog_step(self, d: int) -> float:
        """Advance the court backlog by a day; return the pull factor of the expected wait."""
        p, lv = self.p, self.lv
        released = int(self.C.outcomes[:, c.O_RELEASE_US].sum())
        inflow = (released - self.released_prev) * self.scale * p["backlog_filing_share"]
        self.released_prev = released
        self.backlog = max(self.backlog + inflow + (p["backlog_other_receipts"]
                                                    - lv["us_court_completions"][d, 0]) / 30.44, 0.0)
        wait = self._wait_years(d)
        self.backlog_month[self.cal.day_month[d]] = (self.backlog, wait)
        return (max(wait, 1e-6) / max(self.backlog_ref_wait, 1e-6)) ** p["backlog_wait_elasticity"]

    def _network_step(self) -> np.ndarray:
        """Network momentum (MODEL.md mechanism 1): departures x (recent arrivals in the U.S.
        / reference)^elasticity per citizenship, arrivals = gotaways + releases, smoothed
        over ``network_memory_days``; clipped to [1/5, 5]."""
        p = self.p
        arrived = (self.C.outcomes[:, c.O_GOTAWAY, :].sum(axis=0)
                   + self.C.outcomes[:, c.O_RELEASE_US, :].sum(axis=0))
        fresh = (arrived - self.arrived_prev).astype(float)
        self.arrived_prev = arrived
        self.net_arrivals += (fresh - self.net_arrivals) / max(p["network_memory_days"], 1.0)
        eta = p["network_elasticity"]
        if eta == 0.0:
            return np.ones(len(NATIONALITIES))
        ratio = (self.net_arrivals + 1e-9) / np.maximum(self.net_ref, 1e-9)
        return np.clip(ratio ** eta, 0.2, 5.0)

    @property
    def n_days(self) -> int:
        return self.cal.n_days

    def advance(self, days: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> None:
        """Run ``days`` more days (default: to the end)."""
        t0 = time.perf_counter()
        stop = self.n_days if days is None else min(self.day + days, self.n_days)
        A, C, D, Q, p = self.A, self.C, self.D, self.Q, self.p
        views = [compiled(x) for x in (A, C, self.K, D, self.N, self.R, Q)]
        for d in range(self.day, stop):
            m = int(self.cal.day_month[d])
            queue_now = int(C.outcomes[:, c.O_QUEUE].sum())
            port_wait = (queue_now - self.queue_prev) / max(D.port_cap[d], 1e-9)
            self.queue_prev = queue_now
            for k, lag in enumerate(self.lags):
                dl = max(d - lag, 0)
                u, evade, found = route_utilities(self.ra, D.staff[dl], D.posture[dl], p,
                                                  min(port_wait, p["port_patience_days"]),
                                                  self.lv["mx_city_crackdown"][dl],
                                                  self.sector_resid[d])
                Q.prob[k] = block_softmax(u - evade, self.ra.block_start)      # evaders
                Q.prob[k + 2] = block_softmax(u + found, self.ra.block_start)  # asylum seekers
            Q.cum[:] = block_cumsum(Q.prob, self.ra.block_start)
            wait_pull = self._backlog_step(d)
            momentum = self._network_step()
            new = self.rng.poisson(self.lam[d] * momentum
                                   * np.where(self.not_mexico, wait_pull, 1.0))
            tot = int(new.sum())
            if tot:
                if self.n_act + tot > len(A.nat):
                    A = self.A = grow(A, int((self.n_act + tot) * 1.5))
                    views[0] = compiled(A)
                _spawn(A, slice(self.n_act, self.n_act + tot), new, d, p, self.cum[d],
                       self.entry, self.rng)
                C.states[c.IN_TRANSIT] += tot
                C.outcomes[m, c.O_DEPART] += new
                self.n_act += tot
                self.departed_total += tot
            self.n_act, steps = step(views[0], self.n_act, d, m, *views[1:], self.rstate)
            self.steps_total += steps
            self.ledger[d] = C.states
            self.departed[d] = self.departed_total
            self.day = d + 1
            if self.debug:
                self.check()
            if progress is not None:
                progress(d + 1, self.n_days)
        self.wall += time.perf_counter() - t0

    def check(self) -> None:
        """Conservation, recounted from the agents themselves: the running state counts
        sum to everyone who departed, none is negative, and the agents still in the
        arrays, counted by their state, match the running counts of the corridor states
        (every agent in the corridor is active) and never exceed those of the others.
        Raises AssertionError naming the day and the state."""
        counts = self.C.states
        recount = np.bincount(self.A.state[:self.n_act].astype(np.int64),
                              minlength=c.N_STATES)[:c.N_STATES]
        day = self.cal.start + dt.timedelta(days=self.day - 1)
        if (counts < 0).any():
            s = c.STATES[int(np.flatnonzero(counts < 0)[0])]
            raise AssertionError(f"{day}: negative count of state {s}")
        if int(counts.sum()) != self.departed_total:
            raise AssertionError(f"{day}: states hold {int(counts.sum())} agents, "
                                 f"{self.departed_total} departed")
        for k in range(c.N_STATES):
            if (recount[k] != counts[k]) if k <= c.CORRIDOR_MAX else (recount[k] > counts[k]):
                raise AssertionError(f"{day}: {recount[k]} active agents in state "
                                     f"{c.STATES[k]}, running count {counts[k]}")

    def checkpoint(self) -> dict[str, np.ndarray]:
        """Everything needed to continue exactly, as plain arrays (no pickle)."""
        from borderflow.scenario.load import scenario_hash

        out = {f"agent_{k}": v[: self.n_act].copy() for k, v in self.A._asdict().items()}
        out.update({f"count_{k}": v.copy() for k, v in self.C._asdict().items()})
        out.update(ledger=self.ledger.copy(), departed=self.departed.copy(),
                   rstate=self.rstate.copy(),
                   rng=np.array(json.dumps(self.rng.bit_generator.state)),
                   scalars=np.array([self.day, self.n_act, self.departed_total,
                                     self.steps_total, self.queue_prev, self.scale,
                                     self.released_prev], np.int64),
                   backlog=np.array([self.backlog]), backlog_month=self.backlog_month.copy(),
                   net_arrivals=self.net_arrivals.copy(), arrived_prev=self.arrived_prev.copy(),
                   scenario_hash=np.array(scenario_hash(self.sc)))
        return out

    @classmethod
    def restore(cls, sc: Scenario, ckpt: dict[str, np.ndarray]) -> Simulation:
        """Rebuild a run of ``sc`` from ``checkpoint()`` output (the scenario must match)."""
        from borderflow.errors import InputError
        from borderflow.scenario.load import scenario_hash

        if str(ckpt["scenario_hash"]) != scenario_hash(sc):
            raise InputError("checkpoint belongs to another scenario", field="scenario_hash",
                             expected=scenario_hash(sc))
        day, n_act, departed_total, steps_total, queue_prev, scale, released_prev = (
            int(x) for x in ckpt["scalars"])
        missing = [k for k in Agents._fields if f"agent_{k}" not in ckpt]
        if missing:
            raise InputError("checkpoint written by another engine version: no agent "
                             f"attribute {', '.join(missing)}", field="checkpoint",
                             expected=", ".join(f"agent_{k}" for k in Agents._fields))
        sim = cls(sc, seed=None, scale=scale)
        sim.A = grow(Agents(**{k: ckpt[f"agent_{k}"] for k in Agents._fields}),
                     max(n_act, 1 << 16))
        for k, v in sim.C._asdict().items():
            v[...] = ckpt[f"count_{k}"]
        sim.ledger[...] = ckpt["ledger"]
        sim.departed[...] = ckpt["departed"]
        sim.rstate[...] = ckpt["rstate"]
        sim.rng.bit_generator.state = json.loads(str(ckpt["rng"]))
        sim.day, sim.n_act, sim.departed_total = day, n_act, departed_total
        sim.steps_total, sim.queue_prev = steps_total, queue_prev
        sim.released_prev = released_prev
        sim.backlog = float(ckpt["backlog"][0])
        sim.backlog_month[...] = ckpt["backlog_month"]
        sim.net_arrivals[...] = ckpt["net_arrivals"]
        sim.arrived_prev[...] = ckpt["arrived_prev"]
        return sim

    def monthly_series(self) -> dict:
        """Fees by sector, the court backlog and Mexico's enforcement effort, by month."""
        cal, p, lv = self.cal, self.p, self.lv
        months = cal.day_month
        n = len(cal.months)

        def month_mean(x: np.ndarray) -> np.ndarray:
            tot = np.zeros((n,) + x.shape[1:])
            np.add.at(tot, months, x)
            return tot / cal.month_days.reshape((-1,) + (1,) * (x.ndim - 1))

        e_mx = month_mean(enforcement_index(lv["mx_checkpoint_staff"], self.chk))
        posture = month_mean(lv["us_bp_posture"])
        fees = (p["base_fee"][None, :] * (posture * e_mx[:, None]) ** p["fee_elasticity"])
        return {"fees": fees, "backlog": self.backlog_month.copy(),
                "effort": month_mean(lv["mx_effort"]), "mx_enforcement": e_mx}

    def result(self) -> RawRun:
        return RawRun(scenario=self.sc, calendar=self.cal, network=self.net, counters=self.C,
                      ledger=self.ledger, departed=self.departed, seed=self.seed,
                      scale=self.scale, agents=self.departed_total, agent_steps=self.steps_total,
                      wall_seconds=self.wall, monthly=self.monthly_series())


def save_checkpoint(sim: Simulation, path: str | Path) -> None:
    """Write ``sim.checkpoint()`` to an ``.npz`` file atomically."""
    from borderflow.atomic import atomic_path

    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **sim.checkpoint())


def load_checkpoint(sc: Scenario, path: str | Path) -> Simulation:
    with np.load(path, allow_pickle=False) as z:
        return Simulation.restore(sc, {k: z[k] for k in z.files})


def simulate_raw(sc: Scenario, seed: int | None = 0, scale: int = 1, *,
                 seed_sequence: np.random.SeedSequence | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 debug: bool | None = None) -> RawRun:
    """Run ``sc`` to its end and return the raw counters. One agent = ``scale`` people.
    ``debug``: check conservation every day (default: BORDERFLOW_DEBUG=1)."""
    sim = Simulation(sc, seed=seed, scale=scale, seed_sequence=seed_sequence, debug=debug)
    sim.advance(progress=progress)
    return sim.result()
