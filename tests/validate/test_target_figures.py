"""The in-sample target figures of ``borderflow validate`` (``insample.target_figures``)
and the table that prints them: a model that reproduces the observations scores them
exactly, one that misses them is reported as missing them."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console

from borderflow.report.terminal import targets_table
from borderflow.scenario.registry import NATIONALITIES
from borderflow.validate.insample import RELEASE_LARGEST, target_figures
from borderflow.validate.objective import load_targets


@pytest.fixture(scope="module")
def targets():
    return load_targets("2019-01", "2024-11")


def _perfect(t) -> dict:
    """A member whose totals, citizenships and USBP releases are the observations."""
    rel = np.zeros_like(t.citizenship, dtype=float)
    idx = {mo: k for k, mo in enumerate(t.months)}
    for (b, key), obs in t.release_groups.items():
        if b == "citizenship":
            j = NATIONALITIES.index(key)
            for mo, share in obs.items():
                rel[idx[mo], j] = share * t.citizenship[idx[mo], j]
    return {"total": np.asarray(t.total, float), "citizenship": np.asarray(t.citizenship, float),
            "usbp_releases_citizenship": rel}


def test_a_model_that_reproduces_the_observations_scores_them(targets):
    figs = target_figures([_perfect(targets)] * 3, targets)
    for key in ("record_total", "june_rule_drop", "venezuelans_year"):
        assert figs[key]["model"] == pytest.approx(figs[key]["observed"])
    assert figs["record_total"]["observed"] == max(targets.total[targets.months.index("2023-01"):])
    assert 0.3 < figs["june_rule_drop"]["observed"] < 0.7
    assert figs["release_largest_abs_error"]["model"] == pytest.approx(0.0, abs=1e-9)
    assert len(figs["release_largest_abs_error"]["citizenships"]) == RELEASE_LARGEST
    assert "Mexico" not in figs["release_largest_abs_error"]["citizenships"]


def test_the_figures_are_the_members_median(targets):
    good = _perfect(targets)
    half = {k: v * 0.5 for k, v in good.items()}
    figs = target_figures([half, good, good], targets)
    assert figs["record_total"]["model"] == pytest.approx(figs["record_total"]["observed"])
    figs = target_figures([half, half, good], targets)
    assert figs["venezuelans_year"]["model"] == pytest.approx(
        0.5 * figs["venezuelans_year"]["observed"])


def test_the_table_says_which_targets_are_met(targets):
    good = _perfect(targets)
    low = dict(good, total=good["total"] * 0.5)
    doc = {"in_sample": {"fit": {"targets": target_figures([low] * 3, targets)}},
           "counted_numbers": 166}
    con = Console(width=160, record=True)
    con.print(targets_table(doc))
    text = con.export_text()
    rows = {line.split("│")[1].strip(): line.split("│")[-2].strip()
            for line in text.splitlines() if line.count("│") >= 6}
    assert rows["December 2023 total"] == "no"          # half the record
    assert rows["May -> July 2024 drop"] == "yes"       # the same shape, halved
    assert rows["Venezuelans in 2023"] == "yes"
    assert rows["numbers set looking at data"] == "no"
    assert targets_table({"in_sample": {"fit": {}}}) is None
