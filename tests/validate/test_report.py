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
    assert "December 2023 record and January 2024 drop" in html
    assert len(saved["episodes"]["dec2023_jan2024"]["by_citizenship"]) == 14
    assert 0 <= saved["fit"]["deaths_area_ard"] <= 2
    fe = saved["episodes"]["funnel_effect"]
    assert {"slope_deaths_per_100k_per_unit_remote_share", "slope_p_value"} <= set(fe)
    ref = saved["episodes"]["title42_repeat"]["observed_vs_simulated_in_span"]
    assert len(ref) == 6 and all(0 <= r["simulated"] <= 1 for r in ref)
    bt = saved["settings"]["backtest"]
    assert bt["refit_residual_series_per_origin"] and "2023-06" in bt["in_sample_fit_at_origin"]
    errs = json.loads((tmp_path / "interval_errors.json").read_text())
    assert errs["calibration"] and errs["errors"]
    assert {e["origin"] for e in errs["errors"]} == {"2023-06"}
    assert {e["horizon"] for e in errs["errors"]} == set(range(1, 7))
    cov = saved["backtest"]["coverage"]
    assert all(r["interval_scale"] == 1.0 for r in cov)      # no earlier origin
    bts = json.loads((tmp_path / "backtests.json").read_text())
    assert bts["calibration"] == errs["calibration"] and bts["origins"] == ["2023-06"]
    rows = bts["forecasts"]
    assert {r["method"] for r in rows} == {"model_corrected", "ets", "sarima", "last_value"}
    assert {r["month"] for r in rows} == {f"2023-{m:02d}" for m in range(7, 13)}
    model = [r for r in rows if r["method"] == "model_corrected"]
    assert all(r["p10"] <= r["forecast"] <= r["p90"] for r in model)
    assert all(r["p10"] is None for r in rows if r["method"] == "ets")
    mase = {(r["method"], r["horizon"]): r["mase"] for r in bts["summary"]}
    assert mase[("model_corrected", 6)] == pytest.approx(next(
        r["mase"] for r in saved["backtest"]["summary"]
        if r["method"] == "model_corrected" and r["horizon"] == 6), abs=1e-3)


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


def test_dec_jan_by_citizenship_sets_model_against_observed():
    from borderflow.scenario.registry import NATIONALITIES
    from borderflow.validate.objective import load_targets
    from borderflow.validate.report import _dec_jan_by_citizenship, _fig_dec_jan

    t = load_targets()
    rows = _dec_jan_by_citizenship({"citizenship": t.citizenship * 0.5}, t)
    assert [r["citizenship"] for r in rows] == list(NATIONALITIES)
    ven = rows[NATIONALITIES.index("Venezuela")]
    assert ven["simulated_2023-12"] == pytest.approx(0.5 * ven["observed_2023-12"])
    assert ven["observed_2023-12"] > ven["observed_2023-11"]      # the December spike
    assert ven["simulated_dec_jan_change"] == pytest.approx(ven["observed_dec_jan_change"])
    assert ven["observed_dec_jan_change"] < -0.5
    fig = _fig_dec_jan(rows)
    assert len(fig.data) == 6 and list(fig.data[0].x) == list(NATIONALITIES)
    short = load_targets("2019-01", "2023-06")
    assert _dec_jan_by_citizenship({"citizenship": short.citizenship}, short) == []


def test_backtest_figure_draws_the_corrected_band_per_origin():
    import pandas as pd

    from borderflow.validate.report import _fig_backtest

    rows = []
    for origin, months in (("2022-06", ["2022-07", "2022-08"]), ("2023-01", ["2023-02"])):
        for method in ("model", "model_corrected", "ets"):
            for mo in months:
                band = {"p10": 80.0, "p90": 120.0} if method != "ets" else {}
                rows.append({"origin": origin, "month": mo, "method": method,
                             "forecast": 100.0, "observed": 110.0, **band})
    fig = _fig_backtest({"forecasts": pd.DataFrame(rows)})
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(bands) == 2 and [b.showlegend for b in bands] == [True, False]
    assert list(bands[0].y) == [120.0, 120.0, 80.0, 80.0]
    # one panel per origin, the observations from 12 months before it
    assert [a.text for a in fig.layout.annotations] == ["origin 2022-06", "origin 2023-01"]
    observed = [t for t in fig.data if t.name == "observed"]
    assert len(observed) == 2 and list(observed[0].x)[0] == "2021-07"
    assert list(observed[0].x)[-1] == "2022-08" and observed[0].y[0] > 0
    assert {t.name for t in fig.data} >= {"model", "model_corrected", "ets"}


def test_headline_names_the_targets_and_the_reference_coverage():
    from borderflow.validate.report import headline

    doc = {"fit": {"total_mape": 0.087, "sector_ard": 0.09, "citizenship_ard": 0.11,
                   "drop_dec2023_jan2024": 0.29},
           "backtest": {"summary": [{"method": "model_corrected", "horizon": 6, "mase": 0.58},
                                    {"method": "model_corrected", "horizon": 12, "mase": 0.83},
                                    {"method": "ets", "horizon": 6, "mase": 0.99}],
                        "mean_coverage": [{"method": "model_corrected", "coverage80": 0.84,
                                           "coverage95": 0.92}],
                        "mean_coverage_required_origins": [
                            {"method": "model_corrected", "coverage80": 0.77,
                             "coverage95": 0.89}]}}
    rows = dict(headline(doc))
    assert rows["USBP SW total MAPE (target <= 10%)"] == "8.7%"
    assert rows["backtest MASE h6 / h12, model_corrected"] == "0.58 / 0.83"
    assert rows["backtest MASE h6 / h12, ets"] == "0.99"
    assert rows["80% / 95% coverage, reference origins (80%: 70-90%)"] == "77% / 89%"
    assert rows["Dec 2023 -> Jan 2024 drop (>= 35%)"] == "29.0%"
