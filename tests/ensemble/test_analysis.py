"""Sensitivity, exploration and the EMA Workbench adapter, at toy size."""

import json

import numpy as np
import pytest

from borderflow.ensemble.explore import lhs, prim_boxes, run_explore
from borderflow.ensemble.factors import FACTORS, apply_factors
from borderflow.ensemble.runner import RunSpec, SequentialExecutor
from borderflow.ensemble.sensitivity import run_sensitivity
from borderflow.errors import InputError
from borderflow.scenario.registry import LEVERS, PARAMETERS

TINY = FACTORS[:2]


@pytest.fixture(scope="module")
def tiny_sc(small_sc):
    return small_sc.with_span("2019-01", "2019-02")


def test_factors_are_declared_and_apply(small_sc):
    for f in FACTORS:
        reg = LEVERS if f.kind == "lever" else PARAMETERS
        assert f.name in reg and f.low < f.high
        lo, hi = reg[f.name].bounds
        assert lo <= f.low and f.high <= hi
    sc = apply_factors(small_sc, {"pull_elasticity": 2.0, "us_bp_posture": 1.5})
    assert sc.parameters["pull_elasticity"].value == 2.0
    with pytest.raises(InputError):
        apply_factors(small_sc, {"nonsense": 1.0})


def test_lhs_within_bounds():
    x = lhs(20, 0)
    assert x.shape == (20, len(FACTORS))
    for j, f in enumerate(FACTORS):
        assert (x[:, j] >= f.low).all() and (x[:, j] <= f.high).all()
    np.testing.assert_array_equal(x, lhs(20, 0))


def test_prim_finds_planted_box():
    pytest.importorskip("ema_workbench")
    import pandas as pd

    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.random((300, 3)), columns=["a", "b", "c"])
    y = ((x.a > 0.6) & (x.b < 0.4)).to_numpy()
    _, limits, stats = prim_boxes(x, y)
    lim = limits.set_index("factor")
    assert lim.loc["a", "min"] > 0.5 and lim.loc["b", "max"] < 0.5
    assert not lim.loc["c", "restricted"] and stats["density"] >= 0.8


def test_sensitivity_writes_outputs(tiny_sc, tmp_path):
    res = run_sensitivity(
        RunSpec(tiny_sc, scale=200, executor=SequentialExecutor()),
        method="morris",
        n=2,
        out_dir=tmp_path,
        factors=TINY,
    )
    assert res["runs"] == 2 * (len(TINY) + 1)
    for f in ("indices.csv", "indices.json", "samples.csv", "sensitivity.html"):
        assert (tmp_path / f).stat().st_size > 0
    meta = json.loads((tmp_path / "indices.json").read_text())
    assert {r["factor"] for r in meta["indices"]} == {f.name for f in TINY}
    assert "plotly" in (tmp_path / "sensitivity.html").read_text()[:200000].lower()
    with pytest.raises(InputError):
        run_sensitivity(RunSpec(tiny_sc, scale=100), method="sobol", n=3, factors=TINY)


def test_explore_writes_boxes(tiny_sc, tmp_path):
    pytest.importorskip("ema_workbench")
    res = run_explore(
        RunSpec(tiny_sc, scale=200, executor=SequentialExecutor()),
        n=8,
        outcome="usbp_encounters",
        out_dir=tmp_path,
        factors=TINY,
    )
    assert len(res["sweep"]) == 8 and (tmp_path / "boxes.json").exists()
    meta = json.loads((tmp_path / "boxes.json").read_text())
    assert meta["threshold"] == res["threshold"] and meta["prim"].startswith("ema_workbench")
    if 0 < res["cases"] < 8:
        assert (tmp_path / "explore.html").exists() and (tmp_path / "boxes.csv").exists()


def test_workbench_adapter(tiny_sc):
    ema = pytest.importorskip("ema_workbench")
    from borderflow.ensemble.workbench import borderflow_model

    m = borderflow_model(start="2019-01", end="2019-02", scale=200)
    assert {u.name for u in m.uncertainties} == {f.name for f in FACTORS if f.kind == "parameter"}
    assert {lv.name for lv in m.levers} == {f.name for f in FACTORS if f.kind == "lever"}
    with ema.SequentialEvaluator(m) as ev:
        ex, out = ema.perform_experiments(m, scenarios=2, policies=1, evaluator=ev)
    assert len(ex) == 2 and out["usbp_encounters"].shape == (2,)
    assert (out["usbp_encounters"] > 0).all()
