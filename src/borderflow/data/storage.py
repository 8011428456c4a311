"""The observations store: the bundled Parquet snapshot overlaid with the user's imports.

Layout of a store directory (bundled ``borderflow/data/snapshot/`` or the user data dir's
``observations/``): one ``<source>.parquet`` per source and a ``<source>.json`` manifest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from borderflow.data import schema
from borderflow.data.revisions import replace
from borderflow.errors import InputError

ENV_DATA_DIR = "BORDERFLOW_DATA_DIR"


def bundled_dir() -> Path:
    return Path(__file__).resolve().parent / "snapshot"


def user_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """``data_dir``, else ``$BORDERFLOW_DATA_DIR``, else ``$XDG_DATA_HOME/borderflow``
    (default ``~/.local/share/borderflow``)."""
    if data_dir:
        return Path(data_dir).expanduser()
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "borderflow"


def user_store_dir(data_dir: str | os.PathLike | None = None) -> Path:
    return user_data_dir(data_dir) / "observations"


def arrow_schema() -> pa.Schema:
    fields = []
    for col in schema.COLUMNS:
        if col in schema.TEXT_COLUMNS:
            fields.append(pa.field(col, pa.string(), nullable=False))
        elif col in schema.DATE_COLUMNS:
            fields.append(pa.field(col, pa.date32(), nullable=False))
        else:
            fields.append(pa.field(col, pa.float64(), nullable=False))
    return pa.schema(fields)


def shareable(path: str | os.PathLike) -> None:
    """Give a finished temporary file the mode a normal file would get under the umask
    (``tempfile.mkstemp`` creates 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def check_output(path: str | os.PathLike) -> Path:
    """An output file name must not be an existing directory."""
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory", file=str(p), expected="a file name to write")
    return p


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write a tidy frame as Parquet (dates as date32); ``path`` should be a temporary file."""
    table = pa.Table.from_pandas(schema.conform(df), schema=arrow_schema(), preserve_index=False)
    pq.write_table(table, path, compression="zstd", compression_level=9)


def _read_file(path: Path) -> pa.Table:
    """Read one store file; a file written before the ``url`` and ``status`` columns existed
    gets them filled with ``""``."""
    target = arrow_schema()
    try:
        present = set(pq.read_schema(path).names)
        lacking = [c for c in target.names if c not in present and c not in schema.PROVENANCE]
        if lacking:
            raise InputError(f"the observations file lacks column {lacking[0]!r}", file=str(path),
                             expected="a Parquet file written by 'borderflow data import'; "
                                      "delete it and import the source file again")
        older = [c for c in schema.PROVENANCE if c not in present]
        table = pq.read_table(path, columns=[c for c in target.names if c not in older])
        for col in older:
            table = table.append_column(col, pa.array(np.full(table.num_rows, ""), pa.string()))
        return table.select(target.names).cast(target)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"unreadable observations file ({exc})", file=str(path),
                         expected="a Parquet file written by 'borderflow data import'; delete "
                                  "it and import the source file again") from None


def _read_dir(directory: Path) -> pa.Table | None:
    files = sorted(directory.glob("*.parquet")) if directory.is_dir() else []
    tables = [_read_file(f) for f in files]
    return pa.concat_tables(tables) if tables else None


def _to_frame(table: pa.Table) -> pd.DataFrame:
    df = table.to_pandas(date_as_object=False, coerce_temporal_nanoseconds=False)
    for col in schema.DATE_COLUMNS:
        df[col] = df[col].astype(schema.DATE_DTYPE)
    return df


@dataclass
class Snapshot:
    """A loaded store and a per-series row index for fast queries."""

    table: pd.DataFrame
    rows: dict = field(default_factory=dict)

    def series_frame(self, name: str) -> pd.DataFrame:
        idx = self.rows.get(name)
        return self.table.iloc[idx] if idx is not None else self.table.iloc[:0]


def _overlay(base: pd.DataFrame, user: pd.DataFrame) -> pd.DataFrame:
    """The bundled rows without the groups the user's imports cover (see ``revisions``),
    then the user's rows."""
    both = replace(base, user)
    return both.drop_duplicates(schema.KEY, keep="last").reset_index(drop=True)


def _stamp(directory: Path) -> tuple:
    if not directory.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                        for p in directory.glob("*.parquet")))


@lru_cache(maxsize=4)
def _load(bundled: str, user: str, stamp: tuple) -> Snapshot:
    base = _read_dir(Path(bundled))
    df = _to_frame(base) if base is not None else schema.empty()
    extra = _read_dir(Path(user)) if stamp else None
    if extra is not None and extra.num_rows:
        df = _overlay(df, _to_frame(extra))
    codes, names = pd.factorize(df["series"])
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    rows = {n: order[bounds[i]:bounds[i + 1]] for i, n in enumerate(names)}
    return Snapshot(df, rows)


def snapshot(data_dir: str | os.PathLike | None = None) -> Snapshot:
    """The cached store for ``data_dir``; reloaded when the user's Parquet files change."""
    user = user_store_dir(data_dir)
    return _load(str(bundled_dir()), str(user), _stamp(user))


def store(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """All observations: the bundled snapshot with the user's imported rows replacing every
    bundled row of the (source, series, period) they cover, breakdown by breakdown for a
    series of margins (see ``borderflow.data.revisions``). Returns a copy."""
    return snapshot(data_dir).table.copy()


def clear_cache() -> None:
    _load.cache_clear()
