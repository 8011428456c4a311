"""Second calibration stage: the residual series fit reduces the misfit, deterministically."""

import pytest

from borderflow.ensemble.runner import SequentialExecutor, make_executor
from borderflow.validate.latent import fit_latent
from borderflow.validate.objective import load_targets

SPAN = ("2023-01", "2023-10")
PARAMS = {"hazard_scale": 0.4, "network_elasticity": 0.0}   # the fitting step alone
KW = dict(span=SPAN, scale=300, seed=2, seeds=1, iterations=2)


@pytest.fixture(scope="module")
def targets():
    return load_targets(*SPAN)


@pytest.fixture(scope="module")
def fitted(targets):
    return fit_latent(SequentialExecutor(), PARAMS, targets, **KW)


def test_fit_reduces_the_misfit(fitted):
    lat, params, hist = fitted
    assert [h["iteration"] for h in hist] == [0, 1, 2]
    assert len(lat.knots) == 3                            # 10 months: windows of 3, 3, 4
    # (drivers cut at the span's end, as every fit runs: -19% in two iterations)
    assert hist[-1]["citizenship_ard"] < 0.85 * hist[0]["citizenship_ard"]
    assert hist[-1]["sector_ard"] < 0.8 * hist[0]["sector_ard"]
    assert hist[-1]["total_mape"] < hist[0]["total_mape"]
    assert params["hazard_scale"] != 0.4                  # deaths rescaled too


def test_fit_only_uses_months_in_the_span(fitted, targets):
    lat, _, _ = fitted
    assert lat.knots[0].isoformat() > SPAN[0] and lat.knots[-1].isoformat() < "2023-11"


@pytest.mark.slow
def test_same_series_for_one_and_two_workers(fitted, targets):
    with make_executor(2) as ex:
        lat2, params2, hist2 = fit_latent(ex, PARAMS, targets, **KW)
    lat, params, hist = fitted
    assert lat2 == lat and params2 == params
    assert [h["objective"] for h in hist2] == [h["objective"] for h in hist]


def test_retry_rescaled_towards_the_reencounter_rate(targets):
    assert list(targets.reencounter) == [("2023-02",)]     # CBP: 25% in February 2023
    _, params, hist = fit_latent(SequentialExecutor(),
                                 {**PARAMS, "retry_after_expulsion": 0.2}, targets, **KW)
    assert params["retry_after_expulsion"] > 0.2
    assert hist[-1]["reencounter_abs_error"] < hist[0]["reencounter_abs_error"]


def test_reencounter_rates():
    import numpy as np

    from borderflow.validate.objective import reencounter_rates

    class T:
        months = ["2021-01", "2021-02", "2021-03"]
        reencounter = {("2021-01", "2021-02"): 0.3, ("2021-03",): 0.1}

    sim = {"total": np.array([100.0, 300.0, 50.0]), "repeat": np.array([10.0, 30.0, 25.0])}
    assert reencounter_rates(sim, T) == [(("2021-01", "2021-02"), 0.3, 0.1),
                                         (("2021-03",), 0.1, 0.5)]


def test_area_step_moves_the_shares_towards_iom_at_a_fixed_geometric_mean():
    import numpy as np

    from borderflow.validate.latent import AREA_BOUNDS, _area_step

    obs = np.array([100.0, 400.0, 100.0, 200.0, 200.0])
    sim = np.array([100.0, 100.0, 100.0, 100.0, 600.0])
    step = _area_step(None, sim, obs, 1.0)
    v = np.array(list(step.values()))
    assert np.isclose(np.exp(np.mean(np.log(v))), 1.0)
    assert v[1] > 1.0 > v[4]                 # more hazard in Arizona, less in South Texas
    assert np.all((v >= AREA_BOUNDS[0]) & (v <= AREA_BOUNDS[1]))
    assert _area_step(step, np.zeros(5), obs, 1.0) == step   # no deaths simulated: no step


def test_crackdown_months_are_those_fully_under_the_city_crackdown():
    from borderflow.validate.latent import crackdown_months

    months = ["2023-09", "2023-10", "2023-11", "2023-12", "2024-01"]
    # the Ciudad Juarez agreement's crackdown runs 2023-09-22 to 2023-12-01 (October and
    # November in full), INM's halt leaves December free until the early-2024 crackdown
    # starts on 2023-12-27: January is full again
    assert crackdown_months(("2023-09", "2024-01"), months) == ["2023-10", "2023-11",
                                                                "2024-01"]
    assert crackdown_months(("2023-01", "2023-08"), months) == []


def test_crackdown_step_moves_the_pickup_towards_the_observed_share():
    import numpy as np

    from borderflow.scenario.registry import NATIONALITIES
    from borderflow.validate.latent import CRACKDOWN_BOUNDS, _crackdown_share, _crackdown_step

    cit = np.ones((4, len(NATIONALITIES))) * 10.0
    cit[3] = 5.0                                   # the last month falls
    cit[:, NATIONALITIES.index("Mexico")] = 1000.0  # Mexicans do not count
    rows = [np.array([0, 1, 2, 3])]
    share = _crackdown_share(cit, rows, [3])
    assert np.isclose(share, 5.0 / 35.0)
    assert _crackdown_share(cit, rows, [0, 1, 2, 3]) is None   # no month outside it
    assert _crackdown_share(cit, [np.array([0, 1])], [3]) is None
    # the model keeps too many in the crackdown month: pick up more; too few: fewer
    assert _crackdown_step(0.02, 0.2, 0.15, 0.8) > 0.02
    assert _crackdown_step(0.02, 0.1, 0.15, 0.8) < 0.02
    assert _crackdown_step(0.5, 0.9, 0.1, 1.0) == CRACKDOWN_BOUNDS[1]


def test_push_step_halves_where_the_error_changes_sign():
    import numpy as np

    from borderflow.validate.latent import STEP_SHRINK, _push_step

    push = np.ones((2, 1))
    step = np.full((2, 1), 0.8)
    prev = np.zeros((2, 1))
    _push_step(push, step, prev, np.array([[1.0], [1.0]]))
    assert np.allclose(push, np.exp(0.8)) and np.allclose(step, 0.8)
    _push_step(push, step, prev, np.array([[-1.0], [0.5]]))   # the first overshot
    assert np.isclose(step[0, 0], 0.8 * STEP_SHRINK) and np.isclose(step[1, 0], 0.8)
    assert np.isclose(push[0, 0], np.exp(0.8 - 0.4)) and np.isclose(push[1, 0], np.exp(1.2))
    assert np.allclose(prev, [[-1.0], [0.5]])


def test_fit_converges_where_encounters_answer_the_push_more_than_in_proportion():
    """An amplified response (elasticity 3 > 2 / damping) makes a fixed damped step
    overshoot for ever; the halving step settles on the observed level."""
    import numpy as np

    from borderflow.validate.latent import DAMPING, _push_step

    obs, push, step, prev = 1000.0, np.ones((1, 1)), np.full((1, 1), DAMPING), np.zeros((1, 1))
    for _ in range(12):
        sim = 4000.0 * push[0, 0] ** 3.0
        _push_step(push, step, prev, np.array([[np.log(obs / sim)]]))
    assert abs(np.log(4000.0 * push[0, 0] ** 3.0 / obs)) < 0.05
    fixed = 1.0
    for _ in range(12):
        fixed *= (obs / (4000.0 * fixed ** 3.0)) ** DAMPING
    assert abs(np.log(4000.0 * fixed ** 3.0 / obs)) > 0.5
