import json

import pytest

from borderflow.ensemble.runner import SequentialExecutor
from borderflow.validate.report import validate


@pytest.mark.slow
def test_validate_writes_report(tmp_path):
    doc = validate(tmp_path, SequentialExecutor(), runs=2, scale=1000, backtest_runs=2,
                   origins=("2023-06",), refit_iterations=1, refit_scale=1000)
    saved = json.loads((tmp_path / "validation.json").read_text())
    assert set(saved) >= {"fit", "episodes", "backtest", "parameters", "targets_met"}
    assert set(doc["episodes"]) == {"surge_2019", "title42_repeat", "dec2023_jan2024",
                                    "sector_shifts", "funnel_effect"}
    assert 0 <= saved["fit"]["sector_ard"] <= 2
    assert (tmp_path / "validation.html").stat().st_size > 10_000
    html = (tmp_path / "validation.html").read_text()
    assert "Title 42 repeat crossings" in html and "Funnel effect in deaths" in html
    assert "Deaths by year and area" in html and "Share of deaths by area" in html
    assert 0 <= saved["fit"]["deaths_area_ard"] <= 2
    fe = saved["episodes"]["funnel_effect"]
    assert {"slope_deaths_per_100k_per_unit_remote_share", "slope_p_value"} <= set(fe)
    ref = saved["episodes"]["title42_repeat"]["observed_vs_simulated_in_span"]
    assert len(ref) == 6 and all(0 <= r["simulated"] <= 1 for r in ref)
    bt = saved["settings"]["backtest"]
    assert bt["refit_residual_series_per_origin"] and "2023-06" in bt["in_sample_fit_at_origin"]


@pytest.mark.slow
def test_backtest_with_structural_refit():
    from borderflow.validate.backtest import backtest

    bt = backtest(("2023-06",), runs=1, scale=2000, executor=SequentialExecutor(),
                  baseline_names=("last_value",), horizons=(6,), refit_iterations=1,
                  refit_scale=2000, structural_budget=2)
    st = bt["settings"]
    assert st["refit_structural_per_origin"] and st["structural_budget"] == 2
    assert "2023-06" in st["in_sample_fit_at_origin"]
    assert set(bt["scores"]["method"]) >= {"model", "last_value"}
