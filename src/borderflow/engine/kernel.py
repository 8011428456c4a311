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
from borderflow.engine.state import FLIGHT_SEATS, N_ACT, PORT_SLOTS


@njit(cache=True)
def enter_edge(M, i, e, d, m) -> None:
    A, C, N = M.A, M.C, M.N
    if mexico.intercepted(M, i, e, d):
        mexico.apprehend(M, i, N.src[e], d, m)
        return
    if A.state[i] != IN_TRANSIT:
        set_state(M, i, IN_TRANSIT)
    if N.crossing[e] != X_NONE:
        C.crossings[m, e] += 1
    flag, days, risk = mortality.edge_fate(M, e, A.smug[i], d, A.nat[i] != MEXICO)
    C.risk[m, e] += risk
    A.flag[i] = flag
    sleep(M, i, d, days)


@njit(cache=True)
def take_route(M, i, d, exclude_port) -> bool:
    """Draw a route from the agent's node and start it at leg 0; with none, the agent
    goes home.  The row of choice probabilities follows the agent's information class
    (smuggler-led or not) and its intent at the border (evade the Border Patrol, or
    surrender to it to claim asylum and so seek the crossings where it is found)."""
    A = M.A
    cls = 1 - A.smug[i] + (2 if usborder.asylum_seeker(M, i, d) else 0)
    r = choose_route(M, A.node[i], cls, exclude_port)
    if r < 0:
        set_state(M, i, RETURNED)
        return False
    A.route[i] = r
    A.leg[i] = 0
    return True


@njit(cache=True)
def start_route(M, i, d, m) -> None:
    if take_route(M, i, d, False):
        begin_leg(M, i, d, m)


@njit(cache=True)
def begin_leg(M, i, d, m) -> None:
    """Start the current leg, pausing in a border city before a crossing."""
    A, N, R = M.A, M.N, M.R
    r = A.route[i]
    e = R.edges[r, A.leg[i]]
    if N.crossing[e] != X_NONE and R.from_border[r] == 0:
        A.node[i] = N.src[e]
        set_state(M, i, WAITING)
        A.flag[i] = F_CHOOSE
        sleep(M, i, d, wait_days(M.K.border_wait, M.rng))
        return
    enter_edge(M, i, e, d, m)


@njit(cache=True)
def defers(M, i, d) -> bool:
    """A migrant about to cross between ports holds back when the U.S. regime has turned
    against it since it set out: it crosses with chance (value now / value at departure)
    ** border_response, capped at 1 (no draw when nothing got worse)."""
    A, K, F = M.A, M.K, M.F
    if K.border_response <= 0.0:
        return False
    n = A.nat[i]
    q = F.value_now[n] / F.value[A.depart_day[i], n]
    if q >= 1.0:
        return False
    return rnd(M.rng) >= q ** K.border_response


@njit(cache=True)
def hold_back(M, i, d, m) -> None:
    """Not crossing now: stay in Mexico for good (``border_give_up``) or wait in the city
    and decide again."""
    A, K = M.A, M.K
    M.C.outcomes[m, O_DEFER, A.nat[i]] += 1
    if rnd(M.rng) < K.border_give_up:
        set_state(M, i, SETTLED)
        return
    A.flag[i] = F_CHOOSE
    sleep(M, i, d, wait_days(K.border_wait, M.rng))


@njit(cache=True, inline="always")
def queue_one_day(M, i, m) -> bool:
    """Still in line for a port appointment after today's slots are gone: wait a day more
    (True), or, out of patience, give up on the appointment (False)."""
    A = M.A
    if A.waited[i] >= M.K.port_patience:
        return False
    A.waited[i] += 1
    M.C.outcomes[m, O_QUEUE, A.nat[i]] += 1
    return True


@njit(cache=True)
def at_border_city(M, i, d, m) -> None:
    """Choose a crossing from the border city; wait in line for a port appointment."""
    A, C, D, R = M.A, M.C, M.D, M.R
    if A.flag[i] == F_CHOOSE:
        if not take_route(M, i, d, False):
            return
        if R.crossing[A.route[i]] != X_PORT and defers(M, i, d):
            hold_back(M, i, d, m)
            return
        A.waited[i] = 0
        A.flag[i] = F_PORT_QUEUE if R.crossing[A.route[i]] == X_PORT else F_NONE
    if A.flag[i] == F_PORT_QUEUE:
        if C.daily[PORT_SLOTS] < D.port_cap[d]:
            C.daily[PORT_SLOTS] += 1
        elif queue_one_day(M, i, m):
            A.wake[i] = d + 1
            return
        elif not take_route(M, i, d, True):      # gives up on the appointment
            return                               # (and crosses between ports)
        elif defers(M, i, d):
            hold_back(M, i, d, m)
            return
    A.flag[i] = F_NONE
    enter_edge(M, i, R.edges[A.route[i], 0], d, m)


