"""The feedback mechanisms of the day loop: the asylum court backlog (MODEL.md, asylum
backlog: releases at the border file cases, the courts complete them, and the expected wait
pulls non-Mexican departures) and network momentum (MODEL.md mechanism 1: recent arrivals
in the U.S. raise the departures of their citizenship), ICE custody (release follows the
beds and removal flights there are) and the value of an attempt as compatriots experienced
it (MODEL.md mechanism 1: the pull on departures)."""

from __future__ import annotations

from numba import njit

from borderflow.engine.constants import (
    A_T8,
    FAMILY,
    MEXICO,
    O_EXPEL,
    O_GOTAWAY,
    O_MPP,
    O_PAROLE_PORT,
    O_RELEASE_ICE,
    O_RELEASE_US,
    O_REMOVE,
    SA,
    UAC,
)
from borderflow.engine.departures import attempt_value
from borderflow.engine.state import (
    CAP_FACTOR,
    CAP_LOAD,
    CAP_OVERFLOW,
    CAP_T8_LOAD,
    CUST_IN,
    CUST_IN_PREV,
    CUST_OCC,
    CUST_OPEN,
    CUST_SHARE,
    DEP_ALL,
    DEP_PORT,
    DEP_REL,
    EXP_DEP,
    EXP_NOW,
    PORT_OPEN,
    RELEASED_PREV,
    SEEN_ALL,
    SEEN_PORT,
    SEEN_REL,
)
from borderflow.engine.usborder import release_chance


@njit(cache=True)
def backlog_step(M, d, m) -> float:
    """Advance the court backlog by a day (releases at the border file cases, the courts
    complete them); return the pull factor of the expected wait relative to the start."""
    C, K, F, D = M.C, M.K, M.F, M.D
    released = (C.outcomes[:, O_RELEASE_US, :].sum() + C.outcomes[:, O_PAROLE_PORT, :].sum()
                + C.outcomes[:, O_RELEASE_ICE, :].sum())
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
    smoothed over ``network_memory_days``, plus ``network_start_pseudocount`` a month (the
    seed the network start counts, so that a network the run's own draws leave empty can
    grow again, at any scale: at scale 50 a citizenship with a few dozen departures a
    month draws none in most months); at most ``network_clip``, with no floor (a young
    network starts far below 1, ``departures.network_start``).

    Times the network's maturity (populations that can grow): the share of the
    compatriots' arrivals that make the network mature (``network_maturity_months`` of its
    base departures arriving) that have arrived so far, starting at the network start
    (``departures.network_start``, at most 1) and never forgetting: a citizenship that
    barely came before the run grows with its own arrivals, with no bound but maturity,
    and one that came in numbers is mature from the start.  Momentum then compares recent
    arrivals with what a network of that maturity sends (reference x maturity), so that
    departures follow maturity one for one and momentum carries only the changes of
    success."""
    C, K, F = M.C, M.K, M.F
    tau = max(K.network_memory_days, 1.0)
    hi = K.network_clip
    for n in range(len(out)):
        arrived = (C.outcomes[:, O_GOTAWAY, n].sum() + C.outcomes[:, O_RELEASE_US, n].sum()
                   + C.outcomes[:, O_PAROLE_PORT, n].sum()
                   + C.outcomes[:, O_RELEASE_ICE, n].sum())
        fresh = float(arrived - F.arrived_prev[n])
        F.arrived_prev[n] = arrived
        F.net_arrivals[n] += (fresh - F.net_arrivals[n]) / tau
        if K.mature_stock[n] > 0.0 and F.maturity[n] < 1.0:
            F.maturity[n] = min(1.0, F.maturity[n] + (fresh + K.net_seed) / K.mature_stock[n])
        # momentum against what a network of this maturity sends, times the maturity:
        # departures follow maturity one for one
        out[n] = momentum(F.net_arrivals[n], K.net_seed, K.net_ref[n] * F.maturity[n],
                          K.network_elasticity, hi) * F.maturity[n]


@njit(cache=True, inline="always")
def momentum(arrivals, seed, ref, elasticity, clip) -> float:
    """Network momentum of one citizenship: ((recent arrivals + seed) / reference) **
    ``elasticity``, at most ``clip`` (1 when ``elasticity`` is 0).  Arrivals, seed and
    reference are all per agent, so the momentum is the same at every scale."""
    if elasticity == 0.0:
        return 1.0
    return min(((arrivals + seed) / max(ref, 1e-300)) ** elasticity, clip)


@njit(cache=True)
def daily_load(cap, load, counts, m, days) -> None:
    """Smooth a daily count over ``days`` into ``cap[load]``: yesterday's count is the
    growth of its month's total (``counts`` by month) since the day before.  The slots
    after ``load`` hold the month's total counted so far and that month (-1: none yet)."""
    prev = int(cap[load + 2])
    if prev >= 0:
        yesterday = counts[prev].sum() - cap[load + 1]
        cap[load] += (yesterday - cap[load]) / max(days, 1.0)
    cap[load + 1] = counts[m].sum()
    cap[load + 2] = m


