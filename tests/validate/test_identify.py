"""Plausible ranges from a calibration's trials (validate.identify)."""

import numpy as np
import pytest

from borderflow.validate.identify import markdown, plausible_set

SPACE = (("a", 0.0, 10.0, False), ("b", 0.1, 10.0, True))


def _trials():
    rng = np.random.default_rng(0)
    out = []
    for _ in range(200):
        a, b = rng.uniform(0, 10), float(np.exp(rng.uniform(np.log(0.1), np.log(10))))
        # the objective pins a near 3 and ignores b
        out.append({"value": 1.0 + (a - 3.0) ** 2, "params": {"a": a, "b": b}})
    return out


def test_a_pinned_number_is_identified_and_an_ignored_one_is_not():
    doc = plausible_set(_trials(), noise_sd=0.1, space=SPACE, k=3.0)
    a, b = doc["ranges"]["a"], doc["ranges"]["b"]
    assert doc["threshold"] == pytest.approx(doc["best"] + 0.3)
    assert 3.0 - 0.56 <= a["low"] <= a["high"] <= 3.0 + 0.56       # (a-3)^2 <= 0.3
    assert a["identified"] and not b["identified"]
    assert b["share_of_search_range"] > 0.5
    assert "| `a` |" in markdown(doc)


def test_trials_without_every_number_are_refused():
    with pytest.raises(ValueError, match="searched number"):
        plausible_set([{"value": 1.0, "params": {"a": 1.0}}], 0.1, SPACE)
