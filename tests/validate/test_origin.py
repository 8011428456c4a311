"""The hard origin: drivers cut and projected, nothing dated after the origin read."""

import math

import numpy as np
import pandas as pd
import pytest

from borderflow.data.build import OBSERVED_END
from borderflow.ensemble.runner import SequentialExecutor
from borderflow.scenario import drivers, load_scenario
from borderflow.scenario.model import Drivers
from borderflow.validate.origin import FittedSet, forecast_inputs, shipped_fitted


def test_projection_rules():
    assert drivers.project([1.0, 2.0, 4.0], 2, "persistence", "annual") == [4.0, 4.0]
    assert drivers.project([3.0, 6.0, 9.0, 1.0], 1, "persistence", "monthly") == [
        pytest.approx(16.0 / 3)]
    # a log-linear trend doubling each step is continued, then held past its horizon
    grow = [2.0 ** k for k in range(6)]
    out = drivers.project(grow, 8, "trend", "annual")
    assert out[:5] == pytest.approx([2.0 ** (5 + k) for k in range(1, 6)])
    assert out[5:] == pytest.approx([2.0 ** 10] * 3)
    with pytest.raises(Exception, match="projection"):
        drivers.project(grow, 1, "linear", "annual")


def test_annual_drivers_cut_at_the_origin():
    full = drivers.annual_series(Drivers())
    cut = drivers.annual_series(Drivers(cut_at="2021-06"))
    key = next(k for k, s in full.items() if {2019, 2020, 2021} <= set(s))
    last_kept = max(y for y in full[key] if y <= 2020)
    # 2021 ends after June 2021: dropped, replaced by the last value held (persistence)
    assert cut[key][2021] == cut[key][2030] == full[key][last_kept]
    assert all(cut[key][y] == full[key][y] for y in full[key] if y <= 2020)
    assert drivers.annual_series(Drivers(cut_at="2021-12"))[key][2021] == full[key][2021]
    trend = drivers.annual_series(Drivers(cut_at="2021-06", projection="trend"))
    assert trend[key][2021] != cut[key][2021] and math.isfinite(trend[key][2080])


def test_darien_counts_are_a_target_read_up_to_the_origin_not_a_driver():
    from borderflow.validate.objective import load_targets

    assert "darien" not in Drivers.model_fields       # nothing a run reads
    t = load_targets("2019-01", "2022-06")
    assert t.darien and max(t.darien) <= "2022-06"
    assert t.darien["2022-01"] == drivers.monthly_darien()["2022-01"]


def test_forecast_inputs_say_what_they_use():
    sc, info = forecast_inputs("historical", "2023-06", 6)
    assert sc.drivers.cut_at == "2023-06" and (sc.start, sc.end) == ("2019-01", "2023-12")
    assert info["in_sample"] and info["fitted"] == "shipped calibration"
    assert info["policy_path"] and all("2023-07-01" <= e["date"] <= "2023-12-31"
                                       for e in info["policy_path"])
    assert "policy path" in info["conditional_on"]
    _, info = forecast_inputs("historical", OBSERVED_END, 3)
    assert not info["in_sample"]                 # the calibration ends with the data
    partial = FittedSet(parameters={"pull_elasticity": 2.0}, span=("2019-01", "2021-06"))
    with pytest.raises(Exception, match="every calibrated parameter"):
        forecast_inputs("historical", "2021-06", 3, fitted=partial)


ORIGIN = "2021-06"


def _nan_after(df: pd.DataFrame, origin: str) -> pd.DataFrame:
    df = df.copy()
    if "month" in df:
        late = df["month"].astype(str) > origin
    else:
        late = pd.to_datetime(df["period_end"]).dt.to_period("M").astype(str) > origin
    df.loc[late, "value"] = np.nan
    return df


def _poison(monkeypatch, origin: str) -> None:
    """Every stored value dated after ``origin`` becomes NaN: observations, reference
    figures, drivers and the shipped calibration (which saw later months)."""
    import borderflow.data.query as query
    import borderflow.scenario.calibrated as cal

    # every reader of the store (``monthly`` too) goes through ``query.observations``
    observations = query.observations
    monkeypatch.setattr(query, "observations",
                        lambda *a, **k: _nan_after(observations(*a, **k), origin))
    annual, darien = drivers.annual, drivers.monthly_darien
    year = int(origin[:4]) - (origin[5:] != "12")
    monkeypatch.setattr(drivers, "annual", lambda name="drivers_annual.csv": {
        key: {y: (v if y <= year else math.nan) for y, v in s.items()}
        for key, s in annual(name).items()})
    monkeypatch.setattr(drivers, "monthly_darien", lambda name="darien_transits.csv": {
        mo: (v if mo <= origin else math.nan) for mo, v in darien(name).items()})
    values = cal.calibrated_values()
    monkeypatch.setattr(cal, "calibrated_values", lambda: {
        k: ({kk: math.nan for kk in v} if isinstance(v, dict) else math.nan)
        for k, v in values.items()})


def _refit_and_forecast():
    from borderflow.validate.backtest import RunSpec, fit_at, run_origin

    ex = SequentialExecutor()
    fitted = fit_at(ORIGIN, RunSpec(scale=2000, seed=0, executor=ex), budget=2, sector_steps=0)
    r = run_origin(ORIGIN, 3, fitted, RunSpec(runs=2, scale=2000, seed=0, executor=ex), [])
    return fitted, r["tables"]["model_corrected"]


def test_poisoned_future_changes_nothing(monkeypatch):
    """A refit and forecast from the origin with every value dated after it set to NaN
    equals the one with the real values, and is finite."""
    fitted, clean = _refit_and_forecast()
    assert not fitted.saw_after(ORIGIN)
    with monkeypatch.context() as m:
        _poison(m, ORIGIN)
        # the poison works: the drivers past the origin are NaN ...
        assert math.isnan(drivers.monthly_darien()["2022-01"])
        from borderflow.data import observed  # ... and the observations
        assert observed("usbp_sw_encounters", span=("2021-06", "2021-07")).isnull(
        ).values.tolist() == [False, True]
        _, poisoned = _refit_and_forecast()
    q = ["median", "p10", "p90", "p025", "p975"]
    assert np.isfinite(poisoned[q].to_numpy()).all()
    pd.testing.assert_frame_equal(clean, poisoned)


def test_the_shipped_calibration_is_flagged_in_sample_before_its_end():
    assert shipped_fitted().saw_after("2023-06")
    assert shipped_fitted().saw_after("2024-01")
    assert not shipped_fitted().saw_after(OBSERVED_END)
    sc = load_scenario("historical")
    assert sc.drivers.cut_at is None        # a plain run reads every bundled driver value
