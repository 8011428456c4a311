"""Malformed network CSVs raise InputError naming the file, the line and the column."""

from __future__ import annotations

import pytest

from borderflow.errors import InputError
from borderflow.world import load_network_from

NODES = """id,name,kind,country,mx_state,lat,lon,sector,source
gtm_origin,Origin,origin,GTM,,15.3,-91.5,,test
mx_tapachula,Tapachula,southern_entry,MEX,Chiapas,14.9,-92.3,,test
mx_tijuana,Tijuana,border_city,MEX,Baja California,32.5,-117.1,"San Diego, CA",test
sector_sd,San Diego HQ,sector,USA,,32.6,-117.1,"San Diego, CA",test
poe_sy,San Ysidro,port_of_entry,USA,,32.54,-117.03,"San Diego, CA",test
"""
EDGES = """src,dst,mode,km,days,cost_usd,hazard_per_day,mx_state,checkpoints,crossing,source
gtm_origin,mx_tapachula,bus,150,1,10,2e-6,,0,,test
mx_tapachula,mx_tijuana,bus,3500,9,200,2e-6,Chiapas,6,,test
mx_tapachula,mx_tijuana,smuggler_vehicle,3500,7,0,2e-5,Chiapas,10,,test
mx_tijuana,sector_sd,on_foot,20,1,0,5e-5,,0,urban,test
mx_tijuana,sector_sd,on_foot,60,3,0,3e-4,,0,remote,test
mx_tijuana,poe_sy,on_foot,8,1,0,1e-6,,0,port,test
"""


def _write(tmp_path, nodes=NODES, edges=EDGES):
    n, e = tmp_path / "nodes.csv", tmp_path / "edges.csv"
    n.write_text(nodes, encoding="utf-8")
    e.write_text(edges, encoding="utf-8")
    return n, e


def _replace_line(text: str, line: int, old: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    assert old in lines[line - 1], (old, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines)


def _error(tmp_path, nodes=NODES, edges=EDGES) -> InputError:
    with pytest.raises(InputError) as info:
        load_network_from(*_write(tmp_path, nodes, edges))
    return info.value


def test_valid_small_network_loads(tmp_path):
    net = load_network_from(*_write(tmp_path))
    assert net.n_nodes == 5 and net.n_edges == 6
    assert net.mx_states == ("Chiapas",)


@pytest.mark.parametrize(("line", "old", "new", "field"), [
    (3, "mx_tapachula,mx_tijuana,bus", "mx_tapachula,mx_nowhere,bus", "dst"),
    (2, "gtm_origin,mx_tapachula", "gtm_nowhere,mx_tapachula", "src"),
    (3, ",bus,", ",horse,", "mode"),
    (2, ",150,", ",-150,", "km"),
    (2, ",150,", ",0,", "km"),
    (2, ",150,", ",far,", "km"),
    (2, ",150,1,", ",150,0,", "days"),
    (2, ",150,1,", ",150,1.5,", "days"),
    (2, ",10,2e-6", ",-1,2e-6", "cost_usd"),
    (2, "2e-6", "1.5", "hazard_per_day"),
    (3, ",Chiapas,", ",Chiapa,", "mx_state"),
    (3, ",6,,test", ",-1,,test", "checkpoints"),
    (3, ",6,,test", ",6,border,test", "crossing"),
    (3, ",6,,test", ",6,urban,test", "dst"),           # urban crossing into a border city
    (5, ",urban,", ",,", "crossing"),                 # edge into a sector without crossing
    (7, ",port,", ",urban,", "dst"),                  # urban crossing into a port of entry
    (2, ",test", ",", "source"),
    (4, "mx_tijuana,sector_sd,on_foot,20", "mx_tijuana,sector_sd,on_foot,25", None),  # dup key
])
def test_bad_edge_rows(tmp_path, line, old, new, field):
    if field is None:  # duplicate (src, dst, mode, crossing): reuse the remote row as urban
        edges = _replace_line(EDGES, 6, ",remote,", ",urban,")
        err = _error(tmp_path, edges=edges)
        assert err.line == 6 and err.field == "mode" and "line 5" in str(err)
        return
    err = _error(tmp_path, edges=_replace_line(EDGES, line, old, new))
    assert err.file.endswith("edges.csv")
    assert err.line == line
    assert err.field == field
    assert f"edges.csv:{line}" in str(err) and f"field '{field}'" in str(err)
    assert "expected" in str(err)


def test_edge_out_of_a_sector_is_rejected(tmp_path):
    edges = EDGES + "sector_sd,mx_tijuana,bus,20,1,1,2e-6,,0,,test\n"
    err = _error(tmp_path, edges=edges)
    assert (err.line, err.field) == (8, "src")


@pytest.mark.parametrize(("line", "old", "new", "field"), [
    (3, "mx_tapachula,Tapachula", "gtm_origin,Tapachula", "id"),          # duplicate id
    (3, "mx_tapachula,Tapachula", "Mx-Tapachula,Tapachula", "id"),
    (2, ",origin,", ",capital,", "kind"),
    (4, '"San Diego, CA"', '"San Diego"', "sector"),
    (2, ",,test", ',"San Diego, CA",test', "sector"),                        # sector on an origin
    (2, ",15.3,", ",north,", "lat"),
    (2, ",-91.5,", ",-191.5,", "lon"),
    (2, ",GTM,", ",Guatemala,", "country"),
    (3, ",Chiapas,", ",,", "mx_state"),                                      # Mexican, no state
    (2, ",GTM,,", ",GTM,Chiapas,", "mx_state"),                              # state outside Mexico
])
def test_bad_node_rows(tmp_path, line, old, new, field):
    err = _error(tmp_path, nodes=_replace_line(NODES, line, old, new))
    assert err.file.endswith("nodes.csv")
    assert (err.line, err.field) == (line, field)
    assert f"nodes.csv:{line}" in str(err)


@pytest.mark.parametrize("which", ["nodes", "edges"])
def test_missing_column(tmp_path, which):
    if which == "nodes":
        err = _error(tmp_path, nodes=NODES.replace(",sector,source", ",source", 1))
        assert (err.field, err.line) == ("sector", 1) and err.file.endswith("nodes.csv")
    else:
        err = _error(tmp_path, edges=EDGES.replace(",checkpoints,", ",", 1))
        assert (err.field, err.line) == ("checkpoints", 1) and err.file.endswith("edges.csv")
    assert "missing column" in str(err) and "expected columns" in str(err)


def test_wrong_number_of_fields(tmp_path):
    err = _error(tmp_path, edges=EDGES + "mx_tijuana,poe_sy,bus\n")
    assert err.line == 8 and err.file.endswith("edges.csv")


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_network_from(tmp_path / "nope.csv", tmp_path / "edges.csv")
    assert "nope.csv" in str(info.value)


def test_empty_nodes_file(tmp_path):
    err = _error(tmp_path, nodes=NODES.splitlines(keepends=True)[0])
    assert err.file.endswith("nodes.csv")
