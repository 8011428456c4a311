"""The output contract of `borderflow run` (columns and values), through the CLI."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from borderflow.engine.constants import CAUSES, MX_MEASURES, STATES
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    cmd = [sys.executable, "-m", "borderflow.cli", "run", "--scale", "200", "--start", "2019-01",
           "--end", "2019-04", "--seed", "3", "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "USBP Southwest encounters" in proc.stdout
    return out


def test_files(run_dir):
    for name in ("encounters.parquet", "mexico.parquet", "deaths.parquet", "ledger.parquet",
                 "meta.json", "report.html"):
        assert (run_dir / name).is_file(), name


def test_encounters_columns_and_values(run_dir):
    df = pd.read_parquet(run_dir / "encounters.parquet")
    assert list(df.columns) == ["month", "component", "sector", "citizenship", "demographic",
                                "authority", "encounters"]
    assert set(df["month"]) == {"2019-01", "2019-02", "2019-03", "2019-04"}
    assert set(df["component"]) <= {"USBP", "OFO"}
    assert set(df["sector"]) <= set(SECTORS)
    assert set(df["citizenship"]) <= set(NATIONALITIES)
    assert set(df["demographic"]) <= set(DEMOGRAPHICS)
    assert set(df["authority"]) <= {"Title 8", "Title 42"}
    assert df["encounters"].dtype.kind == "i" and (df["encounters"] > 0).all()
    assert (df["encounters"] % 200 == 0).all()  # every agent stands for `scale` people


def test_other_tables(run_dir):
    mx = pd.read_parquet(run_dir / "mexico.parquet")
    assert list(mx.columns) == ["month", "measure", "citizenship", "people"]
    assert set(mx["measure"]) <= set(MX_MEASURES)
    assert "Mexico" not in set(mx.loc[mx["measure"] == "apprehended", "citizenship"])
    deaths = pd.read_parquet(run_dir / "deaths.parquet")
    assert list(deaths.columns) == ["month", "place", "lat", "lon", "cause", "deaths"]
    assert set(deaths["cause"]) <= set(CAUSES)
    cr = pd.read_parquet(run_dir / "crossings.parquet")
    assert list(cr.columns) == ["month", "crossing", "sector", "kind", "people",
                                "expected_deaths"]
    assert set(cr["kind"]) <= {"urban", "remote", "port", ""}
    inside = cr[cr["kind"] == ""]                # segments inside Mexico: their risk only
    assert (inside["people"] == 0).all() and (inside["expected_deaths"] > 0).all()
    assert (cr["expected_deaths"] >= 0).all() and cr["expected_deaths"].sum() > 0
    ledger = pd.read_parquet(run_dir / "ledger.parquet")
    assert list(ledger.columns) == ["date", "state", "people"]
    assert set(ledger["state"]) == set(STATES)
    assert ledger["date"].min() == "2019-01-01" and ledger["date"].max() == "2019-04-30"


def test_meta(run_dir):
    meta = json.loads((run_dir / "meta.json").read_text())
    for key in ("version", "scenario", "scenario_hash", "seed", "scale", "agents", "agent_steps",
                "wall_seconds"):
        assert key in meta
    assert meta["scale"] == 200 and meta["seed"] == 3 and meta["agent_steps"] > meta["agents"] > 0


def test_report_is_offline(run_dir):
    import re

    html = (run_dir / "report.html").read_text()
    # nothing is loaded from elsewhere: every script is inline
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    assert "Plotly.newPlot" in html
