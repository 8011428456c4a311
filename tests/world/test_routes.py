"""Route tables: structure, totals, determinism, completeness and speed."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from borderflow.errors import InputError
from borderflow.world import MODES, NODE_KINDS, build_routes, load_network, load_network_from
from borderflow.world.routes import DEFAULT_START_KINDS


@pytest.fixture(scope="module")
def net():
    return load_network()


@pytest.fixture(scope="module")
def rt(net):
    return build_routes(net)


def test_routes_are_chained_paths_ending_with_one_crossing(net, rt):
    assert len(rt) > 0
    terminal = [NODE_KINDS.index("sector"), NODE_KINDS.index("port_of_entry")]
    for r in range(len(rt)):
        es = rt.route_edges(r)
        assert len(es) == rt.length[r] >= 1
        assert (rt.edges[r, rt.length[r]:] == -1).all()
        assert net.edge_src[es[0]] == rt.start[r]
        assert (net.edge_dst[es[:-1]] == net.edge_src[es[1:]]).all()
        assert net.edge_dst[es[-1]] == rt.end[r]
        assert net.edge_crossing[es[-1]] > 0 and (net.edge_crossing[es[:-1]] == 0).all()
        assert rt.crossing[r] == net.edge_crossing[es[-1]]
        assert rt.sector[r] == net.node_sector[rt.end[r]] >= 0
        assert net.node_kind[rt.end[r]] in terminal
        nodes = [net.edge_src[e] for e in es] + [rt.end[r]]
        assert len(set(nodes)) == len(nodes)  # loopless


def test_totals_match_edges(net, rt):
    for r in range(0, len(rt), 7):
        es = rt.route_edges(r)
        days = net.edge_days[es].astype(float)
        assert rt.days[r] == pytest.approx(days.sum())
        assert rt.cost[r] == pytest.approx(net.edge_cost[es].sum(), rel=1e-5)
        assert rt.hazard_days[r] == pytest.approx((net.edge_hazard[es] * days).sum(), rel=1e-4)
        assert rt.checkpoints[r] == net.edge_checkpoints[es].sum()


def test_dtypes_and_index(net, rt):
    assert rt.start.dtype == np.int32 and rt.end.dtype == np.int32 and rt.edges.dtype == np.int32
    assert rt.sector.dtype == np.int8 and rt.crossing.dtype == np.int8
    assert rt.length.dtype == np.int16 and rt.days.dtype == np.float32
    kinds = [NODE_KINDS.index(k) for k in DEFAULT_START_KINDS]
    assert set(rt.starts_index) == set(np.flatnonzero(np.isin(net.node_kind, kinds)).tolist())
    for s, ids in rt.starts_index.items():
        assert (np.diff(ids) > 0).all() and (rt.start[ids] == s).all()
        assert len(ids) == (rt.start == s).sum() > 0
    with pytest.raises(ValueError):
        rt.days[0] = 1.0


def test_deterministic_order(rt):
    keys = [(int(rt.start[r]), int(rt.end[r]), float(rt.days[r]), tuple(rt.route_edges(r)))
            for r in range(len(rt))]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_every_entry_node_reaches_every_sector(net, rt):
    sectors = set(np.flatnonzero(net.node_kind == NODE_KINDS.index("sector")).tolist())
    for kind in ("origin", "darien", "air_arrival", "southern_entry"):
        for s in np.flatnonzero(net.node_kind == NODE_KINDS.index(kind)):
            ends = set(rt.end[rt.starts_index[int(s)]].tolist())
            assert sectors <= ends, net.nodes.id[s]
            # both urban and remote alternatives are offered somewhere
            assert {1, 2} <= set(rt.crossing[rt.starts_index[int(s)]].tolist())


def test_border_city_starts_keep_their_direct_crossings(net, rt):
    for b in np.flatnonzero(net.node_kind == NODE_KINDS.index("border_city")):
        direct = {(int(e),) for e in net.out_edges_of(b) if net.edge_crossing[e] > 0}
        routes = {tuple(rt.route_edges(r).tolist()) for r in rt.starts_index[int(b)]}
        assert direct <= routes, net.nodes.id[b]


def test_k_best_days_match_networkx_on_the_full_graph(net, rt):
    """The merge via border cities is exact: compare with k shortest paths per (start, end)."""
    g = nx.DiGraph()
    for e in range(net.n_edges):  # one virtual node per edge: parallel edges stay distinct
        g.add_edge(int(net.edge_src[e]), ("e", e), w=float(net.edge_days[e]))
        g.add_edge(("e", e), int(net.edge_dst[e]), w=0.0)
    pairs = sorted({(int(s), int(t)) for s, t in zip(rt.start, rt.end, strict=True)})
    for s, t in pairs[::23]:
        paths = itertools.islice(nx.shortest_simple_paths(g, s, t, weight="w"), 3)
        expected = sorted(nx.path_weight(g, p, "w") for p in paths)
        ours = sorted(rt.days[(rt.start == s) & (rt.end == t)].tolist())[:len(expected)]
        assert ours == expected, (net.nodes.id[s], net.nodes.id[t])


def test_k_and_starts_and_memo(net):
    one = build_routes(net, ["mx_tapachula", "col_necocli"], k=1)
    assert set(one.starts_index) == {net.node_index["mx_tapachula"], net.node_index["col_necocli"]}
    groups = {}
    for r in range(len(one)):
        key = (int(one.start[r]), int(one.end[r]), int(one.crossing[r]))
        groups[key] = groups.get(key, 0) + 1
    assert max(groups.values()) == 1
    assert build_routes(net, ["col_necocli", "mx_tapachula"], k=1) is one
    assert build_routes(net, "mx_tapachula", k=2) is not one


def test_mode_filter(net):
    allowed = [m for m in MODES if m != "smuggler_vehicle"]
    table = build_routes(net, modes=allowed)
    used = net.edge_mode[table.edges[table.edges >= 0]]
    assert MODES.index("smuggler_vehicle") not in set(used.tolist())
    assert len(table) > 0


def test_bad_arguments(net):
    with pytest.raises(InputError, match="unknown start"):
        build_routes(net, ["atlantis"])
    with pytest.raises(InputError, match="unknown mode"):
        build_routes(net, modes=["teleport"])
    with pytest.raises(InputError):
        build_routes(net, k=0)


def test_parallel_edges_are_distinct_alternatives(tmp_path):
    nodes = """id,name,kind,country,mx_state,lat,lon,sector,source
a,A,origin,GTM,,15,-91,,t
b,B,border_city,MEX,Sonora,31.3,-110.9,"Tucson, AZ",t
s,S,sector,USA,,32.2,-110.9,"Tucson, AZ",t
"""
    edges = """src,dst,mode,km,days,cost_usd,hazard_per_day,mx_state,checkpoints,crossing,source
a,b,bus,3000,8,150,2e-6,Sonora,3,,t
a,b,freight_rail,3000,20,0,5e-5,,0,,t
a,b,smuggler_vehicle,3000,6,0,2e-5,Sonora,5,,t
b,s,on_foot,120,1,0,5e-5,,0,urban,t
b,s,on_foot,200,4,0,4e-4,,0,remote,t
"""
    (tmp_path / "n.csv").write_text(nodes)
    (tmp_path / "e.csv").write_text(edges)
    small = load_network_from(tmp_path / "n.csv", tmp_path / "e.csv")
    table = build_routes(small, ["a"], k=3)
    routes = sorted(tuple(table.route_edges(r).tolist()) for r in range(len(table)))
    assert routes == sorted((m, c) for m in (0, 1, 2) for c in (3, 4))
    assert sorted(table.days.tolist()) == [7, 9, 10, 12, 21, 24]
