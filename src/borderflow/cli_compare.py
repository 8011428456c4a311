"""`borderflow compare A B`: a table of differences with intervals, Parquet and an HTML chart."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from borderflow.atomic import atomic_dir, check_results_dir
from borderflow.report.html import page
from borderflow.safeprint import line
from borderflow.scenario import load_scenario


def compare_command(a: str, b: str, runs: int, scale: int, seed: int, out: str | None) -> Path:
    from borderflow.compare import compare

    sa, sb = load_scenario(a), load_scenario(b)
    out_dir = Path(out) if out else Path("results") / f"compare-{sa.id}-{sb.id}"
    check_results_dir(out_dir)                     # refuse before the runs, not after
    console = Console(stderr=True)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} runs"), console=console,
                  transient=True) as bar:
        task = bar.add_task(f"{sa.id} vs {sb.id}", total=2 * runs)
        cmp = compare(sa, sb, runs=runs, scale=scale, seed=seed,
                      progress=lambda k, n: bar.update(task, completed=k))
    summary = cmp.summary()
    with atomic_dir(out_dir) as tmp:
        cmp.runs.to_parquet(tmp / "compare_runs.parquet", index=False)
        summary.to_parquet(tmp / "compare.parquet", index=False)
        cmp.monthly.to_parquet(tmp / "compare_monthly.parquet", index=False)
        _report(cmp, summary, tmp / "compare.html")
    t = Table(title=f"{cmp.b.id} minus {cmp.a.id}, {cmp.a.start}..{cmp.a.end}, {runs} runs x "
              f"{scale} people per agent (common random numbers)")
    for col in ("metric", cmp.a.id, cmp.b.id, "difference", "10-90% interval", "%"):
        t.add_column(col, justify="left" if col == "metric" else "right")
    for r in summary.itertuples():
        t.add_row(r.metric, f"{r.a_median:,.0f}" if abs(r.a_median) >= 10 else f"{r.a_median:.3f}",
                  f"{r.b_median:,.0f}" if abs(r.b_median) >= 10 else f"{r.b_median:.3f}",
                  f"{r.diff_median:+,.0f}" if abs(r.diff_median) >= 10 else f"{r.diff_median:+.3f}",
                  f"{r.diff_p10:+,.4g} .. {r.diff_p90:+,.4g}",
                  "" if r.pct_change != r.pct_change else f"{r.pct_change:+.1f}")
    Console().print(t)
    Console().print(line("results in ", (out_dir, "bold")))
    return out_dir


def _report(cmp, summary, out: Path) -> None:
    m = cmp.monthly.groupby(["scenario", "month"])["encounters"]
    q = m.quantile([0.1, 0.5, 0.9]).unstack()
    fig = go.Figure()
    for sid, colour in ((cmp.a.id, "#1f77b4"), (cmp.b.id, "#d62728")):
        d = q.loc[sid]
        fig.add_scatter(x=d.index, y=d[0.9], line=dict(width=0), showlegend=False,
                        hoverinfo="skip")
        fig.add_scatter(x=d.index, y=d[0.1], fill="tonexty", line=dict(width=0), opacity=0.2,
                        name=f"{sid} 10-90%", fillcolor=colour)
        fig.add_scatter(x=d.index, y=d[0.5], name=f"{sid} median", line=dict(color=colour))
    fig.update_layout(title="USBP Southwest encounters a month", yaxis_title="encounters")
    bars = go.Figure(go.Bar(x=summary["pct_change"], y=summary["metric"], orientation="h",
                            error_x=None))
    bars.update_layout(title=f"{cmp.b.id} relative to {cmp.a.id} (median, %)", height=520)
    page(f"borderflow compare: {cmp.a.id} vs {cmp.b.id}",
         [("Encounters", fig), ("Differences", bars),
          ("Table", summary.to_html(index=False, float_format=lambda x: f"{x:,.3g}"))], out)
