"""Mexican enforcement, detention, deportation and transfers (MODEL.md mechanisms 4 and 5).

A checkpoint on an edge intercepts a non-Mexican traveller with probability
``1 - exp(-interception * checkpoints * staff)``, less for smuggler-led groups.
Intercepted migrants enter detention if there is room, else are released with
an exit order.  In detention a deportation happens only if its processing time
fits within the legal detention limit: by bus for nationalities Mexico returns
over land, by air only under a repatriation agreement and within the day's
flight seats.  The rest are bused south (and restart there) or released at the
limit; a few claim asylum with COMAR and settle in Mexico, some give up and go home.
Someone bused south (after ``transfer_days`` in custody) stays there a while
(``transfer_restart_days`` on average: money and a group to travel with must be found
again) before choosing a new route north.
"""

from __future__ import annotations

import math

from numba import njit

from borderflow.engine.agentops import deported_home, set_state, sleep, wait_days
from borderflow.engine.constants import (
    DETAINED,
    F_DEPORT_AIR,
    F_DEPORT_BUS,
    F_RELEASE_MX,
    F_RESUME,
    F_TRANSFER,
    IN_TRANSIT,
    MEXICO,
    MX_APPREHENDED,
    MX_DEPORTED,
    MX_DETAINED,
    MX_RELEASED,
    MX_TRANSFERRED,
    RETURNED,
    SETTLED,
)
from borderflow.engine.rand import rnd
from borderflow.engine.state import EDGE_DAYS, EP_ALONE, EP_DETOUR, EP_SMUGGLED, FLIGHT_SEATS


@njit(cache=True)
def interception_of_day(M, t) -> None:
    """The chance that the checkpoints on each edge stop a traveller on day ``t``, alone
    and with a smuggler (``F.edge_p[row, :, EP_ALONE]`` and ``[row, :, EP_SMUGGLED]``, row
    ``t % EDGE_DAYS``): ``1 - exp(-interception x checkpoints x staff)``, less with a
    smuggler; 0 on an edge without checkpoints.  Smugglers get round the share
    ``smuggler_evasion`` of the checkpoints by detours through remote country, and the
    detour is dangerous: a smuggled group dies on it with ``F.edge_p[row, :, EP_DETOUR]`` =
    ``1 - exp(-detour_hazard x evaded)``, ``evaded`` the interception chance avoided, so
    more checkpoint staff means riskier journeys (MODEL.md: smugglers push migrants onto
    riskier desert routes)."""
    N, K = M.N, M.K
    staff = M.D.staff[t]
    ep = M.F.edge_p[t % EDGE_DAYS]
    for e in range(len(N.checkpoints)):
        if N.checkpoints[e] <= 0 or N.mxs[e] < 0:
            ep[e, EP_ALONE] = ep[e, EP_SMUGGLED] = ep[e, EP_DETOUR] = 0.0
            continue
        rate = K.interception * N.checkpoints[e] * staff[N.mxs[e]]
        ep[e, EP_ALONE] = 1.0 - math.exp(-rate)
        ep[e, EP_SMUGGLED] = 1.0 - math.exp(-rate * (1.0 - K.smuggler_evasion))
        evaded = 1.0 - math.exp(-rate * K.smuggler_evasion)
        ep[e, EP_DETOUR] = 1.0 - math.exp(-K.detour_hazard * evaded)


@njit(cache=True, inline="always")
def interception_chance(edge_p, row, nat, smug, e) -> float:
    """Chance that the checkpoints on edge ``e`` stop this traveller on the day whose
    chances row ``row`` of ``F.edge_p`` holds (none for Mexicans: no immigration
    checkpoint stops them).  The row is an index, not a view ``edge_p[row]``: a view made
    at every edge walked costs an atomic reference count."""
    if nat == MEXICO:
        return 0.0
    return edge_p[row, e, EP_ALONE + smug]


@njit(cache=True)
def apprehend(M, i, node, d, m) -> None:
    nat = M.A.nat[i]
    M.C.mx[m, MX_APPREHENDED, nat] += 1
    M.A.node[i] = node
    if M.C.detained[0] >= M.D.det_cap[d]:
        M.C.mx[m, MX_RELEASED, nat] += 1       # no place: released with an exit order
        set_state(M, i, IN_TRANSIT)
        M.A.flag[i] = F_RESUME
        sleep(M, i, d, 1)
        return
    M.C.mx[m, MX_DETAINED, nat] += 1
    M.C.detained[0] += 1
    set_state(M, i, DETAINED)
    limit = M.D.det_limit[d]
    if M.D.bus[d, nat] > 0.0 and rnd(M.rng) < M.K.deport_share * M.D.bus[d, nat]:
        t = -math.log(1.0 - rnd(M.rng)) * M.K.bus_days
        if t <= limit:
            M.A.flag[i] = F_DEPORT_BUS
            sleep(M, i, d, int(math.ceil(t)))
            return
    if (M.D.flights[d, nat] > 0.0 and M.C.daily[FLIGHT_SEATS] < M.D.flight_cap[d]
            and rnd(M.rng) < M.K.deport_share * M.D.flights[d, nat]):
        t = -math.log(1.0 - rnd(M.rng)) * M.K.flight_days
        if t <= limit:
            M.C.daily[FLIGHT_SEATS] += 1
            M.A.flag[i] = F_DEPORT_AIR
            sleep(M, i, d, int(math.ceil(t)))
            return
    hold = max(1, int(limit))
    if rnd(M.rng) < M.D.transfer_south[d]:
        M.A.flag[i] = F_TRANSFER
        sleep(M, i, d, min(hold, int(M.K.transfer_days)))
    else:
        M.A.flag[i] = F_RELEASE_MX
        sleep(M, i, d, hold)


@njit(cache=True)
def detention_end(M, i, d, m) -> int:
    """Leave detention. Returns 0 (done for now; a transferee sleeps in the south until its wake day),
    1 (restart a route from A.node), 2 (resume the edge)."""
    M.C.detained[0] -= 1
    nat = M.A.nat[i]
    f = M.A.flag[i]
    M.A.flag[i] = 0
    if f == F_DEPORT_BUS or f == F_DEPORT_AIR:
        M.C.mx[m, MX_DEPORTED, nat] += 1
        deported_home(M, i, d)
        return 0
    if f == F_TRANSFER:
        M.C.mx[m, MX_TRANSFERRED, nat] += 1
        M.A.node[i] = M.N.south[int(rnd(M.rng) * len(M.N.south))]
        M.A.route[i] = -1
        set_state(M, i, IN_TRANSIT)
        if M.K.transfer_restart_days > 0.0:    # stranded in the south before moving north
            sleep(M, i, d, wait_days(M.K.transfer_restart_days, M.rng))
            return 0
        return 1
    M.C.mx[m, MX_RELEASED, nat] += 1
    u = rnd(M.rng)
    if u < M.K.comar_share:
        set_state(M, i, SETTLED)
        return 0
    if u < M.K.comar_share + M.K.give_up_share:
        set_state(M, i, RETURNED)
        return 0
    set_state(M, i, IN_TRANSIT)
    return 2
