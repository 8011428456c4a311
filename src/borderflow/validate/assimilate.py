"""Data assimilation: a particle filter over monthly USBP encounters up to the origin.

**Latent state.**  One log push ``x_g`` per departure group (registry
:data:`~borderflow.scenario.registry.DEPARTURE_GROUPS`, 5 groups), a random walk
``x_g(t) = x_g(t-1) + sigma_g * e`` from 0 at the scenario's first month; a particle's
departures from every nationality of group ``g`` are multiplied by ``exp(x_g)`` (the
engine's ``F.push``).  Nothing else is latent and nothing is per window: the particle
carries the whole model state (agents on the way, people waiting in Mexico, backlog,
networks), so the filter also learns where the corridor is.

**Observations.**  Monthly USBP Southwest encounters by citizenship, summed by group
(the model's "Other" is the total minus the named citizenships), on the log scale:
``log(observed + 1) ~ N(log(simulated + 1), tau^2 + scale / (observed + scale))``, the
second term the Poisson sampling noise, in agents, of a count of the observed size (taken
at the observation, not at the particle: a particle that simulates almost nobody must not
earn a wide likelihood by it).

**The noise numbers** (6, counted): ``sigma_g`` (the random walk's standard deviation per
month, one per group) and ``tau`` (the observation error, one for all groups: the median
of the groups' estimates, which are noisy and often 0, so that no group's observation
outweighs the others by a chance estimate) from the robust moment estimates of a
local-level model (:func:`local_level`) of the mechanisms-alone run's log error by
group, ``log((observed + 1) / (ensemble median + 1))``, over the months up to the origin;
with under :data:`MIN_ERROR_MONTHS` such months, of the observed log series over the
:data:`HISTORY_MONTHS` months up to the origin.  Nothing after the origin is read.

**The filter** is a bootstrap particle filter: each observed month every particle draws
its innovation, runs the month, is weighted by the likelihood of that month's observation,
and the particles are resampled systematically (one uniform per month); every resampled
particle then continues on its own random stream.  Particle ``i`` starts as ensemble member
``i`` (``SeedSequence(seed, spawn_key=(i,))``); innovations, resampling uniforms and the
restarted streams come from ``SeedSequence(seed, spawn_key=(kind, month, ...))`` drawn in
the coordinating process, and each task is a pure function of its arguments, so the
weights and forecasts are identical with any number of workers or a Dask cluster.

**The forecast** continues every filtered particle past the origin with its latent still
a random walk of the same ``sigma``; the predictive band is over particles x the
observation error ``tau`` (a deterministic normal sample), and may be widened or narrowed
by one factor calibrated on earlier origins' errors only (:func:`rescale_band`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from borderflow.engine.calendar import make_calendar, shift_month
from borderflow.engine.inputs import SPINUP_MONTHS, resolve
from borderflow.engine.rand import make_state
from borderflow.engine.simulate import Simulation
from borderflow.ensemble.runner import SequentialExecutor, map_ordered, member_seed, run_attrs, stack_members
from borderflow.ensemble.spec import RunSpec
from borderflow.ensemble.summary import summary_dataset
from borderflow.errors import InputError
from borderflow.results import Results
from borderflow.scenario.load import scenario_hash
from borderflow.scenario.registry import DEPARTURE_GROUPS, NATIONALITIES
from borderflow.validate.bands import (
    band_sd,
    band_table,
    interval_scale,
    observed_breakdown,
    rescale_band,
    series_arrays,
)

GROUPS: tuple[str, ...] = tuple(DEPARTURE_GROUPS)
#: group index of each nationality (array order of NATIONALITIES)
NAT_GROUP = np.array([next(k for k, g in enumerate(GROUPS) if n in DEPARTURE_GROUPS[g])
                      for n in NATIONALITIES], np.int64)
DEFAULT_PARTICLES = 64
#: fewer months of the mechanisms' own error than this: the noise comes from the history
MIN_ERROR_MONTHS = 24
#: months of observed history up to the origin used when the model's errors are too few
HISTORY_MONTHS = 60
#: spawn-key kinds of the coordinator's random numbers (innovations, resampling, streams)
INNOVATION, RESAMPLE, RESTART = 1, 2, 3


# --------------------------------------------------------------------------- observations
def observed_groups(months: list[str]) -> np.ndarray:
    """Observed USBP SW encounters (months x groups), NaN where a month is not observed."""

    by_nat = observed_breakdown("citizenship", months, list(NATIONALITIES))
    out = _group_sum(by_nat)
    out[~np.isfinite(by_nat).all(axis=1)] = np.nan
    return out


def _group_sum(by_nat: np.ndarray) -> np.ndarray:
    """(..., nationality) -> (..., group)."""
    out = np.zeros(by_nat.shape[:-1] + (len(GROUPS),))
    for g in range(len(GROUPS)):
        out[..., g] = by_nat[..., NAT_GROUP == g].sum(axis=-1)
    return out


# --------------------------------------------------------------------------- noise numbers
@dataclass
class Noise:
    """The filter's noise numbers (a random-walk sigma per group, one pooled tau) and
    where they were estimated."""
    sigma: np.ndarray          # (groups,) random-walk standard deviation of x_g per month
    tau: np.ndarray            # (groups,) observation error (log scale; one pooled value)
    source: str
    months: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"groups": list(GROUPS), "sigma": [round(float(v), 5) for v in self.sigma],
                "tau": [round(float(v), 5) for v in self.tau], "source": self.source,
                "months": [self.months[0], self.months[-1]] if self.months else None,
                "counted_numbers": len(GROUPS) + 1}


def local_level(series: np.ndarray, lag: int = 12) -> tuple[float, float]:
    """(sigma, tau) of a local-level model (a random walk of standard deviation ``sigma``
    per month seen through white noise ``tau``) by robust moments: the variance of the
    one-month changes is ``sigma^2 + 2 tau^2`` and of the ``lag``-month changes
    ``lag sigma^2 + 2 tau^2`` (a year, so that a seasonal misfit counts as observation
    error, not as drift); variances as (1.4826 x median absolute deviation)^2, each
    number floored at 0."""
    y = np.asarray(series, float)
    y = y[np.isfinite(y)]
    if len(y) < lag + 6:
        raise InputError(f"{len(y)} observed months: too few to estimate the filter's "
                         "noise", field="origin", expected=f"at least {lag + 6} observed months")

    def var(x: np.ndarray) -> float:
        return float((1.4826 * np.median(np.abs(x - np.median(x)))) ** 2)

    v1, vl = var(np.diff(y)), var(y[lag:] - y[:-lag])
    s2 = max((vl - v1) / (lag - 1), 0.0)
    return float(np.sqrt(s2)), float(np.sqrt(max((v1 - s2) / 2.0, 0.0)))


def estimate_noise(ds, origin: str) -> Noise:
    """The noise numbers at ``origin`` from the mechanisms-alone ensemble ``ds`` (module
    doc); reads observations up to ``origin`` only."""

    arr, keys = series_arrays(ds, "citizenship")
    if keys != list(NATIONALITIES):
        raise InputError("the ensemble's citizenships differ from the registry's",
                         field="citizenship", expected=", ".join(NATIONALITIES))
    run_months = [str(x) for x in ds["month"].values]
    upto = [mo for mo in run_months if mo <= origin]
    obs = observed_groups(upto)
    ok = np.isfinite(obs).all(axis=1)
    if ok.sum() >= MIN_ERROR_MONTHS:
        med = np.median(_group_sum(arr[:, :len(upto), :]), axis=0)
        r = np.log((obs[ok] + 1.0) / (med[ok] + 1.0))
        months = [mo for mo, k in zip(upto, ok, strict=True) if k]
        source = "local level of the mechanisms-alone run's log error up to the origin"
    else:
        months = [shift_month(origin, -k) for k in range(HISTORY_MONTHS - 1, -1, -1)]
        o = observed_groups(months)
        keep = np.isfinite(o).all(axis=1)
        r, months = np.log(o[keep] + 1.0), [mo for mo, k in zip(months, keep, strict=True)
                                            if k]
        source = (f"local level of the observed log series over the {HISTORY_MONTHS} "
                  "months up to the origin (too few months of the model's own error)")
    fits = [local_level(r[:, g]) for g in range(len(GROUPS))]
    tau = float(np.median([f[1] for f in fits]))
    return Noise(sigma=np.array([f[0] for f in fits]), tau=np.full(len(GROUPS), tau),
                 source=source, months=months)


# --------------------------------------------------------------------------- particles
_INPUTS: dict = {}


def _resolved(sc, scale: int):
    """The resolved input of ``(sc, scale)``, kept per worker process (one scenario)."""

    key = (scenario_hash(sc), scale)
    if key not in _INPUTS:
        _INPUTS.clear()
        _INPUTS[key] = resolve(sc, scale)
    return _INPUTS[key]


def month_counts(sim, k: int) -> np.ndarray:
    """USBP encounters (people) by nationality in calendar month ``k`` of ``sim``."""
    return sim.C.enc[k].sum(axis=(0, 2, 3, 4)).astype(float) * sim.scale


def advance_particle(sc, scale: int, entropy: int, start, restart, push: np.ndarray,
                     month0: int, final: bool):
    """One task: particle state ``start`` (a member index for a new run, else a checkpoint)
    runs ``len(push)`` calendar months from ``month0`` with ``push[j]`` (per nationality) in
    month ``month0 + j``; ``restart`` (a spawn key) gives it a new random stream first.
    Returns the months' USBP encounters by nationality and the new checkpoint, or with
    ``final`` the member's summary dataset instead of the checkpoint."""

    inputs = _resolved(sc, scale)
    if isinstance(start, (int, np.integer)):
        sim = Simulation(sc, seed=None, scale=scale, seed_sequence=member_seed(entropy,
                                                                                int(start)),
                         inputs=inputs)
    else:
        sim = Simulation.restore(sc, start, inputs=inputs)
    if restart is not None:
        sim.model.rng[...] = make_state(np.random.SeedSequence(entropy,
                                                               spawn_key=tuple(restart)))
    ends = list(np.flatnonzero(np.diff(sim.cal.day_month)) + 1) + [sim.n_days]
    counts = np.zeros((len(push), len(NATIONALITIES)))
    for j, row in enumerate(push):
        sim.model.F.push[...] = row
        sim.advance(int(ends[month0 + j]) - sim.day)
        counts[j] = month_counts(sim, month0 + j)
    if final:

        return counts, summary_dataset(Results(sim.result()))
    return counts, sim.checkpoint()


