"""Route choice (MODEL.md mechanism 2): a logit over precomputed route tables.

Every day the utility of each route is computed for two information classes,
smuggler-led (who know the checkpoint staffing of ``smuggler_info_lag`` days
ago) and independent migrants (``independent_info_lag``), and for two intents at
the border: an evader loses ``beta_apprehension x P(apprehended)`` (0 at a port), an
asylum seeker, who means to surrender, gains ``beta_apprehension x P(found)`` (1 at a
port).  Probabilities are normalised within the routes that start at the same node, so
choosing a route is one uniform draw and a search in a short block.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from borderflow.engine.constants import X_PORT, X_REMOTE, X_URBAN
from borderflow.engine.rand import rnd
from borderflow.engine.usborder import apprehension_chance

# RouteArrays.beta order
B_DAYS, B_CHECKPOINT, B_APPREHENSION, B_CRACKDOWN, B_INTERCEPTION = range(5)


def sparse_checkpoints(edges, length, edge_checkpoints, edge_mxs) -> tuple[np.ndarray, ...]:
    """Checkpoints each route passes in each Mexican state, as (ptr, state, count)."""
    ptr, states, counts = [0], [], []
    for r in range(len(length)):
        per: dict[int, float] = {}
        for e in edges[r, : length[r]]:
            s = int(edge_mxs[e])
            if s >= 0 and edge_checkpoints[e] > 0:
                per[s] = per.get(s, 0.0) + float(edge_checkpoints[e])
        for s in sorted(per):
            states.append(s)
            counts.append(per[s])
        ptr.append(len(states))
    return (np.array(ptr, np.int64), np.array(states, np.int64), np.array(counts, np.float64))


def static_utility(days, cost, hazard_days, sector, p: dict) -> np.ndarray:
    """The utility terms fixed for a run: travel time, cost, death risk, sector constant."""
    return (-p["beta_days"] * days - p["beta_cost"] * cost / 1000.0
            - p["beta_hazard"] * (1.0 - np.exp(-hazard_days * p["hazard_scale"]))
            + np.asarray(p["sector_preference"], float)[sector])


@njit(cache=True, inline="always")
def route_utility(u_static, crossing, chk_staff, port_wait, crack, beta) -> float:
    """One route's utility without the U.S. term: its fixed terms, the wait for a port
    appointment (a port crossing only), the checkpoints on the way (``chk_staff``: their
    number weighted by staffing) and the crackdown in its crossing city (``crack``)."""
    port = crossing == X_PORT
    return (u_static - beta[B_DAYS] * (port_wait if port else 0.0)
            - beta[B_CHECKPOINT] * (1.0 - math.exp(-beta[B_INTERCEPTION] * chk_staff))
            - beta[B_CRACKDOWN] * crack)


@njit(cache=True, inline="always")
def us_terms(crossing, app_base, posture, beta, remote_share) -> tuple[float, float]:
    """The U.S. term of each intent at a crossing: (an evader's loss from the chance of
    apprehension, an asylum seeker's gain from the chance of being found; certain at a
    port)."""
    port = crossing == X_PORT
    app = 0.0 if port else apprehension_chance(app_base, posture, crossing == X_REMOTE,
                                               remote_share)
    found = 1.0 if port else app
    return beta[B_APPREHENSION] * app, beta[B_APPREHENSION] * found


@njit(cache=True)
def lagged_weights(M, dl, slot) -> None:
    """The part of the choice weights that follows the information of day ``dl``, into
    cache slot ``slot``: per sector and crossing kind the factor of each intent's U.S.
    term (:func:`us_terms`).  The routes' weights follow when a block needs them
    (:func:`route_weights`)."""
    Q, K, beta = M.Q, M.K, M.R.beta
    posture = M.D.posture[dl]
    g = Q.g[slot]
    for sec in range(g.shape[1]):
        for x in range(g.shape[2]):
            ev, fd = us_terms(x, K.app_urban if x == X_URBAN else K.app_remote,
                              posture[sec], beta, K.remote_posture_share)
            g[0, sec, x] = math.exp(-ev)
            g[1, sec, x] = math.exp(fd)
    Q.tag[slot] = dl


@njit(cache=True)
def route_weights(M, slot, b0, b1) -> None:
    """exp(utility without today's terms) of the routes ``b0`` to ``b1 - 1`` (one start
    node's block) on the information of the day cache slot ``slot`` holds (``Q.tag``),
    into ``Q.ea[slot]``: the checkpoints on the way weighted by that day's staffing, and
    the crackdown in the crossing city."""
    R, Q = M.R, M.Q
    dl = Q.tag[slot]
    staff, crackdown = M.D.staff[dl], M.D.crackdown[dl]
    ptr, cst, cnt = R.chk_ptr, R.chk_state, R.chk_count
    u_static, cross_city, beta = R.u_static, R.cross_city, R.beta
    ea = Q.ea[slot]
    for r in range(b0, b1):
        chk = 0.0
        for j in range(ptr[r], ptr[r + 1]):
            chk += cnt[j] * staff[cst[j]]
        city = cross_city[r]
        ea[r] = math.exp(route_utility(u_static[r], 0, chk, 0.0,
                                       crackdown[city] if city >= 0 else 0.0, beta))


@njit(cache=True)
def update_choice(M, d, port_wait) -> None:
    """Today's inputs of the choice probabilities of both information classes and intents:
    the lagged weights of each class (cached by day: a class's information is the other's
    some weeks later, ``Q.slot``) and today's term (the wait for a port appointment,
    ``Q.h``).  A block's probabilities are normalised when a choice first needs them
    today (:func:`block_choice`)."""
    R, Q, K = M.R, M.Q, M.K
    h = Q.h
    n_slots = len(Q.tag)
    for sec in range(h.shape[0]):
        for x in range(h.shape[1]):
            h[sec, x] = math.exp(route_utility(0.0, x, 0.0, port_wait, 0.0, R.beta))
    for k in range(2):
        dl = max(d - (K.lag_smuggler if k == 0 else K.lag_independent), 0)
        slot = dl % n_slots
        if Q.tag[slot] != dl:
            lagged_weights(M, dl, slot)
        Q.slot[k] = slot


@njit(cache=True)
def block_choice(M, cls, node) -> None:
    """Today's choice probabilities of row ``cls`` (information class ``cls % 2``, intent
    ``cls // 2``) over the routes that start at ``node`` (``Q.prob``, running sums
    ``Q.cum``): the lagged weight of each route times the U.S. term of its intent and
    today's term, normalised within the block.  Called by :func:`choose_route` once a day
    per row and node (``Q.stamp``); the arrays are bound once for the block's loop."""
    Q, sector, crossing = M.Q, M.R.sector, M.R.crossing
    slot, intent = Q.slot[cls % 2], cls // 2
    ea, g, h, prob, cum = Q.ea[slot], Q.g[slot, intent], Q.h, Q.prob[cls], Q.cum[cls]
    b0 = Q.first[node]
    b1 = b0 + Q.count[node]
    if Q.ea_day[slot, node] != Q.tag[slot]:
        Q.ea_day[slot, node] = Q.tag[slot]
        route_weights(M, slot, b0, b1)
    tot = 0.0
    for r in range(b0, b1):
        w = ea[r] * g[sector[r], crossing[r]] * h[sector[r], crossing[r]]
        prob[r] = w
        tot += w
    if not tot > 0.0 or not math.isfinite(tot):   # every route infinitely bad
        for r in range(b0, b1):                    # (or good): equal chances
            prob[r] = 1.0
        tot = float(b1 - b0)
    run = 0.0
    for r in range(b0, b1):
        prob[r] /= tot
        run += prob[r]
        cum[r] = run


