"""The daily step: advance every agent in the corridor by one day.

Agents sit on a timer; when it runs out the agent's state decides which
mechanism module acts (movement here, Mexican enforcement in ``mexico``, the
U.S. border in ``usborder``, mortality in ``mortality``).  Agents in a terminal
state are dropped from the arrays (the ledger keeps their count).
"""

from __future__ import annotations

import math

from numba import njit

from borderflow.engine import mexico, mortality, usborder
from borderflow.engine.agentops import set_state, wait_days
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


@njit(cache=True)
def enter_edge(A, i, e, d, m, C, K, D, N, rng) -> None:
    if mexico.intercepted(A, i, e, d, K, D, N, rng):
        mexico.apprehend(A, i, N.src[e], d, m, C, K, D, rng)
        return
    if A.state[i] != IN_TRANSIT:
        set_state(A, C, i, IN_TRANSIT)
    if N.crossing[e] != X_NONE:
        C.crossings[m, e] += 1
    flag, timer, risk = mortality.edge_fate(N.mode[e], N.crossing[e], N.hazard[e], N.days[e],
                                            D.season[d], K.hazard_scale, K.rescue_share,
                                            A.smug[i], K.abandonment_share,
                                            K.abandonment_hazard, rng)
    C.risk[m, e] += risk
    A.flag[i] = flag
    A.timer[i] = timer


@njit(cache=True)
def take_route(A, i, d, C, K, D, R, Q, exclude_port, rng) -> bool:
    """Draw a route from the agent's node and start it at leg 0; with none, the agent
    goes home.  The row of choice probabilities follows the agent's information class
    (smuggler-led or not) and its intent at the border (evade the Border Patrol, or
    surrender to it to claim asylum and so seek the crossings where it is found)."""
    cls = 1 - A.smug[i] + (2 if usborder.asylum_seeker(A, i, d, K, D) else 0)
    r = choose_route(A.node[i], cls, Q.prob, Q.cum, Q.first, Q.count, R.crossing,
                     exclude_port, rng)
    if r < 0:
        set_state(A, C, i, RETURNED)
        return False
    A.route[i] = r
    A.leg[i] = 0
    return True


@njit(cache=True)
def start_route(A, i, d, m, C, K, D, N, R, Q, rng) -> None:
    if take_route(A, i, d, C, K, D, R, Q, False, rng):
        begin_leg(A, i, d, m, C, K, D, N, R, Q, rng)


@njit(cache=True)
def begin_leg(A, i, d, m, C, K, D, N, R, Q, rng) -> None:
    """Start the current leg, pausing in a border city before a crossing."""
    r = A.route[i]
    e = R.edges[r, A.leg[i]]
    if N.crossing[e] != X_NONE and R.from_border[r] == 0:
        A.node[i] = N.src[e]
        set_state(A, C, i, WAITING)
        A.flag[i] = F_CHOOSE
        A.timer[i] = wait_days(K.border_wait, rng)
        return
    enter_edge(A, i, e, d, m, C, K, D, N, rng)


@njit(cache=True)
def defers(A, i, d, K, D, rng) -> bool:
    """A migrant about to cross between ports holds back when the U.S. regime has turned
    against it since it set out: it crosses with chance (value now / value at departure)
    ** border_response, capped at 1 (no draw when nothing got worse)."""
    if K.border_response <= 0.0:
        return False
    n = A.nat[i]
    q = D.value_now[d, n] / D.value_dep[A.depart_day[i], n]
    if q >= 1.0:
        return False
    return rnd(rng) >= q ** K.border_response


@njit(cache=True)
def hold_back(A, i, m, C, K, rng) -> None:
    """Not crossing now: stay in Mexico for good (``border_give_up``) or wait in the city
    and decide again."""
    C.outcomes[m, O_DEFER, A.nat[i]] += 1
    if rnd(rng) < K.border_give_up:
        set_state(A, C, i, SETTLED)
        return
    A.flag[i] = F_CHOOSE
    A.timer[i] = wait_days(K.border_wait, rng)


