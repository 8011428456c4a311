"""Charts of a series (plotly): HTML with plotly.js inlined, PNG only with kaleido."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from borderflow.atomic import atomic_path
from borderflow.data.storage import check_output, shareable
from borderflow.errors import InputError


def check_target(path: str | Path) -> Path:
    """Validate the output file name before any work is done."""
    p = check_output(path)
    suffix = p.suffix.lower()
    if suffix not in (".html", ".png"):
        raise InputError(f"cannot write a chart as {suffix or 'a file without extension'!r}",
                         file=str(p), field="--plot", expected="a .html or .png file name")
    if suffix == ".png" and importlib.util.find_spec("kaleido") is None:
        raise InputError("writing PNG needs the optional 'kaleido' package, which is not "
                         "installed", file=str(p), field="--plot",
                         expected="a .html file (e.g. --plot chart.html), or pip install kaleido")
    return p


def write_chart(frame: pd.DataFrame, label: str, by: str | None, title: str, unit: str,
                path: str | Path) -> Path:
    """Line chart of ``frame`` (columns ``label``, optional ``by``, ``value``)."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go

    p = check_target(path)
    fig = go.Figure()
    groups = frame.groupby(by, sort=False) if by else [(title, frame)]
    for name, part in groups:
        fig.add_trace(go.Scatter(x=part[label], y=part["value"], mode="lines", name=str(name)))
    fig.update_layout(title=title, xaxis_title=label, yaxis_title=unit, template="plotly_white",
                      showlegend=bool(by))
    with atomic_path(p) as tmp:
        if p.suffix.lower() == ".html":
            fig.write_html(tmp, include_plotlyjs=True, full_html=True)
        else:
            fig.write_image(tmp, format="png")
        shareable(tmp)
    return p
