"""Building the bundled snapshot from the shared raw folder (used by scripts/build_snapshot.py
and by the tests that check the snapshot reproduces from the raw files)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.data import importers, schema
from borderflow.data.sources import Source

# The shared raw files end at 31 January 2024 (later months are withheld for evaluation); rows
# whose period ends later (e.g. the Q1-2024 remittance quarter) would leak withheld months.
CUTOFF = "2024-11-30"
#: the last month of the bundled observations: the end of the calibration and validation span
OBSERVED_END = CUTOFF[:7]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def apply_cutoff(df: pd.DataFrame, cutoff: str = CUTOFF) -> pd.DataFrame:
    keep = df["period_end"] <= np.datetime64(cutoff)
    return df[keep.to_numpy()].reset_index(drop=True)


def read_source(source: Source, raw_dir: Path, cutoff: str = CUTOFF) -> pd.DataFrame:
    """Import every raw file of ``source`` (format detected from its header) and combine."""
    frames = []
    for rel in source.raw_files:
        df = importers.read_any(raw_dir / rel)
        frames.append(df[df["source"] == source.id])
    df = pd.concat(frames, ignore_index=True)
    schema.validate(df, file=source.id)
    order = ["series", "period_start", "period_end", *schema.BREAKDOWN]
    return apply_cutoff(df, cutoff).sort_values(order, kind="stable").reset_index(drop=True)


def coverage(df: pd.DataFrame) -> dict:
    return {"first": f"{df['period_start'].min():%Y-%m-%d}",
            "last": f"{df['period_end'].max():%Y-%m-%d}"}


def series_summary(df: pd.DataFrame) -> dict:
    out = {}
    for name, part in df.groupby("series", sort=True):
        out[str(name)] = {"rows": int(len(part)), "frequency": str(part["frequency"].iloc[0]),
                          **coverage(part)}
    return out


def manifest(source: Source, df: pd.DataFrame, files: list[dict], **extra) -> dict:
    return {"source": source.id, "publisher": source.publisher, "title": source.title,
            "url": source.url, "licence": source.licence, "retrieval": source.retrieval,
            "files": files, "rows": int(len(df)), "coverage": coverage(df),
            "series": series_summary(df), **extra}


def file_entries(raw_dir: Path, rels) -> list[dict]:
    return [{"name": Path(rel).name, "path": rel, "bytes": (raw_dir / rel).stat().st_size,
             "sha256": sha256(raw_dir / rel)} for rel in rels]


def dumps(obj: dict) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
