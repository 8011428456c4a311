"""Departures (MODEL.md mechanism 1): push x pull x networks x shock x season.

Daily departures per nationality are ``base * push * shock * season`` divided by the days
of the month (:func:`departure_rates`, precomputed), times, in the day loop, the pull of
the value of an attempt as compatriots experienced it (:func:`attempt_value`: getting
past the Border Patrol, weighed against the consequence of failing, or release if
encountered, the release being the share of compatriots' encounters that ended in
release, ``feedback.value_step``), network momentum and the asylum backlog's wait, less
what parole replaces (:func:`parole_factor`).  Non-Mexicans are deterred by Mexico's
checkpoint staffing as they perceive it.  Panama's Darien counts are not read: the flows
that cross it are generated here and counted as they enter the network (an outcome,
``darien_crossings``).
"""
from __future__ import annotations

import numpy as np
from numba import njit

from borderflow.engine.calendar import Calendar
from borderflow.engine.usborder import apprehension_chance, release_table
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


#: the citizenship whose departures follow its population abroad (:func:`population_index`)
STOCK_ABROAD = "Venezuela"


def population_index(cal: Calendar, drv) -> np.ndarray:
    """(days, nat) the population at risk of leaving, 1 in mid-2019: for Venezuelans, the
    Venezuelans living in Latin America and the Caribbean (``drivers.venezuelan_stock``,
    R4V), from whom the northbound flow came, against the same in mid-2019, linear between
    dated figures and held before the first and after the last figure dated up to the
    drivers' cut (``drv.cut_at``); 1 for the other citizenships, whose population at home
    the push indices scale.  Departures are proportional to it to the power
    ``population_elasticity`` (:func:`departure_rates`)."""
    out = np.ones((cal.n_days, len(NATIONALITIES)))
    cut = getattr(drv, "cut_at", None)
    points = sorted((d, v) for d, v in drivers.venezuelan_stock().items()
                    if cut is None or d[:7] <= cut)
    if not points:
        return out
    t = np.array([_frac_year(d) for d, _ in points])
    v = np.array([p for _, p in points])
    day = cal.day_year + (cal.day_doy - 1) / 365.25
    out[:, NATIONALITIES.index(STOCK_ABROAD)] = (np.interp(day, t, v)
                                                 / np.interp(REF_YEAR + 0.5, t, v))
    return out


def _frac_year(date: str) -> float:
    """A date "YYYY-MM-DD" as a fractional year (the day of the year over 365.25)."""
    year = date[:4]
    return int(year) + (np.datetime64(date) - np.datetime64(f"{year}-01-01")).astype(int) / 365.25


#: family statuses of the encounter tables, in the order (family unit, unaccompanied child)
FAMILY_STATUSES = ("Family Unit Individuals", "Unaccompanied Children")
#: the trailing months of pooled encounters a citizenship with too few of its own takes
POOLED_MONTHS = 12
#: parameters derived at each run by :func:`family_status_shares`
RULE_PARAMETERS = ("family_share", "uac_share")


def family_status_shares(cut_at: str | None, min_people: float) -> dict[str, np.ndarray]:
    """The rule that sets ``family_share`` and ``uac_share`` (each (nat,)) from data up to
    ``cut_at`` (a run's drivers' cut, a backtest's origin; None: every bundled month): a
    citizenship's shares of family-unit individuals and of unaccompanied children among
    its CBP Southwest border encounters of those months
    (``drivers.monthly_family_status``), or, where it has fewer than ``min_people`` of
    them (every citizenship before October 2019, when the table starts), the shares of
    all of USBP's Southwest encounters over the :data:`POOLED_MONTHS` months up to the
    cut.  The shares are of encounters, repeat crossings included."""
    table = drivers.monthly_family_status()
    months = [m for m in sorted(table) if cut_at is None or m <= cut_at]

    def shares(who: str, among: list[str]) -> tuple[float, np.ndarray]:
        cells = [table[m] for m in among]
        by = np.array([sum(c.get((who, d), 0.0) for c in cells) for d in FAMILY_STATUSES])
        total = sum(v for c in cells for (w, _), v in c.items() if w == who)
        return total, by / max(total, 1.0)

    pooled_months = [m for m in months if any(w == "All" for w, _ in table[m])]
    _, pooled = shares("All", pooled_months[-POOLED_MONTHS:])
    out = np.empty((2, len(NATIONALITIES)))
    for j, nat in enumerate(NATIONALITIES):
        total, own = shares(nat, months)
        out[:, j] = own if total >= min_people else pooled
    return {"family_share": out[0], "uac_share": out[1]}


def entry_shares(p: dict, visa: np.ndarray) -> np.ndarray:
    """(nat, 3) shares of (air, Managua, Darien) for non-Central-American departures."""
    air = p["air_share"] * (1.0 - visa)
    rest = 1.0 - air
    managua = rest * p["managua_share"]
    return np.stack([air, managua, rest - managua], axis=-1)


def release_expectation(lv: dict, p: dict, release_fam: np.ndarray | None = None) -> np.ndarray:
    """(days, nat) chance of release into the U.S. if encountered, averaged over demographics
    (the formula of the border itself, ``usborder.release_of``), Title 8 release
    ``us_release_rate`` (of families ``release_fam``, the same by default)."""
    rel = np.asarray(lv["us_release_rate"], float)
    both = np.ascontiguousarray(np.stack([rel, rel if release_fam is None else release_fam]))
    return release_table(np.ascontiguousarray(lv["us_title42"]),
                         np.ascontiguousarray(lv["us_title42_family_share"]),
                         np.ascontiguousarray(lv["us_title42_uac"][:, 0]), both,
                         np.ascontiguousarray(lv["us_mpp_share"][:, 0]),
                         np.asarray(p["family_share"], float), np.asarray(p["uac_share"], float),
                         float(p["uac_release"]))


