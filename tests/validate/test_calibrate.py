"""Calibration: same trials for 1 and 2 workers; an interrupted study resumes."""

import json

import pytest

from borderflow.ensemble.runner import SequentialExecutor, make_executor
from borderflow.scenario.model import Latent
from borderflow.scenario.registry import NATIONALITIES
from borderflow.validate.calibrate import calibrate, optimise
from borderflow.validate.objective import load_targets

SPAN = ("2023-09", "2024-01")
KW = dict(scale=500, seed=3, span=SPAN, batch=2)


def _trials(study):
    return [(t.number, t.state.name, t.value, tuple(sorted(t.params.items())))
            for t in study.trials]


@pytest.fixture(scope="module")
def targets():
    return load_targets(*SPAN)


@pytest.mark.slow
def test_one_and_two_workers_agree(tmp_path, targets):
    a = optimise(SequentialExecutor(), 4, storage=tmp_path / "a.db", targets=targets, **KW)
    with make_executor(2) as ex:
        b = optimise(ex, 4, storage=tmp_path / "b.db", targets=targets, **KW)
    assert _trials(a) == _trials(b)
    assert len(a.trials) == 4


def test_resume_reuses_trials(tmp_path, targets):
    db = tmp_path / "s.db"
    first = _trials(optimise(SequentialExecutor(), 2, storage=db, targets=targets, **KW))
    assert len(first) == 2
    resumed = _trials(optimise(SequentialExecutor(), 4, storage=db, targets=targets, **KW))
    assert len(resumed) == 4 and resumed[:2] == first
    straight = _trials(optimise(SequentialExecutor(), 4, storage=tmp_path / "t.db",
                                targets=targets, **KW))
    assert resumed == straight   # interrupting changes nothing


def test_interrupted_trial_is_reevaluated(tmp_path, targets):
    import optuna

    from borderflow.validate.calibrate import _distributions

    db = tmp_path / "i.db"
    optimise(SequentialExecutor(), 2, storage=db, targets=targets, **KW)
    study = optuna.load_study(study_name=f"borderflow-{SPAN[0]}-{SPAN[1]}-scale500-seed3",
                              storage=f"sqlite:///{db}")
    study.ask(_distributions())          # asked, never told: an interrupted run
    s = optimise(SequentialExecutor(), 3, storage=db, targets=targets, **KW)
    assert [t.state.name for t in s.trials] == ["COMPLETE"] * 3


def test_calibrate_writes_files(tmp_path):
    doc = calibrate(SequentialExecutor(), 2, storage=tmp_path / "c.db", sector_steps=1,
                    out=tmp_path / "calibrated.json", fit_out=tmp_path / "fit.json",
                    doc_out=tmp_path / "calibration.md", latent_iterations=1,
                    latent_scale=500, **KW)
    saved = json.loads((tmp_path / "calibrated.json").read_text())
    assert saved["parameters"] == doc["parameters"]
    lat = Latent.model_validate(saved["latent"])          # the residual series ship too
    assert len(lat.knots) == 2 and set(lat.push) == set(NATIONALITIES)   # 3 + 2 months
    assert any(v != [1.0, 1.0] for v in lat.push.values())  # one fitting step moved them
    stage = saved["fit"]["latent_stage"]
    assert [h["iteration"] for h in stage["history"]] == [0, 1]
    assert "total_mape" in saved["fit"]["structural"]
    assert set(saved["parameters"]["base_departures"]) >= {"Mexico", "Other"}
    assert saved["fit"]["n_fitted"] == 25
    assert "Before" in (tmp_path / "calibration.md").read_text()
