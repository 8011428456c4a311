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

from numba import njit

from borderflow.engine.agentops import deported_home, set_state, wait_days
from borderflow.engine.constants import (
    EVADED_US,
    EXPELLED,
    F_DEPORT_US,
    F_EXPEL,
    F_MPP,
    F_NONE,
    F_RELEASE_US,
    F_REMOVE_MX,
    F_RETRY,
    FAMILY,
    MEXICO,
    O_EXPEL,
    O_GOTAWAY,
    O_MPP,
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

UAC_RELEASE = 0.95  # non-Mexican children go to ORR shelters and sponsors (TVPRA 2008)


@njit(cache=True)
def title42_applies(nat, demo, d, D, rng) -> bool:
    share = D.t42[d, nat]
    if share <= 0.0 or rnd(rng) >= share:
        return False
    if demo == SA:
        return True
    if demo == FAMILY:
        return rnd(rng) < D.t42_family[d]
    return D.t42_uac[d] > 0.0


@njit(cache=True)
def release_chance(nat, demo, d, D) -> float:
    """Expected chance of release into the U.S. if encountered today."""
    t42 = D.t42[d, nat]
    if demo == FAMILY:
        t42 *= D.t42_family[d]
    elif demo == UAC:
        t42 *= D.t42_uac[d]
    rel = D.release[d, nat]
    if demo == UAC and nat != MEXICO:
        rel = UAC_RELEASE
    return (1.0 - t42) * rel * (1.0 - D.mpp[d] * (nat != MEXICO))


@njit(cache=True)
def surrender_chance(nat, demo, d, K, D) -> float:
    """Chance that a migrant of this nationality and group means to surrender to the
    Border Patrol (to claim asylum) rather than evade it: ``surrender_propensity`` scaled
    by the expected release relative to ``reference_release``, capped at 1."""
    return K.surrender[demo] * min(1.0, release_chance(nat, demo, d, D) / K.reference_release)


@njit(cache=True)
def asylum_seeker(A, i, d, K, D) -> bool:
    """The agent's intent at the border today: its fixed propensity ``intent_u`` against
    today's surrender chance (the same person keeps the same propensity, so intent
    changes only when the prospects of release do)."""
    return A.intent_u[i] < surrender_chance(A.nat[i], A.demo[i], d, K, D)


@njit(cache=True)
def arrive(A, i, e, rescued, d, m, C, K, D, N, rng) -> None:
    """Agent ``i`` reached the U.S. side over crossing edge ``e``."""
    nat = A.nat[i]
    demo = A.demo[i]
    sec = N.sector[e]
    x = N.crossing[e]
    A.node[i] = N.src[e]                     # the Mexican side, for returns
    if x == X_PORT:
        C.ofo[m, sec, nat, demo] += 1
        A.attempts[i] += 1
        set_state(A, C, i, US_CUSTODY)
        A.flag[i] = F_RELEASE_US
        A.timer[i] = 1
        return
    if not rescued:
        if asylum_seeker(A, i, d, K, D):
            C.outcomes[m, O_SURRENDER, nat] += 1
        else:
            p = K.app_urban if x == X_URBAN else K.app_remote
            post = D.posture[d, sec]
            if x == X_REMOTE:
                post = 1.0 + (post - 1.0) * K.remote_posture_share
            odds = p / (1.0 - p) * post
            if rnd(rng) >= odds / (1.0 + odds):
                C.outcomes[m, O_GOTAWAY, nat] += 1
                set_state(A, C, i, EVADED_US)
                return
    t42 = title42_applies(nat, demo, d, D, rng)
    rep = 1 if A.attempts[i] > 0 else 0
    C.enc[m, sec, nat, demo, 1 if t42 else 0, rep] += 1
    if rep == 1:
        C.outcomes[m, O_REPEAT, nat] += 1
    if rescued:
        C.outcomes[m, O_RESCUE, nat] += 1
    A.attempts[i] += 1
    set_state(A, C, i, US_CUSTODY)
    if t42:
        A.flag[i] = F_EXPEL
        A.timer[i] = 1
        return
    A.timer[i] = 3
    rel = UAC_RELEASE if (demo == UAC and nat != MEXICO) else D.release[d, nat]
    if rnd(rng) < rel:
        A.flag[i] = F_MPP if (nat != MEXICO and rnd(rng) < D.mpp[d]) else F_RELEASE_US
    else:
        A.flag[i] = F_REMOVE_MX if nat == MEXICO else F_DEPORT_US


@njit(cache=True)
def custody_end(A, i, m, C, K, rng) -> None:
    nat = A.nat[i]
    f = A.flag[i]
    A.flag[i] = F_NONE
    if f == F_RELEASE_US:
        C.outcomes[m, O_RELEASE_US, nat] += 1
        set_state(A, C, i, RELEASED_US)
    elif f == F_DEPORT_US:
        C.outcomes[m, O_REMOVE, nat] += 1
        deported_home(A, i, C, K, rng)
    else:
        if f == F_EXPEL:
            C.outcomes[m, O_EXPEL, nat] += 1
            retry, wait = K.retry_expulsion, K.retry_wait
        elif f == F_REMOVE_MX:
            C.outcomes[m, O_REMOVE, nat] += 1
            retry, wait = K.retry_removal, K.retry_wait
        else:  # F_MPP: wait in Mexico for a hearing months away
            C.outcomes[m, O_MPP, nat] += 1
            retry, wait = K.retry_expulsion, 120.0
        if rnd(rng) < retry:
            set_state(A, C, i, EXPELLED)
            A.flag[i] = F_RETRY
            A.timer[i] = wait_days(wait, rng)
        else:
            set_state(A, C, i, RETURNED)
