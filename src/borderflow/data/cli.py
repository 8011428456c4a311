"""`borderflow data ...`: list, show, import and export the bundled official observations."""

from __future__ import annotations

import json
from fnmatch import fnmatch
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from borderflow.atomic import check_writable
from borderflow.data import schema
from borderflow.errors import InputError
from borderflow.safeprint import plain as _e

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Bundled official observations: list, show, import, export.")
console = Console(highlight=False, markup=False)  # user text (paths, cells) is never markup
DataDir = Annotated[Path | None, typer.Option(
    "--data-dir", help="User data directory (default $BORDERFLOW_DATA_DIR or "
    "~/.local/share/borderflow).")]


def _fmt(value: float) -> str:
    if value != value:  # NaN
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _period_label(df):
    freq = df["frequency"].to_numpy()
    start = df["period_start"]
    labels = start.dt.strftime("%Y-%m").to_numpy().astype(object)
    for code, fmt in (("A", "%Y"), ("Q", "%Y-Q")):
        mask = freq == code
        labels[mask] = start[mask].dt.strftime(fmt).to_numpy()
    quarter = freq == "Q"
    labels[quarter] = [f"{t}{(m - 1) // 3 + 1}" for t, m in
                       zip(labels[quarter], start[quarter].dt.month, strict=True)]
    fy = freq == "FY"
    labels[fy] = [f"FY{y + 1}" for y in start[fy].dt.year]
    other = freq == "P"
    labels[other] = [f"{a:%Y-%m-%d}" + ("" if a == b else f"..{b:%Y-%m-%d}") for a, b in
                     zip(start[other], df["period_end"][other], strict=True)]
    return labels


@app.command("list")
def list_cmd(pattern: Annotated[str, typer.Argument(help="Only series matching this glob.")] = "*",
             data_dir: DataDir = None) -> None:
    """List the series in the store with coverage, source and row count."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data.userstore import list_series

    df = list_series(data_dir)
    df = df[[fnmatch(s, pattern) for s in df["series"]]]
    console.print(list_table(df))


def list_table(df) -> Table:
    """Series grouped under their source, so the table fits 80 columns: names fold only when
    longer than the screen allows, dates and counts never wrap."""

    table = Table(title="borderflow observations", box=box.SIMPLE_HEAD, show_edge=False,
                  padding=(0, 1))
    table.add_column("source / series", overflow="fold", ratio=1)
    table.add_column("freq", no_wrap=True)
    table.add_column("coverage", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    for k, (source, part) in enumerate(df.groupby("source", sort=True)):
        if k:
            table.add_section()
        table.add_row(Text(str(source), style="bold"), "", "", "")
        for row in part.itertuples():
            table.add_row(Text("  " + str(row.series)), row.frequency,
                          f"{row.first:%Y-%m}..{row.last:%Y-%m}", f"{row.rows:,}")
    return table


def _wide_or_long(obs, col: str, top: int):
    totals = obs.groupby(col)["value"].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    return obs[obs[col].isin(keep)], keep, len(totals) - len(keep)


def _cell_width(texts) -> int:
    return max((len(str(t)) for t in texts), default=0) + 3


def _grid(title: str, corner: str, columns, rows) -> Table:
    table = Table(title=_e(title), min_width=len(title) + 4)
    table.add_column(_e(corner), no_wrap=True)
    for name in columns:
        table.add_column(_e(str(name) or "(none)"), justify="right", no_wrap=True)
    for label, cells in rows:
        table.add_row(_e(str(label) or "(none)"), *[_fmt(v) for v in cells])
    return table


def _breakdown_table(obs, series: str, col: str, by: str, top: int) -> Table:
    shown, keep, dropped = _wide_or_long(obs, col, top)
    wide = shown.pivot_table(index="period", columns=col, values="value", aggfunc="sum",
                             sort=False).reindex(columns=keep)
    value_width = _cell_width(_fmt(v) for v in shown["value"]) + 1
    width = console.width
    if 12 + sum(max(_cell_width([k]), value_width) for k in keep) <= width:
        table = _grid(series, "period", keep, wide.iterrows())
    elif _cell_width(keep) + len(wide) * max(value_width, 11) <= width:
        table = _grid(series, by, wide.index, wide.T.iterrows())
    else:
        table = Table(title=_e(series), min_width=len(series) + 4)
        for name in ("period", by, "value"):
            table.add_column(_e(name), justify="right" if name == "value" else "left")
        for row in shown.itertuples():
            table.add_row(_e(row.period), _e(str(getattr(row, col)) or "(none)"), _fmt(row.value))
    if dropped:
        table.caption = _e(f"{dropped} smaller {by} groups not shown (use --top)")
    return table


def _show_table(obs, series: str, col: str | None, by: str | None, top: int) -> Table:
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data import catalog

    obs = obs.assign(period=_period_label(obs))
    if col is not None:
        return _breakdown_table(obs, series, col, by, top)
    table = Table(title=_e(series), min_width=len(series) + 4)
    table.add_column("period", no_wrap=True)
    # Records (ref_*, transcribed figures) show their breakdown and where they were read.
    extra = [c for c in schema.BREAKDOWN + schema.PROVENANCE if (obs[c] != "").any()]
    label = {column: name for name, column in catalog.info(series).aliases}
    for name in extra:
        table.add_column(label.get(name, name), overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    for row in obs.itertuples():
        table.add_row(_e(row.period), *[_e(getattr(row, c)) for c in extra], _fmt(row.value))
    return table


@app.command("show")
def show_cmd(
    series: Annotated[str, typer.Argument(help="Series name (see 'borderflow data list').")],
    by: Annotated[str | None, typer.Option("--by", help="sector, citizenship, demographic, "
                                           "authority, criminality (ICE detention) or a "
                                           "geography level of the series.")
                  ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    plot: Annotated[Path | None, typer.Option("--plot", help="Write a chart (.html or .png).")
                    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Largest groups shown with --by.")
                   ] = 10,
    data_dir: DataDir = None,
) -> None:
    """Show a series as a table, optionally broken down and plotted."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data import catalog, query
    from borderflow.data import plot as plotting

    if plot is not None:
        plotting.check_target(plot)
    obs = query.observations(series, by=by, start=start, end=end, data_dir=data_dir)
    info = catalog.info(series)
    col = query._resolve(by, info)[0] if by else None
    console.print(_show_table(obs, series, col, by, top))
    if plot is not None:
        frame = obs.assign(period=obs["period_start"])
        if col is not None:
            frame = _wide_or_long(frame, col, top)[0].rename(columns={col: by})
        written = plotting.write_chart(frame, "period", by, info.title, info.unit, plot)
        console.print(_e(f"chart written to {written}"))