# --------------------------------------------------------------------------- the filter
def systematic_resample(weights: np.ndarray, u: float) -> np.ndarray:
    """Indices of the particles kept: one uniform ``u`` in [0, 1) places N evenly spaced
    pointers on the cumulative weights (each particle is kept floor or ceil of N w times)."""
    n = len(weights)
    cum = np.cumsum(weights / weights.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, (u + np.arange(n)) / n, side="right").astype(np.int64)


def log_likelihood(obs: np.ndarray, sim: np.ndarray, tau: np.ndarray, scale: int
                   ) -> np.ndarray:
    """Per particle: the log likelihood of one month's observation (groups) given the
    particles' simulated counts (particles x groups), module doc."""
    var = np.broadcast_to(tau[None, :] ** 2 + scale / (obs[None, :] + scale), sim.shape)
    e = np.log(obs[None, :] + 1.0) - np.log(sim + 1.0)
    return -0.5 * (e ** 2 / var + np.log(2 * np.pi * var)).sum(axis=1)


def _weighted_quantiles(x: np.ndarray, w: np.ndarray, qs) -> list[float]:
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order])
    cw /= cw[-1]
    return [float(x[order][min(np.searchsorted(cw, q), len(x) - 1)]) for q in qs]


@dataclass
class Filtered:
    """A filter's result: the members (particles continued to the scenario's end), the
    filtered latent by month and group, and the filter's diagnostics."""
    ds: object                       # xarray Dataset: member x month x breakdown
    latent: pd.DataFrame             # month, group, mean, p10, median, p90
    weights: np.ndarray              # (observed months, particles) normalised weights
    ess: list[float]
    log_evidence: float              # sum of the months' log mean likelihood
    observed_months: list[str]
    noise: Noise
    wall_seconds: float


