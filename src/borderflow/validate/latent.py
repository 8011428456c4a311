"""Second calibration stage: estimate the residual push and sector series.

With the structural parameters fixed, the residual series (``borderflow.scenario.latent``)
are found by damped iterative proportional fitting: simulate, then for every fitting
window move each nationality's log multiplier by ``step x log(observed / simulated
encounters)`` and each sector's utility shift by ``damping x log(observed / simulated
share)``; repeat a fixed number of times.  A multiplier's step starts at ``damping`` and
is halved each time its error changes sign: a nationality whose encounters answer the
push more than in proportion (the network of earlier migrants amplifies it) would
otherwise jump between too many and too few.  Every iteration simulates the same seeds
(common random numbers) through any ``concurrent.futures.Executor`` and averages them in
seed order, so the result does not depend on the number of workers.

Only months inside ``span`` are used: a backtest refits on the data up to its origin.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor

import numpy as np

from borderflow.scenario.latent import centre, policy_breaks, windows
from borderflow.scenario.model import Latent
from borderflow.scenario.registry import NATIONALITIES, SECTORS

ITERATIONS = 8
DAMPING = 0.8
#: Whether the departures multipliers are interpolated piecewise between dated policy
#: changes for named nationalities (``scenario.latent.policy_breaks``).
USE_BREAKS = True
#: Factor on a departures multiplier's step when its window's error changes sign.
STEP_SHRINK = 0.5
SEEDS = 2
#: Multipliers and shifts stay inside these bounds (far inside the schema's).
PUSH_BOUNDS = (0.02, 50.0)
SHIFT_BOUNDS = (-5.0, 5.0)
HAZARD_BOUNDS = (0.02, 2.0)
AREA_BOUNDS = (0.05, 20.0)
#: Pseudo-share added to each area's share of deaths (sampled deaths are few per area).
AREA_PSEUDO = 0.02
RETRY_BOUNDS = (0.05, 0.99)
CRACKDOWN_BOUNDS = (0.002, 1.0)
#: Gain of the crackdown step: the non-Mexican encounters of a month under full crackdown
#: move about 1/18 as fast as the daily pickup chance in logs (0.02 -> 0.5 a day: -17%
#: in January 2024, scale 50, 3 seeds), so the log of the pickup moves by this gain times
#: the log error (damped like the other steps).
CRACKDOWN_GAIN = 15.0
INTERCEPTION_BOUNDS = (0.002, 0.3)
#: Pseudo-counts that keep small cells from driving the update: encounters per window
#: (nationality) and share points (sector).
PUSH_PSEUDO = 300.0
SHARE_PSEUDO = 0.002


def simulate_arrays(params: dict, latent: dict, span: tuple[str, str], months: list[str],
                    scale: int, seed: int) -> dict:
    """Worker: one historical run with ``params`` and ``latent``; the model's counterparts
    of the targets (see ``objective.simulated``)."""
    from borderflow.api import simulate
    from borderflow.scenario import load_scenario
    from borderflow.validate.objective import simulated
    from borderflow.validate.origin import cut_drivers

    sc = (cut_drivers(load_scenario("historical"), span[1]).with_span(*span)
          .with_parameters(**params)
          .with_latent(latent))
    return simulated(simulate(sc, seed=seed, scale=scale), months)


def _mean(sims: list[dict]) -> dict:
    out = {k: np.mean([s[k] for s in sims], axis=0) for k in ("total", "sector", "citizenship",
                                                              "demographic", "repeat",
                                                              "mx_apprehended", "deaths_area")}
    for k in ("deaths_monthly", "backlog"):
        out[k] = sum((s[k] for s in sims[1:]), sims[0][k]) / len(sims)
    return out


def _area_step(current: dict | None, sim_deaths, obs_deaths, damping: float) -> dict:
    """One damped step of the area multipliers of the hazard towards IOM's shares."""
    from borderflow.scenario.registry import BORDER_AREAS

    names = [n for n, _ in BORDER_AREAS]
    cur = np.array([(current or {}).get(n, 1.0) for n in names], float)
    sim, obs = np.asarray(sim_deaths, float), np.asarray(obs_deaths, float)
    if sim.sum() <= 0:
        return dict(zip(names, cur.tolist(), strict=True))
    ratio = (obs / obs.sum() + AREA_PSEUDO) / (sim / sim.sum() + AREA_PSEUDO)
    new = np.clip(cur * ratio ** damping, *AREA_BOUNDS)
    new = np.clip(new / np.exp(np.mean(np.log(new))), *AREA_BOUNDS)
    return {n: float(f"{v:.6g}") for n, v in zip(names, new, strict=True)}