@njit(cache=True)
def _smoothed(x, a):
    out = np.empty_like(x)
    out[0] = x[0]
    for t in range(1, x.shape[0]):
        for j in range(x.shape[1]):
            out[t, j] = out[t - 1, j] + a * (x[t, j] - out[t - 1, j])
    return out


def perceived(x: np.ndarray, days: float) -> np.ndarray:
    """Exponential smoothing along the first axis (perception lag), starting at steady state."""
    x = np.asarray(x, float)
    flat = np.ascontiguousarray(x.reshape(len(x), -1))
    return _smoothed(flat, 1.0 / max(days, 1.0)).reshape(x.shape)


@njit(cache=True)
def _apprehension_of_posture(base, post):
    out = np.empty(len(post))
    for t in range(len(post)):
        out[t] = apprehension_chance(base, post[t], False, 0.0)
    return out


def evader_apprehension(lv: dict, p: dict) -> np.ndarray:
    """(days,) chance that an evader is apprehended on an urban crossing at the posture of
    the median sector (the formula of the border, ``usborder.apprehension_chance``): a
    posture raised in one sector moves crossers to the others (route choice) rather than
    deterring them; raised along the border, it deters."""
    post = np.median(np.asarray(lv["us_bp_posture"], float), axis=1)
    base = float(p["apprehension_urban"])
    return _apprehension_of_posture(base, np.ascontiguousarray(post, float))


def evade_value(lv: dict, p: dict) -> np.ndarray:
    """(days, nat) value of the evade option at the border.

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
    return (1.0 - a) * (1.0 + t42 * retry * a) * np.exp(-cost * a * (1.0 - t42))


@njit(cache=True)
def attempt_value(evade, release, w):
    """Value of one attempt at the border: the evade option (:func:`evade_value`),
    weighted by ``w`` (``evasion_floor``, its weight for the nationality), plus the chance
    of release if encountered.  The day loop evaluates it with the release its
    compatriots experienced (``feedback.value_step``); at the reference it gives
    :func:`reference_value`."""
    return w * evade + (1.0 - w) * release


def reference_value(p: dict) -> np.ndarray:
    """(nat,) :func:`attempt_value` at which pull is 1: posture 1, no Title 42,
    consequence 1, release chance ``reference_release``."""
    base = float(p["apprehension_urban"])
    evade = (1.0 - base) * np.exp(-float(p["consequence_weight"]) * base)
    return attempt_value(evade, float(p["reference_release"]),
                         np.asarray(p["evasion_floor"], float))


def evade_tables(lv: dict, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """(days, nat) :func:`evade_value` as seen in a border city (smoothed over
    ``border_perception_days``) and as perceived where migrants set out
    (``perception_days``)."""
    v = evade_value(lv, p)
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


@njit(cache=True)
def parole_factor(lam: float, parole: float, substitution: float) -> float:
    """Factor on a nationality's departures (``lam`` a day) when ``parole`` authorisations
    a day are open to it: a departure is replaced with chance ``substitution`` x parole /
    (parole + lam), so the crossings removed, ``substitution`` x parole x lam / (parole +
    lam), never exceed what the pathway absorbs (``substitution`` x parole) nor the flow
    itself, and no floor is needed."""
    if parole <= 0.0 or lam <= 0.0:
        return 1.0
    return 1.0 - substitution * parole / (parole + lam)


def network_start(p: dict, first_month: str) -> np.ndarray:
    """(nat,) how far each citizenship's network stands from maturity on a run's first day:
    its share of the USBP encounters of the ``network_start_months`` months before that day
    (``drivers.monthly_encounters``; each month's figure plus ``network_start_pseudocount``,
    half the rounding unit of the published figures, so that a citizenship reported at
    zero is not held at zero for ever) against its share of ``base_departures``.  The
    corridor as a whole starts mature; a citizenship that barely came before the run starts
    with few recent arrivals and its network grows with its own arrivals
    (``feedback.network_step``).  All ones (every network mature) when
    ``network_start_months`` is 0 or the table has no month before the run."""
    n_months = int(p["network_start_months"])
    base = np.asarray(p["base_departures"], float)
    table = drivers.monthly_encounters()
    months = [m for m in sorted(table) if m < first_month][-n_months:] if n_months > 0 else []
    if not months:
        return np.ones(len(NATIONALITIES))
    pseudo = float(p["network_start_pseudocount"])
    seen = np.array([sum(table[m].get(n, 0.0) + pseudo for m in months) for n in NATIONALITIES])
    return (seen / seen.sum()) / (base / base.sum())


def departure_rates(lv: dict, p: dict, cal: Calendar, drv,
                    checkpoints_by_state: np.ndarray | None = None) -> np.ndarray:
    """(days, nat) expected departures per day (people) at pull 1, before the day loop's
    feedback: the pull of the value compatriots experienced (``feedback.value_step``),
    network momentum, the asylum backlog's wait and parole (:func:`parole_factor`)."""
    season = seasonal_factor(p, cal.day_calmonth)[:, None]
    per_day = p["base_departures"][None, :] / cal.month_days[cal.day_month][:, None]
    lam = (per_day * season * push_index(p, cal, drv)
           * population_index(cal, drv) ** float(p["population_elasticity"]) * lv["origin_shock"])
    if checkpoints_by_state is not None:
        lam = lam * deterrence(lv, p, checkpoints_by_state)
    return lam * aid_factor(lv, p, cal, drv)
