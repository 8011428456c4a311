"""A port parole is a certain entry, and for Cubans a status reachable only through a port
(the Cuban Adjustment Act): both move a nationality from crossings between ports to the line
for a port appointment (engine.routechoice.port_boost, engine.inputs.port_status_terms)."""

import math
from collections import namedtuple

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.engine.inputs import port_status_terms
from borderflow.engine.levers import resolve_parameters
from borderflow.engine.routechoice import port_boost
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import NATIONALITIES

CUBA = NATIONALITIES.index("Cuba")


def test_only_the_nationalities_with_the_status_gain_its_weight():
    sc = load_scenario("historical").with_parameters(port_status_weight=3.0)
    p = resolve_parameters(sc, shipped_parameters())
    t = port_status_terms(p)
    status = np.asarray(p["port_status"], float)
    assert status[CUBA] == 1.0 and status.sum() == 1.0
    assert t["port_weight"][CUBA] == 3.0
    assert np.all(t["port_weight"][status == 0] == 0.0)
    assert t["port_gain_weight"] == p["port_gain_weight"]


_K = namedtuple("K", "port_weight port_gain_weight port_patience")
_R = namedtuple("R", "beta")
_F = namedtuple("F", "port_boost patience value_now")
_M = namedtuple("M", "K R F")


def _boost(wait, weight, value_now, status, patience=60.0, beta=0.08):
    m = _M(_K(np.array(status, float) * weight, weight, patience),   # both weights alike
           _R(np.array([beta, 0.0, 0.0, 0.0, 0.0])),
           _F(np.zeros(len(status)), np.zeros(len(status)), np.array(value_now, float)))
    port_boost(m, wait)
    return m.F.port_boost, m.F.patience


@pytest.mark.parametrize("wait", [0.0, 10.0, 60.0, 80.0, 1e6])
def test_the_boost_fades_as_the_line_grows_past_what_everyone_else_would_wait(wait):
    w, patience, beta = 3.0, 60.0, 0.08
    # a crossing between ports worth what a certain entry is: only the status counts
    (other, status), days = _boost(wait, w, [1.0, 1.0], [0.0, 1.0])
    assert other == 1.0
    assert days[0] == patience and days[1] == pytest.approx(patience + w / beta)
    assert 1.0 - 1e-12 <= status <= math.exp(w) + 1e-9
    if wait <= patience:
        assert status == pytest.approx(math.exp(w))
    elif wait >= patience + w / beta:
        assert status == pytest.approx(1.0)
    else:
        assert status == pytest.approx(math.exp(w - beta * (wait - patience)))


def test_a_crossing_between_ports_worth_less_weighs_the_certain_entry_of_a_port_more():
    w, beta = 3.0, 0.08
    (worthless, half, full, above), days = _boost(0.0, w, [0.0, 0.5, 1.0, 1.4],
                                                  [0.0, 0.0, 0.0, 0.0])
    assert worthless == pytest.approx(math.exp(w))
    assert half == pytest.approx(math.exp(0.5 * w))
    assert full == 1.0 and above == 1.0           # a value above a certain entry gains 0
    assert days[1] == pytest.approx(60.0 + 0.5 * w / beta)
    (both,), _ = _boost(0.0, w, [0.5], [1.0])     # the status adds to the gain
    assert both == pytest.approx(math.exp(1.5 * w))


def _cuban_outcomes(weight):
    sc = (load_scenario("historical").with_span("2023-01", "2023-12")
          .with_parameters(port_status_weight=weight))
    res = simulate(sc, seed=3, scale=200)
    o = res.tables["outcomes"]
    o = o[(o["citizenship"] == "Cuba") & o["month"].astype(str).between("2023-06", "2023-12")]
    port = float(o.loc[o["measure"] == "port_paroles", "people"].sum())
    enc = res.encounters(by="citizenship")
    enc = enc[(enc["citizenship"] == "Cuba")
              & enc["month"].astype(str).between("2023-06", "2023-12")]
    return port, float(enc["encounters"].sum())


def test_a_status_only_a_port_opens_moves_cubans_from_between_the_ports_to_the_ports():
    port0, usbp0 = _cuban_outcomes(0.0)
    port1, usbp1 = _cuban_outcomes(5.0)
    assert port1 / (port1 + usbp1) > port0 / (port0 + usbp0) + 0.2
    assert usbp1 < 0.7 * usbp0


def _port_share(weight, nationality):
    sc = (load_scenario("historical").with_span("2023-03", "2023-12")
          .with_parameters(port_gain_weight=weight))
    res = simulate(sc, seed=3, scale=200)
    o = res.tables["outcomes"]
    o = o[o["month"].astype(str).between("2023-06", "2023-12")]
    port = o[o["measure"] == "port_paroles"].groupby("citizenship")["people"].sum()
    return float(port.get(nationality, 0.0)) / float(port.sum())


def test_nationalities_a_crossing_between_ports_gives_little_take_more_of_the_appointments():
    # after Title 42, Mexicans apprehended between the ports are removed at once; with no
    # status at a port, only the certain entry of a port parole weighs for them
    assert _port_share(5.0, "Mexico") > _port_share(0.0, "Mexico") + 0.1
