"""A reduced honest validation (two episode origins, small scale): the files it writes
hash to pinned digests, the fields of validation.json, the leave-episode-out label, and
identical files on a second run with another number of workers."""

import json

import digests
import pytest

from borderflow.ensemble.runner import make_executor
from borderflow.report.validation import write_html
from borderflow.validate.assimilate import COUNTED_NUMBERS

#: sha256 of the files of ``digests.reduced_validation``; re-pin after a change of the
#: model's results with ``PYTHONPATH=src python tests/digests.py --validation``; they also
#: move with the installed optimiser and baseline libraries (these: optuna 5.1.0, cmaes
#: 0.13.1, statsmodels 0.15.0, numpy 2.4.6; the runs' own digests did not move)
PINNED = {
    "validation.json": "cc81882ff54b82c30c9fa48524e428b24965dede576f5856d5dc9deb8c97c89e",
    "backtests.json": "f43370f91fac832d1ea626a587c7f3a28d7a847c1266961658029a7cf7b3d6a9",
    "interval_errors.json": "472e99f7d3c9c3d496731f2c0bef79727350d01ccd67a5edc730d7181e8e8d3c",
}


@pytest.mark.slow
def test_reduced_validation(tmp_path):
    doc, art = digests.reduced_validation(tmp_path / "a")
    assert digests.validation_digests(tmp_path / "a") == PINNED
    saved = json.loads((tmp_path / "a" / "validation.json").read_text())
    assert saved["refit_at_origin"] is True and saved["drivers_cut_at_origin"] is True
    assert saved["fitted_count"] == saved["fitted_count_by_kind"]["total"] > 0
    eps = {e["origin"]: e for e in saved["episodes"] if e["method"] == "mechanisms"}
    assert set(eps) == {"2019-05", "2022-09"}
    asm = {e["origin"]: e for e in saved["episodes"] if e["method"] == "assimilated"}
    assert set(asm) == {"2019-05", "2022-09"}
    assert all(e["months_scored"] == 6 for e in asm.values())
    assert saved["counted_numbers_assimilated"] == saved["counted_numbers"] + COUNTED_NUMBERS
    assert "assimilated_episodes_beat_last_value" in saved["targets_met"]
    for e in eps.values():
        assert {"origin", "mape6", "mape6_last_value", "mape6_seasonal_naive", "mape6_ets",
                "first_month_change", "first_month_change_observed"} <= set(e)
        assert e["method"] == "mechanisms" and e["months_scored"] == 6
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
    assert cov["episodes"]["months"] == 12
    assert (tmp_path / "a" / "fits").is_dir()                  # resumable: fits stored
    html = write_html(doc, art, tmp_path / "a" / "validation.html").read_text()
    assert "Episode backtests" in html and "In-sample: fit by series" in html
    with make_executor(2) as ex:
        digests.reduced_validation(tmp_path / "b", ex)
    assert digests.validation_digests(tmp_path / "b") == PINNED
