"""Members draw the fitted numbers from the plausible trials (issue: parameter uncertainty
in every band)."""

import json

import numpy as np
import pytest

from borderflow.ensemble.runner import (
    SequentialExecutor,
    member_draw,
    member_scenario,
    run_attrs,
    run_ensemble,
)
from borderflow.ensemble.spec import RunSpec
from borderflow.scenario import load_scenario
from borderflow.scenario.model import Parameter
from borderflow.validate.documents import SPACE
from borderflow.validate.origin import shipped_fitted
from borderflow.validate.parameters import full_parameters, plausible_draws, scenario_draws


def _trial(number, value, **over):
    params = {n: (lo * hi) ** 0.5 if log else (lo + hi) / 2 for n, lo, hi, log in SPACE}
    params.update(over)
    return {"number": number, "value": value, "params": params, "state": "COMPLETE"}


def test_only_plausible_trials_are_drawn_with_the_points_sector_constants():
    trials = [_trial(0, 2.0, pull_elasticity=0.5), _trial(1, 2.05, pull_elasticity=0.9),
              _trial(2, 2.5, pull_elasticity=3.0), {"number": 3, "value": None,
                                                    "params": {}, "state": "FAIL"}]
    point = full_parameters(trials[0]["params"], {"Yuma, AZ": 0.7})
    draws = plausible_draws(trials, 0.03, point)          # cut: 2.0 + 3 x 0.03 = 2.09
    assert [d["pull_elasticity"] for d in draws] == [0.5, 0.9]
    assert all(d["sector_preference"] == point["sector_preference"] for d in draws)
    assert plausible_draws(trials, None, point) == ()


def test_shipped_members_differ_in_their_parameters():
    fitted = shipped_fitted()
    assert len(fitted.draws) >= 2
    sc = load_scenario("historical").with_span("2023-01", "2023-02")
    drawn = [member_scenario(sc, fitted.draws, 0, i) for i in range(10)]
    sets = {json.dumps({k: v.value for k, v in m.parameters.items()}, sort_keys=True,
                       default=str) for m in drawn}
    assert len(sets) >= 3
    # keyed by (seed, member): the same member of the same seed takes the same set
    assert [member_draw(0, i, 26) for i in range(10)] == [member_draw(0, i, 26)
                                                          for i in range(10)]
    assert [member_draw(0, i, 26) for i in range(10)] != [member_draw(1, i, 26)
                                                          for i in range(10)]


def test_a_scenarios_own_parameter_is_never_drawn():
    sc = load_scenario("historical")
    own = sc.model_copy(update={"parameters": {**sc.parameters, "pull_elasticity": Parameter(
        value=2.0, source="test")}})
    draws = scenario_draws(own, shipped_fitted().draws)
    assert all("pull_elasticity" not in d for d in draws)
    assert all("border_response" in d for d in draws)


def test_draws_enter_the_hash_and_the_runs():
    sc = load_scenario("historical").with_span("2023-10", "2023-12")
    draws = shipped_fitted().draws
    assert run_attrs(sc, 0, 2000)["scenario_hash"] != run_attrs(sc, 0, 2000, draws)[
        "scenario_hash"]
    run = RunSpec(sc, runs=3, scale=2000, seed=0, executor=SequentialExecutor())
    point = run_ensemble(run)
    drawn = run_ensemble(RunSpec(sc, runs=3, scale=2000, seed=0, draws=draws,
                                 executor=SequentialExecutor()))
    assert drawn.attrs["parameter_draws"] == len(draws)
    assert any(not np.array_equal(point[v].values, drawn[v].values) for v in point.data_vars)


@pytest.mark.parametrize("mode", ["plausible", "point"])
def test_forecast_states_how_members_take_parameters(mode):
    from borderflow.validate.forecast import ForecastSpec, forecast

    _, meta = forecast(RunSpec(runs=2, scale=2000, executor=SequentialExecutor()),
                       ForecastSpec("2024-02", 1, warmup=1, parameters=mode))
    assert meta["parameters"]["mode"] == mode
    assert (meta["parameters"]["draws"] > 1) == (mode == "plausible")
