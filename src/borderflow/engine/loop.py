"""The day loop, compiled: feedbacks, route choice, departures, the agents' step and the
daily bookkeeping, for a range of days in one call.

Each day: the port queue's wait, today's route-choice probabilities, the court backlog and
network momentum (the feedback mechanisms), Poisson departures per nationality (spawned at
the end of the agent arrays), the step of every agent, and the ledger.  With ``check``
every state is recounted from the agent arrays at the end of the day.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from borderflow.engine.constants import (
    CORRIDOR_MAX,
    F_NONE,
    FAMILY,
    IN_TRANSIT,
    O_DARIEN,
    O_DEPART,
    O_QUEUE,
    SA,
    UAC,
)
from borderflow.engine.departures import parole_factor
from borderflow.engine.feedback import (
    backlog_step,
    capacity_step,
    custody_step,
    network_step,
    value_step,
)
from borderflow.engine.kernel import is_live, step
from borderflow.engine.rand import poisson, rnd
from borderflow.engine.routechoice import port_boost, update_choice
from borderflow.engine.state import (
    AGENT_DTYPES,
    DAY,
    DEPARTED,
    N_ACT,
    N_LIVE,
    QUEUE_PREV,
    STEPS,
)

# error codes of run_days (the Python side names them)
OK, NEGATIVE, UNBALANCED, RECOUNT = 0, 1, 2, 3


@njit(cache=True)
def _grown(x, n, cap):
    out = np.zeros(cap, x.dtype)
    out[:n] = x[:n]
    return out


def _per_agent_field(name: str, args: str, line: str):
    """A compiled function of ``args`` that runs ``line`` for every agent field (``{f}``
    its name), in the order of ``state.AGENT_FIELDS``: generated, so that no list of the
    fields is written twice.  Its source is kept as ``.source``."""
    src = f"def {name}({args}):\n" + "".join(
        "    " + line.format(f=f) + "\n" for f in AGENT_DTYPES)
    scope: dict = {"_grown": _grown}
    exec(compile(src, f"<borderflow.engine.loop.{name}>", "exec"), scope)  # noqa: S102
    fn = njit(scope[name])
    fn.source = src
    return fn


#: copy agent ``i`` to slot ``w`` (every field)
move_agent = _per_agent_field("move_agent", "A, w, i", "A.{f}[w] = A.{f}[i]")
#: replace every agent array by a copy of its first ``n`` entries with room for ``cap``
grow_agents = _per_agent_field("grow_agents", "A, n, cap", "A.{f} = _grown(A.{f}, n, cap)")


@njit(cache=True)
def compact(M) -> None:
    """Drop the agents that will not act again, keeping the order of the others."""
    A, F = M.A, M.F
    n = F.scal[N_ACT]
    w = 0
    for i in range(n):
        if is_live(A.state[i], A.flag[i]):
            if w != i:
                move_agent(A, w, i)
            w += 1
    F.scal[N_ACT] = w
    F.scal[N_LIVE] = w


@njit(cache=True)
def reserve(M, extra) -> None:
    """Room for ``extra`` more agents: first drop the finished ones, then grow by half."""
    A, F = M.A, M.F
    if F.scal[N_ACT] + extra <= len(A.nat):
        return
    compact(M)
    n = F.scal[N_ACT]
    if n + extra <= len(A.nat):
        return
    grow_agents(A, n, int((n + extra) * 1.5) + 1024)


@njit(cache=True)
def spawn(M, d, m) -> None:
    """Today's departures (``F.departing`` per nationality) join the end of the agent arrays; they
    act today.  Four draws each: demographic group, smuggler, start node, asylum intent."""
    A, C, K, D, F, N, rng = M.A, M.C, M.K, M.D, M.F, M.N, M.rng
    tot = F.departing.sum()
    reserve(M, tot)
    A = M.A
    i = F.scal[N_ACT]
    for n in range(len(F.departing)):
        cum = D.entry_cum[d, n]
        fam, uac = K.family_share[n], K.uac_share[n]
        for _ in range(F.departing[n]):
            u0, u1, u2, u3, u4 = rnd(rng), rnd(rng), rnd(rng), rnd(rng), rnd(rng)
            A.nat[i] = n
            A.demo[i] = FAMILY if u0 < fam else (UAC if u0 < fam + uac else SA)
            A.smug[i] = 1 if u1 < K.smuggler_share else 0
            k = 0
            while k < len(cum) - 1 and cum[k] < u2:
                k += 1
            A.start[i] = N.entry[k]
            if N.entry[k] == K.darien_node:
                C.outcomes[m, O_DARIEN, n] += 1
            A.node[i] = N.entry[k]
            A.route[i] = -1
            A.state[i] = IN_TRANSIT
            A.flag[i] = F_NONE
            A.wake[i] = d
            A.leg[i] = 0
            A.attempts[i] = 0
            A.waited[i] = 0
            A.depart_day[i] = d
            A.intent_u[i] = u3
            A.resolve_u[i] = u4
            i += 1
        C.outcomes[m, O_DEPART, n] += F.departing[n]
    C.states[IN_TRANSIT] += tot
    F.scal[N_ACT] = i
    F.scal[DEPARTED] += tot


@njit(cache=True)
def check(M) -> tuple[int, int, int, int]:
    """Conservation, recounted from the agents themselves: no running count is negative,
    they sum to everyone who departed, and the agents in the arrays, counted by their
    state, equal the running counts of the corridor states (every agent in the corridor is
    in the arrays) and never exceed those of the others.  Returns (code, state, recount,
    running count); code OK when all hold."""
    A, C, F = M.A, M.C, M.F
    counts = C.states
    for s in range(len(counts)):
        if counts[s] < 0:
            return NEGATIVE, s, 0, counts[s]
    if counts.sum() != F.scal[DEPARTED]:
        return UNBALANCED, -1, counts.sum(), F.scal[DEPARTED]
    recount = np.zeros(len(counts), np.int64)
    for i in range(F.scal[N_ACT]):
        recount[A.state[i]] += 1
    for s in range(len(counts)):
        if (recount[s] != counts[s]) if s <= CORRIDOR_MAX else (recount[s] > counts[s]):
            return RECOUNT, s, recount[s], counts[s]
    return OK, -1, 0, 0


@njit(cache=True)
def run_days(M, d1, checking) -> tuple[int, int, int, int]:
    """Run from day ``F.scal[DAY]`` up to (not including) ``d1``.  Returns the check's
    (code, state, recount, count) of the first day that fails it (the run stops there),
    else OK."""
    C, D, F, K = M.C, M.D, M.F, M.K
    momentum = np.ones(len(F.departing))
    for d in range(F.scal[DAY], d1):
        m = D.month[d]
        custody_step(M, d)
        value_step(M, d)
        queue_now = C.outcomes[:, O_QUEUE, :].sum()
        port_wait = (queue_now - F.scal[QUEUE_PREV]) / max(D.port_cap[d], 1e-9)
        F.scal[QUEUE_PREV] = queue_now
        update_choice(M, d, min(port_wait, K.port_patience))
        port_boost(M, port_wait)
        wait_pull = backlog_step(M, d, m)
        network_step(M, momentum)
        capacity_step(M, d, m)
        for n in range(len(F.departing)):
            wait = wait_pull if K.wait_pull[n] > 0.0 else 1.0
            lam = D.lam[d, n] * F.pull[n] * momentum[n] * wait * F.push[n]
            lam *= parole_factor(lam, D.parole[d, n], K.parole_substitution)
            F.departing[n] = poisson(M.rng, lam)
        spawn(M, d, m)
        live, steps = step(M, d, m)
        F.scal[N_LIVE] = live
        F.scal[STEPS] += steps
        if F.scal[N_ACT] - live > F.scal[N_ACT] // 4:
            compact(M)
        F.ledger[d] = C.states
        F.departed[d] = F.scal[DEPARTED]
        F.scal[DAY] = d + 1
        if checking:
            code, s, a, b = check(M)
            if code != OK:
                return code, s, a, b
    return OK, -1, 0, 0
