"""The bundled corridor network: coverage, geography, sources and compiled arrays."""

from __future__ import annotations

import math
import re

import networkx as nx
import numpy as np
import pytest

from borderflow.world import CROSSINGS, MODES, NODE_KINDS, SECTORS, load_network

REACH_KINDS = ("origin", "darien", "air_arrival", "southern_entry")


@pytest.fixture(scope="module")
def net():
    return load_network()


def _kind(net, kind):
    return np.flatnonzero(net.node_kind == NODE_KINDS.index(kind))


def _graph(net):
    g = nx.DiGraph()
    g.add_nodes_from(range(net.n_nodes))
    g.add_edges_from(zip(net.edge_src.tolist(), net.edge_dst.tolist(), strict=True))
    return g


def test_sector_names_are_the_ohss_names_west_to_east():
    assert SECTORS == ("San Diego, CA", "El Centro, CA", "Yuma, AZ", "Tucson, AZ", "El Paso, TX",
                       "Big Bend, TX", "Del Rio, TX", "Laredo, TX", "Rio Grande Valley, TX")
    assert MODES == ("bus", "freight_rail", "smuggler_vehicle", "on_foot", "river", "air")
    assert CROSSINGS == ("", "urban", "remote", "port")


def test_size_and_required_places(net):
    assert net.n_nodes >= 60
    ids = set(net.nodes["id"])
    for nid in ("col_necocli", "mx_aicm", "mx_cancun", "mx_ciudad_hidalgo", "mx_tapachula",
                "mx_ciudad_cuauhtemoc", "mx_el_ceibo", "nic_managua", "hnd_san_pedro_sula",
                "slv_san_salvador", "gtm_huehuetenango", "mx_tijuana", "mx_ciudad_juarez",
                "mx_reynosa", "mx_matamoros", "mx_arriaga", "mx_ixtepec", "mx_irapuato"):
        assert nid in ids
    assert len(_kind(net, "border_city")) >= 16
    assert len(_kind(net, "port_of_entry")) >= 12
    assert sum(net.nodes.query("kind == 'origin'")["country"] == "MEX") >= 6
    sectors = net.nodes.query("kind == 'sector'")["sector"]
    assert sorted(sectors, key=SECTORS.index) == list(SECTORS)


def test_coordinates_inside_corridor_box(net):
    assert ((net.node_lat >= 5) & (net.node_lat <= 35)).all()
    assert ((net.node_lon >= -120) & (net.node_lon <= -75)).all()


def test_every_row_has_a_source(net):
    assert (net.nodes["source"].str.len() > 0).all()
    assert (net.edges["source"].str.len() > 0).all()
    ne = net.nodes["source"].str.startswith("Natural Earth 10m populated places")
    est = net.nodes["source"].str.startswith("estimate")
    assert (ne | est).all()


def test_mexican_nodes_and_checkpoint_edges_name_a_state(net):
    mex = net.nodes["country"] == "MEX"
    assert (net.nodes.loc[mex, "mx_state"] != "").all()
    assert (net.nodes.loc[~mex, "mx_state"] == "").all()
    assert (net.edges.loc[net.edges["checkpoints"] > 0, "mx_state"] != "").all()
    chiapas = net.edges.query("mx_state == 'Chiapas'")["checkpoints"].sum()
    assert chiapas >= 10


def test_graph_is_weakly_connected(net):
    assert nx.is_weakly_connected(_graph(net))


def test_every_sector_reachable_from_every_entry_node(net):
    g = _graph(net)
    sectors = set(_kind(net, "sector").tolist())
    for kind in REACH_KINDS:
        for s in _kind(net, kind):
            missing = sectors - nx.descendants(g, int(s))
            assert not missing, (net.nodes.id[s], [net.nodes.id[m] for m in missing])


def test_border_cities_cross_into_their_own_sector(net):
    for b in _kind(net, "border_city"):
        out = net.out_edges_of(b)
        cross = out[np.isin(net.edge_crossing[out], [1, 2])]
        assert len(cross) >= 1, net.nodes.id[b]
        assert (net.node_sector[net.edge_dst[cross]] == net.node_sector[b]).all()
        ports = out[net.edge_crossing[out] == 3]
        assert len(ports) == 1, net.nodes.id[b]
        assert net.node_kind[net.edge_dst[ports[0]]] == NODE_KINDS.index("port_of_entry")
    # every port of entry is reached from exactly one border city
    port_dst = net.edge_dst[net.edge_crossing == 3]
    assert sorted(port_dst.tolist()) == sorted(_kind(net, "port_of_entry").tolist())


