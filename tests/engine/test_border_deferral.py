"""Migrants already at the border respond to a U.S. policy that turned against them
(MODEL.md: displacement to waiting in Mexican cities; the CHNV and Venezuelan natural
experiments)."""

import numpy as np
from engine_helpers import ample_custody

from borderflow.api import simulate
from borderflow.engine.departures import evade_tables
from borderflow.scenario.model import TimelineEvent
from borderflow.scenario.registry import NATIONALITIES

SEEDS = (21, 22, 23)
NOT_MEXICO = [n for n in NATIONALITIES if n != "Mexico"]


def test_the_border_sees_a_change_of_regime_before_the_origins():
    days, n = 120, len(NATIONALITIES)
    t42 = np.zeros((days, n))
    t42[60:] = 1.0                       # expulsion with a quick retry from day 60
    lv = {"us_title42": t42, "us_bp_posture": np.ones((days, 9)),
          "us_removal_consequence": np.ones((days, n))}
    p = {"perception_days": 45.0, "border_perception_days": 7.0, "apprehension_urban": 0.8,
         "retry_after_expulsion": 0.5, "consequence_weight": 1.0}
    now, dep = evade_tables(lv, p)
    assert now.shape == dep.shape == (days, n)
    # steady state before the change: 1 - a, discounted by the Title 8 consequence
    assert np.allclose(now[59], 0.2 * np.exp(-0.8)) and np.allclose(dep[59], now[59])
    after = 0.2 * (1.0 + 0.5 * 0.8)
    # after it, the border sees it within weeks, the origins only slowly
    assert now[80, 1] > 0.9 * after > dep[80, 1]
    assert dep[119, 1] < now[119, 1]


def _scenario(historical, cut: bool, response: float):
    sc = historical.with_span("2019-01", "2019-04").with_parameters(
        border_response=response)
    timeline = ample_custody()   # a constant regime (custody never binds), then
    #                               (optionally) one sharp cut in releases
    if cut:
        timeline.append(TimelineEvent(date="2019-03-01", lever="us_release_rate", op="multiply",
                                      value=0.1, keys=NOT_MEXICO, source="test"))
    return sc.model_copy(update={"timeline": timeline})


def _month(res, month):
    enc = res.encounters(by="citizenship")
    enc = enc[(enc["month"] == month) & (enc["citizenship"] != "Mexico")]
    out = res.tables["outcomes"]
    defer = out[(out["measure"] == "border_deferrals") & (out["month"] == month)]["people"].sum()
    return float(enc["encounters"].sum()), float(defer)


def test_a_sharp_cut_holds_migrants_back_at_once(historical):
    response = 3.0
    def runs(sc):
        return np.mean([_month(simulate(sc, seed=s, scale=100), "2019-03") for s in SEEDS], axis=0)

    enc_off, defer_off = runs(_scenario(historical, True, 0.0))
    enc_on, defer_on = runs(_scenario(historical, True, response))
    enc_base, defer_base = runs(_scenario(historical, False, response))
    assert defer_off == 0.0 and defer_base == 0.0     # nothing worse, nobody holds back
    assert defer_on > 0.1 * enc_off                   # many wait in the border cities
    # in the month of the cut, non-Mexican encounters fall well below the run without the
    # response (where only departures respond, with the perception lag and the journey)
    assert enc_on < 0.8 * enc_off
    assert enc_off < enc_base                         # departures respond too


def test_chnv_natural_experiment(historical):
    """January 2023: Title 42 expulsions to Mexico extended to Cubans and Nicaraguans (with
    parole from abroad).  Observed USBP encounters fell 85% and 91% from December; with the
    residual push off, departures alone give about 27% and the border response most of
    the rest.  The status a port parole opens is held off (``port_status_weight`` 0): CBP
    One opened in the same month and moves Cubans to the ports on its own
    (tests/engine/test_port_status.py)."""
    def ratio(response):
        sc = historical.with_span("2022-07", "2023-01").with_parameters(
            border_response=response, port_status_weight=0.0)
        got = []
        for s in SEEDS[:2]:
            enc = simulate(sc, seed=s, scale=50).encounters(by="citizenship")
            enc = enc[enc["citizenship"].isin(["Cuba", "Nicaragua"])]
            by = enc.groupby("month")["encounters"].sum()
            got.append(by["2023-01"] / by["2022-12"])
        return float(np.mean(got))

    assert ratio(0.0) > 0.6
    assert ratio(3.0) < 0.45
