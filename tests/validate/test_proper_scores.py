"""Proper scores of the backtests (validate.scores.proper_scores): known values."""

import numpy as np
import pandas as pd
import pytest

from borderflow.validate.scores import proper_scores


def _bt(rows):
    return {"forecasts": pd.DataFrame(rows),
            "settings": {"origins": ["2022-01"], "episode_origins": []}}


def test_a_point_forecast_scores_its_absolute_error_and_a_band_its_interval_score():
    rows = []
    for k, (y, f) in enumerate(((100.0, 90.0), (200.0, 260.0)), start=1):
        mo = f"2022-{k + 1:02d}"
        rows.append({"origin": "2022-01", "month": mo, "method": "ets", "forecast": f,
                     "observed": y, "p10": np.nan, "p90": np.nan, "p025": np.nan,
                     "p975": np.nan})
        rows.append({"origin": "2022-01", "month": mo, "method": "model_corrected",
                     "forecast": y, "observed": y, "p10": 0.9 * y, "p90": 1.1 * y,
                     "p025": 0.8 * y, "p975": 1.2 * y})
    got = {(r["horizon"], r["method"]): r for r in proper_scores(_bt(rows))}
    ets = got[(6, "ets")]
    assert ets["crps"] == pytest.approx((10.0 + 60.0) / 2) and "interval_score80" not in ets
    m = got[(6, "model_corrected")]
    # the observation inside both bands: the interval score is the width
    assert m["interval_score80"] == pytest.approx(np.mean([20.0, 40.0]))
    assert m["interval_score95"] == pytest.approx(np.mean([40.0, 80.0]))
    assert m["coverage80"] == 1.0 and m["width_p90_p10"] == pytest.approx(1.1 / 0.9)
    assert 0.0 < m["crps"] < ets["crps"] and m["crps_skill_vs_ets"] > 0.5


def test_an_observation_outside_the_band_is_penalised():
    row = {"origin": "2022-01", "month": "2022-02", "method": "model_corrected",
           "forecast": 100.0, "observed": 150.0, "p10": 90.0, "p90": 110.0, "p025": 80.0,
           "p975": 120.0}
    (r, _) = [x for x in proper_scores(_bt([row])) if x["horizon"] in (6, 12)]
    # width 20 + (2 / 0.2) x (150 - 110)
    assert r["interval_score80"] == pytest.approx(20.0 + 10.0 * 40.0)
    assert r["coverage80"] == 0.0


def test_validate_prints_the_scores_of_the_model_and_every_banded_baseline():
    from rich.console import Console

    from borderflow.report.terminal import proper_rich_table

    rows = [{"origin": "2022-01", "month": "2022-02", "method": m, "forecast": 100.0,
             "observed": 105.0, "p10": 90.0, "p90": 110.0, "p025": 80.0, "p975": 120.0}
            for m in ("model_corrected", "ets", "last_value")]
    scores = proper_scores(_bt(rows))
    assert all("coverage80" in r for r in scores)       # the baselines carry bands too
    console = Console(width=160, record=True)
    console.print(proper_rich_table(scores))
    text = console.export_text()
    for word in ("CRPS", "IS 80%", "cov 80/95", "p90/p10", "ets", "last_value",
                 "model_corrected", "100%/100%"):
        assert word in text
