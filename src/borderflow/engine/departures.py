"""Departures (MODEL.md mechanism 1, basic form): push x pull x shock x season.

Daily departures per nationality are ``base * push * pull * shock * season``
divided by the days of the month, where push follows the origin's GDP per
capita and homicide rate (annual drivers, relative to 2019), pull follows the
perceived value of an attempt under the U.S. policy of the day (:func:`attempt_value`:
the chance of entering by release or by getting past the Border Patrol, and the
consequence of failing), and non-Mexicans are deterred by Mexico's checkpoint staffing
as they perceive it.  Panama's Darien counts are not read: the flows that cross it are
generated here and counted as they enter the network (an outcome, ``darien_crossings``).
"""

from __future__ import annotations

import numpy as np

from borderflow.engine.calendar import Calendar
from borderflow.engine.usborder import release_table
from borderflow.scenario import drivers
from borderflow.scenario.registry import NATIONALITIES

REF_YEAR = 2019


def _yearly(series: dict[int, float], years: np.ndarray) -> np.ndarray:
    """Value by day from annual points at mid-year; persistence past either end."""
    ys = np.array(sorted(series), dtype=float)
    vs = np.array([series[int(y)] for y in ys])
    return np.interp(years, ys + 0.5, vs)


def push_index(p: dict, cal: Calendar, drv) -> np.ndarray:
    """(days, nat) push from GDP per capita and homicide rate, 1 in 2019 (drivers cut at
    ``drv.cut_at`` and projected by ``drv.projection``)."""
    frac_year = cal.day_year + (cal.day_doy - 1) / 365.25
    out = np.ones((cal.n_days, len(NATIONALITIES)))
    if not drivers.has(drv.annual):
        return out
    tab = drivers.annual_series(drv)
    for j, nat in enumerate(NATIONALITIES):
        for ind, el in (("gdp_per_capita_usd", -p["gdp_elasticity"]),
                        ("homicide_rate_per_100k", p["homicide_elasticity"])):
            s = tab.get((nat, ind))
            if not s or REF_YEAR not in s or s[REF_YEAR] <= 0:
                continue
            out[:, j] *= (_yearly(s, frac_year) / s[REF_YEAR]) ** el
    return out


def entry_shares(p: dict, visa: np.ndarray) -> np.ndarray:
    """(nat, 3) shares of (air, Managua, Darien) for non-Central-American departures."""
    air = p["air_share"] * (1.0 - visa)
    rest = 1.0 - air
    managua = rest * p["managua_share"]
    return np.stack([air, managua, rest - managua], axis=-1)


def release_expectation(lv: dict, p: dict) -> np.ndarray:
    """(days, nat) chance of release into the U.S. if encountered, averaged over demographics
    (the formula of the border itself, ``usborder.release_of``)."""
    return release_table(np.ascontiguousarray(lv["us_title42"]),
                         np.ascontiguousarray(lv["us_title42_family_share"][:, 0]),
                         np.ascontiguousarray(lv["us_title42_uac"][:, 0]),
                         np.ascontiguousarray(lv["us_release_rate"]),
                         np.ascontiguousarray(lv["us_mpp_share"][:, 0]),
                         np.asarray(p["family_share"], float), np.asarray(p["uac_share"], float),
                         float(p["uac_release"]))


def perceived(x: np.ndarray, days: float) -> np.ndarray:
    """Exponential smoothing along the first axis (perception lag), starting at steady state."""
    a = 1.0 / max(days, 1.0)
    out = np.empty_like(x)
    out[0] = x[0]
    for t in range(1, len(x)):
        out[t] = out[t - 1] + a * (x[t] - out[t - 1])
    return out


def evader_apprehension(lv: dict, p: dict) -> np.ndarray:
    """(days,) chance that an evader is apprehended on an urban crossing at the posture of
    the median sector (the formula of the border, ``usborder.apprehension_chance``): a
    posture raised in one sector moves crossers to the others (route choice) rather than
    deterring them; raised along the border, it deters."""
    post = np.median(np.asarray(lv["us_bp_posture"], float), axis=1)
    base = float(p["apprehension_urban"])
    odds = base / (1.0 - base) * post
    return odds / (1.0 + odds)


def attempt_value(lv: dict, p: dict) -> np.ndarray:
    """(days, nat) value of one attempt at the border: the evade option, weighted by
    ``evasion_floor`` (its weight for the nationality), plus release if encountered.

    An evader gets through with 1 - a (``a``: :func:`evader_apprehension`).  If
    apprehended under Title 42 (share ``t42`` of the nationality) it is expelled and
    retries at once with ``retry_after_expulsion``, getting through with 1 - a again;
    under Title 8 it is removed with a re-entry bar and possible prosecution, which
    costs ``consequence_weight`` x ``us_removal_consequence`` (1 = Title 8 removal as
    applied in 2019) in the exponent.  So Mexicans, who rarely claim asylum, are drawn
    by expulsion with quick retry and deterred by a stronger Border Patrol or a harsher
    consequence of apprehension, as everyone else is."""
    a = evader_apprehension(lv, p)[:, None]
    t42 = np.asarray(lv["us_title42"], float)
    retry = float(p["retry_after_expulsion"])
    cost = float(p["consequence_weight"]) * np.asarray(lv["us_removal_consequence"], float)
    evade = (1.0 - a) * (1.0 + t42 * retry * a) * np.exp(-cost * a * (1.0 - t42))
    w = np.asarray(p["evasion_floor"], float)[None, :]
    return w * evade + (1.0 - w) * release_expectation(lv, p)


