"""A reduced honest validation (two episode origins, small scale): the fields of
validation.json, the leave-episode-out label, and identical JSON on a second run with
another number of workers."""

import json

import pytest

from borderflow.ensemble.runner import SequentialExecutor, make_executor
from borderflow.validate.validation import validate

KW = dict(runs=2, scale=2000, backtest_runs=2, origins=("2022-09",),
          episode_origins=("2019-05", "2022-09"), budget=2,
          sector_steps=0, particles=3)


@pytest.mark.slow
def test_reduced_validation(tmp_path):
    from borderflow.report.validation import write_html

    doc, art = validate(tmp_path / "a", SequentialExecutor(), **KW)
    saved = json.loads((tmp_path / "a" / "validation.json").read_text())
    assert saved["refit_at_origin"] is True and saved["drivers_cut_at_origin"] is True
    assert saved["fitted_count"] == saved["fitted_count_by_kind"]["total"] > 0
    eps = {e["origin"]: e for e in saved["episodes"] if e["method"] == "mechanisms"}
    assert set(eps) == {"2019-05", "2022-09"}
    asm = {e["origin"]: e for e in saved["episodes"] if e["method"] == "assimilated"}
    assert set(asm) == {"2019-05", "2022-09"}
    assert all(e["mape6"] >= 0 and e["months_scored"] == 6 for e in asm.values())
    assert saved["counted_numbers_assimilated"] == saved["counted_numbers"] + 6
    assert "assimilated_episodes_beat_last_value" in saved["targets_met"]
    for e in eps.values():
        assert {"origin", "mape6", "mape6_last_value", "mape6_seasonal_naive", "mape6_ets",
                "first_month_change", "first_month_change_observed"} <= set(e)
        assert e["method"] == "mechanisms" and e["months_scored"] == 6
        assert e["mape6"] >= 0 and e["mape6_last_value"] >= 0
    # fewer than 24 months before May 2019: fitted on every month but the episode's six
    assert eps["2019-05"]["fit"] == "leave-episode-out" and eps["2019-05"]["in_sample"]
    assert eps["2019-05"]["fit_excluded"] == ["2019-06", "2019-11"]
    assert eps["2022-09"]["fit"] == "refit at origin" and not eps["2022-09"]["in_sample"]
    assert set(eps["2022-09"]["mape6_by_nationality"]) == {"Venezuela"}
    fits = saved["settings"]["backtest"]["fits"]
    assert fits["2022-09"]["span"] == ["2019-01", "2022-09"]
    noise = fits["2022-09"]["assimilation"]["noise"]
    assert len(noise["sigma"]) == 5 and noise["months"][1] == "2022-09"
    # May 2019 has too few months of the model's own error: the observed history
    assert "observed log series" in fits["2019-05"]["assimilation"]["noise"]["source"]
    cov = saved["interval_coverage"]
    assert cov["episodes"]["months"] == 12 and 0 <= cov["all"]["coverage80"] <= 1
    assert (tmp_path / "a" / "fits").is_dir()                  # resumable: fits stored
    html = write_html(doc, art, tmp_path / "a" / "validation.html").read_text()
    assert "Episode backtests" in html and "In-sample: fit by series" in html
    with make_executor(2) as ex:
        validate(tmp_path / "b", ex, **KW)
    assert ((tmp_path / "a" / "validation.json").read_bytes()
            == (tmp_path / "b" / "validation.json").read_bytes())