@njit(cache=True)
def port_boost(M, port_wait) -> None:
    """Today's factor on a port crossing's choice weight by nationality (``F.port_boost``)
    and the days its migrants wait in line (``F.patience``).  Everyone weighs a port by the
    wait in line, up to ``port_patience_days`` (:func:`update_choice`).  A port parole is a
    certain entry: its weight is ``port_gain_weight`` x the value a crossing between ports
    lacks (1 - today's value of an attempt as seen in the border city, ``F.value_now``:
    release, removal, expulsion and evasion as compatriots meet them), plus the status a
    port parole opens (``port_status``, ``port_weight``).  The migrant would wait longer
    for it, by weight / beta_days, and gains that weight: exp(weight - beta_days x the
    extra days of the wait it would bear), 1 once the line is longer than it would wait,
    exp(weight) with no line."""
    K, F = M.K, M.F
    b = M.R.beta[B_DAYS]
    w = max(port_wait, 0.0)
    base = min(w, K.port_patience)
    for n in range(len(F.port_boost)):
        gain = K.port_weight[n] + K.port_gain_weight * min(max(1.0 - F.value_now[n], 0.0), 1.0)
        F.patience[n] = K.port_patience + gain / max(b, 1e-9)
        F.port_boost[n] = math.exp(gain - b * (min(w, F.patience[n]) - base))


@njit(cache=True)
def choose_route(M, node, cls, exclude_port, port_boost, d) -> int:
    """Draw a route starting at ``node`` (or -1 if none): a binary search in the block's
    cumulative probabilities; or a scan that skips port routes when ``exclude_port``, or
    weighs them by ``port_boost`` when it is not 1 (the status a port parole opens to the
    migrant's nationality, ``port_status``)."""
    b = M.Q.first[node]
    n = M.Q.count[node]
    if n == 0:
        return -1
    if M.Q.stamp[cls, node] != d:                # today's probabilities of the block
        M.Q.stamp[cls, node] = d
        block_choice(M, cls, node)
    if not exclude_port and port_boost != 1.0:
        total = 0.0
        for r in range(b, b + n):
            total += M.Q.prob[cls, r] * (port_boost if M.R.crossing[r] == X_PORT else 1.0)
        u = rnd(M.rng) * total
        for r in range(b, b + n):
            u -= M.Q.prob[cls, r] * (port_boost if M.R.crossing[r] == X_PORT else 1.0)
            if u < 0.0:
                return r
        return b + n - 1
    if not exclude_port:
        u = rnd(M.rng) * M.Q.cum[cls, b + n - 1]
        lo, hi = b, b + n                     # the first route whose running sum exceeds u
        while lo < hi:
            mid = (lo + hi) // 2
            if M.Q.cum[cls, mid] <= u:
                lo = mid + 1
            else:
                hi = mid
        return min(lo, b + n - 1)
    total = 0.0
    for r in range(b, b + n):
        if M.R.crossing[r] != X_PORT:
            total += M.Q.prob[cls, r]
    if total <= 0.0:
        return -1
    u = rnd(M.rng) * total
    last = -1
    for r in range(b, b + n):
        if M.R.crossing[r] == X_PORT:
            continue
        last = r
        u -= M.Q.prob[cls, r]
        if u < 0.0:
            return r
    return last