def reference_value(p: dict) -> np.ndarray:
    """(nat,) :func:`attempt_value` at which pull is 1: release chance
    ``reference_release``, posture 1, no Title 42, consequence 1."""
    base = float(p["apprehension_urban"])
    cost = float(p["consequence_weight"])
    evade = (1.0 - base) * np.exp(-cost * base)
    w = np.asarray(p["evasion_floor"], float)
    return w * evade + (1.0 - w) * float(p["reference_release"])


def pull_index(lv: dict, p: dict) -> np.ndarray:
    v = perceived(attempt_value(lv, p), p["perception_days"])
    return (np.maximum(v, 1e-6) / reference_value(p)[None, :]) ** p["pull_elasticity"]


def border_values(lv: dict, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """(days, nat) :func:`attempt_value` as seen in a border city (smoothed over
    ``border_perception_days``) and as perceived where migrants set out
    (``perception_days``, the pull factor's smoothing).  A migrant at the border compares
    the first with the second on its departure day (engine kernel)."""
    v = attempt_value(lv, p)
    return (np.ascontiguousarray(perceived(v, p["border_perception_days"])),
            np.ascontiguousarray(perceived(v, p["perception_days"])))


def seasonal_factor(p: dict, calmonth: np.ndarray) -> np.ndarray:
    """Factor on departures by calendar month (1-12): 1 + amplitude x cos(2 pi (month -
    peak) / 12), two fitted numbers."""
    amp, peak = float(p["seasonality_amplitude"]), float(p["seasonality_peak_month"])
    return 1.0 + amp * np.cos(2.0 * np.pi * (np.asarray(calmonth, float) - peak) / 12.0)


def enforcement_index(staff: np.ndarray, checkpoints_by_state: np.ndarray) -> np.ndarray:
    """(days,) checkpoint staffing averaged over Mexico's checkpoints (1 = January 2019)."""
    w = checkpoints_by_state / max(checkpoints_by_state.sum(), 1e-12)
    return staff @ w


def deterrence(lv: dict, p: dict, checkpoints_by_state: np.ndarray) -> np.ndarray:
    """(days, nat) departures deterred by Mexican enforcement as migrants perceive it (not
    Mexicans, who cross no immigration checkpoint)."""
    idx = perceived(enforcement_index(lv["mx_checkpoint_staff"], checkpoints_by_state),
                    p["perception_days"])
    out = np.repeat((idx ** -p["mx_enforcement_elasticity"])[:, None], len(NATIONALITIES), axis=1)
    out[:, NATIONALITIES.index("Mexico")] = 1.0
    return out


def aid_factor(lv: dict, p: dict, cal: Calendar, drv) -> np.ndarray:
    """(days, nat) push after development aid: lagged by ``aid_lag_years``, with diminishing
    returns; where GDP per capita is below USD 4,000 an optional migration hump first raises
    emigration as incomes grow (Clemens 2014)."""
    lag = int(round(p["aid_lag_years"] * 365.25))
    aid = lv["aid_per_capita"]
    lagged = np.zeros_like(aid)
    if lag < len(aid):
        lagged[lag:] = aid[: len(aid) - lag]
    effect = 1.0 - np.exp(-np.log(2.0) * lagged / max(p["aid_half_saturation"], 1e-9))
    factor = 1.0 - p["aid_max_effect"] * effect
    if p["aid_hump"] > 0 and drivers.has(drv.annual):
        tab = drivers.annual_series(drv)
        for j, nat in enumerate(NATIONALITIES):
            gdp = tab.get((nat, "gdp_per_capita_usd"), {}).get(REF_YEAR)
            if gdp is not None and gdp < 4000.0:
                early = 1.0 - np.exp(-np.log(2.0) * aid[:, j] / p["aid_half_saturation"])
                factor[:, j] *= 1.0 + p["aid_hump"] * early * (1.0 - effect[:, j])
    return factor


def parole_substitution(lam: np.ndarray, lv: dict, p: dict) -> np.ndarray:
    """Parole authorisations replace border crossings (at most 90% of a nationality's flow)."""
    per_day = lv["us_parole_monthly_cap"] * 12.0 / 365.25 * p["parole_substitution"]
    return np.maximum(lam - per_day, 0.1 * lam)


def departure_rates(lv: dict, p: dict, cal: Calendar, drv,
                    checkpoints_by_state: np.ndarray | None = None) -> np.ndarray:
    """(days, nat) expected departures per day (people)."""
    season = seasonal_factor(p, cal.day_calmonth)[:, None]
    per_day = p["base_departures"][None, :] / cal.month_days[cal.day_month][:, None]
    lam = per_day * season * push_index(p, cal, drv) * pull_index(lv, p) * lv["origin_shock"]
    if checkpoints_by_state is not None:
        lam = lam * deterrence(lv, p, checkpoints_by_state)
    lam = lam * aid_factor(lv, p, cal, drv)
    lam = parole_substitution(lam, lv, p)
    return lam
