
import pytest


def test_dec_jan_by_citizenship_sets_model_against_observed():
    from borderflow.report.validation import _fig_dec_jan
    from borderflow.scenario.registry import NATIONALITIES
    from borderflow.validate.episodes import _dec_jan_by_citizenship
    from borderflow.validate.objective import load_targets

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

    from borderflow.report.validation import _fig_backtest

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


def test_headline_puts_the_backtests_first_and_labels_the_in_sample_fit():
    from borderflow.report.validation import headline

    doc = {"fitted_count": 41,
           "in_sample": {"fit": {"total_mape": 0.087, "sector_ard": 0.09,
                                 "citizenship_ard": 0.11, "drop_dec2023_jan2024": 0.29,
                                 "port_parole_ard": 1.1}},
           "backtest": {"summary": [{"method": "model_corrected", "horizon": 6, "mase": 0.58},
                                    {"method": "model_corrected", "horizon": 12, "mase": 0.83},
                                    {"method": "ets", "horizon": 6, "mase": 0.99}]},
           "episodes": [{"mape6": 20.0, "mape6_last_value": 30.0},
                        {"mape6": 40.0, "mape6_last_value": None}],
           "interval_coverage": {"all": {"months": 60, "coverage80": 0.77,
                                         "coverage95": 0.89}}}
    rows = headline(doc)
    labels = [r[0] for r in rows]
    assert labels[0] == "fitted numbers (shipped calibration)" and rows[0][1] == "41"
    assert labels.index("rolling MASE h6 / h12, model_corrected") < labels.index(
        "in-sample total MAPE")
    d = dict(rows)
    assert d["rolling MASE h6 / h12, model_corrected"] == "0.58 / 0.83"
    assert d["rolling MASE h6 / h12, ets"] == "0.99"
    assert d["episode mean MAPE, model"] == "30.0%"
    assert d["episode mean MAPE, last value"] == "30.0%"
    assert d["80% / 95% coverage, all (60 months)"] == "77% / 89%"
    assert d["in-sample total MAPE"] == "8.7%"
    assert d["in-sample Dec 2023 -> Jan 2024 drop"] == "29.0%"
    assert d["in-sample OFO port paroles, citizenship ARD (weight 0)"] == "1.100"
