"""Route tables: up to k loopless shortest paths (by travel days) from start nodes to the border.

A route runs from a start node to a terminal: a U.S. Border Patrol sector node (reached by an
``urban`` or ``remote`` crossing edge) or a port of entry (reached by a ``port`` edge). The
network validation guarantees that only crossing edges enter terminals and that terminals have
no outgoing edges, so every route ends with exactly one crossing edge and contains no other.

Parallel edges (same src and dst, different mode or crossing) are distinct alternatives: every
edge after the first between a pair of nodes is routed through a private virtual node, so
``networkx.shortest_simple_paths`` on a ``DiGraph`` sees each of them as its own path.

For each (start, terminal) the table keeps up to k routes *per crossing type* of the final edge
(so a sector is reached by up to k urban and up to k remote routes; a port by up to k port
routes): route choice needs the longer remote alternatives, which rarely rank among the k
fastest. ``modes`` restricts the modes a route may use (e.g. a table without
``smuggler_vehicle`` for migrants travelling without a smuggler).

Path weight is ``days + 1e-6 * km`` (the km term only breaks ties between equally long paths, so
the choice of the k paths is deterministic). Routes are sorted by (start, end, days, edge ids).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from borderflow.errors import InputError
from borderflow.world.network import MODES, NODE_KINDS, Network

DEFAULT_START_KINDS = ("origin", "air_arrival", "darien", "southern_entry", "border_city")
_TIE_KM = 1e-6


@dataclass(frozen=True, eq=False)
class RouteTable:
    """Routes as padded arrays, one row per route. Arrays are read-only."""

    start: np.ndarray        # int32 start node id, shape (R,)
    end: np.ndarray          # int32 terminal node id (sector or port_of_entry)
    sector: np.ndarray       # int8 index into SECTORS of the terminal
    crossing: np.ndarray     # int8 index into CROSSINGS of the last edge
    edges: np.ndarray        # int32 (R, Lmax) edge ids, padded with -1
    length: np.ndarray       # int16 number of edges
    days: np.ndarray         # float32 total travel days
    cost: np.ndarray         # float32 total cost (USD, excluding smuggling fees)
    hazard_days: np.ndarray  # float32 sum of hazard_per_day * days
    checkpoints: np.ndarray  # float32 total fixed checkpoints
    starts_index: dict[int, np.ndarray]  # start node id -> sorted route ids

    def __len__(self) -> int:
        return len(self.start)

    def route_edges(self, route: int) -> np.ndarray:
        """The edge ids of one route, without padding."""
        return self.edges[route, :self.length[route]]


_CACHE: weakref.WeakKeyDictionary[Network, dict] = weakref.WeakKeyDictionary()


def _graph(net: Network, allowed: np.ndarray) -> nx.DiGraph:
    """DiGraph over node ids; parallel edges go through virtual nodes n_nodes + edge id."""
    g = nx.DiGraph()
    g.add_nodes_from(range(net.n_nodes))
    weight = net.edge_days.astype(np.float64) + _TIE_KM * net.edge_km.astype(np.float64)
    for e in np.flatnonzero(allowed):
        u, v, w = int(net.edge_src[e]), int(net.edge_dst[e]), float(weight[e])
        if g.has_edge(u, v):
            x = net.n_nodes + int(e)
            g.add_edge(u, x, w=w, eid=int(e))
            g.add_edge(x, v, w=0.0, eid=-1)
        else:
            g.add_edge(u, v, w=w, eid=int(e))
    return g


def _edge_ids(g: nx.DiGraph, path: list[int]) -> tuple[int, ...]:
    ids = (g.edges[a, b]["eid"] for a, b in itertools.pairwise(path))
    return tuple(e for e in ids if e >= 0)


def _resolve_starts(net: Network, starts: Sequence[str] | None) -> tuple[int, ...]:
    if starts is None:
        kinds = [NODE_KINDS.index(k) for k in DEFAULT_START_KINDS]
        return tuple(int(i) for i in np.flatnonzero(np.isin(net.node_kind, kinds)))
    if isinstance(starts, str):
        starts = [starts]
    out = set()
    for name in starts:
        if name not in net.node_index:
            raise InputError(f"unknown start node {name!r}", field="starts",
                             expected="node ids from nodes.csv")
        out.add(net.node_index[name])
    return tuple(sorted(out))


def _resolve_modes(modes: Sequence[str] | None) -> tuple[int, ...]:
    if modes is None:
        return tuple(range(len(MODES)))
    if isinstance(modes, str):
        modes = [modes]
    for m in modes:
        if m not in MODES:
            raise InputError(f"unknown mode {m!r}", field="modes",
                             expected="one of " + ", ".join(MODES))
    return tuple(sorted({MODES.index(m) for m in modes}))


def build_routes(net: Network, starts: Sequence[str] | None = None, k: int = 3, *,
                 modes: Sequence[str] | None = None) -> RouteTable:
    """Up to ``k`` shortest loopless routes per crossing type from each start to each terminal.

    ``starts`` are node ids (default: every origin, air_arrival, darien, southern_entry and
    border_city node); ``modes`` the allowed modes (default: all). A border-city start always
    also gets one route per direct crossing edge. Memoised per network and (starts, k, modes).
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InputError(f"bad k {k!r}", field="k", expected="an integer >= 1")
    start_ids = _resolve_starts(net, starts)
    mode_ids = _resolve_modes(modes)
    memo = _CACHE.setdefault(net, {})
    key = (start_ids, int(k), mode_ids)
    if key not in memo:
        memo[key] = _build(net, start_ids, int(k), np.isin(net.edge_mode, mode_ids))
    return memo[key]


