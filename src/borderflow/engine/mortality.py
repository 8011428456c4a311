"""Mortality and rescue on hazardous segments (MODEL.md mechanism 9).

The fate of a crossing is drawn when an agent enters an edge: the chance of
dying is ``1 - exp(-hazard * days * season)``; on U.S. crossings some of those
in mortal danger are rescued (and apprehended) instead.  Deaths are recorded by
edge and month with a cause that follows the segment's mode.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from borderflow.engine.constants import (
    C_DROWN,
    C_HEAT,
    C_MISSING,
    C_OTHER,
    C_VEHICLE,
    DEAD,
    F_DYING,
    F_RESCUED,
    M_BUS,
    M_FOOT,
    M_RAIL,
    M_RIVER,
    M_VEHICLE,
    MISSING,
    X_PORT,
    X_REMOTE,
)
from borderflow.engine.rand import rnd
from borderflow.engine.state import EDGE_DAYS, EP_DEATH, EP_DEATH_ABANDONED, EP_DETOUR
from borderflow.scenario.registry import BORDER_AREAS, BORDER_BOX


def border_area(lat, lon) -> np.ndarray:
    """Index into ``BORDER_AREAS`` of each point, -1 outside the U.S.-Mexico box."""
    lat, lon = np.asarray(lat, float), np.asarray(lon, float)
    edges = np.array([w for _, w in BORDER_AREAS[1:]])
    idx = np.searchsorted(edges, lon, side="right")
    inside = ((lat >= BORDER_BOX["lat"][0]) & (lat <= BORDER_BOX["lat"][1])
              & (lon >= BORDER_BOX["lon"][0]) & (lon <= BORDER_BOX["lon"][1]))
    return np.where(inside, idx, -1)


def edge_hazard(net, by_area: np.ndarray) -> np.ndarray:
    """Each edge's daily hazard times the multiplier of its area (midpoint; 1 outside the
    box): the hazard agents die from (route choice uses the network's own)."""
    lat = (net.node_lat[net.edge_src] + net.node_lat[net.edge_dst]) / 2
    lon = (net.node_lon[net.edge_src] + net.node_lon[net.edge_dst]) / 2
    area = border_area(lat, lon)
    mult = np.where(area >= 0, np.asarray(by_area, float)[np.maximum(area, 0)], 1.0)
    return net.edge_hazard.astype(np.float64) * mult


def heat_season(doy: np.ndarray, amplitude: float) -> np.ndarray:
    """Seasonal factor on foot and river hazard: 1 in winter, 1 + amplitude at the mid-July peak."""
    return 1.0 + amplitude * np.maximum(0.0, np.cos(2 * np.pi * (doy.astype(float) - 196) / 365.25))


@njit(cache=True)
def death_of_day(M, t) -> None:
    """The chance of dying on each edge entered on day ``t`` (``F.edge_p[row, :, EP_DEATH]``,
    row ``t % EDGE_DAYS``, and ``[row, :, EP_DEATH_ABANDONED]`` for a group a smuggler
    abandons on a remote crossing, hazard x ``abandonment_hazard``):
    ``1 - exp(-hazard x hazard_scale x days x season)``, the heat season on foot and river
    segments only."""
    N, K = M.N, M.K
    season = M.D.season[t]
    ep = M.F.edge_p[t % EDGE_DAYS]
    for e in range(len(N.hazard)):
        h = N.hazard[e] * K.hazard_scale * N.days[e]
        for ab in range(2):
            x = h * K.abandonment_hazard if ab == 1 else h
            if N.mode[e] == M_FOOT or N.mode[e] == M_RIVER:
                x *= season
            ep[e, EP_DEATH + ab] = 1.0 - math.exp(-x)


@njit(cache=True, inline="always")
def fate_chances(edge_p, row, e) -> tuple[float, float, float]:
    """The chances :func:`edge_fate` draws from for edge ``e`` on the day whose chances row
    ``row`` of ``F.edge_p`` holds (:func:`death_of_day`): (death, death of a group a
    smuggler abandons, death on a smuggler's detour)."""
    return edge_p[row, e, EP_DEATH], edge_p[row, e, EP_DEATH_ABANDONED], edge_p[row, e, EP_DETOUR]


@njit(cache=True, inline="always")
def edge_fate(chances, smuggled, checked, crossing, days, shares, rng) -> tuple[int, int, float]:
    """Return (flag, days, risk) for an agent entering an edge (``crossing``, ``days``
    long) with the edge's ``chances`` of the day (:func:`fate_chances`) and ``shares``
    (``abandonment_share``, ``rescue_share``).  Smugglers abandon some groups on remote
    crossings (Migrant Border Crossing Study), multiplying their hazard, and take them
    round checkpoints by dangerous detours (``mexico.interception_of_day``; ``checked``:
    the traveller is one the checkpoints stop, not a Mexican).  ``risk`` is the agent's
    chance of dying on the edge (after rescue), the expected value of the death that is
    drawn: summed over agents it counts expected deaths without the sampling noise of the
    few agents who die (a scale-50 run has about a dozen a year).  A death falls on a day
    of the edge drawn uniformly.

    It takes scalars, not ``F.edge_p`` and ``K``: an array or structure passed to this
    inlined function costs two atomic reference counts at every edge walked (measured: a
    sixth of a run)."""
    p, p_abandoned, detour = chances
    abandonment_share, rescue_share = shares
    if not (smuggled == 1 and checked):
        detour = 0.0
    if p <= 0.0 and detour <= 0.0:
        return 0, days, 0.0
    if smuggled == 1 and crossing == X_REMOTE and rnd(rng) < abandonment_share:
        p = p_abandoned
    if detour > 0.0:
        p = 1.0 - (1.0 - p) * (1.0 - detour)
    rescuable = crossing != 0 and crossing != X_PORT
    risk = p * (1.0 - rescue_share) if rescuable else p
    if rnd(rng) >= p:
        return 0, days, risk
    if rescuable and rnd(rng) < rescue_share:
        return F_RESCUED, days, risk
    return F_DYING, 1 + int(rnd(rng) * days), risk


@njit(cache=True)
def death_cause(mode: int) -> int:
    if mode == M_FOOT:
        return C_HEAT
    if mode == M_RIVER:
        return C_DROWN
    if mode == M_BUS or mode == M_RAIL or mode == M_VEHICLE:
        return C_VEHICLE
    return C_OTHER


@njit(cache=True)
def die(mode: int, missing_share: float, rng) -> tuple[int, int]:
    """Return (state, cause) of an agent who dies on a segment of this mode."""
    if rnd(rng) < missing_share:
        return MISSING, C_MISSING
    return DEAD, death_cause(mode)
