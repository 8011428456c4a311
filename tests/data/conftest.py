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
