"""Route choice (MODEL.md mechanism 2): a logit over precomputed route tables.

Every day the utility of each route is computed for two information classes,
smuggler-led (who know the checkpoint staffing of ``smuggler_info_lag`` days
ago) and independent migrants (``independent_info_lag``).  Probabilities are
normalised within the routes that start at the same node, so choosing a route
is one uniform draw and a scan over a short block.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from borderflow.engine.constants import X_PORT, X_REMOTE, X_URBAN
from borderflow.engine.rand import rnd


class RouteAttrs(NamedTuple):
    days: np.ndarray          # (R,)
    cost: np.ndarray          # (R,)
    hazard_days: np.ndarray   # (R,)
    checkpoints: np.ndarray   # (R, n_mx_states) checkpoints per Mexican state (registry order)
    crossing: np.ndarray      # (R,) crossing kind of the last edge
    sector: np.ndarray        # (R,) sector of the last edge
    block_start: np.ndarray   # start index of each start node's block, in route order
    start: np.ndarray         # (R,) start node
    cross_city: np.ndarray    # (R,) border city (BORDER_CITIES index) of an urban/port crossing, or -1


def route_checkpoints(routes, edge_checkpoints, edge_mxs, n_states: int) -> np.ndarray:
    """(R, n_states): checkpoints each route passes in each Mexican state."""
    out = np.zeros((len(routes.start), n_states))
    for r in range(len(routes.start)):
        for e in routes.edges[r, : routes.length[r]]:
            s = edge_mxs[e]
            if s >= 0:
                out[r, s] += edge_checkpoints[e]
    return out


def apprehension_probability(base: np.ndarray, posture: np.ndarray, remote_share: float,
                             crossing: np.ndarray) -> np.ndarray:
    """Chance an evader is apprehended, from base odds scaled by the sector's posture."""
    post = np.where(crossing == X_REMOTE, 1.0 + (posture - 1.0) * remote_share, posture)
    odds = base / (1.0 - base) * post
    return odds / (1.0 + odds)


def route_utilities(ra: RouteAttrs, staff: np.ndarray, posture: np.ndarray,
                    p: dict, port_wait: float = 0.0,
                    crackdown: np.ndarray | None = None,
                    sector_shift: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Route utilities (R,) for one information state without the U.S. term, and the
    U.S. term of each intent, ``beta_apprehension`` x the chance of being caught or found:
    an evader loses ``beta_apprehension x P(apprehended)`` (0 at a port, where it is
    processed with an appointment); an asylum seeker, who means to surrender to the
    Border Patrol, gains ``beta_apprehension x P(found)`` (1 at a port, the apprehension
    chance between ports): it heads for the crossings where agents are, not the desert.
    Returns (utility, evader term, asylum-seeker term).

    ``port_wait`` is the expected wait in days for a port-of-entry appointment;
    ``sector_shift`` is added to the sector constants (the residual series, by day)."""
    intercept = 1.0 - np.exp(-p["interception_per_checkpoint"] * (ra.checkpoints @ staff))
    base = np.where(ra.crossing == X_URBAN, p["apprehension_urban"], p["apprehension_remote"])
    sector_posture = posture[np.maximum(ra.sector, 0)]
    app = np.where(ra.crossing == X_PORT, 0.0,
                   apprehension_probability(base, sector_posture, p["remote_posture_share"],
                                            ra.crossing))
    days = ra.days + np.where(ra.crossing == X_PORT, port_wait, 0.0)
    u = (-p["beta_days"] * days - p["beta_cost"] * ra.cost / 1000.0
         - p["beta_checkpoint"] * intercept
         - p["beta_hazard"] * (1.0 - np.exp(-ra.hazard_days * p["hazard_scale"]))
         + p["sector_preference"][np.maximum(ra.sector, 0)])
    if sector_shift is not None:
        u = u + sector_shift[np.maximum(ra.sector, 0)]
    if crackdown is not None and crackdown.any():
        u = u - p["beta_crackdown"] * np.where(ra.cross_city >= 0,
                                               crackdown[np.maximum(ra.cross_city, 0)], 0.0)
    found = np.where(ra.crossing == X_PORT, 1.0, app)
    return u, p["beta_apprehension"] * app, p["beta_apprehension"] * found


def block_softmax(u: np.ndarray, block_start: np.ndarray) -> np.ndarray:
    """Logit probabilities of utilities ``u`` within each start block."""
    top = np.maximum.reduceat(u, block_start)
    counts = np.diff(np.append(block_start, len(u)))
    w = np.exp(u - np.repeat(top, counts))
    tot = np.add.reduceat(w, block_start)
    return w / np.repeat(tot, counts)


def route_probabilities(ra: RouteAttrs, staff: np.ndarray, posture: np.ndarray,
                        p: dict, port_wait: float = 0.0,
                        crackdown: np.ndarray | None = None,
                        sector_shift: np.ndarray | None = None,
                        surrender: bool = False) -> np.ndarray:
    """Choice probabilities (R,) within start blocks for one information state, of an
    evader or (``surrender``) of an asylum seeker; see :func:`route_utilities`."""
    u, evade, found = route_utilities(ra, staff, posture, p, port_wait, crackdown,
                                      sector_shift)
    return block_softmax(u + found if surrender else u - evade, ra.block_start)


def block_cumsum(prob: np.ndarray, block_start: np.ndarray) -> np.ndarray:
    """Cumulative probabilities within each start block (each block ends at 1)."""
    cum = np.cumsum(prob, axis=-1)
    counts = np.diff(np.append(block_start, prob.shape[-1]))
    before = np.concatenate([np.zeros(prob.shape[:-1] + (1,)), cum[..., block_start[1:] - 1]],
                            axis=-1)
    return cum - np.repeat(before, counts, axis=-1)


@njit(cache=True)
def choose_route(node: int, cls: int, prob: np.ndarray, cum: np.ndarray, first: np.ndarray,
                 count: np.ndarray, crossing: np.ndarray, exclude_port: bool, rng) -> int:
    """Draw a route starting at ``node`` (or -1 if none): a binary search in the block's
    cumulative probabilities, or a scan that skips port routes when ``exclude_port``."""
    b = first[node]
    n = count[node]
    if n == 0:
        return -1
    if not exclude_port:
        u = rnd(rng) * cum[cls, b + n - 1]
        r = b + np.searchsorted(cum[cls, b:b + n], u, side="right")
        return min(r, b + n - 1)
    total = 0.0
    for r in range(b, b + n):
        if crossing[r] != X_PORT:
            total += prob[cls, r]
    if total <= 0.0:
        return -1
    u = rnd(rng) * total
    last = -1
    for r in range(b, b + n):
        if crossing[r] == X_PORT:
            continue
        last = r
        u -= prob[cls, r]
        if u < 0.0:
            return r
    return last
