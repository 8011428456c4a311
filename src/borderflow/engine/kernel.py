"""The daily step: advance every agent in the corridor by one day.

Agents sleep until their wake day; then the agent's state decides which
mechanism module acts (movement here, Mexican enforcement in ``mexico``, the
U.S. border in ``usborder``, mortality in ``mortality``).  Agents in a terminal
state are skipped, and dropped from the arrays once they are a quarter of them (the
ledger keeps their count).
"""

from __future__ import annotations

from numba import njit

from borderflow.engine import mexico, mortality, usborder
from borderflow.engine.agentops import set_state, sleep, wait_days
from borderflow.engine.constants import (
    CORRIDOR_MAX,
    DEPORTED,
    DETAINED,
    EXPELLED,
    F_CHOOSE,
    F_DYING,
    F_INTERCEPT,
    F_NONE,
    F_PORT_QUEUE,
    F_REDEPART,
    F_RESCUED,
    F_RESUME,
    IN_TRANSIT,
    MEXICO,
    O_DEFER,
    O_QUEUE,
    O_REDEPART,
    RETURNED,
    SETTLED,
    US_CUSTODY,
    WAITING,
    X_NONE,
    X_PORT,
)
from borderflow.engine.rand import rnd
from borderflow.engine.routechoice import choose_route
from borderflow.engine.state import EDGE_DAYS, FLIGHT_SEATS, N_ACT, PORT_OPEN, PORT_SLOTS


@njit(cache=True)
def chances_ahead(M, d) -> None:
    """Hold the edge chances of the days ``d`` to ``d + EDGE_DAYS - 1`` (within the run) in
    ``F.edge_p``: each day's row is computed once, from that day's inputs."""
    F = M.F
    for t in range(d, min(d + EDGE_DAYS, len(M.D.month))):
        if F.edge_day[t % EDGE_DAYS] != t:
            mexico.interception_of_day(M, t)
            mortality.death_of_day(M, t)
            F.edge_day[t % EDGE_DAYS] = t


@njit(cache=True)
def travel(M, i, d, m) -> None:
    """Enter the agent's current edge today and resolve its journey, edge after edge, up to
    the next event, in one event: the day it is stopped at a checkpoint (``F_INTERCEPT``),
    dies (``F_DYING``) or is rescued (``F_RESCUED``) on the way, or else the day it reaches
    the next decision point (the end of the route, a border city before a crossing).

    Each edge is entered on the day the previous one ends, with the chances of that day
    (``F.edge_p``, which holds the days ahead), in the order the day-by-day path drew them:
    the checkpoints first, then the fate on the edge.  The chances depend on the day's
    inputs only, so the outcomes and their days are distributed as if every edge were an
    event of its own.  A journey longer than the days held stops at the last edge that
    ends within them and goes on from there.  Expected deaths and crossings count in the
    month each edge is entered.  A stop at today's first edge is handled today."""
    shares = (M.K.abandonment_share, M.K.rescue_share)
    r, k = M.A.route[i], M.A.leg[i]
    length, from_border = M.R.length[r], M.R.from_border[r]
    nat, smug = M.A.nat[i], M.A.smug[i]
    checked = nat != MEXICO
    end = min(d + EDGE_DAYS, len(M.D.month))
    t = d
    while True:
        e = M.R.edges[r, k]
        row = t % EDGE_DAYS
        p = mexico.interception_chance(M.F.edge_p, row, nat, smug, e)
        if p > 0.0 and rnd(M.rng) < p:
            if t == d:
                mexico.apprehend(M, i, M.N.src[e], d, m)
            else:
                M.A.leg[i], M.A.flag[i], M.A.wake[i] = k, F_INTERCEPT, t
            return
        if t == d and M.A.state[i] != IN_TRANSIT:
            set_state(M, i, IN_TRANSIT)
        mt = M.D.month[t]
        x = M.N.crossing[e]
        if x != X_NONE:
            M.C.crossings[mt, e] += 1
        chances = mortality.fate_chances(M.F.edge_p, row, e)
        flag, days, risk = mortality.edge_fate(chances, smug, checked, x, M.N.days[e], shares, M.rng)
        M.C.risk[mt, e] += risk
        if flag != F_NONE:
            M.A.leg[i], M.A.flag[i], M.A.wake[i] = k, flag, t + max(days, 1)
            return
        t += max(days, 1)
        if (k + 1 >= length or t >= end
                or (M.N.crossing[M.R.edges[r, k + 1]] != X_NONE and from_border == 0)):
            break
        k += 1
    M.A.leg[i], M.A.flag[i], M.A.wake[i] = k, F_NONE, t    # edge_done on day t


