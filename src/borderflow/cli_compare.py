"""`borderflow compare A B`: a table of differences with intervals, Parquet and an HTML chart."""

from __future__ import annotations

import html
from pathlib import Path

import plotly.graph_objects as go
from rich import box
from rich.console import Console
from rich.progress import BarColumn, TextColumn
from rich.table import Table
from rich.text import Text

from borderflow.atomic import atomic_dir, check_writable
from borderflow.cli_common import check_agents, parameter_draws, progress_bar, warn_overlaps
from borderflow.report.html import page
from borderflow.report.numbers import DASH, few_runs_note, interval, interval_label, number
from borderflow.scenario import load_scenario


def compare_command(a: str, b: str, runs: int, scale: int, seed: int, out: str | None,
                    parameters: str = "plausible") -> Path:
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.compare import common_span, compare
    from borderflow.ensemble.spec import RunSpec

    draws = parameter_draws(parameters)
    sa, sb = load_scenario(a), load_scenario(b)
    out_dir = Path(out) if out else Path("results") / f"compare-{sa.id}-{sb.id}"
    check_writable(out_dir, "--out", kind="replace")   # refuse before the runs, not after
    for sc in common_span(sa, sb):
        check_agents(sc, scale)
    warn_overlaps(sa, a)
    warn_overlaps(sb, b)
    console = Console(stderr=True)
    with progress_bar(console, TextColumn("[bold]{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total} runs"), label="compare: run",
                      transient=True) as bar:
        task = bar.add_task(f"{sa.id} vs {sb.id}", total=2 * runs)
        cmp = compare(sa, sb, RunSpec(runs=runs, scale=scale, seed=seed, draws=draws),
                      progress=lambda k, n: bar.update(task, completed=k))
    summary = cmp.summary()
    with atomic_dir(out_dir) as tmp:
        cmp.runs.to_parquet(tmp / "compare_runs.parquet", index=False)
        summary.to_parquet(tmp / "compare.parquet", index=False)
        cmp.monthly.to_parquet(tmp / "compare_monthly.parquet", index=False)
        _report(cmp, summary, tmp / "compare.html", runs, scale)
    Console().print(compare_table(summary, cmp.a.id, cmp.b.id, f"{cmp.a.start}..{cmp.a.end}",
                                  runs, scale))
    for note in notes(summary, runs, scale):
        Console(highlight=False).print(f"note: {note}", markup=False)
    Console(highlight=False).print(f"results in {out_dir}", markup=False)
    return out_dir


#: fewer agent deaths than this in a run and drawn deaths are mostly noise (blocks of scale)
MIN_DEATH_DRAWS = 100


def notes(summary, runs: int, scale: int) -> list[str]:
    """What a reader must know about the intervals and the deaths of a comparison."""
    out = [n for n in (few_runs_note(runs),) if n]
    dead = summary[summary["metric"] == "deaths and missing"]
    if len(dead) and min(dead["a_median"].iloc[0], dead["b_median"].iloc[0]) / scale \
            < MIN_DEATH_DRAWS:
        out.append(f"Deaths at 1:{scale} come in blocks of {scale} people and too few agents "
                   "died for drawn counts to compare: read 'expected deaths and missing' "
                   "(summed chances of dying) instead.")
    return out


def compare_table(summary, a_id: str, b_id: str, span: str, runs: int, scale: int
                  ) -> CompareTable:
    """The comparison laid out for the console's width (:class:`CompareTable`)."""
    return CompareTable(summary, a_id, b_id, span, runs, scale)


