"""Shipped map boundaries and their plotly-ready traces."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from borderflow.world import boundaries, boundary_traces_xy

COUNTRIES = {"Mexico", "United States of America", "Guatemala", "Belize", "Honduras",
             "El Salvador", "Nicaragua", "Costa Rica", "Panama", "Colombia"}
ROOT = Path(__file__).resolve().parents[2]
RAW = Path("/work/shared/data/raw")


def _data_file() -> Path:
    return Path(str(resources.files("borderflow.world") / "data" / "boundaries.geojson"))


def test_feature_collection():
    fc = boundaries()
    assert fc["type"] == "FeatureCollection"
    kinds = {}
    for f in fc["features"]:
        p = f["properties"]
        assert set(p) >= {"name", "kind", "source"} and p["source"]
        kinds.setdefault(p["kind"], set()).add(p["name"])
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert kinds["country"] == COUNTRIES
    assert len(kinds["mx_state"]) == 32 and "Chiapas" in kinds["mx_state"]
    assert boundaries() is fc


def test_file_is_small():
    assert _data_file().stat().st_size < 1.5e6


def test_usa_keeps_only_southern_rings():
    usa = next(f for f in boundaries()["features"]
               if f["properties"]["name"] == "United States of America")
    for poly in usa["geometry"]["coordinates"]:
        assert any(lat < 37 for _, lat in poly[0])


def test_mx_state_names_match_network_states():
    from borderflow.world import MX_STATES_INEGI

    names = {f["properties"]["name"] for f in boundaries()["features"]
             if f["properties"]["kind"] == "mx_state"}
    assert names == set(MX_STATES_INEGI)


def test_traces_are_closed_rings_separated_by_none():
    traces = boundary_traces_xy()
    assert len(traces) == len(boundaries()["features"])
    for name, lons, lats in traces:
        assert isinstance(name, str) and len(lons) == len(lats) > 3
        assert lons[0] is not None and lons[-1] is not None
        ring: list[tuple[float, float]] = []
        for x, y in zip(lons + [None], lats + [None], strict=True):
            if x is None:
                assert y is None and len(ring) >= 4 and ring[0] == ring[-1]
                ring = []
            else:
                assert -180 <= x <= 180 and -90 <= y <= 90
                ring.append((x, y))
    traces[0][1].append(None)  # callers get fresh lists
    assert boundary_traces_xy()[0][1][-1] is not None


@pytest.mark.skipif(not RAW.is_dir(), reason="shared raw geography not available")
def test_build_script_reproduces_the_shipped_file(tmp_path):
    spec = importlib.util.spec_from_file_location("build_boundaries",
                                                  ROOT / "scripts" / "build_boundaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "b.geojson"
    module.main(["--raw", str(RAW), "--out", str(out)])
    assert out.read_bytes() == _data_file().read_bytes()


def test_douglas_peucker_drops_collinear_points():
    spec = importlib.util.spec_from_file_location("build_boundaries",
                                                  ROOT / "scripts" / "build_boundaries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 2.0)]
    assert module.douglas_peucker(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (3.0, 2.0)]
