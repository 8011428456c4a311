"""Map boundaries shipped as package data (countries and Mexican states), for offline maps."""

from __future__ import annotations

import functools
import json
from importlib import resources


@functools.lru_cache(maxsize=1)
def boundaries() -> dict:
    """The GeoJSON FeatureCollection in ``world/data/boundaries.geojson`` (cached; do not mutate).

    Features carry ``name``, ``kind`` ("country" or "mx_state"), ``code`` (ISO3 or INEGI
    CVE_ENT) and ``source``; geometries are Polygons or MultiPolygons in lon/lat (WGS84).
    """
    path = resources.files("borderflow.world") / "data" / "boundaries.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


@functools.lru_cache(maxsize=1)
def _traces() -> tuple[tuple[str, tuple, tuple], ...]:
    out = []
    for feature in boundaries()["features"]:
        lons: list[float | None] = []
        lats: list[float | None] = []
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                if lons:
                    lons.append(None)
                    lats.append(None)
                lons.extend(float(p[0]) for p in ring)
                lats.extend(float(p[1]) for p in ring)
        out.append((feature["properties"]["name"], tuple(lons), tuple(lats)))
    return tuple(out)


def boundary_traces_xy() -> list[tuple[str, list[float | None], list[float | None]]]:
    """One (name, lons, lats) per feature, rings separated by None, countries first.

    Ready for ``plotly.graph_objects.Scatter(x=lons, y=lats, fill="toself")``.
    """
    return [(name, list(lons), list(lats)) for name, lons, lats in _traces()]
