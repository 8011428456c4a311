"""Importing each shared raw file reproduces the bundled store rows of its source."""

from __future__ import annotations

import pandas as pd
import pytest

from borderflow.data import build, importers, schema
from borderflow.data.sources import SOURCES
from borderflow.data.storage import bundled_dir

BUNDLED = [s for s in SOURCES.values() if s.raw_files]


@pytest.mark.parametrize("source", BUNDLED, ids=[s.id for s in BUNDLED])
def test_raw_files_reproduce_bundled_rows(source, raw_dir):
    bundled = pd.read_parquet(bundled_dir() / f"{source.id}.parquet")
    bundled = schema.conform(bundled)
    parts = []
    for rel in source.raw_files:
        path = raw_dir / rel
        assert importers.detect_format(path).__name__.rsplit(".", 1)[1] in importers._MODULES
        parts.append(build.apply_cutoff(importers.read_any(path)))
    rebuilt = pd.concat(parts, ignore_index=True)
    order = ["series", "period_start", "period_end", *schema.BREAKDOWN]
    rebuilt = rebuilt.sort_values(order, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt, bundled, check_exact=True)


@pytest.mark.parametrize("source", BUNDLED, ids=[s.id for s in BUNDLED])
def test_manifest_sha256_matches_raw(source, raw_dir):
    import json

    manifest = json.loads((bundled_dir() / f"{source.id}.json").read_text())
    for entry in manifest["files"]:
        assert build.sha256(raw_dir / entry["path"]) == entry["sha256"], entry["path"]