def crackdown_months(span: tuple[str, str], months: list[str]) -> list[str]:
    """Months of ``span`` under a Mexican border-city crackdown on every day (the
    ``mx_city_crackdown`` lever of the historical timeline above 0 in some city)."""
    from borderflow.engine.calendar import make_calendar
    from borderflow.engine.levers import resolve_levers
    from borderflow.scenario import load_scenario

    cal = make_calendar(*span)
    lv = resolve_levers(load_scenario("historical").with_span(*span), cal)
    on = lv["mx_city_crackdown"].max(axis=1) > 0.0
    full = [bool(on[cal.day_month == k].all()) for k in range(len(cal.months))]
    return [mo for mo, f in zip(cal.months, full, strict=True) if f and mo in months]


def _crackdown_share(cit: np.ndarray, rows: list[np.ndarray], idx: list[int]) -> float | None:
    """Share of the non-Mexican encounters of the windows holding months ``idx`` that fall
    in those months (None if no window holds one, or they fill their windows)."""
    keep = [r for r in rows if set(idx) & set(r.tolist())]
    if not keep:
        return None
    allm = sorted({int(i) for r in keep for i in r})
    if set(allm) <= set(idx):
        return None
    non_mx = cit[:, [j for j, n in enumerate(NATIONALITIES) if n != "Mexico"]].sum(1)
    return float(non_mx[idx].sum() / max(non_mx[allm].sum(), 1.0))


def _crackdown_step(pickup: float, sim_share: float, obs_share: float, damping: float) -> float:
    """One damped step of the crackdown pickup chance towards the observed share."""
    p = pickup * (sim_share / obs_share) ** (CRACKDOWN_GAIN * damping)
    return float(f"{np.clip(p, *CRACKDOWN_BOUNDS):.6g}")


def _push_step(push: np.ndarray, step: np.ndarray, prev: np.ndarray, err: np.ndarray
               ) -> None:
    """Move the multipliers in place by ``step x err`` (log errors); halve the steps of the
    cells whose error changed sign since ``prev`` (updated in place)."""
    flip = err * prev < 0.0
    step[flip] *= STEP_SHRINK
    push *= np.exp(step * err)
    prev[...] = err


def to_latent(knots, push: np.ndarray, shift: np.ndarray,
              breaks: dict[str, list] | None = None) -> Latent:
    return Latent(knots=knots,
                  push={n: [float(f"{v:.5g}") for v in push[j]] for j, n in enumerate(NATIONALITIES)},
                  sector={s: [float(f"{v:.5g}") for v in shift[j]] for j, s in enumerate(SECTORS)},
                  breaks=breaks or {})