@njit(cache=True)
def at_border_city(A, i, d, m, C, K, D, N, R, Q, rng) -> None:
    """Choose a crossing from the border city; wait in line for a port appointment."""
    if A.flag[i] == F_CHOOSE:
        if not take_route(A, i, d, C, K, D, R, Q, False, rng):
            return
        if R.crossing[A.route[i]] != X_PORT and defers(A, i, d, K, D, rng):
            hold_back(A, i, m, C, K, rng)
            return
        A.waited[i] = 0
        A.flag[i] = F_PORT_QUEUE if R.crossing[A.route[i]] == X_PORT else F_NONE
    if A.flag[i] == F_PORT_QUEUE:
        if C.daily[0] < D.port_cap[d]:
            C.daily[0] += 1
        elif A.waited[i] < K.port_patience:
            A.waited[i] += 1
            C.outcomes[m, O_QUEUE, A.nat[i]] += 1
            A.timer[i] = 1
            return
        elif not take_route(A, i, d, C, K, D, R, Q, True, rng):  # gives up on the appointment
            return                                       # (and crosses between ports)
        elif defers(A, i, d, K, D, rng):
            hold_back(A, i, m, C, K, rng)
            return
    A.flag[i] = F_NONE
    enter_edge(A, i, R.edges[A.route[i], 0], d, m, C, K, D, N, rng)


@njit(cache=True)
def edge_done(A, i, d, m, C, K, D, N, R, Q, rng) -> None:
    r = A.route[i]
    e = R.edges[r, A.leg[i]]
    A.node[i] = N.dst[e]
    if A.flag[i] == F_RESCUED:
        A.flag[i] = F_NONE
        usborder.arrive(A, i, e, True, d, m, C, K, D, N, rng)
        return
    if A.leg[i] + 1 >= R.length[r]:
        usborder.arrive(A, i, e, False, d, m, C, K, D, N, rng)
        return
    A.leg[i] += 1
    begin_leg(A, i, d, m, C, K, D, N, R, Q, rng)


@njit(cache=True)
def transition(A, i, d, m, C, K, D, N, R, Q, rng) -> None:
    s = A.state[i]
    f = A.flag[i]
    if s == IN_TRANSIT:
        if f == F_DYING:
            e = R.edges[A.route[i], A.leg[i]]
            state, cause = mortality.die(N.mode[e], K.missing_share, rng)
            C.deaths[m, e, cause] += 1
            A.flag[i] = F_NONE
            set_state(A, C, i, state)
        elif A.route[i] < 0:
            start_route(A, i, d, m, C, K, D, N, R, Q, rng)
        elif f == F_RESUME:
            A.flag[i] = F_NONE
            enter_edge(A, i, R.edges[A.route[i], A.leg[i]], d, m, C, K, D, N, rng)
        else:
            edge_done(A, i, d, m, C, K, D, N, R, Q, rng)
    elif s == WAITING:
        at_border_city(A, i, d, m, C, K, D, N, R, Q, rng)
    elif s == DETAINED:
        how = mexico.detention_end(A, i, d, m, C, K, N, rng)
        if how == 1:
            start_route(A, i, d, m, C, K, D, N, R, Q, rng)
        elif how == 2:
            enter_edge(A, i, R.edges[A.route[i], A.leg[i]], d, m, C, K, D, N, rng)
    elif s == US_CUSTODY:
        usborder.custody_end(A, i, m, C, K, rng)
    elif s == EXPELLED:
        set_state(A, C, i, WAITING)
        A.flag[i] = F_CHOOSE
        at_border_city(A, i, d, m, C, K, D, N, R, Q, rng)
    elif s == DEPORTED and f == F_REDEPART:
        A.flag[i] = F_NONE
        C.outcomes[m, O_REDEPART, A.nat[i]] += 1
        A.depart_day[i] = d
        set_state(A, C, i, IN_TRANSIT)
        start_route(A, i, d, m, C, K, D, N, R, Q, rng)


