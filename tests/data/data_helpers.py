"""Helpers for the data-layer tests (imported by conftest.py and test modules)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def find_raw_dir() -> Path | None:
    """The shared raw folder: $BORDERFLOW_RAW_DIR, ../shared/data/raw beside the repo root,
    or /work/shared/data/raw."""
    candidates = [os.environ.get("BORDERFLOW_RAW_DIR"), REPO.parent / "shared" / "data" / "raw",
                  "/work/shared/data/raw"]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None


def tree_digest(directory: Path) -> dict:
    """File name -> sha256 for everything under ``directory`` (empty if it does not exist)."""
    if not directory.exists():
        return {}
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Run ``borderflow`` in-process; returns (exit code, stdout, stderr)."""
    from borderflow import cli

    code = 0
    try:
        cli.main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        _dedupe_groups(cli.app)
    out, err = capsys.readouterr()
    return code, out, err


def _dedupe_groups(app) -> None:
    """``borderflow.cli.main`` registers its sub-apps on every call; keep one of each so that
    hundreds of in-process calls do not slow down."""
    seen, kept = set(), []
    for group in app.registered_groups:
        if group.name not in seen:
            seen.add(group.name)
            kept.append(group)
    app.registered_groups[:] = kept


def write_file(folder, name, text):
    """Write ``text`` to ``folder/name`` (UTF-8) and return the path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
