"""Build src/borderflow/world/data/boundaries.geojson from the shared raw geography.

Inputs (see shared/data/raw/PROVENANCE.md):
  natural_earth/ne_50m_admin_0_countries_americas_subset.geojson  (Natural Earth 50m countries)
  mexico_geo/mexico_estados_inegi.geojson                          (INEGI state division)

Output: one FeatureCollection with the corridor's countries (kind "country") and Mexico's 32
states (kind "mx_state"), simplified with Douglas-Peucker, coordinates rounded. For the USA
only polygons with a vertex south of 37N and east of 125W are kept (drops Alaska, Hawaii and
the northern islands); the contiguous polygon is kept whole. Deterministic: the same inputs give
the same bytes.

    python scripts/build_boundaries.py [--raw DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ("MEX", "USA", "GTM", "BLZ", "HND", "SLV", "NIC", "CRI", "PAN", "COL")
NE_FILE = "natural_earth/ne_50m_admin_0_countries_americas_subset.geojson"
INEGI_FILE = "mexico_geo/mexico_estados_inegi.geojson"
NE_SOURCE = ("Natural Earth 50m admin-0 countries (public domain), via "
             "martynafford/natural-earth-geojson; simplified")
INEGI_SOURCE = "INEGI Marco Geoestadistico, state division, via lapanquecita/remesas; simplified"


def douglas_peucker(points: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    """Iterative Douglas-Peucker on an open polyline (keeps both end points)."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0.0:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if best > tol:
            keep[index] = True
            stack.append((a, index))
            stack.append((index, b))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list, tol: float, decimals: int) -> list | None:
    """Simplify a closed ring; None if it collapses or is smaller than the tolerance."""
    pts = [(float(x), float(y)) for x, y, *_ in ring]
    if pts[0] == pts[-1]:
        pts = pts[:-1]
    if len(pts) < 3:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    if max(xs) - min(xs) < 2 * tol and max(ys) - min(ys) < 2 * tol:
        return None  # islets below the map's resolution
    # split at the vertex farthest from the first so both halves are open polylines
    x0, y0 = pts[0]
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - x0) ** 2 + (pts[i][1] - y0) ** 2)
    half1 = douglas_peucker(pts[:far + 1], tol)
    half2 = douglas_peucker(pts[far:] + [pts[0]], tol)
    out = [(round(x, decimals), round(y, decimals)) for x, y in half1[:-1] + half2]
    dedup = [out[0]] + [p for prev, p in zip(out, out[1:], strict=False) if p != prev]
    if len(dedup) < 4:
        return None
    return [list(p) for p in dedup]


def polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def simplify_polygons(polys: list, tol: float, decimals: int) -> list:
    out = []
    for poly in polys:
        outer = simplify_ring(poly[0], tol, decimals)
        if outer is None:
            continue
        holes = [h for h in (simplify_ring(r, tol, decimals) for r in poly[1:]) if h is not None]
        out.append([outer] + holes)
    return out


def feature(name: str, kind: str, code: str, source: str, polys: list) -> dict:
    return {"type": "Feature",
            "properties": {"name": name, "kind": kind, "code": code, "source": source},
            "geometry": {"type": "MultiPolygon", "coordinates": polys}}


def build(raw: Path, tol_country: float, tol_state: float, decimals: int) -> dict:
    ne = json.loads((raw / NE_FILE).read_text(encoding="utf-8"))
    by_iso = {f["properties"]["ADM0_A3"]: f for f in ne["features"]}
    features = []
    for iso in COUNTRIES:
        f = by_iso[iso]
        polys = polygons(f["geometry"])
        if iso == "USA":
            polys = [p for p in polys if any(y < 37.0 and x > -125.0 for x, y, *_ in p[0])]
        features.append(feature(f["properties"]["NAME"], "country", iso, NE_SOURCE,
                                simplify_polygons(polys, tol_country, decimals)))
    inegi = json.loads((raw / INEGI_FILE).read_text(encoding="utf-8"))
    for f in sorted(inegi["features"], key=lambda f: f["properties"]["CVE_ENT"]):
        p = f["properties"]
        features.append(feature(p["NOM_ENT"], "mx_state", p["CVE_ENT"], INEGI_SOURCE,
                                simplify_polygons(polygons(f["geometry"]), tol_state, decimals)))
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=Path("/work/shared/data/raw"))
    ap.add_argument("--out", type=Path,
                    default=ROOT / "src/borderflow/world/data/boundaries.geojson")
    ap.add_argument("--tol-country", type=float, default=0.01, help="degrees")
    ap.add_argument("--tol-state", type=float, default=0.005, help="degrees")
    ap.add_argument("--decimals", type=int, default=3)
    args = ap.parse_args(argv)
    fc = build(args.raw, args.tol_country, args.tol_state, args.decimals)
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=args.out.parent, prefix=".boundaries.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, args.out)
    n = sum(len(r) for f in fc["features"] for p in f["geometry"]["coordinates"] for r in p)
    print(f"wrote {args.out} ({len(text) / 1e6:.2f} MB, {len(fc['features'])} features, "
          f"{n} vertices)")


if __name__ == "__main__":
    main()
