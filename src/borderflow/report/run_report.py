"""The report of one run: simulated against observed encounters, Mexican measures, deaths."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from borderflow.data import observed
from borderflow.observe.outcomes import metrics
from borderflow.report.html import page
from borderflow.report.labels import measure_name
from borderflow.report.map import corridor_map
from borderflow.report.months import month_axes
from borderflow.report.numbers import number


def observed_monthly(series: str, by: str | None = None) -> pd.DataFrame | None:
    """The months (and ``by`` keys) :func:`borderflow.data.observed` holds a figure for,
    as rows ``month``, ``by``, ``value``; None without observations."""
    try:
        values = observed(series, by).to_series().dropna()
    except Exception:  # noqa: BLE001 - the report still shows the model without observations
        return None
    out = values.rename("value").reset_index()
    return out.sort_values(["month", *([by] if by else [])], kind="stable",
                           ignore_index=True)


def _total_figure(res) -> go.Figure:
    sim = res.encounters()
    fig = go.Figure(go.Scatter(x=sim["month"], y=sim["encounters"], name="simulated",
                               line=dict(color="#d62728")))
    obs = observed_monthly("usbp_sw_encounters")
    if obs is not None:
        obs = obs[obs["month"].isin(sim["month"])]
        fig.add_scatter(x=obs["month"], y=obs["value"], name="observed (OHSS)",
                        line=dict(color="#222", dash="dot"))
    fig.update_layout(title="U.S. Border Patrol Southwest encounters a month",
                      yaxis_title="encounters")
    return fig


def _breakdown_figure(res, by: str, top: int = 9) -> go.Figure:
    sim = res.encounters(by=by)
    obs = observed_monthly("usbp_sw_encounters", by=by)
    keys = sim.groupby(by)["encounters"].sum().sort_values(ascending=False).index[:top]
    fig = go.Figure()
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
               "#7f7f7f", "#bcbd22", "#17becf"]
    for k, key in enumerate(keys):
        colour = palette[k % len(palette)]
        s = sim[sim[by] == key]
        fig.add_scatter(x=s["month"], y=s["encounters"], name=f"{key}", legendgroup=key,
                        line=dict(color=colour))
        if obs is not None:
            o = obs[(obs[by] == key) & obs["month"].isin(res.months)]
            fig.add_scatter(x=o["month"], y=o["value"], name=f"{key} (observed)",
                            legendgroup=key, showlegend=False,
                            line=dict(color=colour, dash="dot", width=1))
    fig.update_layout(title=f"Encounters by {by}: simulated (solid) and observed (dotted)",
                      yaxis_title="encounters")
    return fig


def _mexico_figure(res) -> go.Figure:
    mx = res.mexico().groupby(["month", "measure"], as_index=False)["people"].sum()
    fig = go.Figure()
    for measure, g in mx.groupby("measure"):
        fig.add_scatter(x=g["month"], y=g["people"], name=measure_name(measure))
    fig.update_layout(title="Mexican enforcement (simulated)", yaxis_title="people a month")
    return fig


def _deaths_figure(res) -> go.Figure:
    d = res.deaths()
    us = d.groupby("month", as_index=False)["deaths"].sum()
    us = pd.DataFrame({"month": res.months}).merge(us, how="left").fillna(0)
    fig = go.Figure(go.Bar(x=us["month"], y=us["deaths"], name="simulated dead and missing",
                           marker_color="#d62728"))
    obs = observed_monthly("iom_deaths_us_mexico_bbox")
    if obs is not None:
        obs = obs[obs["month"].isin(res.months)]
        fig.add_scatter(x=obs["month"], y=obs["value"], name="IOM Missing Migrants (observed)",
                        line=dict(color="#222"))
    fig.update_layout(title="Deaths and missing in the corridor a month", yaxis_title="people")
    return fig


#: the death rate the run report and the dashboard show beside counts (computed by
#: :func:`borderflow.compare.metrics`: expected deaths at the border crossings between ports
#: per 100,000 people crossing there)
DEATH_RATE = "expected deaths per 100,000 crossings"


def death_rate(res) -> float:
    """Expected deaths per 100,000 crossings between ports of a run, as
    :func:`borderflow.compare.metrics` computes it (NaN without crossings)."""
    return metrics(res)[DEATH_RATE]


def _rate(value: float) -> str:
    return f"{value:.1f}" if value == value else number(None)  # NaN: no crossing


def _deaths_table(res) -> str:
    """Counts and the rate per 100,000 crossings under the deaths chart: more checkpoints
    can lower the count while each crossing gets deadlier (riskier routes)."""
    try:
        m = metrics(res)
    except KeyError as exc:  # a run without a table compare.metrics reads
        return f"<p class='note'>No death rate: the run has no {html.escape(str(exc))}.</p>"
    rows = [("dead and missing (drawn; each agent stands for "
             f"{res.meta.get('scale', '?')} people)", number(m["deaths and missing"])),
            ("expected dead and missing (the summed chances of dying of everyone who moved)",
             number(m["expected deaths and missing"])),
            (f"{DEATH_RATE} between ports", _rate(m[DEATH_RATE])),
            ("deaths per 100,000 crossings between ports (drawn)",
             _rate(m["deaths per 100,000 crossings"]))]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (f"<table class='rows'>{body}</table><p class='note'>The rate is the one "
            "<code>borderflow compare</code> reports: expected deaths at the border crossings "
            "between ports per 100,000 people crossing there. A lever that lowers the count "
            "by stopping people earlier can still raise the rate, when those who cross take "
            "riskier routes.</p>")


def _summary(res) -> str:
    m = res.meta
    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in m.items())
    return (f"<p class='note'>Every line is produced by the model; dotted lines are the official "
            f"statistics (DHS OHSS, IOM) bundled with borderflow.</p><table>{rows}</table>")


EXTRA_TABLES = {"fees": "Smuggling fees", "waiting": "People waiting in Mexican cities",
                "backlog": "U.S. immigration court backlog"}
_SUMMED = ("people", "encounters", "deaths", "count", "cases", "stock", "backlog", "waiting")


#: axis titles of known table columns (unit in brackets); others use the column name
AXIS_TITLES = {"pending_cases": "pending cases", "expected_wait_years": "expected wait [years]",
               "mx_enforcement_effort": "Mexican enforcement effort [x baseline]",
               "fee_usd": "smuggling fee [USD]", "people": "people"}


def _axis_title(col: str) -> str:
    return AXIS_TITLES.get(col, col.replace("_", " "))


def _wrapped(title: str, width: int = 22) -> str:
    """An axis title broken into lines of about ``width`` characters (``<br>``): a long
    title on one line is longer than a short panel is high, and gets cut."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def table_figure(df: pd.DataFrame, title: str, top: int = 10) -> go.Figure | None:
    """A chart of any tidy monthly table: every numeric column against month, one line per
    value of the first text column (the largest ``top``). Other text columns are summed over
    for people-like columns and averaged for the rest (fees, prices, shares). Columns with
    different units (cases, years, an index) get a panel and an axis each, never one shared
    axis."""
    if df is None or df.empty or "month" not in df.columns:
        return None
    numeric = [c for c in df.columns if c != "month" and pd.api.types.is_numeric_dtype(df[c])]
    text = [c for c in df.columns if c != "month" and c not in numeric
            and (pd.api.types.is_string_dtype(df[c]) or df[c].dtype == object)]
    if not numeric:
        return None
    # lazy: plotly is a heavy import, needed only to draw
    from plotly.subplots import make_subplots

    key = text[0] if text else None
    n = len(numeric)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.06) if n > 1 \
        else go.Figure()
    for row, col in enumerate(numeric, start=1):
        where = {"row": row, "col": 1} if n > 1 else {}
        how = "sum" if any(w in col.lower() for w in _SUMMED) else "mean"
        if key is None:
            g = df.groupby("month", as_index=False)[col].agg(how)
            fig.add_scatter(x=g["month"], y=g[col], name=_axis_title(col), showlegend=n == 1,
                            hovertemplate="%{x}: %{y:,}<extra></extra>", **where)
        else:
            g = df.groupby(["month", key], as_index=False)[col].agg(how)
            keys = g.groupby(key)[col].sum().abs().sort_values(ascending=False).index[:top]
            for k in keys:
                s = g[g[key] == k]
                fig.add_scatter(x=s["month"], y=s[col], name=f"{k}" if n == 1
                                else f"{k} · {_axis_title(col)}", **where)
        big = float(df[col].abs().max()) >= 1000
        fig.update_yaxes(title_text=_wrapped(_axis_title(col)),
                         tickformat=",.0f" if big else None,
                         rangemode="tozero" if big else "normal", automargin=True, **where)
    fig.update_layout(title=f"{title} (simulated)", height=max(420, 230 * n))
    return month_axes(fig)


def _map_section(res):
    try:

        return corridor_map(res)
    except Exception as exc:  # noqa: BLE001 - a broken map must not lose the rest of the report
        return f"<p class='note'>The map could not be drawn: {html.escape(str(exc))}</p>"


def write_run_report(res, out: str | Path) -> None:
    extra = []
    for name, title in EXTRA_TABLES.items():
        fig = table_figure(res.tables.get(name), title)
        if fig is not None:
            extra.append((title, fig))
    page(f"borderflow run: {res.meta['scenario']}", [
        ("Run", _summary(res)),
        ("Encounters", _total_figure(res)),
        ("By sector", _breakdown_figure(res, "sector")),
        ("By citizenship", _breakdown_figure(res, "citizenship", top=10)),
        ("Mexico", _mexico_figure(res)),
        ("Deaths", _deaths_figure(res)),
        ("", _deaths_table(res)),
        *extra,
        ("Map of the corridor", _map_section(res)),
    ], out)
