"""A calibration trial whose feedbacks explode is stopped and scored as the worst."""

from __future__ import annotations

import pytest

from borderflow.engine.simulate import RunawayRun, simulate_raw
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.validate import trial
from borderflow.validate.objective import load_targets

SPAN = ("2019-01", "2019-04")


def test_a_run_past_its_agents_stops_with_a_clear_error():
    sc = load_scenario("historical").with_span(*SPAN)
    full = simulate_raw(sc, seed=1, scale=500, parameters=shipped_parameters())
    assert full.agents > 100
    with pytest.raises(RunawayRun, match="past the 100 allowed"):
        simulate_raw(sc, seed=1, scale=500, parameters=shipped_parameters(), max_agents=100)
    again = simulate_raw(sc, seed=1, scale=500, parameters=shipped_parameters(),
                         max_agents=full.agents)
    assert again.agents == full.agents           # a cap it does not pass changes nothing


def test_a_runaway_trial_scores_worse_than_any_run(monkeypatch):
    from borderflow.validate.calibrate import default_values, full_parameters

    targets = load_targets(*SPAN)
    params = full_parameters(default_values())
    normal = trial.run_and_score(params, targets, SPAN, 500, 3)
    assert normal["objective"] < trial.RUNAWAY_OBJECTIVE
    monkeypatch.setattr(trial, "RUNAWAY_FACTOR", 0)     # every run is past its cap
    stopped = trial.run_and_score(params, targets, SPAN, 500, 3)
    assert stopped["objective"] == trial.RUNAWAY_OBJECTIVE and stopped["runaway"] == 1.0