@njit(cache=True)
def capacity_step(M, d, m) -> None:
    """Border Patrol capacity (MODEL.md, U.S. border): the load is the USBP encounters a
    day, smoothed over ``capacity_days``; past ``capacity_encounters_per_agent`` a year per
    agent on duty (``us_bp_agents``), agents are tied up processing and the odds of
    apprehending an evader fall as (reference / load) ** ``capacity_elasticity``; they
    recover as the load falls.  Today's factor is ``F.cap[CAP_FACTOR]``."""
    F, C, K, D = M.F, M.C, M.K, M.D
    if K.capacity_elasticity <= 0.0:
        F.cap[CAP_FACTOR] = 1.0
        return
    daily_load(F.cap, CAP_LOAD, C.enc, m, K.capacity_days)
    ref = K.capacity_ref * D.bp_agents[d]
    load = F.cap[CAP_LOAD]
    F.cap[CAP_FACTOR] = 1.0 if load <= ref else (ref / load) ** K.capacity_elasticity


@njit(cache=True)
def overflow_step(M, d) -> float:
    """Border Patrol custody (the USBP memo of May 2023): the Title 8 encounters a day,
    smoothed over ``capacity_days`` like the Border Patrol's load, each held
    ``us_custody_days``, are the people in custody; past ``cbp_overflow_threshold`` times
    ``us_cbp_holding_capacity`` the excess is released for want of room while
    ``us_cbp_overflow_release`` is 1.  Returns today's share released so
    (``F.cap[CAP_OVERFLOW]``): 1 - room / held, 0 within the room."""
    F, C, K, D = M.F, M.C, M.K, M.D
    daily_load(F.cap, CAP_T8_LOAD, C.enc[:, :, :, :, A_T8, :], D.month[d], K.capacity_days)
    held = F.cap[CAP_T8_LOAD] * K.custody_days
    room = K.overflow_threshold * D.cbp_capacity[d]
    over = 0.0 if D.cbp_overflow[d] <= 0.0 or held <= room else 1.0 - room / held
    F.cap[CAP_OVERFLOW] = over
    return over


@njit(cache=True)
def _beds_open(cust, beds, stay) -> float:
    """Advance one pool of beds by a day (held beds empty at 1 / ``stay`` a day, those
    detained since yesterday fill them); return the beds open after today's departures."""
    occ = cust[CUST_OCC]
    occ += cust[CUST_IN] - cust[CUST_IN_PREV] - occ / max(stay, 1.0)
    cust[CUST_IN_PREV] = cust[CUST_IN]
    cust[CUST_OCC] = max(occ, 0.0)
    cust[CUST_OPEN] = max(beds - cust[CUST_OCC], 0.0)
    return cust[CUST_OPEN]


@njit(cache=True, inline="always")
def _loaded(counts, load, n, a) -> None:
    """Smooth a nationality's would-be detainees a day over ``capacity_days`` (``a``)."""
    fresh = counts[n, 0] - counts[n, 1]
    counts[n, 1] = counts[n, 0]
    load[n] += a * (fresh - load[n])


