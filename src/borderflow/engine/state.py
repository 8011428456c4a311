"""The mutable state of a run: agents (struct of arrays), counters and feedback state."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: every agent field: name, dtype and meaning.  The one declaration of the agents: the
#: named tuple ``Agents``, ``AGENT_DTYPES`` and the compiled per-field copies of the loop
#: (``loop.move_agent``, ``loop.grow_agents``) are generated from it.
AGENT_FIELDS: tuple[tuple[str, type, str], ...] = (
    ("nat", np.int8, "index into NATIONALITIES"),
    ("demo", np.int8, "index into DEMOGRAPHICS"),
    ("smug", np.int8, "1 = travels with a smuggler"),
    ("state", np.int8, "index into STATES"),
    ("flag", np.int8, "pending outcome (constants.F_*)"),
    ("route", np.int32, "route id or -1 (to choose)"),
    ("leg", np.int16, "index of the current edge within the route"),
    ("wake", np.int32, "day of the next transition (asleep before it)"),
    ("node", np.int16, "node where the agent waits, is detained or starts its journey"),
    ("start", np.int16, "the node the agent first departed from"),
    ("attempts", np.int16, "U.S. encounters so far"),
    ("waited", np.int16, "days waited in the current port queue"),
    ("depart_day", np.int32, "day of the (latest) departure"),
    ("intent_u", np.float32, "asylum propensity: surrenders at the border while it is below "
                             "the day's surrender chance (usborder.surrender_chance)"),
    ("resolve_u", np.float32, "resolve at the border: crosses between ports while it is "
                              "below the day's chance to go on (kernel.defers)"),
)
AGENT_DTYPES = {name: dtype for name, dtype, _ in AGENT_FIELDS}

Agents = NamedTuple("Agents", [(name, np.ndarray) for name in AGENT_DTYPES])
Agents.__doc__ = "The agents, a struct of arrays: " + "; ".join(
    f"``{name}`` ({np.dtype(dtype).name}) {meaning}" for name, dtype, meaning in AGENT_FIELDS)
Agents.__module__ = __name__


def allocate(capacity: int) -> Agents:
    return Agents(**{k: np.zeros(capacity, dtype=t) for k, t in AGENT_DTYPES.items()})


class Counters(NamedTuple):
    """Event counts (in agents; multiplied by the scale on output)."""
    enc: np.ndarray        # int64 (month, sector, nat, demo, authority, repeat)
    ofo: np.ndarray        # int64 (month, sector, nat, demo)
    mx: np.ndarray         # int64 (month, measure, nat)
    deaths: np.ndarray     # int64 (month, edge, cause)
    risk: np.ndarray       # float64 (month, edge): expected deaths of the agents entering it
    outcomes: np.ndarray   # int64 (month, outcome, nat)
    crossings: np.ndarray  # int64 (month, edge): agents starting each crossing edge
    states: np.ndarray     # int64 (n_states,) running count of agents per state
    waiting: np.ndarray    # int64 (month, node): agent-days waiting in (or expelled to) a city
    daily: np.ndarray      # int64 (2,) scratch per day: PORT_SLOTS used, FLIGHT_SEATS used
    detained: np.ndarray   # int64 (1,) agents in Mexican detention now


class CounterDims(NamedTuple):
    """The sizes of the counters' axes."""
    months: int
    sectors: int
    nationalities: int
    demographics: int
    edges: int
    states: int
    measures: int
    causes: int
    outcomes: int
    nodes: int


def allocate_counters(d: CounterDims) -> Counters:
    """Zeroed counters of the sizes ``d``."""
    n_months, n_sectors, n_nat, n_demo = d.months, d.sectors, d.nationalities, d.demographics
    n_edges, n_states, n_measures, n_causes = d.edges, d.states, d.measures, d.causes
    n_outcomes, n_nodes = d.outcomes, d.nodes
    z = np.zeros
    return Counters(
        enc=z((n_months, n_sectors, n_nat, n_demo, 2, 2), np.int64),
        ofo=z((n_months, n_sectors, n_nat, n_demo), np.int64),
        mx=z((n_months, n_measures, n_nat), np.int64),
        deaths=z((n_months, n_edges, n_causes), np.int64),
        risk=z((n_months, n_edges), np.float64),
        outcomes=z((n_months, n_outcomes, n_nat), np.int64),
        crossings=z((n_months, n_edges), np.int64),
        states=z(n_states, np.int64),
        waiting=z((n_months, n_nodes), np.int64),
        daily=z(2, np.int64),
        detained=z(1, np.int64),
    )


# indices of Counters.daily
PORT_SLOTS, FLIGHT_SEATS = range(2)

# indices of Feedback.scal
DAY, N_ACT, N_LIVE, DEPARTED, STEPS, QUEUE_PREV, RELEASED_PREV = range(7)


