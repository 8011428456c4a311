"""The re-encounter target of the calibration objective."""

import numpy as np
import pandas as pd

from borderflow.validate.objective import WEIGHTS, load_targets, score


def _sim(t, repeat_share):
    return {"total": t.total.copy(), "sector": t.sector.copy(),
            "citizenship": t.citizenship.copy(), "demographic": t.demographic.copy(),
            "deaths_monthly": pd.Series(dtype=float),
            "backlog": pd.Series(dtype=float),
            "repeat": repeat_share * t.total}


def test_reencounter_targets_inside_the_span():
    t = load_targets("2019-01", "2024-01")
    # FY2019 starts in 2018-10, outside the span; FY2021 and five single months remain
    assert len(t.reencounter) == 6
    assert t.reencounter[("2021-07",)] == 0.27
    fy21 = [k for k in t.reencounter if len(k) == 12]
    assert fy21 and fy21[0][0] == "2020-10" and t.reencounter[fy21[0]] == 0.27
    assert load_targets("2019-01", "2019-12").reencounter == {}


def test_reencounter_error_is_reported():
    t = load_targets("2019-01", "2024-01")
    exact = score(_sim(t, 0.0), t)
    obs = np.array(list(t.reencounter.values()))
    assert np.isclose(exact["reencounter_abs_error"], obs.mean())
    shifted = score(_sim(t, 0.30), t)
    assert np.isclose(shifted["reencounter_abs_error"], np.abs(0.30 - obs).mean())
    # reported, not in the objective (the second stage matches it through the retry chance)
    assert "reencounter_abs_error" not in WEIGHTS
    assert exact["objective"] == shifted["objective"]


def test_mexico_targets_whole_years_only():
    t = load_targets("2019-01", "2024-01")
    assert list(t.mexico) == ["2019", "2020", "2021", "2022", "2023"]
    assert t.mexico["2023"] > t.mexico["2022"] > t.mexico["2021"] > t.mexico["2020"]
    assert list(load_targets("2019-06", "2021-03").mexico) == ["2020"]


def test_mexico_log_ratio_is_reported():
    t = load_targets("2019-01", "2024-01")
    sim = _sim(t, 0.1)
    sim["mx_apprehended"] = np.zeros(len(t.months))
    for y, v in t.mexico.items():
        for k in range(1, 13):
            sim["mx_apprehended"][t.months.index(f"{y}-{k:02d}")] = 2 * v / 12
    r = score(sim, t)
    assert np.isclose(r["mexico_log_ratio"], np.log(2))
    assert "mexico_log_ratio" not in WEIGHTS