@njit(cache=True)
def custody_step(M, d) -> None:
    """ICE custody of border arrests (MODEL.md, U.S. border): today's chance of release
    into the U.S. under Title 8 by nationality, of single adults (``F.rel_t8``) and of
    families (``F.rel_fam``), and the part of it ICE releases at the end of a stay
    (``F.ice_t8``, ``F.ice_fam``).

    Policy releases ``us_release_rate`` of a nationality's Title 8 encounters; ICE holds
    the rest while it has a bed.  Single adults hold
    adult beds (``us_detention_beds``, emptied at 1 / ``us_detention_alos`` a day), families
    hold family beds (``us_family_beds``, emptied at 1 / ``family_detention_days`` a day:
    Flores); the beds open today are those not held after today's departures.  A
    nationality's removal path is the share of its would-be detainees, adults and families,
    its removal flights (``us_removal_flights``) carry: those ICE holds are removed with
    that chance at the end of their stay and released otherwise (the book-outs: Cubans and
    Venezuelans with few or no flights were transferred to ICE, not all released by the
    Border Patrol).  When the people ICE would hold in a
    pool (smoothed over ``capacity_days``, like the Border Patrol's load) exceed its open
    beds, each is held with chance open / demand and the others are released: rising
    encounters raise the release share, as in 2021-2023, and with no family beds (from
    March 2021) every family policy does not expel or return is released.  Mexicans are
    returned over land from Border Patrol custody and need neither beds nor flights, but
    that custody backs up when the adult beds are full: a Mexican policy does not release
    is held with the adults' share (set by the non-Mexicans; Mexicans hold no bed) and
    released otherwise.  The non-Mexicans Mexico accepts from the U.S. border
    (``us_return_mexico_cap``, a month, shared by the nationalities it is set for) need no
    bed either: of those policy does not release, each is returned with
    chance cap / (all it is set for would hold), and only the rest need a bed and a flight
    (``F.ret_t8``: today's chance of return, of adults and families alike).  Of the
    others policy does not release, ``us_cbp_removal_share`` are removed from CBP custody
    by expedited removal (the 2024 rule) as far as a flight carries them, with no bed;
    the rest need a bed.  Whatever
    the path, those policy does not release pass through Border Patrol custody, which
    releases the share :func:`overflow_step` finds it has no room for."""
    F, K, D = M.F, M.K, M.D
    a = 1.0 / max(K.capacity_days, 1.0)
    kept = 1.0 - overflow_step(M, d)          # not released for want of room in custody
    open_beds = _beds_open(F.cust, D.beds[d], D.alos[d])
    open_fam = _beds_open(F.cust_fam, D.family_beds[d], K.family_stay)
    cap_ret = want_ret = 0.0
    for n in range(len(F.rel_t8)):
        _loaded(F.t8, F.t8_load, n, a)
        _loaded(F.t8_fam, F.t8_fam_load, n, a)
        if n != MEXICO and D.return_cap[d, n] > 0.0:
            cap_ret = max(cap_ret, D.return_cap[d, n])
            want_ret += (F.t8_load[n] + F.t8_fam_load[n]) * (1.0 - D.release[d, n]) * kept
    ret = 0.0 if want_ret <= 0.0 else min(1.0, cap_ret / want_ret)
    demand = demand_fam = 0.0
    for n in range(len(F.rel_t8)):
        r = ret if (n != MEXICO and D.return_cap[d, n] > 0.0) else 0.0
        F.ret_t8[n] = r                          # returned share, until the bed share is known
        held = (1.0 - D.release[d, n]) * kept * (1.0 - r)
        hold = (F.t8_load[n] + F.t8_fam_load[n]) * held
        path = 1.0 if hold <= 0.0 else min(1.0, D.removal_cap[d, n] / hold)
        F.rel_t8[n] = path                       # the path, until the share is known
        if n != MEXICO:
            bed = held * (1.0 - D.cbp_removal[d, n] * path)   # those who need an ICE bed
            demand += F.t8_load[n] * bed
            demand_fam += F.t8_fam_load[n] * bed
    share = 1.0 if demand <= open_beds else open_beds / demand
    share_fam = 1.0 if demand_fam <= open_fam else open_fam / demand_fam
    F.cust[CUST_SHARE] = share
    F.cust_fam[CUST_SHARE] = share_fam
    for n in range(len(F.rel_t8)):
        policy = 1.0 - (1.0 - D.release[d, n]) * kept     # policy, or no room in custody
        r = F.ret_t8[n]
        path = F.rel_t8[n]
        if n == MEXICO:
            # returned over land from Border Patrol custody: held while the custody the
            # others back up into has room (the adults' share), released otherwise
            rel = 1.0 - (1.0 - policy) * share
            F.rel_t8[n], F.rel_fam[n], F.ret_t8[n] = rel, rel, 0.0
            F.ice_t8[n], F.ice_fam[n] = 0.0, 0.0
        else:
            # removed from CBP custody (as far as a flight carries them, no bed), or held
            # in a bed: removed at the end of the stay with the path, released otherwise
            c = D.cbp_removal[d, n] * path
            to_ice = (1.0 - policy) * (1.0 - r) * (1.0 - c)
            F.ice_t8[n] = to_ice * share * (1.0 - path)
            F.ice_fam[n] = to_ice * share_fam * (1.0 - path)
            F.rel_t8[n] = policy + to_ice * (1.0 - share) + F.ice_t8[n]
            F.rel_fam[n] = policy + to_ice * (1.0 - share_fam) + F.ice_fam[n]
            F.ret_t8[n] = (1.0 - policy) * r