@app.command("import")
def import_cmd(files: Annotated[list[Path], typer.Argument(help="Official CSV files to import.")],
               data_dir: DataDir = None) -> None:
    """Detect, validate and merge official files into the user data directory."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data.userstore import import_files

    report = import_files(files, data_dir)
    # no vertical rules: series names and periods stay on one line at 80 columns
    table = Table(title=_e(f"imported into {report.directory}"), box=None,
                  pad_edge=False, collapse_padding=True)
    for col in ("series", "added", "replaced", "unchanged", "removed", "periods"):
        table.add_column(col, justify="left" if col in ("series", "periods") else "right",
                         no_wrap=col in ("series", "periods"))
    for c in report.changes:
        table.add_row(_e(c.series), f"{c.added:,}", f"{c.replaced:,}", f"{c.unchanged:,}",
                      f"{c.removed:,}", _e(f"{c.first} .. {c.last}"))
    console.print(table)
    if report.revisions:
        console.print("revised categories (each period is replaced as a whole; old total -> "
                      "new total):")
        for r in report.revisions:
            change = "; ".join(part for part in (
                r.removed and f"removed {r.removed}", r.added and f"added {r.added}") if part)
            console.print(_e(f"  {r.month} {r.series}: {r.old_total:,.0f} -> "
                             f"{r.new_total:,.0f}; {change}"), soft_wrap=True)
    for note in report.notes:
        console.print(_e(f"note: {note}"))


@app.command("remove")
def remove_cmd(sources: Annotated[list[str] | None, typer.Argument(
                   help="Sources to remove (see 'borderflow data sources'); all imports when "
                        "none is given with --all.")] = None,
               all_: Annotated[bool, typer.Option("--all", help="Remove every import.")] = False,
               data_dir: DataDir = None) -> None:
    """Undo imports: drop the rows you imported for these sources (the bundled snapshot stays)."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data.userstore import imported_sources, remove_imports

    if not sources and not all_:
        have = ", ".join(imported_sources(data_dir)) or "none"
        raise InputError("name the sources to remove, or pass --all", field="sources",
                         expected=f"one or more imported sources (imported: {have})")
    if sources and all_:
        raise InputError("give sources or --all, not both", field="--all")
    removed = remove_imports(sources or [], data_dir)
    if not removed:
        console.print("nothing to remove: no imports in the user data directory")
    for source in removed:
        console.print(f"removed the imported rows of {source}; the bundled snapshot applies again",
                      markup=False)


@app.command("export")
def export_cmd(out: Annotated[Path, typer.Option("--out", help="Output file.")],
               fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
               series: Annotated[list[str] | None, typer.Option(
                   "--series", help="Only these series (repeatable).")] = None,
               data_dir: DataDir = None) -> None:
    """Export the store (bundled + imported) as CSV or Parquet."""
    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data.userstore import export

    if fmt not in ("csv", "parquet"):
        raise InputError(f"unknown format {fmt!r}", field="--format", expected="csv or parquet")

    check_writable(out, "--out", kind="file")      # before reading the store
    rows = export(out, fmt, series or None, data_dir)
    console.print(_e(f"wrote {rows:,} rows to {out}"))


@app.command("sources")
def sources_cmd(data_dir: DataDir = None) -> None:
    """Show where each source comes from (publisher, files, sha256)."""

    # lazy: the command's code loads only when it runs (fast --help)
    from borderflow.data.storage import bundled_dir, user_store_dir

    table = Table(title="sources")
    for col in ("source", "publisher", "rows", "coverage", "files (sha256)", "where"):
        table.add_column(col)
    for where, directory in (("bundled", bundled_dir()), ("user", user_store_dir(data_dir))):
        for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            m = json.loads(path.read_text("utf-8"))
            files = "\n".join(f"{f['name']} ({f['sha256'][:12]})" for f in m["files"][:4])
            more = len(m["files"]) - 4
            files += f"\n... and {more} more" if more > 0 else ""
            cov = f"{m['coverage']['first'][:7]} .. {m['coverage']['last'][:7]}"
            table.add_row(_e(m["source"]), _e(m["publisher"]), f"{m['rows']:,}", _e(cov), _e(files),
                          where)
    console.print(table)
