"""The typed bundles of a run and the one compiled structure that holds them (``Model``).

The resolved inputs (:mod:`borderflow.engine.inputs`) are ``Consts``, ``DayLevers``,
``NetArrays`` and ``RouteArrays``; the state is ``Agents``, ``Counters``, ``Feedback``,
today's route ``Choice`` and the random stream.  The compiled code sees them through one
``Model`` (``M.A.nat[i]``, ``M.K.interception``...), so every mechanism is a function of
``(M, i, d, m)``: the model, the agent, the day and its month.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit
from numba.core import types
from numba.experimental import structref

from borderflow.engine.state import Agents, Counters, Feedback


class Consts(NamedTuple):
    interception: float
    smuggler_evasion: float
    detour_hazard: float
    bus_days: float
    flight_days: float
    deport_share: float
    comar_share: float
    give_up_share: float
    transfer_restart_days: float
    transfer_days: float
    custody_days: float
    overflow_threshold: float  # x holding capacity past which custody releases
    mpp_wait_days: float
    uac_release: float
    app_urban: float
    app_remote: float
    remote_posture_share: float
    retry_expulsion: float
    retry_removal: float
    retry_wait: float
    border_wait: float
    port_patience: float
    redeparture_share: float
    redeparture_days: float
    hazard_scale: float
    rescue_share: float
    missing_share: float
    abandonment_share: float
    abandonment_hazard: float
    crackdown_pickup: float
    border_response: float
    border_give_up: float
    reference_release: float
    smuggler_share: float
    backlog_filing_share: float
    backlog_other_receipts: float
    backlog_wait_elasticity: float
    backlog_ref_wait: float
    network_memory_days: float
    network_elasticity: float
    network_clip: float
    capacity_elasticity: float
    capacity_days: float
    family_stay: float         # days a family holds a family bed (Flores)
    capacity_ref: float        # encounters/day per agent on duty at which capacity binds
    darien_node: int
    scale: float
    lag_smuggler: int
    lag_independent: int
    surrender: np.ndarray      # (3,) by demographic
    family_share: np.ndarray   # (nat,)
    uac_share: np.ndarray      # (nat,)
    pull_elasticity: float
    perception_days: float
    border_perception_days: float
    parole_substitution: float
    evasion_w: np.ndarray      # (nat,) weight of evading in the value of an attempt
    ref_value: np.ndarray      # (nat,) value of an attempt at which pull is 1
    release0: np.ndarray       # (nat,) release chance seen before the first outcome
    net_ref: np.ndarray        # (nat,) reference arrivals (agents/day)
    net_start: np.ndarray      # (nat,) recent arrivals on the first day / net_ref
    net_seed: float            # arrivals (agents/day) every network counts beside its own
    mature_stock: np.ndarray   # (nat,) arrivals (agents) that make a network mature; 0: all mature
    wait_pull: np.ndarray      # (nat,) 1 where the backlog's expected wait pulls (not Mexico)
    port_weight: np.ndarray    # (nat,) utility of the status a port parole opens (port_status)
    port_gain_weight: float    # utility of a certain entry over a crossing worth nothing


class DayLevers(NamedTuple):
    """Inputs by day (capacities and rates already divided by the scale)."""
    staff: np.ndarray          # (days, n_mx_states)
    det_limit: np.ndarray      # (days,)
    det_cap: np.ndarray        # (days,) agents
    flight_cap: np.ndarray     # (days,) agents/day
    transfer_south: np.ndarray  # (days,)
    bus: np.ndarray            # (days, nat)
    flights: np.ndarray        # (days, nat)
    t42: np.ndarray            # (days, nat)
    t42_family: np.ndarray     # (days, nat)
    t42_uac: np.ndarray        # (days,)
    release: np.ndarray        # (days, nat)
    mpp: np.ndarray            # (days,)
    posture: np.ndarray        # (days, sector)
    port_cap: np.ndarray       # (days,) agents/day
    season: np.ndarray         # (days,) heat factor on foot/river hazard
    crackdown: np.ndarray      # (days, border cities) crackdown intensity
    evade_now: np.ndarray      # (days, nat) value of evading as seen in a border city
    evade_dep: np.ndarray      # (days, nat) value of evading as perceived at origin
    beds: np.ndarray           # (days,) ICE beds open to border arrests (agents)
    alos: np.ndarray           # (days,) average days a detainee holds a bed
    family_beds: np.ndarray    # (days,) ICE family beds (agents)
    removal_cap: np.ndarray    # (days, nat) people ICE can remove a day (agents/day)
    return_cap: np.ndarray     # (days, nat) non-Mexicans Mexico accepts from the U.S. border a
    #                            day, shared by the nationalities it is set for (agents/day)
    cbp_removal: np.ndarray    # (days, nat) share of those not released removed from CBP
    #                            custody (a flight, no ICE bed)
    cbp_capacity: np.ndarray   # (days,) Border Patrol holding capacity (agents)
    cbp_overflow: np.ndarray   # (days,) 1: custody past its threshold releases
    parole: np.ndarray         # (days, nat) parole authorisations a day (agents/day)
    court: np.ndarray          # (days,) immigration court completions per month
    lam: np.ndarray            # (days, nat) expected departures (agents/day)
    entry_cum: np.ndarray      # (days, nat, entries) cumulative start-node probabilities
    bp_agents: np.ndarray      # (days,) Border Patrol agents on the Southwest border
    month: np.ndarray          # (days,) month index


class NetArrays(NamedTuple):
    src: np.ndarray
    dst: np.ndarray
    days: np.ndarray
    hazard: np.ndarray
    mode: np.ndarray
    crossing: np.ndarray
    checkpoints: np.ndarray
    mxs: np.ndarray            # Mexican state of the edge's checkpoints (registry index) or -1
    sector: np.ndarray
    south: np.ndarray          # nodes where transfers south restart (world data: role)
    city: np.ndarray           # (nodes,) BORDER_CITIES index of a node, or -1
    entry: np.ndarray          # start nodes of departures (columns of DayLevers.entry_cum)


class RouteArrays(NamedTuple):
    edges: np.ndarray          # (R, Lmax)
    length: np.ndarray         # (R,)
    crossing: np.ndarray       # (R,)
    from_border: np.ndarray    # (R,) 1 if the route starts at a border city
    sector: np.ndarray         # (R,) sector of the final crossing (0 if none)
    cross_city: np.ndarray     # (R,) border city of an urban/port crossing, or -1
    u_static: np.ndarray       # (R,) the utility terms that do not change in a run
    app_base: np.ndarray       # (R,) base apprehension chance of the final crossing
    chk_ptr: np.ndarray        # (R+1,) checkpoints per Mexican state, sparse by route:
    chk_state: np.ndarray      #   states chk_state[chk_ptr[r]:chk_ptr[r+1]]
    chk_count: np.ndarray      #   with these numbers of checkpoints
    beta: np.ndarray           # (5,) days, checkpoint, apprehension, crackdown, interception


class Choice(NamedTuple):
    prob: np.ndarray           # (4, R) today's choice probabilities: rows 0-1 evaders by
    #                            information class, rows 2-3 the same for asylum seekers
    cum: np.ndarray            # (4, R) the same, cumulative within each start block
    first: np.ndarray          # (nodes,) first route of each start node
    count: np.ndarray          # (nodes,) number of routes from each node
    ea: np.ndarray             # (slots, R) cache: exp(lagged utility) by information day
    ea_day: np.ndarray         # (slots, nodes) the information day of each start node's
    #                            block of ea (routechoice.route_weights; -1 none)
    g: np.ndarray              # (slots, 2, sectors, crossings) cache: U.S. term factors
    tag: np.ndarray            # (slots,) information day of each cache slot (-1 none)
    h: np.ndarray              # (sectors, crossings) scratch: today's factors
    slot: np.ndarray           # (2,) today's cache slot of each information class
    stamp: np.ndarray          # (4, nodes) the day each row's block of a start node was
    #                            last normalised (routechoice.block_choice; -1 none)


# ---------------------------------------------------------------------------
# Compiled views.  numba passes a named tuple of arrays to a compiled function
# as hundreds of scalar arguments (seven per array); a StructRef is passed as one
# pointer and reads the same way (``A.nat[i]``).  Its fields can be set in compiled
# code, which is how the agent arrays grow.

def _fields(self, fields):
    return tuple((name, types.unliteral(typ)) for name, typ in fields)


BUNDLES = {"Agents": Agents, "Counters": Counters, "Feedback": Feedback, "Consts": Consts,
           "DayLevers": DayLevers, "NetArrays": NetArrays, "RouteArrays": RouteArrays,
           "Choice": Choice}
_PROXY: dict[type, type] = {}


def _getter(field: str) -> property:
    """A read-only Python attribute of a StructRef view (one compiled read)."""
    scope: dict = {}
    exec(f"def get(s):\n    return s.{field}\n", scope)   # noqa: S102 - a field name
    get = njit(scope["get"])
    return property(lambda self: get(self), doc=f"the ``{field}`` field")


def _register(name: str, fields: list[str]) -> type:
    typ = structref.register(type(f"{name}T", (types.StructRef,),
                                  {"preprocess_fields": _fields, "__module__": __name__}))
    proxy = type(f"{name}Ref", (structref.StructRefProxy,),
                 {"__module__": __name__, **{f: _getter(f) for f in fields}})
    structref.define_proxy(proxy, typ, fields)
    globals()[typ.__name__], globals()[proxy.__name__] = typ, proxy   # importable by name
    return proxy


for _name, _nt in BUNDLES.items():
    _PROXY[_nt] = _register(_name, list(_nt._fields))

#: the model: every bundle (A agents, C counters, F feedback, K constants, D daily inputs,
#: N network, R routes, Q today's choice) and the random stream
MODEL_FIELDS = ("A", "C", "F", "K", "D", "N", "R", "Q", "rng")
ModelRef = _register("Model", list(MODEL_FIELDS))


def compiled(bundle):
    """The StructRef view of a named-tuple bundle (shares its arrays)."""
    return _PROXY[type(bundle)](*bundle)


def as_tuple(ref, cls):
    """The named tuple of a bundle's StructRef view (the same arrays)."""
    return cls(*(getattr(ref, k) for k in cls._fields))