@njit(cache=True)
def expected_release(M, n, d) -> float:
    """Today's chance of release of a nationality's encounter, averaged over its family
    status (``usborder.release_chance``: Title 42, custody, MPP)."""
    K = M.K
    fam, uac = K.family_share[n], K.uac_share[n]
    return ((1.0 - fam - uac) * release_chance(M, n, SA, d)
            + fam * release_chance(M, n, FAMILY, d) + uac * release_chance(M, n, UAC, d))


@njit(cache=True)
def value_step(M, d) -> None:
    """The value of an attempt as compatriots experienced it (MODEL.md mechanism 1), and
    today's pull on departures (``F.pull``).

    The release a nationality sees at origin is the share of its compatriots' outcomes at
    the border lately (released, paroled at a port with an appointment, removed, expelled
    or returned to wait in Mexico) that let them in (a release or a port parole), smoothed
    over ``perception_days``: when the ports give fewer appointments, fewer get in and
    the value seen falls.  The value weighs it against the evade
    option (``departures.attempt_value``); pull is (value / reference) **
    ``pull_elasticity``.  A surge that overloads custody raises releases, then the value
    seen, then departures.  For the border response (``kernel.defers``) the regime itself
    is compared: the day's expected release (:func:`expected_release`) as seen in a border
    city (``border_perception_days``) against the same as it was perceived at origin when
    the migrant set out (``F.value``), so that chance outcomes hold nobody back.  The
    share of the outcomes seen at origin that were port paroles (``F.port_seen``, by day)
    and whether the ports give appointments, as seen in a border city (``PORT_OPEN``), let
    the border response weigh a port that has closed since the migrant set out."""
    C, K, F, D = M.C, M.K, M.F, M.D
    a_dep = 1.0 / max(K.perception_days, 1.0)
    a_now = 1.0 / max(K.border_perception_days, 1.0)
    is_open = 1.0 if D.port_cap[d] > 0.0 else 0.0
    for n in range(len(F.pull)):
        expect = expected_release(M, n, d)
        F.seen[n, EXP_DEP] += a_dep * (expect - F.seen[n, EXP_DEP])
        F.seen[n, EXP_NOW] += a_now * (expect - F.seen[n, EXP_NOW])
        port = C.outcomes[:, O_PAROLE_PORT, n].sum()
        rel = float(C.outcomes[:, O_RELEASE_US, n].sum() + C.outcomes[:, O_RELEASE_ICE, n].sum()
                    + port)
        done = (rel + C.outcomes[:, O_REMOVE, n].sum() + C.outcomes[:, O_EXPEL, n].sum()
                + C.outcomes[:, O_MPP, n].sum())
        fresh_rel, fresh_all = rel - F.seen[n, SEEN_REL], done - F.seen[n, SEEN_ALL]
        F.seen[n, SEEN_REL], F.seen[n, SEEN_ALL] = rel, done
        F.seen[n, DEP_REL] += a_dep * (fresh_rel - F.seen[n, DEP_REL])
        F.seen[n, DEP_ALL] += a_dep * (fresh_all - F.seen[n, DEP_ALL])
        w = K.evasion_w[n]
        # the recent outcomes heard of, plus the network's pseudocount of outcomes at the
        # regime's expected release: a citizenship with few or no recent outcomes falls
        # back on the regime as perceived, so chance outcomes of the first few agents do
        # not hold its value (and its departures) where they left it
        seen = ((F.seen[n, DEP_REL] + K.net_seed * F.seen[n, EXP_DEP])
                / (F.seen[n, DEP_ALL] + K.net_seed))
        F.pull[n] = (max(attempt_value(D.evade_dep[d, n], seen, w), 1e-6)
                     / K.ref_value[n]) ** K.pull_elasticity
        F.value[d, n] = attempt_value(D.evade_dep[d, n], F.seen[n, EXP_DEP], w)
        F.value_now[n] = attempt_value(D.evade_now[d, n], F.seen[n, EXP_NOW], w)
        F.seen[n, DEP_PORT] += a_dep * (port - F.seen[n, SEEN_PORT] - F.seen[n, DEP_PORT])
        F.seen[n, SEEN_PORT] = port
        F.seen[n, PORT_OPEN] += a_now * (is_open - F.seen[n, PORT_OPEN])
        F.port_seen[d, n] = min(1.0, F.seen[n, DEP_PORT] / max(F.seen[n, DEP_ALL], 1e-300))
