"""The corridor map of one run, drawn offline from the shipped boundaries (no tiles, no plotly geo).

Layers, bottom to top: country and Mexican state outlines, the network's edges (thin),
nodes by kind, checkpoints (edge midpoints, size by number of checkpoints), crossing flows
(line width by people starting each border crossing), U.S. Border Patrol sectors sized by
simulated encounters, and deaths by place (size by dead and missing).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from borderflow.world.geo import boundaries, boundary_traces_xy
from borderflow.world.network import load_network

KIND_STYLE = {  # kind -> (label, colour, symbol)
    "origin": ("origin", "#8c564b", "circle"),
    "air_arrival": ("air arrival", "#17becf", "triangle-up"),
    "darien": ("Darién", "#2ca02c", "diamond"),
    "isthmus": ("Central America", "#7f7f7f", "circle"),
    "southern_entry": ("Mexican southern entry", "#9467bd", "square"),
    "transit": ("Mexican transit city", "#bcbd22", "circle"),
    "border_city": ("Mexican border city", "#ff7f0e", "circle"),
    "sector": ("Border Patrol sector", "#1f77b4", "star"),
    "port_of_entry": ("port of entry", "#1f77b4", "square-open"),
}
KIND_COLOURS = {"urban": "#e377c2", "remote": "#d62728", "port": "#1f77b4"}
LON_RANGE = (-119.5, -74.0)
LAT_RANGE = (6.5, 34.5)


def _size(values, biggest: float, smallest: float = 4.0) -> list[float]:
    """Marker diameters with area proportional to the value."""
    v = np.asarray(values, dtype=float)
    top = float(v.max()) if len(v) and v.max() > 0 else 1.0
    return list(np.maximum(smallest, biggest * np.sqrt(np.clip(v, 0, None) / top)))


def _outlines(fig: go.Figure) -> None:
    kinds = {f["properties"]["name"]: f["properties"].get("kind", "country")
             for f in boundaries()["features"]}
    for want, fill, line in (("country", "#f3f1ea", "#9a9a9a"), ("mx_state", None, "#c8c8c8")):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for name, lons, lats in boundary_traces_xy():
            if kinds.get(name, "country") != want:
                continue
            if xs:
                xs.append(None)
                ys.append(None)
            xs.extend(lons)
            ys.extend(lats)
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself" if fill else "none",
                        fillcolor=fill, line=dict(color=line, width=0.8 if fill else 0.5),
                        hoverinfo="skip", showlegend=False,
                        name="countries" if want == "country" else "Mexican states")


def _edges(fig: go.Figure, net) -> None:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for s, d in zip(net.edge_src, net.edge_dst, strict=True):
        xs += [float(net.node_lon[s]), float(net.node_lon[d]), None]
        ys += [float(net.node_lat[s]), float(net.node_lat[d]), None]
    fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="#b0b0b0", width=0.7),
                    hoverinfo="skip", name="routes")


def _nodes(fig: go.Figure, net) -> None:
    nodes = net.nodes
    for kind, (label, colour, symbol) in KIND_STYLE.items():
        g = nodes[nodes["kind"] == kind]
        if g.empty or kind == "sector":
            continue
        fig.add_scatter(x=g["lon"], y=g["lat"], mode="markers", name=label,
                        marker=dict(size=6, color=colour, symbol=symbol),
                        text=g["name"], hovertemplate="%{text}<extra>" + label + "</extra>")


def _checkpoints(fig: go.Figure, net) -> None:
    cp = np.asarray(net.edge_checkpoints, dtype=float)
    k = np.flatnonzero(cp > 0)
    if not len(k):
        return
    lon = (net.node_lon[net.edge_src[k]] + net.node_lon[net.edge_dst[k]]) / 2
    lat = (net.node_lat[net.edge_src[k]] + net.node_lat[net.edge_dst[k]]) / 2
    states = net.edges["mx_state"].to_numpy()[k]
    text = [f"{int(c)} checkpoint{'s' if c != 1 else ''} ({st or 'n/a'})"
            for c, st in zip(cp[k], states, strict=True)]
    fig.add_scatter(x=lon, y=lat, mode="markers", name="checkpoints",
                    marker=dict(size=[4 + 2.2 * c for c in cp[k]], color="#6a3d9a",
                                symbol="x-thin", line=dict(width=2, color="#6a3d9a")),
                    text=text, hovertemplate="%{text}<extra>checkpoints</extra>")


def _crossing_edges(net) -> dict[tuple[str, str], tuple[float, float, float, float]]:
    names = net.nodes["name"].to_numpy()
    out = {}
    crossing = net.edges["crossing"].fillna("").to_numpy()
    for k, kind in enumerate(crossing):
        if not kind:
            continue
        s, d = int(net.edge_src[k]), int(net.edge_dst[k])
        key = (f"{names[s]} - {names[d]}", str(kind))
        out[key] = (float(net.node_lon[s]), float(net.node_lat[s]),
                    float(net.node_lon[d]), float(net.node_lat[d]))
    return out


def _flows(fig: go.Figure, net, crossings: pd.DataFrame) -> None:
    if crossings is None or crossings.empty:
        return
    tot = crossings.groupby(["crossing", "kind"], as_index=False)["people"].sum()
    tot = tot[tot["people"] > 0]
    if tot.empty:
        return
    coords = _crossing_edges(net)
    top = float(tot["people"].max())
    shown: set[str] = set()
    for row in tot.sort_values("people").itertuples(index=False):
        xy = coords.get((row.crossing, row.kind))
        if xy is None:
            continue
        x0, y0, x1, y1 = xy
        if row.kind == "remote":  # urban and remote crossings may share their endpoints
            x0, x1 = x0 - 0.12, x1 - 0.12
        width = 1.0 + 11.0 * math.sqrt(row.people / top)
        label = f"{row.kind} crossings"
        fig.add_scatter(x=[x0, x1], y=[y0, y1], mode="lines", name=label, legendgroup=label,
                        showlegend=label not in shown, opacity=0.75,
                        line=dict(color=KIND_COLOURS.get(row.kind, "#444"), width=width),
                        text=[f"{row.crossing} ({row.kind}): {int(row.people):,} people"] * 2,
                        hovertemplate="%{text}<extra></extra>")
        shown.add(label)


def _sectors(fig: go.Figure, net, res) -> None:
    nodes = net.nodes[net.nodes["kind"] == "sector"]
    if nodes.empty:
        return
    enc = res.encounters(by="sector").groupby("sector")["encounters"].sum()
    people = nodes["sector"].map(enc).fillna(0).to_numpy(dtype=float)
    text = [f"{s}: {int(p):,} encounters" for s, p in zip(nodes["sector"], people, strict=True)]
    fig.add_scatter(x=nodes["lon"], y=nodes["lat"], mode="markers",
                    name="sector encounters (simulated)",
                    marker=dict(size=_size(people, 34, 6), color="rgba(31,119,180,0.55)",
                                line=dict(color="#1f77b4", width=1)),
                    text=text, hovertemplate="%{text}<extra></extra>")


def _deaths(fig: go.Figure, deaths: pd.DataFrame) -> None:
    if deaths is None or deaths.empty:
        return
    d = deaths.groupby(["place", "lat", "lon"], as_index=False)["deaths"].sum()
    d = d[d["deaths"] > 0]
    if d.empty:
        return
    text = [f"{p}: {int(n):,} dead or missing" for p, n in zip(d["place"], d["deaths"], strict=True)]
    fig.add_scatter(x=d["lon"], y=d["lat"], mode="markers", name="deaths (simulated)",
                    marker=dict(size=_size(d["deaths"], 26, 6), color="rgba(0,0,0,0.55)",
                                symbol="circle", line=dict(color="#000", width=1)),
                    text=text, hovertemplate="%{text}<extra></extra>")


def corridor_map(res, net=None, title: str | None = None) -> go.Figure:
    """The corridor map of a run (a :class:`borderflow.results.Results`), as a plotly figure."""
    if net is None:

        net = load_network()
    fig = go.Figure()
    _outlines(fig)
    _edges(fig, net)
    _checkpoints(fig, net)
    _flows(fig, net, res.tables.get("crossings"))
    _nodes(fig, net)
    _sectors(fig, net, res)
    _deaths(fig, res.tables.get("deaths"))
    mid = math.radians(sum(LAT_RANGE) / 2)
    fig.update_layout(
        title=title or f"The corridor, {res.meta['start']} to {res.meta['end']} (simulated)",
        xaxis=dict(range=list(LON_RANGE), showgrid=False, zeroline=False, title="longitude",
                   constrain="domain"),
        yaxis=dict(range=list(LAT_RANGE), showgrid=False, zeroline=False, title="latitude",
                   scaleanchor="x", scaleratio=1 / math.cos(mid)),
        plot_bgcolor="#dfeaf3", hovermode="closest", height=640,
        legend=dict(orientation="v", x=1.01, y=1, font=dict(size=11)),
    )
    return fig
