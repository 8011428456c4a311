"""Every fitted number moves the outputs the calibration compares with the data.

A fitted number that changes nothing is a defect: the optimiser searches it, ships it and
reports it as fitted.  Each number is moved by the width of its fit range (towards the
other end of the range from its shipped value) and the objective's inputs must change.
One run per number over the whole calibration span at reduced size (scale 400)."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import calibrated_document
from borderflow.scenario.registry import SECTORS
from borderflow.validate.calibrate import SPACE, SPAN, full_parameters
from borderflow.validate.objective import month_range, simulated

SCALE, SEED = 400, 11
ARRAYS = ("total", "sector", "citizenship", "demographic", "mx_apprehended", "repeat",
          "darien", "deaths_area")


def _shipped() -> tuple[dict, dict]:
    nums = calibrated_document()["numbers"]
    values = {name: float(nums[name]) for name, *_ in SPACE}
    pref = {s: float(nums[f"sector_preference[{s}]"]) for s in SECTORS
            if f"sector_preference[{s}]" in nums}
    return values, pref


def _outputs(values: dict, pref: dict, shift: dict | None = None) -> dict:
    base = full_parameters(values)
    base["sector_preference"] = {**base["sector_preference"], **pref, **(shift or {})}
    sc = load_scenario("historical").with_span(*SPAN).with_parameters(**base)
    sim = simulated(simulate(sc, seed=SEED, scale=SCALE).dataset, month_range(*SPAN))
    sim["backlog"] = sim["backlog"].to_numpy(float)
    return {k: np.asarray(sim[k], float) for k in (*ARRAYS, "backlog")}


@pytest.fixture(scope="module")
def reference():
    values, pref = _shipped()
    return values, pref, _outputs(values, pref)


@pytest.mark.slow
@pytest.mark.parametrize("name,lo,hi,log", SPACE, ids=[s[0] for s in SPACE])
def test_each_fitted_number_moves_the_outputs(reference, name, lo, hi, log):
    values, pref, ref = reference
    v = values[name]
    moved = dict(values, **{name: lo if abs(v - lo) > abs(v - hi) else hi})
    out = _outputs(values=moved, pref=pref)
    changed = [k for k in out if out[k].shape != ref[k].shape
               or not np.array_equal(out[k], ref[k])]
    assert changed, f"{name}: {v} -> {moved[name]} changes none of the objective's inputs"


@pytest.mark.slow
def test_each_sector_constant_moves_the_sector_shares(reference):
    values, pref, ref = reference
    for s in pref:
        out = _outputs(values, pref, {s: pref[s] + 1.0})
        assert not np.array_equal(out["sector"], ref["sector"]), s