class CompareTable:
    """The comparison as console text that never wraps a number: one metric per row when
    the console is wide enough; otherwise (a pipe or a log at 80 columns) each metric's
    name on a line of its own and its numbers on the next, in fixed columns under short
    headings (A and B, named above the table)."""

    GAP = 2

    def __init__(self, summary, a_id: str, b_id: str, span: str, runs: int, scale: int):
        self.a_id, self.b_id, self.runs = a_id, b_id, runs
        self.title = (f"{b_id} minus {a_id}, {span}, {runs} runs x {scale} people per agent "
                      "(common random numbers)")
        self.rows = [(str(r.metric), number(r.a_median), number(r.b_median),
                      number(r.diff_median, signed=True),
                      interval(r.diff_p10, r.diff_p90, signed=True),
                      DASH if r.pct_change != r.pct_change else f"{r.pct_change:+.1f}")
                     for r in summary.itertuples()]

    def _widths(self, heads: tuple) -> list[int]:
        return [max([len(h)] + [len(r[k]) for r in self.rows]) for k, h in enumerate(heads)]

    def _wide(self) -> tuple[Table, int]:
        heads = ("metric", self.a_id, self.b_id, "diff.",
                 interval_label(self.runs, short=True), "%")
        need = sum(self._widths(heads)) + 2 * len(heads)
        t = Table(title=Text(self.title), box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1))
        t.add_column("metric", no_wrap=True)
        for col in heads[1:]:            # user text (scenario ids): never console markup
            t.add_column(Text(col), justify="right", no_wrap=True)
        for r in self.rows:
            t.add_row(Text(r[0]), *r[1:])
        return t, need

    def _narrow(self, width: int):
        heads = ("A", "B", "B - A", interval_label(self.runs, short=True), "%")
        widths = self._widths(("",) + heads)[1:]
        gap = " " * self.GAP

        def numbers(cells) -> str:
            return gap.join(c.rjust(w) for c, w in zip(cells, widths, strict=True))

        body = numbers(heads)
        indent = " " * max(min(width - len(body), 16), 2)
        yield Text(self.title)
        yield Text(f"A = {self.a_id}, B = {self.b_id}")
        yield Text("")
        yield Text(indent + body, style="bold")
        for r in self.rows:
            yield Text(r[0])
            yield Text(indent + numbers(r[1:]))

    def __rich_console__(self, console, options):
        table, need = self._wide()
        if need <= options.max_width:
            yield table
        else:
            yield from self._narrow(options.max_width)


def html_table(summary, runs: int) -> str:
    """The summary as an HTML table in plain formats, a dash where a value is missing."""
    heads = ["metric", "a median", "b median", "difference", interval_label(runs), "% change"]
    rows = []
    for r in summary.itertuples():
        cells = [number(r.a_median), number(r.b_median), number(r.diff_median, signed=True),
                 interval(r.diff_p10, r.diff_p90, signed=True),
                 DASH if r.pct_change != r.pct_change else f"{r.pct_change:+.1f}%"]
        rows.append("<tr><th style='text-align:left'>" + html.escape(str(r.metric)) + "</th>"
                    + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _report(cmp, summary, out: Path, runs: int, scale: int) -> None:
    m = cmp.monthly.groupby(["scenario", "month"])["encounters"]
    q = m.quantile([0.1, 0.5, 0.9]).unstack()
    fig = go.Figure()
    for sid, colour in ((cmp.a.id, "#1f77b4"), (cmp.b.id, "#d62728")):
        d = q.loc[sid]
        fig.add_scatter(x=d.index, y=d[0.9], line=dict(width=0), showlegend=False,
                        hoverinfo="skip")
        fig.add_scatter(x=d.index, y=d[0.1], fill="tonexty", line=dict(width=0), opacity=0.2,
                        name=f"{sid} {interval_label(runs)}", fillcolor=colour)
        fig.add_scatter(x=d.index, y=d[0.5], name=f"{sid} median", line=dict(color=colour))
    fig.update_layout(title="USBP Southwest encounters a month", yaxis_title="encounters",
                      yaxis_tickformat=",d", hoverlabel_namelength=-1)
    fig.update_traces(hovertemplate="%{x}: %{y:,.0f}")
    bars = go.Figure(go.Bar(x=summary["pct_change"].fillna(0), y=summary["metric"],
                            orientation="h", error_x=None,
                            text=[DASH if v != v else f"{v:+.1f}%" for v in summary["pct_change"]],
                            hovertemplate="%{y}: %{text}<extra></extra>"))
    bars.update_xaxes(ticksuffix="%", tickformat=",.0f")
    bars.update_layout(title=f"{cmp.b.id} relative to {cmp.a.id} (median, %)", height=520)
    page(f"borderflow compare: {cmp.a.id} vs {cmp.b.id}",
         [("Encounters", fig), ("Differences", bars),
          ("Table", html_table(summary, runs)
           + "".join(f"<p class='note'>{html.escape(n)}</p>"
                     for n in notes(summary, runs, scale)))], out)