def _build(net: Network, start_ids: tuple[int, ...], k: int, allowed: np.ndarray) -> RouteTable:
    """k shortest routes per (start, terminal, crossing), via k shortest paths to border cities.

    Every route is a loopless path to a border city b plus one crossing edge b -> terminal
    (terminals are sinks), and a path that is among the k best to the terminal is among the k
    best to its border city, so merging the per-border-city lists is exact and much cheaper
    than searching every (start, terminal) pair.
    """
    g = _graph(net, allowed)
    weight = net.edge_days.astype(np.float64) + _TIE_KM * net.edge_km.astype(np.float64)
    cross = np.flatnonzero((net.edge_crossing > 0) & allowed)
    border_cities = sorted({int(b) for b in net.edge_src[cross]})
    found: list[tuple[int, int, int, tuple[int, ...]]] = []
    for s in start_ids:
        reach = nx.descendants(g, s) | {s}
        to_border: dict[int, list[tuple[int, ...]]] = {}
        for b in border_cities:
            if b == s:
                to_border[b] = [()]
            elif b in reach:
                paths = nx.shortest_simple_paths(g, s, b, weight="w")
                to_border[b] = [_edge_ids(g, p) for p in itertools.islice(paths, k)]
        groups: dict[tuple[int, int], list[tuple[float, tuple[int, ...]]]] = {}
        for e in cross:
            group = groups.setdefault((int(net.edge_dst[e]), int(net.edge_crossing[e])), [])
            for p in to_border.get(int(net.edge_src[e]), []):
                r = p + (int(e),)
                group.append((float(weight[list(r)].sum()), r))
        for (t, _), candidates in groups.items():
            candidates.sort()
            routes = {r for _, r in candidates[:k]}
            routes |= {r for _, r in candidates if len(r) == 1}  # direct crossings of a start
            found.extend((s, t, int(net.edge_days[list(r)].sum()), r) for r in routes)
    found.sort()
    return _table(net, found, start_ids)


def _table(net: Network, found: list, start_ids: tuple[int, ...]) -> RouteTable:
    n = len(found)
    lmax = max((len(r[3]) for r in found), default=1)
    edges = np.full((n, lmax), -1, dtype=np.int32)
    length = np.zeros(n, dtype=np.int16)
    for i, (_, _, _, r) in enumerate(found):
        edges[i, :len(r)] = r
        length[i] = len(r)
    valid = edges >= 0
    safe = np.where(valid, edges, 0)

    def total(values: np.ndarray) -> np.ndarray:
        return np.where(valid, values[safe], 0).sum(axis=1, dtype=np.float64).astype(np.float32)

    days = net.edge_days.astype(np.float64)
    last = edges[np.arange(n), np.maximum(length.astype(np.int64) - 1, 0)] if n else edges[:0, 0]
    start = np.array([r[0] for r in found], dtype=np.int32)
    end = np.array([r[1] for r in found], dtype=np.int32)
    arrays = {
        "start": start, "end": end,
        "sector": net.node_sector[end].astype(np.int8),
        "crossing": net.edge_crossing[last].astype(np.int8),
        "edges": edges, "length": length,
        "days": total(days), "cost": total(net.edge_cost),
        "hazard_days": total(net.edge_hazard.astype(np.float64) * days),
        "checkpoints": total(net.edge_checkpoints),
    }
    for a in arrays.values():
        a.setflags(write=False)
    index = {}
    for s in start_ids:
        ids = np.flatnonzero(start == s).astype(np.int32)
        ids.setflags(write=False)
        index[int(s)] = ids
    return RouteTable(**arrays, starts_index=index)