@njit(cache=True)
def edge_done(M, i, d, m) -> None:
    A, N, R = M.A, M.N, M.R
    r = A.route[i]
    e = R.edges[r, A.leg[i]]
    A.node[i] = N.dst[e]
    if A.flag[i] == F_RESCUED:
        A.flag[i] = F_NONE
        usborder.arrive(M, i, e, True, d, m)
        return
    if A.leg[i] + 1 >= R.length[r]:
        usborder.arrive(M, i, e, False, d, m)
        return
    A.leg[i] += 1
    begin_leg(M, i, d, m)


@njit(cache=True)
def transition(M, i, d, m) -> None:
    """The agent's wake day has come: its state and pending outcome decide what happens."""
    A, C, N, R = M.A, M.C, M.N, M.R
    s = A.state[i]
    f = A.flag[i]
    if s == IN_TRANSIT:
        if f == F_DYING:
            e = R.edges[A.route[i], A.leg[i]]
            state, cause = mortality.die(N.mode[e], M.K.missing_share, M.rng)
            C.deaths[m, e, cause] += 1
            A.flag[i] = F_NONE
            set_state(M, i, state)
        elif A.route[i] < 0:
            start_route(M, i, d, m)
        elif f == F_RESUME:
            A.flag[i] = F_NONE
            enter_edge(M, i, R.edges[A.route[i], A.leg[i]], d, m)
        else:
            edge_done(M, i, d, m)
    elif s == WAITING:
        at_border_city(M, i, d, m)
    elif s == DETAINED:
        how = mexico.detention_end(M, i, d, m)
        if how == 1:
            start_route(M, i, d, m)
        elif how == 2:
            enter_edge(M, i, R.edges[A.route[i], A.leg[i]], d, m)
    elif s == US_CUSTODY:
        usborder.custody_end(M, i, d, m)
    elif s == EXPELLED:
        set_state(M, i, WAITING)
        A.flag[i] = F_CHOOSE
        at_border_city(M, i, d, m)
    elif s == DEPORTED and f == F_REDEPART:
        A.flag[i] = F_NONE
        C.outcomes[m, O_REDEPART, A.nat[i]] += 1
        A.depart_day[i] = d
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
    city (counted, and exposed to a crackdown).  The commonest event, finishing an edge
    and entering the next one inside the corridor, is handled here on local array
    references (reading a StructRef field costs an atomic reference count) with the same
    helpers as the general path.  Returns (agents still to act, agent-steps taken)."""
    A, C, D, N, R = M.A, M.C, M.D, M.N, M.R
    C.daily[PORT_SLOTS] = 0
    C.daily[FLIGHT_SEATS] = 0
    mexico.interception_today(M, d)
    mortality.death_today(M, d)
    usborder.surrender_today(M, d)
    nat, smug, state, flag = A.nat, A.smug, A.state, A.flag
    route, leg, wake, node = A.route, A.leg, A.wake, A.node
    edges, length = R.edges, R.length
    ndst, ncross = N.dst, N.crossing
    waiting, risk = C.waiting, C.risk
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
            fast = False
            r = route[i]
            if s == IN_TRANSIT and flag[i] == F_NONE and r >= 0:
                nxt = leg[i] + 1
                if nxt < length[r]:
                    e2 = edges[r, nxt]
                    if ncross[e2] == X_NONE:       # the next edge, inside the corridor
                        fast = True
                        node[i] = ndst[edges[r, nxt - 1]]
                        leg[i] = nxt
                        p = mexico.interception_chance(M, nat[i], smug[i], e2)
                        if p > 0.0 and rnd(rng) < p:
                            mexico.apprehend(M, i, node[i], d, m)
                        else:
                            f, days, rk = mortality.edge_fate(M, e2, smug[i], d,
                                                              nat[i] != MEXICO)
                            risk[m, e2] += rk
                            flag[i] = f
                            wake[i] = d + max(days, 1)
            elif (s == WAITING and flag[i] == F_PORT_QUEUE and C.daily[PORT_SLOTS] >= port_cap
                  and queue_one_day(M, i, m)):
                fast = True                      # still in line for a port appointment
                wake[i] = d + 1
            if not fast:
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