@njit(cache=True)
def step(A, n_act, d, m, C, K, D, N, R, Q, rng):
    """Advance the first ``n_act`` agents (the active ones) by one day.

    Agents that reach a terminal state leave the arrays: the survivors are
    moved down in order, so the active agents always sit in ``[0, n)`` and are
    read sequentially.  Returns (number still active, agent-steps taken).

    The commonest event, finishing an edge and starting the next one inside the
    corridor, is handled here on local array references (reading a StructRef
    field costs an atomic reference count); it makes the same draws in the same
    order as the general path in ``transition``.
    """
    C.daily[0] = 0
    C.daily[1] = 0
    nat, demo, smug, state, flag = A.nat, A.demo, A.smug, A.state, A.flag
    route, leg, timer, node, start = A.route, A.leg, A.timer, A.node, A.start
    attempts, waited, depart_day = A.attempts, A.waited, A.depart_day
    edges, length = R.edges, R.length
    ndst, ncross, nchk, nmxs = N.dst, N.crossing, N.checkpoints, N.mxs
    nmode, nhaz, ndays = N.mode, N.hazard, N.days
    staff = D.staff
    season = D.season[d]
    interception, evasion = K.interception, K.smuggler_evasion
    hazard_scale, rescue_share = K.hazard_scale, K.rescue_share
    ab_share, ab_hazard = K.abandonment_share, K.abandonment_hazard
    waiting = C.waiting
    outcomes = C.outcomes
    daily = C.daily
    port_cap = D.port_cap[d]
    crackdown = D.crackdown[d]
    any_crackdown = crackdown.max() > 0.0
    ncity = N.city
    pickup = K.crackdown_pickup
    patience = K.port_patience
    w = 0
    steps = 0
    for i in range(n_act):
        if state[i] <= CORRIDOR_MAX:
            steps += 1
        t = timer[i] - 1
        if t > 0:
            timer[i] = t
        else:
            timer[i] = 0
            r = route[i]
            fast = False
            if state[i] == IN_TRANSIT and flag[i] == F_NONE and r >= 0:
                nxt = leg[i] + 1
                if nxt < length[r]:
                    e2 = edges[r, nxt]
                    if ncross[e2] == X_NONE:
                        fast = True
                        node[i] = ndst[edges[r, nxt - 1]]
                        leg[i] = nxt
                        caught = False
                        if nat[i] != MEXICO and nchk[e2] > 0 and nmxs[e2] >= 0:
                            rate = interception * nchk[e2] * staff[d, nmxs[e2]]
                            if smug[i] == 1:
                                rate *= 1.0 - evasion
                            caught = rnd(rng) < 1.0 - math.exp(-rate)
                        if caught:
                            mexico.apprehend(A, i, node[i], d, m, C, K, D, rng)
                        else:
                            f, tm, rk = mortality.edge_fate(nmode[e2], X_NONE, nhaz[e2],
                                                            ndays[e2], season, hazard_scale,
                                                            rescue_share, smug[i], ab_share,
                                                            ab_hazard, rng)
                            C.risk[m, e2] += rk
                            flag[i] = f
                            timer[i] = tm
            elif (state[i] == WAITING and flag[i] == F_PORT_QUEUE and daily[0] >= port_cap
                  and waited[i] < patience):
                fast = True                      # still in line for a port appointment
                waited[i] += 1
                outcomes[m, O_QUEUE, nat[i]] += 1
                timer[i] = 1
            if not fast:
                transition(A, i, d, m, C, K, D, N, R, Q, rng)
        s = state[i]
        if (s == WAITING or s == EXPELLED) and any_crackdown and nat[i] != MEXICO:
            c = ncity[node[i]]                   # INM detains foreigners, not Mexicans
            if c >= 0 and crackdown[c] > 0.0 and rnd(rng) < pickup * crackdown[c]:
                mexico.apprehend(A, i, node[i], d, m, C, K, D, rng)   # picked up in the city
                s = state[i]
        if s == WAITING or s == EXPELLED:
            waiting[m, node[i]] += 1
        if s <= CORRIDOR_MAX or (s == DEPORTED and flag[i] == F_REDEPART):
            if w != i:
                nat[w] = nat[i]
                demo[w] = demo[i]
                smug[w] = smug[i]
                state[w] = s
                flag[w] = flag[i]
                route[w] = route[i]
                leg[w] = leg[i]
                timer[w] = timer[i]
                node[w] = node[i]
                start[w] = start[i]
                attempts[w] = attempts[i]
                waited[w] = waited[i]
                depart_day[w] = depart_day[i]
            w += 1
    return w, steps
