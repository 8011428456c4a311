"""Small state changes shared by the mechanism modules: every change of an agent's state
goes through :func:`set_state`, which keeps the running count of each state."""

from __future__ import annotations

import math

from numba import njit

from borderflow.engine.constants import DEPORTED, F_NONE, F_REDEPART
from borderflow.engine.rand import rnd


@njit(cache=True)
def set_state(M, i, s) -> None:
    M.C.states[M.A.state[i]] -= 1
    M.A.state[i] = s
    M.C.states[s] += 1


@njit(cache=True, inline="always")
def sleep(M, i, d, days) -> None:
    """The agent acts next in ``days`` days (at least tomorrow)."""
    M.A.wake[i] = d + max(days, 1)


@njit(cache=True)
def wait_days(mean: float, rng) -> int:
    """An exponential wait rounded up to whole days (at least one)."""
    return max(1, int(math.ceil(-math.log(1.0 - rnd(rng)) * mean)))


@njit(cache=True)
def deported_home(M, i, d) -> None:
    """Back at the origin; some depart again after a while."""
    set_state(M, i, DEPORTED)
    M.A.node[i] = M.A.start[i]
    M.A.route[i] = -1
    if rnd(M.rng) < M.K.redeparture_share:
        M.A.flag[i] = F_REDEPART
        sleep(M, i, d, wait_days(M.K.redeparture_days, M.rng))
    else:
        M.A.flag[i] = F_NONE
