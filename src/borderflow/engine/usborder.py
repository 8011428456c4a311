"""The U.S. border (MODEL.md mechanism 7).

On arrival in a sector an asylum seeker who expects release surrenders to
agents (the same intent chose its crossing: kernel.take_route); others try to
evade and are apprehended with a probability that depends on the crossing
(urban or remote) and the sector's posture, the rest are gotaways.  Encounters
are processed by date and nationality: Title 42 expulsion to the Mexican border
city (from which people may retry), Title 8 release (or Remain in Mexico),
Title 8 removal of Mexicans to Mexico and deportation of others to their
origin.  A port-of-entry arrival is an OFO encounter with an appointment and is
paroled.  Repeat encounters count again, as the statistics count them.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from borderflow.engine.agentops import deported_home, set_state, sleep, wait_days
from borderflow.engine.constants import (
    A_T8,
    A_T42,
    EVADED_US,
    EXPELLED,
    F_DEPORT_US,
    F_EXPEL,
    F_MPP,
    F_NONE,
    F_PAROLE_PORT,
    F_RELEASE_ICE,
    F_RELEASE_US,
    F_REMOVE_MX,
    F_RETRY,
    FAMILY,
    MEXICO,
    O_EXPEL,
    O_GOTAWAY,
    O_MPP,
    O_PAROLE_PORT,
    O_RELEASE_CHILD,
    O_RELEASE_FAMILY,
    O_RELEASE_ICE,
    O_RELEASE_US,
    O_REMOVE,
    O_REPEAT,
    O_RESCUE,
    O_SURRENDER,
    RELEASED_US,
    RETURNED,
    SA,
    UAC,
    US_CUSTODY,
    X_PORT,
    X_REMOTE,
    X_URBAN,
)
from borderflow.engine.rand import rnd
from borderflow.engine.state import CAP_FACTOR, CUST_IN


@njit(cache=True, inline="always")
def release_of(t42, t42_family, t42_uac, release, mpp, nat, demo, uac_release) -> float:
    """Chance of release into the U.S. if encountered: not expelled under Title 42 (its
    share of the nationality, times the family or children's share of it), released under
    Title 8 (non-Mexican children go to ORR shelters and sponsors at ``uac_release``,
    TVPRA 2008) and not returned to Mexico to wait (MPP, non-Mexicans)."""
    if demo == FAMILY:
        t42 *= t42_family
    elif demo == UAC:
        t42 *= t42_uac
    rel = uac_release if (demo == UAC and nat != MEXICO) else release
    return (1.0 - t42) * rel * (1.0 - mpp * (nat != MEXICO))


@njit(cache=True)
def release_table(t42, t42_family, t42_uac, release, mpp, family_share, uac_share,
                  uac_release) -> np.ndarray:
    """(days, nat) :func:`release_of` averaged over the demographic groups; ``release``
    (2, days, nat): the Title 8 release of single adults, then of families."""
    days, n_nat = t42.shape
    out = np.empty((days, n_nat))
    for t in range(days):
        for n in range(n_nat):
            w = (1.0 - family_share[n] - uac_share[n], family_share[n], uac_share[n])
            tot = 0.0
            for g in range(3):
                rel = release[1 if g == FAMILY else 0, t, n]
                tot += w[g] * release_of(t42[t, n], t42_family[t, n], t42_uac[t], rel,
                                         mpp[t], n, g, uac_release)
            out[t, n] = tot
    return out


@njit(cache=True, inline="always")
def apprehension_chance(base, posture, remote, remote_share, capacity=1.0) -> float:
    """Chance an evader is apprehended: the crossing's base odds times the sector's posture
    (on remote crossings only ``remote_share`` of a posture change reaches) times the
    Border Patrol's free capacity (``feedback.capacity_step``; 1 when not tied up)."""
    post = 1.0 + (posture - 1.0) * remote_share if remote else posture
    odds = base / (1.0 - base) * post * capacity
    return odds / (1.0 + odds)


@njit(cache=True)
def title42_applies(M, nat, demo, d) -> bool:
    """Whether Title 42 expels this encounter: with the nationality's share, times the
    family or children's share (the meaning :func:`release_of` gives them; no draw for a
    children's share of 0 or 1)."""
    share = M.D.t42[d, nat]
    if share <= 0.0 or rnd(M.rng) >= share:
        return False
    if demo == SA:
        return True
    if demo == FAMILY:
        return rnd(M.rng) < M.D.t42_family[d, nat]
    uac = M.D.t42_uac[d]
    return uac >= 1.0 or (uac > 0.0 and rnd(M.rng) < uac)


@njit(cache=True)
def title8_outcome(M, nat, demo, d) -> int:
    """The flag of a Title 8 encounter: released by the Border Patrol (or returned to
    wait in Mexico under MPP), held by ICE and released at the end of the stay for want of
    a removal path, removed to Mexico or deported; non-Mexican adults and families not
    released are returned to Mexico where it accepts them (``F.ret_t8``) or held in ICE
    custody, adults in adult beds and families in family beds
    (``feedback.custody_step``).  Its chance of release into the U.S., by either, is the
    one :func:`release_chance` states."""
    child = demo == UAC and nat != MEXICO
    held = not child and nat != MEXICO
    fam = demo == FAMILY
    if held:                                   # one more ICE would hold (custody_step)
        if fam:
            M.F.t8_fam[nat, 0] += 1.0
        else:
            M.F.t8[nat, 0] += 1.0
    rel = M.K.uac_release if child else (M.F.rel_fam[nat] if fam else M.F.rel_t8[nat])
    ice = 0.0 if not held else (M.F.ice_fam[nat] if fam else M.F.ice_t8[nat])
    u = rnd(M.rng)
    if u < rel - ice:
        return F_MPP if (nat != MEXICO and rnd(M.rng) < M.D.mpp[d]) else F_RELEASE_US
    if held:
        if rel <= u < rel + M.F.ret_t8[nat]:
            return F_REMOVE_MX               # returned to Mexico under its agreement
        if fam:                                # held in ICE detention
            M.F.cust_fam[CUST_IN] += 1.0
        else:
            M.F.cust[CUST_IN] += 1.0
        if u < rel:                            # with no removal path: released at the end
            return F_RELEASE_ICE
    return F_REMOVE_MX if nat == MEXICO else F_DEPORT_US


@njit(cache=True)
def release_chance(M, nat, demo, d) -> float:
    """Expected chance of release into the U.S. if encountered today (Title 8 release as
    custody allows it today for the group, ``feedback.custody_step``): by the Border
    Patrol (MPP returns some of them to Mexico instead), or by ICE at the end of a stay
    (held adults and families; MPP does not apply to those held)."""
    t42, t42f, t42u = M.D.t42[d, nat], M.D.t42_family[d, nat], M.D.t42_uac[d]
    rel = M.F.rel_fam[nat] if demo == FAMILY else M.F.rel_t8[nat]
    ice = 0.0
    if nat != MEXICO and demo != UAC:
        ice = M.F.ice_fam[nat] if demo == FAMILY else M.F.ice_t8[nat]
    border = release_of(t42, t42f, t42u, rel - ice, M.D.mpp[d], nat, demo, M.K.uac_release)
    return border + ice * release_of(t42, t42f, t42u, 1.0, 0.0, nat, demo, 1.0)


@njit(cache=True)
def surrender_chance(M, nat, demo, d) -> float:
    """Chance that a migrant of this nationality and group means to surrender to the
    Border Patrol (to claim asylum) rather than evade it: ``surrender_propensity`` scaled
    by the expected release relative to ``reference_release``, capped at 1."""
    K = M.K
    return K.surrender[demo] * min(1.0, release_chance(M, nat, demo, d) / K.reference_release)


@njit(cache=True)
def surrender_today(M, d) -> None:
    """Today's :func:`surrender_chance` of every nationality and group (``F.surrender``)."""
    out = M.F.surrender
    for n in range(out.shape[0]):
        for g in range(out.shape[1]):
            out[n, g] = surrender_chance(M, n, g, d)


@njit(cache=True)
def asylum_seeker(M, i, d) -> bool:
    """The agent's intent at the border today (day ``d``, whose chances
    :func:`surrender_today` holds): its fixed propensity ``intent_u`` against today's
    surrender chance (the same person keeps the same propensity, so intent changes only when
    the prospects of release do)."""
    return M.A.intent_u[i] < M.F.surrender[M.A.nat[i], M.A.demo[i]]


@njit(cache=True)
def arrive(M, i, e, rescued, d, m) -> None:
    """Agent ``i`` reached the U.S. side over crossing edge ``e``."""
    nat = M.A.nat[i]
    demo = M.A.demo[i]
    sec = M.N.sector[e]
    x = M.N.crossing[e]
    M.A.node[i] = M.N.src[e]                     # the Mexican side, for returns
    if x == X_PORT:
        M.C.ofo[m, sec, nat, demo] += 1
        M.A.attempts[i] += 1
        set_state(M, i, US_CUSTODY)
        M.A.flag[i] = F_PAROLE_PORT
        sleep(M, i, d, 1)
        return
    if not rescued:
        if asylum_seeker(M, i, d):
            M.C.outcomes[m, O_SURRENDER, nat] += 1
        else:
            base = M.K.app_urban if x == X_URBAN else M.K.app_remote
            if rnd(M.rng) >= apprehension_chance(base, M.D.posture[d, sec], x == X_REMOTE,
                                               M.K.remote_posture_share, M.F.cap[CAP_FACTOR]):
                M.C.outcomes[m, O_GOTAWAY, nat] += 1
                set_state(M, i, EVADED_US)
                return
    t42 = title42_applies(M, nat, demo, d)
    rep = 1 if M.A.attempts[i] > 0 else 0
    M.C.enc[m, sec, nat, demo, A_T42 if t42 else A_T8, rep] += 1
    if rep == 1:
        M.C.outcomes[m, O_REPEAT, nat] += 1
    if rescued:
        M.C.outcomes[m, O_RESCUE, nat] += 1
    M.A.attempts[i] += 1
    set_state(M, i, US_CUSTODY)
    if t42:
        M.A.flag[i] = F_EXPEL
        sleep(M, i, d, 1)
        return
    sleep(M, i, d, int(M.K.custody_days))
    M.A.flag[i] = title8_outcome(M, nat, demo, d)
    if M.A.flag[i] == F_RELEASE_ICE:            # the stay in ICE detention
        sleep(M, i, d, int(M.K.custody_days + M.D.alos[d]))


@njit(cache=True)
def custody_end(M, i, d, m) -> None:
    nat = M.A.nat[i]
    f = M.A.flag[i]
    M.A.flag[i] = F_NONE
    if f == F_RELEASE_US or f == F_PAROLE_PORT:
        M.C.outcomes[m, O_RELEASE_US if f == F_RELEASE_US else O_PAROLE_PORT, nat] += 1
        if f == F_RELEASE_US and M.A.demo[i] != SA:
            M.C.outcomes[m, O_RELEASE_FAMILY if M.A.demo[i] == FAMILY else O_RELEASE_CHILD,
                         nat] += 1
        set_state(M, i, RELEASED_US)
    elif f == F_RELEASE_ICE:
        M.C.outcomes[m, O_RELEASE_ICE, nat] += 1
        set_state(M, i, RELEASED_US)
    elif f == F_DEPORT_US:
        M.C.outcomes[m, O_REMOVE, nat] += 1
        deported_home(M, i, d)
    else:
        if f == F_EXPEL:
            M.C.outcomes[m, O_EXPEL, nat] += 1
            retry, wait = M.K.retry_expulsion, M.K.retry_wait
        elif f == F_REMOVE_MX:
            M.C.outcomes[m, O_REMOVE, nat] += 1
            retry, wait = M.K.retry_removal, M.K.retry_wait
        else:  # F_MPP: wait in Mexico for a hearing months away
            M.C.outcomes[m, O_MPP, nat] += 1
            retry, wait = M.K.retry_expulsion, M.K.mpp_wait_days
        if rnd(M.rng) < retry:
            set_state(M, i, EXPELLED)
            M.A.flag[i] = F_RETRY
            sleep(M, i, d, wait_days(wait, M.rng))
        else:
            set_state(M, i, RETURNED)
