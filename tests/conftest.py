"""Shared fixtures: the CLI run in-process, in a scratch folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """``cli(args) -> (exit code, stdout, stderr)``: ``borderflow`` run in-process, with
    ``tmp_path`` as the working directory and an empty user data directory."""
    from borderflow import cli as cli_module

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BORDERFLOW_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("COLUMNS", "120")

    def run(args: list[str]) -> tuple[int, str, str]:
        code = 0
        try:
            cli_module.main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            seen, kept = set(), []
            for group in cli_module.app.registered_groups:  # main() registers on every call
                if group.name not in seen:
                    seen.add(group.name)
                    kept.append(group)
            cli_module.app.registered_groups[:] = kept
        out, err = capsys.readouterr()
        return code, out, err

    return run