class Feedback(NamedTuple):
    """Run-level state besides the agents: the day reached, totals, and the state of the
    feedback mechanisms (court backlog, network momentum, the port queue)."""
    scal: np.ndarray          # int64 (7,): see DAY ... RELEASED_PREV
    backlog: np.ndarray       # float64 (1,) pending court cases
    backlog_month: np.ndarray  # float64 (months, 2) pending cases and expected wait (years)
    net_arrivals: np.ndarray  # float64 (nat,) smoothed arrivals in the U.S. (agents/day)
    maturity: np.ndarray      # float64 (nat,) how mature each network is (0..1): see
    #                           feedback.network_step
    arrived_prev: np.ndarray  # int64 (nat,) arrivals counted up to yesterday
    departing: np.ndarray     # int64 (nat,) today's departures
    edge_p: np.ndarray        # float64 (EDGE_DAYS, edges, 5) the chances on each edge of the
    #                           day held in each row (day % EDGE_DAYS): see EP_ALONE ...
    edge_day: np.ndarray      # int64 (EDGE_DAYS,) the day each row of edge_p holds (-1: none)
    surrender: np.ndarray     # float64 (nat, demo) today's chance of meaning to surrender
    cap: np.ndarray           # float64 (8,) Border Patrol capacity and custody: see CAP_FACTOR ...
    ledger: np.ndarray        # int64 (days, states) agents per state at the end of each day
    departed: np.ndarray      # int64 (days,) cumulative agents departed
    push: np.ndarray          # float64 (nat,) factor on departures set from outside the run:
    #                           the assimilated latent push (1 in a run without assimilation)
    cust: np.ndarray          # float64 (5,) ICE custody of border arrests: see CUST_OCC ...
    t8: np.ndarray            # float64 (nat, 2) Title 8 encounters ICE would hold (single
    #                           adults, not Mexicans): [counted so far, up to yesterday]
    t8_load: np.ndarray       # float64 (nat,) their number a day, smoothed over capacity_days
    rel_t8: np.ndarray        # float64 (nat,) today's chance of release of a single adult under
    #                           Title 8: policy, beds and removal flights
    ret_t8: np.ndarray        # float64 (nat,) today's chance of return to Mexico under Title 8
    #                           (non-Mexicans Mexico accepts, within its monthly cap)
    cust_fam: np.ndarray      # float64 (5,) ICE custody of families in family beds: see CUST_OCC
    t8_fam: np.ndarray        # float64 (nat, 2) Title 8 family encounters ICE would hold (not
    #                           Mexicans): [counted so far, up to yesterday]
    t8_fam_load: np.ndarray   # float64 (nat,) their number a day, smoothed over capacity_days
    rel_fam: np.ndarray       # float64 (nat,) today's chance of release of a family under Title 8
    ice_t8: np.ndarray        # float64 (nat,) the part of rel_t8 released by ICE at the end of
    #                           a stay, held with no removal path (feedback.custody_step)
    ice_fam: np.ndarray       # float64 (nat,) the same part of rel_fam
    seen: np.ndarray          # float64 (nat, 9) compatriots' outcomes: see SEEN_REL ...
    value: np.ndarray         # float64 (days, nat) value of an attempt as perceived at origin
    port_seen: np.ndarray     # float64 (days, nat) share of the compatriots' outcomes that
    #                           were port paroles, as perceived at origin (perception_days)
    value_now: np.ndarray     # float64 (nat,) today's value as seen in a border city
    port_boost: np.ndarray    # float64 (nat,) today's factor on a port crossing's choice
    #                           weight (routechoice.port_boost)
    patience: np.ndarray      # float64 (nat,) today's days a migrant waits in line for a
    #                           port appointment (routechoice.port_boost)
    pull: np.ndarray          # float64 (nat,) today's pull factor on departures


# columns of Feedback.edge_p: interception alone / with a smuggler (the column is the
# agent's smuggler flag), death / death when abandoned (2 + abandoned), and death on a
# smuggler's detour around the checkpoints
EP_ALONE, EP_SMUGGLED, EP_DEATH, EP_DEATH_ABANDONED, EP_DETOUR = range(5)
#: days ahead whose edge chances are held (rows of Feedback.edge_p): a journey resolved in
#: one event enters no edge later than this many days after the event
EDGE_DAYS = 64
# indices of Feedback.cap: factor on the odds of apprehension, load (encounters a day,
# smoothed), encounters of the month counted up to yesterday, that month (-1: none yet);
# the same for Title 8 encounters (Border Patrol custody, feedback.overflow_step) and
# today's share released for want of room in that custody
# (each load is followed by its count and month: feedback.daily_load)
CAP_FACTOR, CAP_LOAD, CAP_COUNTED, CAP_MONTH = range(4)
CAP_T8_LOAD, CAP_T8_COUNTED, CAP_T8_MONTH, CAP_OVERFLOW = range(4, 8)
assert (CAP_COUNTED, CAP_MONTH, CAP_T8_COUNTED, CAP_T8_MONTH) == (
    CAP_LOAD + 1, CAP_LOAD + 2, CAP_T8_LOAD + 1, CAP_T8_LOAD + 2)

# indices of Feedback.cust: beds held by border arrests, beds open today, border arrests
# detained (counted so far, up to yesterday), today's chance that ICE can hold a person
CUST_OCC, CUST_OPEN, CUST_IN, CUST_IN_PREV, CUST_SHARE = range(5)
# indices of Feedback.seen: releases and concluded encounters (released, removed, expelled,
# returned to wait) counted up to yesterday, and both smoothed as perceived at origin
# (perception_days); the day's expected release chance (feedback.expected_release) as
# perceived at origin and in a border city (border_perception_days); port paroles counted
# up to yesterday and smoothed as perceived at origin; whether the ports give appointments,
# as perceived in a border city
SEEN_REL, SEEN_ALL, DEP_REL, DEP_ALL, EXP_DEP, EXP_NOW, SEEN_PORT, DEP_PORT, PORT_OPEN = range(9)
