"""The typed bundles the compiled step reads (numba accepts named tuples of arrays)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba.core import types
from numba.experimental import structref


class Consts(NamedTuple):
    interception: float
    smuggler_evasion: float
    bus_days: float
    flight_days: float
    deport_share: float
    comar_share: float
    give_up_share: float
    transfer_restart_days: float
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
    surrender: np.ndarray      # (3,) by demographic


class DayLevers(NamedTuple):
    """Lever values by day (capacities already divided by the scale)."""
    staff: np.ndarray          # (days, n_mx_states)
    det_limit: np.ndarray      # (days,)
    det_cap: np.ndarray        # (days,) agents
    flight_cap: np.ndarray     # (days,) agents/day
    transfer_south: np.ndarray  # (days,)
    bus: np.ndarray            # (days, nat)
    flights: np.ndarray        # (days, nat)
    t42: np.ndarray            # (days, nat)
    t42_family: np.ndarray     # (days,)
    t42_uac: np.ndarray        # (days,)
    release: np.ndarray        # (days, nat)
    mpp: np.ndarray            # (days,)
    posture: np.ndarray        # (days, sector)
    port_cap: np.ndarray       # (days,) agents/day
    season: np.ndarray         # (days,) heat factor on foot/river hazard
    crackdown: np.ndarray      # (days, border cities) crackdown intensity
    value_now: np.ndarray      # (days, nat) value of crossing as seen in a border city
    value_dep: np.ndarray      # (days, nat) value of crossing as perceived at departure


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
    south: np.ndarray          # nodes where transfers south restart (Tapachula, Villahermosa)
    city: np.ndarray           # (nodes,) BORDER_CITIES index of a node, or -1


class RouteArrays(NamedTuple):
    edges: np.ndarray          # (R, Lmax)
    length: np.ndarray         # (R,)
    crossing: np.ndarray       # (R,)
    from_border: np.ndarray    # (R,) 1 if the route starts at a border city


class Choice(NamedTuple):
    prob: np.ndarray           # (4, R) today's choice probabilities: rows 0-1 evaders by
    #                            information class, rows 2-3 the same for asylum seekers
    cum: np.ndarray            # (4, R) the same, cumulative within each start block
    first: np.ndarray          # (nodes,) first route of each start node
    count: np.ndarray          # (nodes,) number of routes from each node


# ---------------------------------------------------------------------------
# Compiled views.  numba passes a named tuple of arrays to a compiled function
# as hundreds of scalar arguments (seven per array), which made every call
# between mechanism modules cost about a microsecond.  A StructRef is passed as
# one pointer and reads the same way (``A.nat[i]``), so the step sees each
# bundle through one of these.

def _fields(self, fields):
    return tuple((name, types.unliteral(typ)) for name, typ in fields)


@structref.register
class AgentsT(types.StructRef):
    preprocess_fields = _fields


@structref.register
class CountersT(types.StructRef):
    preprocess_fields = _fields


@structref.register
class ConstsT(types.StructRef):
    preprocess_fields = _fields


@structref.register
class DayLeversT(types.StructRef):
    preprocess_fields = _fields


@structref.register
class NetArraysT(types.StructRef):
    preprocess_fields = _fields


@structref.register
class RouteArraysT(types.StructRef):
    preprocess_fields = _fields


@structref.register
class ChoiceT(types.StructRef):
    preprocess_fields = _fields


class AgentsRef(structref.StructRefProxy):
    pass


class CountersRef(structref.StructRefProxy):
    pass


class ConstsRef(structref.StructRefProxy):
    pass


class DayLeversRef(structref.StructRefProxy):
    pass


class NetArraysRef(structref.StructRefProxy):
    pass


class RouteArraysRef(structref.StructRefProxy):
    pass


class ChoiceRef(structref.StructRefProxy):
    pass


def _define() -> None:
    from borderflow.engine.state import Agents, Counters

    for proxy, typ, nt in ((AgentsRef, AgentsT, Agents), (CountersRef, CountersT, Counters),
                           (ConstsRef, ConstsT, Consts), (DayLeversRef, DayLeversT, DayLevers),
                           (NetArraysRef, NetArraysT, NetArrays),
                           (RouteArraysRef, RouteArraysT, RouteArrays),
                           (ChoiceRef, ChoiceT, Choice)):
        structref.define_proxy(proxy, typ, list(nt._fields))


_define()


def compiled(bundle):
    """The StructRef view of a named-tuple bundle (shares its arrays)."""
    from borderflow.engine.state import Agents, Counters

    ref = {Agents: AgentsRef, Counters: CountersRef, Consts: ConstsRef, DayLevers: DayLeversRef,
           NetArrays: NetArraysRef, RouteArrays: RouteArraysRef, Choice: ChoiceRef}[type(bundle)]
    return ref(*bundle)