@njit(cache=True)
def take_route(M, i, d, exclude_port) -> bool:
    """Draw a route from the agent's node and start it at leg 0; with none, the agent
    goes home.  The row of choice probabilities follows the agent's information class
    (smuggler-led or not) and its intent at the border (evade the Border Patrol, or
    surrender to it to claim asylum and so seek the crossings where it is found).  A port
    that gives no appointments (``us_port_daily_cap`` 0: the ports closed to asylum under
    Title 42, or CBP One's end) is not a crossing anyone lines up for."""
    cls = 1 - M.A.smug[i] + (2 if usborder.asylum_seeker(M, i, d) else 0)
    closed = M.D.port_cap[d] <= 0.0              # no appointments: nobody lines up
    r = choose_route(M, M.A.node[i], cls, exclude_port or closed,
                     M.F.port_boost[M.A.nat[i]], d)
    if r < 0:
        set_state(M, i, RETURNED)
        return False
    M.A.route[i] = r
    M.A.leg[i] = 0
    return True


@njit(cache=True)
def start_route(M, i, d, m) -> None:
    if take_route(M, i, d, False):
        begin_leg(M, i, d, m)


@njit(cache=True)
def begin_leg(M, i, d, m) -> None:
    """Start the current leg, pausing in a border city before a crossing."""
    r = M.A.route[i]
    e = M.R.edges[r, M.A.leg[i]]
    if M.N.crossing[e] != X_NONE and M.R.from_border[r] == 0:
        M.A.node[i] = M.N.src[e]
        set_state(M, i, WAITING)
        M.A.flag[i] = F_CHOOSE
        sleep(M, i, d, wait_days(M.K.border_wait, M.rng))
        return
    travel(M, i, d, m)


@njit(cache=True)
def defers(M, i, d, port_open) -> bool:
    """A migrant about to cross between ports holds back when the U.S. regime has turned
    against it since it set out: it crosses while its resolve (``resolve_u``, drawn at
    departure) is below q ** border_response, so the same person holds back again while
    nothing has changed, and goes on when the regime turns back.

    q is the value of an attempt between ports now against at departure, times the part
    of the prospects seen at departure that is still open, 1 - s (1 - o): s is the share of
    the compatriots' outcomes that were port paroles when it set out, o (``port_open``)
    whether the ports give appointments now, as seen in the border city
    (``feedback.value_step``), or 0 for one who was in line when its port stopped giving
    them.  While the ports are open the second factor is 1."""
    if M.K.border_response <= 0.0:
        return False
    n = M.A.nat[i]
    dep = M.A.depart_day[i]
    q = (M.F.value_now[n] / M.F.value[dep, n]
         * (1.0 - M.F.port_seen[dep, n] * (1.0 - port_open)))
    if q >= 1.0:
        return False
    return M.A.resolve_u[i] >= q ** M.K.border_response


@njit(cache=True)
def hold_back(M, i, d, m) -> None:
    """Not crossing now: stay in Mexico for good (``border_give_up``) or wait in the city
    and decide again."""
    M.C.outcomes[m, O_DEFER, M.A.nat[i]] += 1
    if rnd(M.rng) < M.K.border_give_up:
        set_state(M, i, SETTLED)
        return
    M.A.flag[i] = F_CHOOSE
    sleep(M, i, d, wait_days(M.K.border_wait, M.rng))


@njit(cache=True, inline="always")
def queue_one_day(waited, outcomes, patience, i, nat, m) -> bool:
    """Still in line for a port appointment after today's slots are gone: wait a day more
    (True), or, out of patience, give up on the appointment (False).  On bare arrays
    (``A.waited``, ``C.outcomes``): the step calls it for every day in line."""
    if waited[i] >= patience:
        return False
    waited[i] += 1
    outcomes[m, O_QUEUE, nat] += 1
    return True


@njit(cache=True)
def at_border_city(M, i, d, m) -> None:
    """Choose a crossing from the border city; wait in line for a port appointment."""
    if M.A.flag[i] == F_CHOOSE:
        if not take_route(M, i, d, False):
            return
        port = M.R.crossing[M.A.route[i]] == X_PORT
        if not port and defers(M, i, d, M.F.seen[M.A.nat[i], PORT_OPEN]):
            hold_back(M, i, d, m)
            return
        M.A.waited[i] = 0
        M.A.flag[i] = F_PORT_QUEUE if port else F_NONE
    if M.A.flag[i] == F_PORT_QUEUE:
        if M.C.daily[PORT_SLOTS] < M.D.port_cap[d]:
            M.C.daily[PORT_SLOTS] += 1
        elif M.D.port_cap[d] > 0.0 and queue_one_day(M.A.waited, M.C.outcomes,
                                                     M.F.patience[M.A.nat[i]], i,
                                                     M.A.nat[i], m):
            M.A.wake[i] = d + 1
            return
        elif not take_route(M, i, d, True):      # gives up on the appointment
            return                               # (and crosses between ports)
        elif defers(M, i, d, 1.0 if M.D.port_cap[d] > 0.0 else 0.0):
            hold_back(M, i, d, m)
            return
    M.A.flag[i] = F_NONE
    travel(M, i, d, m)