def test_remote_crossings_are_longer_and_deadlier_than_urban(net):
    urban, remote = net.edge_crossing == 1, net.edge_crossing == 2
    assert (net.edge_days[urban] == 1).all()
    assert ((net.edge_days[remote] >= 2) & (net.edge_days[remote] <= 6)).all()
    assert net.edge_hazard[remote].min() > net.edge_hazard[urban].max()
    for b in np.unique(net.edge_src[remote]):
        r = remote & (net.edge_src == b)
        u = urban & (net.edge_src == b)
        if u.any():
            assert net.edge_km[r].min() > net.edge_km[u].max()


def test_modes_present(net):
    modes = set(net.edges["mode"])
    assert {"bus", "freight_rail", "smuggler_vehicle", "on_foot", "river", "air"} <= modes
    rail = net.edges.query("mode == 'freight_rail'")
    assert {"mx_arriaga", "mx_ixtepec", "mx_tierra_blanca", "mx_orizaba"} <= set(rail["src"])


def _gc(net, a, b):
    p1, p2 = math.radians(net.node_lat[a]), math.radians(net.node_lat[b])
    dl = math.radians(net.node_lon[b] - net.node_lon[a])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_km_and_days_follow_the_documented_rules(net):
    speeds = {"bus": 400, "smuggler_vehicle": 500, "freight_rail": 150, "on_foot": 25, "river": 50}
    checked = 0
    for e, row in net.edges.iterrows():
        m = re.search(r"km=great-circle (?:to sector HQ |to the port )?x([0-9.]+)", row["source"])
        if m and "per day walked" not in row["source"]:
            expected = _gc(net, net.edge_src[e], net.edge_dst[e]) * float(m.group(1))
            assert row["km"] == pytest.approx(max(expected, 1.0), rel=0.01, abs=0.2), row.to_dict()
            checked += 1
        if "days=km/" in row["source"]:
            assert row["days"] == max(1, math.floor(row["km"] / speeds[row["mode"]] + 0.5))
    assert checked > 100


def test_compiled_arrays(net):
    assert net.edge_src.dtype == np.int32 and net.edge_days.dtype == np.int16
    assert net.edge_mode.dtype == np.int8 and net.edge_crossing.dtype == np.int8
    assert net.edge_sector.dtype == np.int8 and net.edge_mx_state.dtype == np.int16
    assert net.node_lat.dtype == np.float64
    assert len(net.edges) == net.n_edges and list(net.edges.index) == list(range(net.n_edges))
    assert list(net.nodes.index) == list(range(net.n_nodes))
    assert [net.node_index[i] for i in net.nodes["id"]] == list(range(net.n_nodes))
    for i in range(net.n_nodes):
        out = net.out_edges[net.indptr[i]:net.indptr[i + 1]]
        assert (net.edge_src[out] == i).all()
    assert sorted(net.out_edges.tolist()) == list(range(net.n_edges))
    crossing = net.edge_crossing > 0
    assert (net.edge_sector[crossing] == net.node_sector[net.edge_dst[crossing]]).all()
    assert (net.edge_sector[crossing] >= 0).all() and (net.edge_sector[~crossing] == -1).all()
    assert list(net.mx_states) == sorted(set(net.edges["mx_state"]) - {""})
    has = net.edges["mx_state"] != ""
    assert [net.mx_states[i] for i in net.edge_mx_state[has]] == list(net.edges["mx_state"][has])
    assert (net.edge_mx_state[~has.to_numpy()] == -1).all()
    assert (net.edge_days >= 1).all() and (net.edge_km > 0).all()
    assert ((net.edge_hazard >= 0) & (net.edge_hazard < 0.01)).all()
    with pytest.raises(ValueError):
        net.edge_days[0] = 5


def test_load_network_is_cached(net):
    assert load_network() is net
