"""Diplomacy (MODEL.md mechanism 10): U.S. pressure moves Mexico's enforcement effort.

A tariff threat (lever ``us_tariff_threat``) draws a fast, strong response
(time constant ``tariff_response_days``) that fades once the threat is over
(``tariff_decay_days``) and costs Mexico output, which raises Mexican
departures (``tariff_cost``).  Cooperation (``us_cooperation``) draws a slower
response (``cooperation_response_days``) that is sustained but erodes with
fatigue while it lasts (``cooperation_fatigue_days``).  Mexico's checkpoint
staffing is the scenario's staffing times this effort; the effort adds staff only up to
Mexico's capacity (``mx_capacity_max``), and never cuts the staffing the scenario itself
sets (a dated deployment, or a fitted class magnitude, is what it is: cutting it at the
capacity made the upper part of ``magnitude_mx_staff_surge``'s range inert).
"""

from __future__ import annotations

import numpy as np

from borderflow.scenario.registry import NATIONALITIES


def _response(signal: np.ndarray, rise_days: float, fall_days: float) -> np.ndarray:
    """First-order response to a 0/1 signal: rises with ``rise_days``, falls with ``fall_days``."""
    out = np.zeros(len(signal))
    r = 0.0
    for t, x in enumerate(signal):
        tau = rise_days if x > r else fall_days
        r += (x - r) / max(tau, 1.0)
        out[t] = r
    return out


def _fatigue(signal: np.ndarray, days: float) -> np.ndarray:
    """exp(-time under cooperation so far / days)."""
    return np.exp(-np.cumsum(signal > 0) / max(days, 1.0))


def effort(lv: dict, p: dict) -> np.ndarray:
    """(days,) Mexican enforcement effort multiplier from U.S. pressure (1 = none)."""
    threat = lv["us_tariff_threat"][:, 0]
    coop = lv["us_cooperation"][:, 0]
    e = (1.0 + p["tariff_gain"] * _response(threat, p["tariff_response_days"],
                                             p["tariff_decay_days"])
         + p["cooperation_gain"] * _response(coop, p["cooperation_response_days"],
                                             p["cooperation_response_days"])
         * _fatigue(coop, p["cooperation_fatigue_days"]))
    return e


def apply_pressure(lv: dict, p: dict) -> dict:
    """Levers with staffing scaled by the effort (what it adds capped at the capacity, the
    scenario's own staffing never cut) and the tariff's cost to Mexico."""
    out = dict(lv)
    e = effort(lv, p)
    staff = lv["mx_checkpoint_staff"]
    out["mx_checkpoint_staff"] = np.maximum(np.minimum(staff * e[:, None], p["mx_capacity_max"]),
                                            staff)
    shock = lv["origin_shock"].copy()
    shock[:, NATIONALITIES.index("Mexico")] *= 1.0 + p["tariff_cost"] * lv["us_tariff_threat"][:, 0]
    out["origin_shock"] = shock
    out["mx_effort"] = e
    return out
