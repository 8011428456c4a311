"""The fitted parameter set is an explicit input of the engine (the shipped calibration is
only the API's and the commands' default)."""

import ast
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from borderflow.api import simulate
from borderflow.cli import app, main
from borderflow.engine.levers import resolve_parameters
from borderflow.ensemble import RunSpec
from borderflow.ensemble.runner import run_attrs
from borderflow.errors import InputError
from borderflow.scenario import load_scenario, scenario_hash
from borderflow.scenario.calibrated import ParameterSet, load_parameters, shipped_parameters

ENGINE = Path(__file__).resolve().parents[2] / "src" / "borderflow" / "engine"
READERS = {"calibrated_values", "calibrated_document", "calibration_sha256",
           "shipped_parameters", "calibration_fit_document"}


def test_no_engine_module_reads_the_shipped_calibration():
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "borderflow.scenario.calibrated":
                assert not {a.name for a in node.names} & READERS, path.name
            if isinstance(node, ast.Import | ast.ImportFrom):
                assert "borderflow.scenario" != getattr(node, "module", None) or all(
                    a.name != "calibrated" for a in node.names), path.name


def test_the_set_given_is_the_set_read_and_hashed():
    sc = load_scenario("historical").with_span("2023-01", "2023-02")
    shipped = shipped_parameters()
    other = ParameterSet({**shipped.values, "pull_elasticity": 2.0}, "f" * 64, "test set")
    assert resolve_parameters(sc, other)["pull_elasticity"] == 2.0
    assert resolve_parameters(sc, shipped)["pull_elasticity"] == shipped.values[
        "pull_elasticity"]
    assert scenario_hash(sc, other) != scenario_hash(sc, shipped) == scenario_hash(sc)
    a = simulate(sc, seed=3, scale=2000)
    b = simulate(sc, seed=3, scale=2000, parameters=other)
    assert a.meta["calibration_sha256"] == shipped.sha256
    assert b.meta["calibration_sha256"] == "f" * 64
    assert not np.array_equal(a.encounters()["encounters"], b.encounters()["encounters"])


def test_a_calibration_file_is_a_parameter_set_runs_and_ensembles_read(tmp_path, capsys):
    """``load_parameters`` reads what ``borderflow calibrate --out`` writes; ``run`` and
    ``ensemble --calibration`` read it, and its sha256 is in the result's hash."""
    shipped = shipped_parameters()
    path = tmp_path / "calibrated.json"
    path.write_text(json.dumps({"parameters": {**shipped.values, "pull_elasticity": 2.0}}))
    p = load_parameters(path)
    assert p.values["pull_elasticity"] == 2.0
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    sc = load_scenario("historical").with_span("2023-01", "2023-02")
    assert run_attrs(sc, 0, 50, (), p)["scenario_hash"] == scenario_hash(sc, p)
    assert RunSpec(sc, parameters=p).parameters is p
    out = tmp_path / "run"
    r = CliRunner().invoke(app, ["run", "--start", "2023-01", "--end", "2023-02", "--scale",
                                 "2000", "--no-report", "--out", str(out),
                                 "--calibration", str(path)])
    assert r.exit_code == 0, r.output
    assert json.loads((out / "meta.json").read_text())["calibration_sha256"] == p.sha256

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"parameters": {"pull_elasticity": -5.0}}))
    with pytest.raises(InputError, match="bad.json"):
        load_parameters(bad)
    bad.write_text("{}")
    with pytest.raises(InputError, match="parameters"):
        load_parameters(bad)
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--calibration", str(tmp_path / "none.json"), "--out",
              str(tmp_path / "x")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "none.json" in err and "--calibration" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()
