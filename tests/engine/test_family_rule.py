"""The rule that derives the family and unaccompanied-child shares of departures from the
encounters up to a run's drivers' cut (``departures.family_status_shares``): the registry
shows the rule on every bundled month, a run at an origin never reads a month after it, and
a scenario's own value wins."""

from __future__ import annotations

import numpy as np
import pytest

from borderflow.engine import departures
from borderflow.engine.levers import resolve_parameters
from borderflow.scenario import drivers, load_scenario
from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.registry import NATIONALITIES, PARAMETERS
from borderflow.validate.origin import cut_drivers

MIN = PARAMETERS["family_status_min_encounters"].default


def test_registry_default_is_the_rule_on_every_bundled_month():
    got = departures.family_status_shares(None, MIN)
    for name in departures.RULE_PARAMETERS:
        table = PARAMETERS[name].default
        want = np.array([table[n] for n in NATIONALITIES])
        assert np.allclose(got[name], want, atol=6e-4), name


def test_shares_are_the_citizenships_own_where_it_has_enough_encounters():
    table = drivers.monthly_family_status()
    months = [m for m in table if m <= "2022-09"]
    j = NATIONALITIES.index("Honduras")
    fam = sum(table[m].get(("Honduras", "Family Unit Individuals"), 0.0) for m in months)
    tot = sum(v for m in months for (w, _), v in table[m].items() if w == "Honduras")
    got = departures.family_status_shares("2022-09", MIN)
    assert tot >= MIN
    assert got["family_share"][j] == pytest.approx(fam / tot)
    assert 0.0 < got["uac_share"][j] < 1.0 - got["family_share"][j]


def test_an_origin_before_the_table_takes_the_pooled_shares():
    got = departures.family_status_shares("2019-05", MIN)
    for name in departures.RULE_PARAMETERS:
        assert np.ptp(got[name]) == 0.0 and 0.0 < got[name][0] < 1.0


def test_months_after_the_cut_are_never_read(monkeypatch):
    before = departures.family_status_shares("2021-06", MIN)
    table = {m: dict(c) for m, c in drivers.monthly_family_status().items()}
    for m in table:
        if m > "2021-06":
            table[m] = {k: v * (50.0 if "Family" in k[1] else 0.01) for k, v in table[m].items()}
    monkeypatch.setattr(drivers, "monthly_family_status", lambda: table)
    after = departures.family_status_shares("2021-06", MIN)
    moved = departures.family_status_shares(None, MIN)
    for name in departures.RULE_PARAMETERS:
        assert np.array_equal(before[name], after[name])
    assert not np.allclose(moved["family_share"], before["family_share"])


def test_a_run_takes_the_rule_at_its_cut_unless_the_scenario_sets_the_share():
    sc = load_scenario("historical")
    none = ParameterSet()
    at = resolve_parameters(cut_drivers(sc, "2020-02"), none)
    assert np.array_equal(at["family_share"],
                          departures.family_status_shares("2020-02", MIN)["family_share"])
    full = resolve_parameters(sc, none)
    assert not np.array_equal(at["family_share"], full["family_share"])
    own = resolve_parameters(sc.with_parameters(family_share=0.3), none)
    assert np.all(own["family_share"] == 0.3)