@njit(cache=True)
def edge_done(M, i, d, m) -> None:
    r = M.A.route[i]
    e = M.R.edges[r, M.A.leg[i]]
    M.A.node[i] = M.N.dst[e]
    if M.A.flag[i] == F_RESCUED:
        M.A.flag[i] = F_NONE
        usborder.arrive(M, i, e, True, d, m)
        return
    if M.A.leg[i] + 1 >= M.R.length[r]:
        usborder.arrive(M, i, e, False, d, m)
        return
    M.A.leg[i] += 1
    begin_leg(M, i, d, m)


@njit(cache=True)
def transition(M, i, d, m) -> None:
    """The agent's wake day has come: its state and pending outcome decide what happens.
    (Each branch reads the parts of the model it needs: a read costs a reference count.)"""
    s = M.A.state[i]
    f = M.A.flag[i]
    if s == IN_TRANSIT:
        if f == F_DYING:
            e = M.R.edges[M.A.route[i], M.A.leg[i]]
            state, cause = mortality.die(M.N.mode[e], M.K.missing_share, M.rng)
            M.C.deaths[m, e, cause] += 1
            M.A.flag[i] = F_NONE
            set_state(M, i, state)
        elif f == F_INTERCEPT:
            M.A.flag[i] = F_NONE
            mexico.apprehend(M, i, M.N.src[M.R.edges[M.A.route[i], M.A.leg[i]]], d, m)
        elif M.A.route[i] < 0:
            start_route(M, i, d, m)
        elif f == F_RESUME:
            M.A.flag[i] = F_NONE
            travel(M, i, d, m)
        else:
            edge_done(M, i, d, m)
    elif s == WAITING:
        at_border_city(M, i, d, m)
    elif s == DETAINED:
        how = mexico.detention_end(M, i, d, m)
        if how == 1:
            start_route(M, i, d, m)
        elif how == 2:
            travel(M, i, d, m)
    elif s == US_CUSTODY:
        usborder.custody_end(M, i, d, m)
    elif s == EXPELLED:
        set_state(M, i, WAITING)
        M.A.flag[i] = F_CHOOSE
        at_border_city(M, i, d, m)
    elif s == DEPORTED and f == F_REDEPART:
        M.A.flag[i] = F_NONE
        M.C.outcomes[m, O_REDEPART, M.A.nat[i]] += 1
        M.A.depart_day[i] = d
        set_state(M, i, IN_TRANSIT)
        start_route(M, i, d, m)


@njit(cache=True, inline="always")
def is_live(state, flag) -> bool:
    """Still to act: in the corridor, or deported with a new departure pending."""
    return state <= CORRIDOR_MAX or (state == DEPORTED and flag == F_REDEPART)


@njit(cache=True)
def step(M, d, m) -> tuple[int, int]:
    """Advance the active agents ``A[:n_act]`` by one day, in order.

    An agent whose wake day has not come costs two reads, unless it waits in a border
    city (counted, and exposed to a crackdown).  A journey is one event from one decision
    point to the next (:func:`travel`); a day more in line for a port appointment is
    handled here on local array references (reading a StructRef field costs an atomic
    reference count).  Returns (agents still to act, agent-steps taken)."""
    A, C, D, N = M.A, M.C, M.D, M.N
    C.daily[PORT_SLOTS] = 0
    C.daily[FLIGHT_SEATS] = 0
    chances_ahead(M, d)
    usborder.surrender_today(M, d)
    nat, state, flag = A.nat, A.state, A.flag
    wake, node, waited = A.wake, A.node, A.waited
    waiting, daily, outcomes = C.waiting, C.daily, C.outcomes
    patience = M.F.patience
    port_cap = D.port_cap[d]
    crackdown = D.crackdown[d]
    any_crackdown = crackdown.max() > 0.0
    ncity = N.city
    pickup = M.K.crackdown_pickup
    rng = M.rng
    n_act = M.F.scal[N_ACT]
    live = 0
    steps = 0
    for i in range(n_act):
        s = state[i]
        if not is_live(s, flag[i]):
            continue
        if s <= CORRIDOR_MAX:
            steps += 1
        if wake[i] <= d:
            if (s == WAITING and flag[i] == F_PORT_QUEUE and port_cap > 0.0
                    and daily[PORT_SLOTS] >= port_cap
                    and queue_one_day(waited, outcomes, patience[nat[i]], i, nat[i], m)):
                wake[i] = d + 1                  # still in line for a port appointment
            else:
                transition(M, i, d, m)
            s = state[i]
        if (s == WAITING or s == EXPELLED) and any_crackdown and nat[i] != MEXICO:
            c = ncity[node[i]]                   # INM detains foreigners, not Mexicans
            if c >= 0 and crackdown[c] > 0.0 and rnd(rng) < pickup * crackdown[c]:
                mexico.apprehend(M, i, node[i], d, m)   # picked up in the city
                s = state[i]
        if s == WAITING or s == EXPELLED:
            waiting[m, node[i]] += 1
        if is_live(s, flag[i]):
            live += 1
    return live, steps