def fit_latent(executor: Executor, params: dict, targets, *, span: tuple[str, str],
               scale: int = 20, seed: int = 0, seeds: int = SEEDS,
               iterations: int = ITERATIONS, damping: float = DAMPING,
               progress: Callable[[int, int, dict], None] | None = None
               ) -> tuple[Latent, dict, list[dict]]:
    """Fit the residual series on ``targets`` (months of ``span``); return the series,
    ``params`` with ``hazard_scale`` rescaled so that deaths over the span match (more
    crossings through the residual push would otherwise mean more deaths at the
    structural stage's hazard) and ``retry_after_expulsion`` rescaled so that the mean
    re-encounter rate over CBP's published periods in the span matches (the push changes
    who is encountered, and with it the share of repeats; the share is about proportional
    to the retry chance), ``interception_per_checkpoint`` rescaled so that Mexico's
    apprehensions over the years of UPM figures in the span match (the structural search
    sees only U.S. data, where interceptions act through delays), ``hazard_by_area``
    rescaled so that each area's share of the deaths over the span matches IOM's (its
    geometric mean held at 1: the level is the hazard scale's), ``crackdown_pickup``
    rescaled so that the months under a full Mexican border-city crackdown hold the
    observed share of their windows' non-Mexican encounters (the residual push fits each
    window's sum, not how it falls within the window), and the score of every
    iteration (the last entry scores the returned series and parameters)."""
    from borderflow.validate.objective import mexico_years, reencounter_rates, score

    months = targets.months
    win = windows(months)
    knots = [centre(w) for w in win]
    breaks = policy_breaks(span[1]) if USE_BREAKS else {}
    rows = [np.array([months.index(m) for m in w]) for w in win]
    push = np.ones((len(NATIONALITIES), len(win)))
    shift = np.zeros((len(SECTORS), len(win)))
    step = np.full(push.shape, float(damping))
    prev = np.zeros(push.shape)
    err = np.zeros(push.shape)
    history: list[dict] = []
    seed_list = [seed + i for i in range(max(1, seeds))]
    params = dict(params)
    obs_deaths = sum(v for v, _ in targets.deaths.values())
    death_months = [mo for _, ms in targets.deaths.values() for mo in ms]
    crack = [months.index(mo) for mo in crackdown_months(span, months)]
    obs_crack = _crackdown_share(targets.citizenship, rows, crack) if crack else None
    for it in range(iterations + 1):
        t0 = time.perf_counter()
        lat = to_latent(knots, push, shift, breaks)
        push, shift = (np.array([lat.push[n] for n in NATIONALITIES]),
                       np.array([lat.sector[s] for s in SECTORS]))   # as stored (rounded)
        dump = lat.model_dump(mode="json")
        sims = list(executor.map(simulate_arrays, [params] * len(seed_list),
                                 [dump] * len(seed_list), [span] * len(seed_list),
                                 [months] * len(seed_list), [scale] * len(seed_list),
                                 seed_list))
        sim = _mean(sims)
        r = score(sim, targets)
        r["iteration"] = it
        r["wall_seconds"] = round(time.perf_counter() - t0, 2)
        history.append(r)
        if progress is not None:
            progress(it, iterations, r)
        if it == iterations:
            return lat, params, history
        sim_deaths = float(sim["deaths_monthly"].reindex(death_months).fillna(0).sum())
        if obs_deaths > 0 and "hazard_scale" in params:
            h = params["hazard_scale"] * ((obs_deaths + 10) / (sim_deaths + 10)) ** damping
            params["hazard_scale"] = float(f"{np.clip(h, *HAZARD_BOUNDS):.6g}")
        if targets.reencounter and "retry_after_expulsion" in params:
            rates = reencounter_rates(sim, targets)
            obs_r = float(np.mean([o for _, o, _ in rates]))
            sim_r = float(np.mean([x for _, _, x in rates]))
            r = params["retry_after_expulsion"] * ((obs_r + 0.01) / (sim_r + 0.01)) ** damping
            params["retry_after_expulsion"] = float(f"{np.clip(r, *RETRY_BOUNDS):.6g}")
        if targets.deaths_area is not None and targets.deaths_area.sum() > 0:
            params["hazard_by_area"] = _area_step(params.get("hazard_by_area"),
                                                  sim["deaths_area"], targets.deaths_area,
                                                  damping)
        if targets.mexico and "interception_per_checkpoint" in params:
            years = mexico_years(sim, targets)
            obs_m, sim_m = sum(o for _, o, _ in years), sum(x for _, _, x in years)
            c = params["interception_per_checkpoint"] * ((obs_m + 1e3) / (sim_m + 1e3)) ** damping
            params["interception_per_checkpoint"] = float(f"{np.clip(c, *INTERCEPTION_BOUNDS):.6g}")
        if obs_crack and "crackdown_pickup" in params:
            sim_crack = _crackdown_share(sim["citizenship"], rows, crack)
            if sim_crack:
                params["crackdown_pickup"] = _crackdown_step(params["crackdown_pickup"],
                                                             sim_crack, obs_crack, damping)
        for w, idx in enumerate(rows):
            obs, mod = targets.citizenship[idx].sum(0), sim["citizenship"][idx].sum(0)
            err[:, w] = np.log((obs + PUSH_PSEUDO) / (mod + PUSH_PSEUDO))
            so, sm = targets.sector[idx].sum(0), sim["sector"][idx].sum(0)
            so, sm = so / max(so.sum(), 1.0), sm / max(sm.sum(), 1.0)
            shift[:, w] += damping * np.log((so + SHARE_PSEUDO) / (sm + SHARE_PSEUDO))
            shift[:, w] -= shift[:, w].mean()
        _push_step(push, step, prev, err)
        np.clip(push, *PUSH_BOUNDS, out=push)
        np.clip(shift, *SHIFT_BOUNDS, out=shift)
    raise AssertionError("unreachable")
