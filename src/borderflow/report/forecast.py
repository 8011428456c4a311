"""The forecast's figure and files (presentation of
:func:`borderflow.validate.forecast.forecast`)."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from textwrap import wrap

import pandas as pd

from borderflow.atomic import atomic_path
from borderflow.data.observed import observed_total
from borderflow.report.html import page

#: the longest event label drawn on a chart (the full text is in the hover)
EVENT_LABEL_CHARS = 42
#: lines of event labels down the chart before they start again at the top
EVENT_LABEL_LINES = 12


def event_label(ev: dict, width: int = EVENT_LABEL_CHARS) -> str:
    """A short text of a dated policy event: the first clause of its source ("Mexico
    reimposed visas on Peruvians"), cut to ``width`` characters, and "(ends)" when the
    event ends on that date."""

    text = str(ev.get("source") or ev.get("lever") or "event").strip()
    head = re.split(r" \(|: |; |, ", text, maxsplit=1)[0].strip() or text
    if len(head) > width:
        head = head[:width - 1].rstrip() + "…"
    return head + (" (ends)" if ev.get("what") == "ends" else "")


def event_detail(ev: dict) -> str:
    """A dated policy event in full, for a hover: date, what changes, where, the source."""

    keys = ev.get("keys")
    keys = ", ".join(keys) if isinstance(keys, list) else (keys or "")
    value = ev.get("value")
    change = f"{ev.get('lever', '')} {ev.get('op', '')} {value:g}" if isinstance(
        value, (int, float)) else f"{ev.get('lever', '')} {ev.get('op', '')} {value}"
    head = f"{ev.get('date', '')} {ev.get('what', '')}: {change}" + (f" ({keys})" if keys
                                                                      else "")
    return "<br>".join([head, *wrap(str(ev.get("source", "")), 90)])


def band_figure(table: pd.DataFrame, observed: pd.Series | None, title: str,
                key: str = "total", breakdown: str = "total", events: list[dict] | None = None):
    """The median and the 80% and 95% bands, the observations, and a dotted line at each
    dated event in the window, labelled (left of the line, in rows down from the top) with
    its number in the order of ``events`` and a short text (:func:`event_label`; the
    event in full on hover)."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go

    t = table[(table["breakdown"] == breakdown) & (table["key"] == key)]
    x = list(t["month"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x + x[::-1], y=list(t["p975"]) + list(t["p025"])[::-1],
                             mode="lines", fill="toself", fillcolor="rgba(31,119,180,0.15)",
                             line=dict(width=0), name="95% interval"))
    fig.add_trace(go.Scatter(x=x + x[::-1], y=list(t["p90"]) + list(t["p10"])[::-1],
                             mode="lines", fill="toself", fillcolor="rgba(31,119,180,0.3)",
                             line=dict(width=0), name="80% interval"))
    fig.add_trace(go.Scatter(x=x, y=t["median"], mode="lines+markers", name="median",
                             line=dict(color="rgb(31,119,180)")))
    if "raw_median" in t.columns:
        fig.add_trace(go.Scatter(x=x, y=t["raw_median"], mode="lines",
                                 name="raw model (uncorrected median)",
                                 line=dict(color="rgb(31,119,180)", dash="dot")))
    if observed is not None and len(observed):
        fig.add_trace(go.Scatter(x=list(observed.index), y=observed.values, mode="lines",
                                 name="observed (USBP SW)", line=dict(color="black")))
    by_day: dict[str, list[int]] = {}
    for k, ev in enumerate(events or []):
        by_day.setdefault(ev["date"], []).append(k + 1)
    line = 0  # text lines used so far: each label starts below the one before
    for day, numbers in by_day.items():
        fig.add_vline(x=day, line=dict(color="grey", dash="dot", width=1))
        if line + len(numbers) > EVENT_LABEL_LINES:
            line = 0
        # the label ends at its line, below the one before; hover: the events in full
        fig.add_annotation(x=day, y=1.0 - 0.055 * line, yref="paper", showarrow=False,
                           xanchor="right", yanchor="top", align="right",
                           text="<br>".join(f"{k} {event_label(events[k - 1])}"
                                            for k in numbers),
                           font=dict(size=10, color="#444"), bgcolor="rgba(255,255,255,0.8)",
                           hovertext="<br>".join(f"{k}: {event_detail(events[k - 1])}"
                                                 for k in numbers))
        line += len(numbers)
    fig.update_layout(title=title, yaxis_title="encounters per month")
    return fig


def latent_figure(latent: pd.DataFrame, title: str = "Filtered latent push by group "
                  "(log; median and 10-90% band of the weighted particles)"):
    """The filtered latent log push of each departure group by month, up to the origin."""
    # lazy: plotly is a heavy import, needed only to draw
    import plotly.graph_objects as go
    from plotly.colors import qualitative

    fig = go.Figure()
    for k, (group, g) in enumerate(latent.groupby("group", sort=False)):
        colour = qualitative.Plotly[k % len(qualitative.Plotly)]
        x = list(g["month"])
        fig.add_trace(go.Scatter(x=x + x[::-1], y=list(g["p90"]) + list(g["p10"])[::-1],
                                 mode="lines", fill="toself", line=dict(width=0),
                                 fillcolor=colour, opacity=0.2, legendgroup=group,
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=g["median"], mode="lines", name=group,
                                 legendgroup=group, line=dict(color=colour)))
    fig.add_hline(y=0.0, line=dict(color="grey", dash="dot", width=1))
    fig.update_layout(title=title, yaxis_title="log push (0: the mechanisms alone)")
    return fig


def _method_text(meta: dict) -> str:
    model = meta.get("error_model", "empirical")
    if model == "assimilated":
        nz = meta["noise"]
        noise = "; ".join(f"{g}: sigma {s:.3f}, tau {t:.3f}" for g, s, t in
                          zip(nz["groups"], nz["sigma"], nz["tau"], strict=True))
        method = {"enkf": "an ensemble Kalman update (windows re-run)",
                  "tempered": "a tempered particle filter",
                  "bootstrap": "a bootstrap particle filter"}.get(meta.get("method"),
                                                                  "a particle filter")
        return (f"<p>Assimilated forecast: {method} of "
                f"{meta['particles']} members over the observed months up to the origin "
                "(USBP encounters by citizenship group, Panama's Darien counts, the release "
                "share), each member a whole model state with a latent log push per "
                "departure group (a random walk, reset by the policy events that target "
                "the group); the forecast continues every filtered member with its latent "
                "still moving, and the band is over members and the observation error, "
                "with a model discrepancy of "
                f"{meta.get('discrepancy_sd', 0.0):.3f} (log standard deviation) added in "
                f"quadrature, calibrated on {meta.get('interval_errors_n', 0)} earlier "
                "backtest errors "
                f"(source: {escape(str(meta.get('interval_errors_source', '')))}). Noise "
                f"numbers ({escape(nz['source'])}): {escape(noise)}. Mean effective sample "
                f"size {meta.get('mean_ess')}; mean spread of the members' log counts "
                f"{meta.get('mean_spread')} against an observation error of "
                f"{meta.get('mean_obs_error')}. Drivers are cut at the origin "
                f"({escape(str(meta['inputs']['drivers_cut_at']))}) and projected by "
                f"{escape(str(meta['inputs']['projection']))} (docs/validation.md).</p>")
    errors = {
        "empirical": "widened by the run's own log errors against the observations in the "
                     "24 months before the forecast (not centred, so the median is also "
                     "corrected for the run's recent level error)",
        "centred": "widened by the run's own log errors against the observations in the "
                   "36 months before the forecast (centred: they widen, not shift, the band)",
        "none": "without the run's errors against the observations"}[model]
    drift = ("" if model == "none" else
             f" and by the drift of the run's misfit ({meta.get('drift_per_month', 0):.3f}"
             " per square-root month, a random walk past the origin), scaled by "
             f"{meta.get('interval_scale', 1.0):.2f} so that the 80% band would have covered "
             f"80% of the model's {meta.get('interval_errors_n', 0)} earlier backtest errors "
             f"(source: {escape(str(meta.get('interval_errors_source', '')))})")
    return ("<p>Intervals are quantiles over ensemble members (stochastic uncertainty at "
            f"fixed calibrated parameters), {errors}{drift}. Drivers past their data are "
            f"cut at the origin ({escape(str(meta['inputs']['drivers_cut_at']))}) and "
            f"projected by {escape(str(meta['inputs']['projection']))}; the forecast is "
            "conditional on the scenario's dated timeline after the origin, listed below "
            "(docs/validation.md).</p>")


def write_outputs(table: pd.DataFrame, meta: dict, out_dir: str | Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pq = out_dir / "forecast.parquet"
    with atomic_path(pq) as tmp:
        table.to_parquet(tmp, index=False)
    obs = observed_total(start="2019-01")
    events = meta.get("events_in_window") or []
    sections = [("USBP Southwest encounters", band_figure(
        table, obs, f"{meta['scenario']}: forecast from {meta['from']}, {meta['runs']} runs",
        events=events))]
    if events:
        rows = "".join(
            f"<tr><td>{k}</td><td>{escape(ev['date'])}</td><td>{escape(ev['what'])}</td>"
            f"<td>{escape(ev['lever'])}</td><td>{escape(ev['op'])} {_magnitude(ev)}</td>"
            f"<td>{escape(', '.join(ev['keys']) if isinstance(ev['keys'], list) else ev['keys'])}"
            f"</td><td>{escape(ev['source'])}</td></tr>" for k, ev in enumerate(events, 1))
        sections.append(("Dated events in the forecast window (numbered on the chart)",
                         "<table><tr><th>#</th><th>date</th><th></th><th>lever</th><th>change</th>"
                         f"<th>applies to</th><th>source</th></tr>{rows}</table>"))
    last = table["month"].max()
    for breakdown in ("sector", "citizenship"):
        t = table[(table["breakdown"] == breakdown) & (table["month"] == last)]
        t = t.sort_values("median", ascending=False)
        raw = "raw_median" in t.columns
        rows = "".join(f"<tr><td>{r.key}</td><td>{r.median:,.0f}</td>"
                       + (f"<td>{r.raw_median:,.0f}</td>" if raw else "")
                       + f"<td>{r.p10:,.0f} - {r.p90:,.0f}</td>"
                       f"<td>{r.p025:,.0f} - {r.p975:,.0f}</td></tr>"
                       for r in t.itertuples())
        sections.append((f"By {breakdown}, {last}",
                         "<table><tr><th>key</th><th>median</th>"
                         + ("<th>raw model</th>" if raw else "")
                         + f"<th>80%</th><th>95%</th></tr>{rows}</table>"))
    if meta.get("latent"):
        latent = pd.DataFrame(meta["latent"])
        with atomic_path(out_dir / "latent.parquet") as tmp:
            latent.to_parquet(tmp, index=False)
        sections.insert(1, ("Filtered latent push, up to the origin", latent_figure(latent)))
    run_meta = {k: v for k, v in meta.items() if k not in ("events_in_window", "latent")}
    sections.append(("Run", "<pre>" + escape(json.dumps(run_meta, indent=1)) + "</pre>"
                     + _method_text(meta)))
    html = out_dir / "forecast.html"
    page(f"borderflow forecast from {meta['from']}", sections, html)
    with atomic_path(out_dir / "forecast.json") as tmp:
        Path(tmp).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return pq, html


def _magnitude(ev: dict) -> str:
    """An event's stated value, or the fitted magnitude of its class."""
    if ev["value"] is None:
        return escape(f"the fitted magnitude of {ev['event_class']}")
    return f"{ev['value']:g}"
