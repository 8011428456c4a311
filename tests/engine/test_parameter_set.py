"""The fitted parameter set is an explicit input of the engine (the shipped calibration is
only the API's and the commands' default)."""

import ast
from pathlib import Path

import numpy as np

from borderflow.api import simulate
from borderflow.engine.levers import resolve_parameters
from borderflow.scenario import load_scenario, scenario_hash
from borderflow.scenario.calibrated import ParameterSet, shipped_parameters

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
