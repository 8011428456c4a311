"""User imports merged into the user data directory, listing and export."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from borderflow.atomic import atomic_path
from borderflow.data import build, importers, revisions, schema
from borderflow.data.sources import SOURCES
from borderflow.data.storage import (
    check_output,
    shareable,
    snapshot,
    user_store_dir,
    write_parquet,
)
from borderflow.errors import InputError


@dataclass
class Change:
    series: str
    added: int
    replaced: int
    unchanged: int
    first: str
    last: str
    removed: int = 0  # cells of a covered period and breakdown that the new file leaves out


@dataclass
class ImportReport:
    files: list[str]
    directory: Path
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # covered periods whose categories changed (El Salvador folded into Other, ...)
    revisions: list[revisions.Revision] = field(default_factory=list)


def _read_all(paths: list[Path]) -> tuple[pd.DataFrame, dict, list[str]]:
    frames, notes, origin = [], [], {}
    for path in paths:
        df = importers.detect_format(path).read(path)
        schema.validate(df, file=str(path))
        notes += [f"{path.name}: {n}" for n in df.attrs.get("notes", [])]
        for source in df["source"].unique():
            origin.setdefault(str(source), []).append(path)
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    dup = df.duplicated(schema.KEY)
    if dup.any():
        row = df[dup.to_numpy()].iloc[0]
        raise InputError(f"two of the files hold the same {row['series']!r} rows for "
                         f"{row['period_start']:%Y-%m}", file=", ".join(p.name for p in paths),
                         expected="each file once")
    return df, origin, notes


def _changes(new: pd.DataFrame, current: pd.DataFrame) -> list[Change]:
    merged = new.merge(current[schema.KEY + ["value"]], on=schema.KEY, how="left",
                       suffixes=("", "_old"), indicator=True)
    old = current[revisions.covered(current, new)]
    gone = old.merge(new[schema.KEY], on=schema.KEY, how="left", indicator=True)
    gone = gone[(gone["_merge"] == "left_only").to_numpy()]["series"].value_counts()
    out = []
    for name, part in merged.groupby("series", sort=True):
        present = (part["_merge"] == "both").to_numpy()
        same = present & (part["value"] == part["value_old"]).to_numpy()
        out.append(Change(str(name), int((~present).sum()), int((present & ~same).sum()),
                          int(same.sum()), f"{part['period_start'].min():%Y-%m}",
                          f"{part['period_end'].max():%Y-%m}", int(gone.get(name, 0))))
    return out


def _write_source(directory: Path, source: str, new: pd.DataFrame, files: list[Path]) -> None:
    target = directory / f"{source}.parquet"
    manifest_path = directory / f"{source}.json"
    old = pd.read_parquet(target) if target.exists() else schema.empty()
    # the new file replaces every earlier row of the periods and breakdowns it covers
    both = revisions.replace(schema.conform(old), new)
    both = both.drop_duplicates(schema.KEY, keep="last").reset_index(drop=True)
    both = both.sort_values(["series", "period_start", *schema.BREAKDOWN], kind="stable")
    meta = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    entries = [{**e, "imported_at": stamp}
               for e in build.file_entries(Path("/"), [str(p.resolve()) for p in files])]
    info = SOURCES[source]
    manifest = build.manifest(info, both, meta.get("files", []) + entries,
                              retrieval="imported by the user with 'borderflow data import'")
    with atomic_path(target) as tmp:
        write_parquet(both, tmp)
        shareable(tmp)
    with atomic_path(manifest_path) as tmp:
        tmp.write_text(build.dumps(manifest), encoding="utf-8")
        shareable(tmp)


def import_files(paths, data_dir=None) -> ImportReport:
    """Validate and merge official files into the user store; nothing is written unless every
    file is valid. A file replaces every earlier row of each period and series it covers
    (breakdown by breakdown for a series of margins; see ``borderflow.data.revisions``), so
    a cell it leaves out is gone. The report lists, per series, rows added, replaced,
    unchanged and removed, and each covered period whose categories changed."""
    paths = [Path(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    new, origin, notes = _read_all(paths)
    directory = user_store_dir(data_dir)
    report = ImportReport([str(p) for p in paths], directory, notes=notes)
    current = snapshot(data_dir).table
    report.changes = _changes(new, current)
    report.revisions = revisions.revisions(new, current)
    directory.mkdir(parents=True, exist_ok=True)
    for source, part in new.groupby("source", sort=True):
        _write_source(directory, str(source), part.reset_index(drop=True), origin[str(source)])
    return report


def imported_sources(data_dir=None) -> list[str]:
    """Sources the user has imported into ``data_dir`` (never the bundled snapshot)."""
    directory = user_store_dir(data_dir)
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.parquet") if p.stem in SOURCES)


def remove_imports(sources: list[str], data_dir=None) -> list[str]:
    """Undo the user's imports of ``sources`` (all of them when empty): their rows and
    manifests leave the user data directory, so the bundled snapshot shows through again.
    The bundled snapshot itself is never touched. Returns the sources removed."""
    have = imported_sources(data_dir)
    wanted = list(dict.fromkeys(sources)) or have
    unknown = [s for s in wanted if s not in have]
    if unknown:
        where = ", ".join(have) if have else "none (nothing has been imported)"
        bundled = " (it is part of the bundled snapshot, which is never removed)" \
            if unknown[0] in SOURCES else ""
        raise InputError(f"no imported data for source {unknown[0]!r}{bundled}",
                         file=str(user_store_dir(data_dir)), field="source",
                         expected=f"a source imported by the user: {where}")
    directory = user_store_dir(data_dir)
    for source in wanted:
        for suffix in (".json", ".parquet"):
            (directory / f"{source}{suffix}").unlink(missing_ok=True)
    return wanted


def list_series(data_dir=None) -> pd.DataFrame:
    """One row per series: source, frequency, first and last period, rows, unit."""
    df = snapshot(data_dir).table
    grouped = df.groupby(["series", "source"], sort=True)
    out = grouped.agg(frequency=("frequency", lambda f: "/".join(sorted(f.unique()))),
                      first=("period_start", "min"),
                      last=("period_end", "max"), rows=("value", "size"), unit=("unit", "first"))
    return out.reset_index()


def export(path, fmt: str = "csv", series: list[str] | None = None, data_dir=None) -> int:
    """Write the (overlaid) store, or some series of it, to ``path``; returns rows written."""
    if fmt not in ("csv", "parquet"):
        raise InputError(f"unknown format {fmt!r}", field="format", expected="csv or parquet")
    check_output(path)
    df = snapshot(data_dir).table
    if series:
        unknown = sorted(set(series) - set(df["series"].unique()))
        if unknown:
            raise InputError(f"unknown series {unknown[0]!r}", field="series",
                             expected="names from 'borderflow data list'")
        df = df[df["series"].isin(series).to_numpy()]
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            write_parquet(df, tmp)
        else:
            out = df.copy()
            for col in schema.DATE_COLUMNS:
                out[col] = out[col].dt.strftime("%Y-%m-%d")
            out.to_csv(tmp, index=False, lineterminator="\n")
        shareable(tmp)
    return len(df)
