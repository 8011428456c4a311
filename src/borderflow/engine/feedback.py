"""The feedback mechanisms of the day loop: the asylum court backlog (MODEL.md, asylum
backlog: releases at the border file cases, the courts complete them, and the expected wait
pulls non-Mexican departures) and network momentum (MODEL.md mechanism 1: recent arrivals
in the U.S. raise the departures of their citizenship)."""

from __future__ import annotations

from numba import njit

from borderflow.engine.constants import O_GOTAWAY, O_RELEASE_US
from borderflow.engine.state import RELEASED_PREV


@njit(cache=True)
def backlog_step(M, d, m) -> float:
    """Advance the court backlog by a day (releases at the border file cases, the courts
    complete them); return the pull factor of the expected wait relative to the start."""
    C, K, F, D = M.C, M.K, M.F, M.D
    released = C.outcomes[:, O_RELEASE_US, :].sum()
    inflow = (released - F.scal[RELEASED_PREV]) * K.scale * K.backlog_filing_share
    F.scal[RELEASED_PREV] = released
    b = F.backlog[0] + inflow + (K.backlog_other_receipts - D.court[d]) / 30.44
    F.backlog[0] = max(b, 0.0)
    wait = F.backlog[0] / max(D.court[d] * 12.0, 1.0)
    F.backlog_month[m, 0] = F.backlog[0]
    F.backlog_month[m, 1] = wait
    return (max(wait, 1e-6) / max(K.backlog_ref_wait, 1e-6)) ** K.backlog_wait_elasticity


@njit(cache=True)
def network_step(M, out) -> None:
    """Network momentum (MODEL.md mechanism 1) into ``out``: (recent arrivals in the U.S.
    / reference) ** network_elasticity per citizenship, arrivals = gotaways + releases,
    smoothed over ``network_memory_days``; within [1/network_clip, network_clip]."""
    C, K, F = M.C, M.K, M.F
    tau = max(K.network_memory_days, 1.0)
    lo, hi = 1.0 / K.network_clip, K.network_clip
    for n in range(len(out)):
        arrived = C.outcomes[:, O_GOTAWAY, n].sum() + C.outcomes[:, O_RELEASE_US, n].sum()
        fresh = float(arrived - F.arrived_prev[n])
        F.arrived_prev[n] = arrived
        F.net_arrivals[n] += (fresh - F.net_arrivals[n]) / tau
        if K.network_elasticity == 0.0:
            out[n] = 1.0
        else:
            ratio = (F.net_arrivals[n] + 1e-9) / max(K.net_ref[n], 1e-9)
            out[n] = min(max(ratio ** K.network_elasticity, lo), hi)


@njit(cache=True)
def capacity_step(M, d, m) -> None:
    """Border Patrol capacity (MODEL.md, U.S. border): the load is the USBP encounters a
    day, smoothed over ``capacity_days``; past ``capacity_encounters_per_agent`` a year per
    agent on duty (``us_bp_agents``), agents are tied up processing and the odds of
    apprehending an evader fall as (reference / load) ** ``capacity_elasticity``; they
    recover as the load falls.  Today's factor is ``F.cap[0]``."""
    F, C, K, D = M.F, M.C, M.K, M.D
    if K.capacity_elasticity <= 0.0:
        F.cap[0] = 1.0
        return
    # yesterday's encounters: the growth of its month's count since the day before
    prev = int(F.cap[3])
    if prev >= 0:
        yesterday = C.enc[prev].sum() - F.cap[2]
        F.cap[1] += (yesterday - F.cap[1]) / max(K.capacity_days, 1.0)
    F.cap[2] = C.enc[m].sum()
    F.cap[3] = m
    ref = K.capacity_ref * D.bp_agents[d]
    F.cap[0] = 1.0 if F.cap[1] <= ref else (ref / F.cap[1]) ** K.capacity_elasticity
