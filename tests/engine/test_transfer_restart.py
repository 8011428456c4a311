"""Migrants bused south by Mexico stay there a while before moving north again
(``transfer_restart_days``, MODEL.md mechanism 5: "transfer south ... they restart from
there")."""

import pytest

from borderflow.api import simulate
from borderflow.scenario import load_scenario

SPAN = ("2022-03", "2022-08")     # no transfer events in the timeline


def _run(days: float, seed: int):
    sc = (load_scenario("historical").with_span(*SPAN)
          .with_levers(mx_transfer_south_share=1.0)
          # the interception rate pinned (the calibrated one moves with each calibration):
          # at 0.06 per checkpoint many transferees would be caught again on the way north
          .with_parameters(transfer_restart_days=days, interception_per_checkpoint=0.06))
    return simulate(sc, seed=seed, scale=50)


def _usbp_non_mexican(res) -> float:
    e = res.tables["encounters"]
    e = e[(e["component"] == "USBP") & (e["citizenship"] != "Mexico")]
    return float(e["encounters"].sum())


def _mx(res, measure: str) -> float:
    mx = res.tables["mexico"]
    return float(mx.loc[mx["measure"] == measure, "people"].sum())


@pytest.fixture(scope="module")
def runs():
    return {days: [_run(days, seed) for seed in (3, 4)] for days in (0.0, 90.0)}


def test_stranded_transferees_reach_the_border_later(runs):
    at_once = sum(_usbp_non_mexican(r) for r in runs[0.0])
    held = sum(_usbp_non_mexican(r) for r in runs[90.0])
    assert held < 0.97 * at_once
    # and are not caught again on their way north while they wait in the south
    assert (sum(_mx(r, "apprehended") for r in runs[90.0])
            < 0.97 * sum(_mx(r, "apprehended") for r in runs[0.0]))

