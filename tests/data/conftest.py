"""Fixtures for the data-layer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from data_helpers import find_raw_dir


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    found = find_raw_dir()
    if found is None:
        pytest.skip("shared raw data folder not found (expected ../shared/data/raw beside the "
                    "repository root, or set BORDERFLOW_RAW_DIR)")
    return found


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """An empty user data folder for the test (``BORDERFLOW_DATA_DIR``)."""
    directory = tmp_path / "user"
    monkeypatch.setenv("BORDERFLOW_DATA_DIR", str(directory))
    return directory