def run_filter(run: RunSpec, noise: Noise, *, origin: str | None,
               particles: int = DEFAULT_PARTICLES,
               observations: dict[str, np.ndarray] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Filtered:
    """Filter ``run.scenario`` (a Scenario; particles at ``run.scale``, seeded by
    ``run.seed``, on ``run.executor``) on the observed months up to ``origin`` (module
    doc) and continue the particles to the scenario's end.  ``observations``: month ->
    observed counts by group (default: the bundled observations of the scenario's months
    up to ``origin``; ``{}``: none, the particles are then the mechanisms-alone members
    with a moving latent).  ``progress(done, total)`` counts particle-months."""
    sc, seed, scale = run.scenario, run.seed, run.scale
    if particles < 2:
        raise InputError(f"particles must be >= 2, got {particles}", field="--particles")
    executor = run.executor or SequentialExecutor()
    t0 = time.perf_counter()
    months = list(make_calendar(shift_month(sc.start, -SPINUP_MONTHS), sc.end).months)
    if observations is None:
        inside = [mo for mo in months if sc.start <= mo and (origin is None or mo <= origin)]
        obs_arr = observed_groups(inside) if inside else np.zeros((0, len(GROUPS)))
        observations = {mo: obs_arr[j] for j, mo in enumerate(inside)
                        if np.isfinite(obs_arr[j]).all()}
    sigma, tau = np.asarray(noise.sigma, float), np.asarray(noise.tau, float)
    n, g = particles, len(GROUPS)
    x = np.zeros((n, g))
    state: list = list(range(n))
    restart: list = [None] * n
    path: list[list[np.ndarray]] = [[] for _ in range(n)]
    month0 = 0
    weights, ess, latent, seen = [], [], [], []
    log_ev = 0.0
    total_work = n * len(months)

    def step(final: bool):
        nonlocal month0
        items = [(sc, scale, seed, state[i], restart[i], np.array(path[i]), month0, final)
                 for i in range(n)]
        out = map_ordered(executor, advance_particle, items)
        month0 += len(path[0])
        if progress is not None:
            progress(n * month0, total_work)
        return [out[i] for i in range(n)]

    for k, mo in enumerate(months):
        if mo >= sc.start and sigma.any():
            eps = np.random.default_rng(np.random.SeedSequence(
                seed, spawn_key=(INNOVATION, k))).standard_normal((n, g))
            x = x + sigma[None, :] * eps
        for i in range(n):
            path[i].append(np.exp(x[i, NAT_GROUP]))
        if mo not in observations:
            continue
        res = step(final=False)
        sim = _group_sum(np.array([c[-1] for c, _ in res]))
        y = np.asarray(observations[mo], float)
        seen.append(mo)
        ll = log_likelihood(y, sim, tau, scale)
        top = ll.max()
        w = np.exp(ll - top)
        log_ev += float(top + np.log(w.mean()))
        w /= w.sum()
        weights.append(w)
        ess.append(float(1.0 / np.sum(w ** 2)))
        for j, grp in enumerate(GROUPS):
            p10, p50, p90 = _weighted_quantiles(x[:, j], w, (0.1, 0.5, 0.9))
            latent.append({"month": mo, "group": grp, "mean": float(w @ x[:, j]),
                           "p10": p10, "median": p50, "p90": p90})
        u = np.random.default_rng(np.random.SeedSequence(
            seed, spawn_key=(RESAMPLE, k))).random()
        idx = systematic_resample(w, u)
        state = [res[j][1] for j in idx]
        x = x[idx]
        restart = [(RESTART, k, i) for i in range(n)]
        path = [[] for _ in range(n)]
    res = step(final=True)
    attrs = {**run_attrs(sc, seed, scale), "assimilated": "particle filter (docs/validation.md)",
             "particles": n, "origin": str(origin)}
    ds = stack_members([r[1] for r in res], attrs)
    return Filtered(ds=ds, latent=pd.DataFrame(latent, columns=["month", "group", "mean",
                                                                 "p10", "median", "p90"]),
                    weights=np.array(weights).reshape(len(weights), n), ess=ess,
                    log_evidence=log_ev, observed_months=seen, noise=noise,
                    wall_seconds=time.perf_counter() - t0)


# --------------------------------------------------------------------------- the band
def key_tau(noise: Noise, origin_counts: np.ndarray) -> dict[tuple[str, str], float]:
    """Observation error of each forecast key: a citizenship its group's ``tau``; the
    total and the sectors the groups' ``tau`` combined with the groups' shares at the
    origin (``origin_counts``: observed by group) as independent log errors."""
    share = origin_counts / max(origin_counts.sum(), 1.0)
    tot = float(np.sqrt(np.sum((share * noise.tau) ** 2)))
    out = {("citizenship", nat): float(noise.tau[NAT_GROUP[k]])
           for k, nat in enumerate(NATIONALITIES)}
    out[("total", "total")] = tot
    out["default"] = tot
    return out


def forecast_at(sc, origin: str, months: list[str], mech_ds, run: RunSpec, particles: int,
                errors=None, progress=None) -> dict:
    """The assimilated forecast of ``months`` from ``origin``: the noise from the
    mechanisms-alone ensemble ``mech_ds`` of the same scenario, the filter, the band
    (rescaled by the factor of earlier origins' ``errors``, method ``assimilated``)."""
    noise = estimate_noise(mech_ds, origin)
    flt = run_filter(replace(run, scenario=sc), noise, origin=origin, particles=particles,
                     progress=progress)
    obs_origin = observed_groups([origin])[0]
    taus = key_tau(noise, np.nan_to_num(obs_origin))
    table = band_table(flt.ds, months, taus)
    sd = band_sd(table, months)
    factor, n_err = interval_scale(errors, months[0], "assimilated")
    return {"table": rescale_band(table, factor), "sd": sd, "filter": flt,
            "interval_scale": {"scale": round(factor, 4), "errors": n_err}}
