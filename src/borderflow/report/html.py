"""Assemble a self-contained HTML page from plotly figures (no CDN, no telemetry)."""

from __future__ import annotations

import html
from pathlib import Path

import plotly.graph_objects as go

from borderflow.atomic import write_text_atomic
from borderflow.report.months import month_axes

_CSS = """body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse}
td,th{padding:2px 10px;text-align:right;border-bottom:1px solid #ddd}.note{color:#555}
table.rows th{text-align:left;font-weight:normal}"""


def page(title: str, sections: list[tuple[str, str | go.Figure]], out: str | Path) -> None:
    """Write ``sections`` (heading, figure or HTML text) as one offline HTML file."""
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
             f"</title><style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>"]
    first = True
    for heading, body in sections:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if isinstance(body, go.Figure):
            own = body.layout.margin  # a figure's own margins are kept; the rest default
            body.update_layout(template="plotly_white", margin={
                side: getattr(own, side) if getattr(own, side) is not None else size
                for side, size in (("l", 50), ("r", 20), ("t", 40), ("b", 40))})
            # axis titles and tick labels push the margins out instead of being cut
            body.update_yaxes(automargin=True)
            body.update_xaxes(automargin=True)
            month_axes(body)
            if body.layout.height is None:
                body.update_layout(height=420)
            parts.append(body.to_html(full_html=False, include_plotlyjs=first,
                                      config={"displaylogo": False}))
            first = False
        else:
            parts.append(body)
    parts.append("</body></html>")
    write_text_atomic(out, "\n".join(parts))
