"""Data assimilation: the latent log pushes filtered on the observations up to the origin.

**Latent state.**  One log push ``x_g`` per departure group (registry
:data:`~borderflow.scenario.registry.DEPARTURE_GROUPS`, 5 groups), a random walk
``x_g(t) = x_g(t-1) + sigma_g * e`` from 0 at the scenario's first month, reset towards 0
by a dated regime event that targets the group (:mod:`borderflow.validate.particles`); a
member's departures from every nationality of group ``g`` are multiplied by ``exp(x_g)``
(the engine's ``F.push``).  Nothing else is latent and nothing is per window: each member
carries the whole model state (agents on the way, people waiting in Mexico, backlog,
networks).

**Observations** (:mod:`borderflow.validate.particles`): USBP Southwest encounters by
citizenship summed by group, on the log scale with error ``tau^2 + scale / (observed +
scale)`` (the second term the Poisson sampling noise, in agents, of a count of the
observed size, taken at the observation: a particle that simulates almost nobody must not
earn a wide likelihood by it); Panama's Darien counts and the USBP release share, each
with its stated error.  Only months up to the origin enter.

**The noise numbers** (counted, :data:`COUNTED_NUMBERS`): ``sigma_g`` (the random walk's
standard deviation per month, one per group) and ``tau`` (the observation error, one for
all groups: the median of the groups' estimates, which are noisy and often 0, so that no
group's observation outweighs the others by a chance estimate) from the robust moment
estimates of a local-level model (:func:`local_level`) of the mechanisms-alone run's log
error by group, ``log((observed + 1) / (ensemble median + 1))``, over the months up to
the origin; with under :data:`MIN_ERROR_MONTHS` such months, of the observed log series
over the :data:`HISTORY_MONTHS` months up to the origin; the Darien and release
observations' bias and error; the latent's decay (a stated prior).  Nothing after the
origin is read.

**The update** (:class:`FilterSpec` ``method``): ``tempered`` (default), a particle
filter whose every stage keeps the effective sample size at N/2 or more; ``bootstrap``,
the plain particle filter (both :mod:`borderflow.validate.tempered`); ``enkf``, the
windowed ensemble Kalman update of the latent paths with the windows re-run
(:mod:`borderflow.validate.enkf`).  Member ``i`` starts as ensemble member ``i``
(``SeedSequence(seed, spawn_key=(i,))``); with ``FilterSpec.parameter_draws`` (off by
default) it takes the parameter draw member ``i`` of the mechanisms' ensemble takes
(``RunSpec.draws``: the fitted set's plausible trials) and keeps it through resampling
(:mod:`borderflow.validate.particle_tasks`); innovations, resampling uniforms, jitter,
perturbed observations and restarted streams come from ``SeedSequence(seed,
spawn_key=(kind, month, ...))`` drawn in the coordinating process, and each task is a
pure function of its arguments, so the results are identical with any number of
workers or a Dask cluster.

**The forecast** continues every filtered member past the origin with its latent still
a random walk of the same ``sigma`` (and reset by the regime events after the origin as
known at it) and its parameter draw if it has one; the predictive band is over members
(latents, stochastic draws and any parameter draws) x the observation error ``tau`` (a
deterministic normal sample), widened by a model discrepancy added in quadrature and
calibrated on earlier origins' errors only (:func:`~borderflow.validate.bands.discrepancy_sd`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from borderflow.engine.calendar import make_calendar, shift_month
from borderflow.engine.inputs import SPINUP_MONTHS
from borderflow.ensemble.runner import SequentialExecutor, run_attrs, stack_members
from borderflow.ensemble.spec import RunSpec
from borderflow.errors import InputError
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import NATIONALITIES
from borderflow.validate.bands import (
    band_sd,
    band_table,
    discrepancy_sd,
    series_arrays,
    widen_band,
)
from borderflow.validate.enkf import ENKF_WINDOW, run_enkf
from borderflow.validate.particle_tasks import ParticleRun, forget_inputs
from borderflow.validate.particles import (
    GROUPS,
    LATENT_DECAY,
    NAT_GROUP,
    ExtraNoise,
    Filtered,
    FilterFrame,
    Observation,
    extra_noise,
    group_sum,
    observations_upto,
    observed_groups,
    regime_months,
)
from borderflow.validate.particles import log_likelihood as particles_log_likelihood
from borderflow.validate.tempered import run_particles

__all__ = ["DEFAULT_METHOD", "DEFAULT_PARTICLES", "GROUPS", "METHODS", "NAT_GROUP",
           "FilterSpec", "Filtered", "Noise", "Observation", "estimate_noise", "forecast_at",
           "key_tau", "local_level", "log_likelihood", "observed_groups", "run_filter",
           "systematic_resample"]

DEFAULT_PARTICLES = 64
#: the filter methods; the default chosen on the comparison in docs/validation.md
METHODS = ("bootstrap", "tempered", "enkf")
DEFAULT_METHOD = "tempered"
#: most tempering stages per observed month (each runs the month once more)
MAX_STAGES = 6
#: fewer months of the mechanisms' own error than this: the noise comes from the history
MIN_ERROR_MONTHS = 24
#: months of observed history up to the origin used when the model's errors are too few
HISTORY_MONTHS = 60
#: (..., nationality) -> (..., group)
_group_sum = group_sum
#: the counted noise numbers at an origin: sigma per group, tau, the Darien and release
#: observations' bias and error, the latent's decay
COUNTED_NUMBERS = len(GROUPS) + 1 + 4 + 1


# --------------------------------------------------------------------------- noise numbers
@dataclass
class Noise:
    """The filter's noise numbers (a random-walk sigma per group, one pooled tau) and
    where they were estimated."""
    sigma: np.ndarray          # (groups,) random-walk standard deviation of x_g per month
    tau: np.ndarray            # (groups,) observation error (log scale; one pooled value)
    source: str
    months: list[str] = field(default_factory=list)
    extra: ExtraNoise = field(default_factory=ExtraNoise)

    def to_json(self) -> dict:
        return {"groups": list(GROUPS), "sigma": [round(float(v), 5) for v in self.sigma],
                "tau": [round(float(v), 5) for v in self.tau], "source": self.source,
                "months": [self.months[0], self.months[-1]] if self.months else None,
                "extra": self.extra.to_json(), "latent_decay": LATENT_DECAY,
                "counted_numbers": COUNTED_NUMBERS}


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
                 source=source, months=months, extra=extra_noise(ds, origin))


# --------------------------------------------------------------------------- the filter
def systematic_resample(weights: np.ndarray, u: float) -> np.ndarray:
    """Indices of the particles kept: one uniform ``u`` in [0, 1) places N evenly spaced
    pointers on the cumulative weights (each particle is kept floor or ceil of N w times)."""
    n = len(weights)
    cum = np.cumsum(weights / weights.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, (u + np.arange(n)) / n, side="right").astype(np.int64)


def log_likelihood(obs, sim: np.ndarray, tau: np.ndarray, scale: int) -> np.ndarray:
    """Per particle: the log likelihood of one month's observation of the groups (an
    :class:`~borderflow.validate.particles.Observation` or the groups' counts) given the
    particles' simulated counts (particles x groups, or x the count columns)."""
    if not isinstance(obs, Observation):
        obs = Observation(groups=np.asarray(obs, float))
    if sim.shape[-1] == len(GROUPS):
        sim = np.concatenate([_ungroup(sim), np.zeros((len(sim), 2))], axis=1)
    return particles_log_likelihood(obs, sim, tau, scale)


def _ungroup(by_group: np.ndarray) -> np.ndarray:
    """(particles, groups) -> (particles, nationalities): each group on its first member."""
    out = np.zeros((len(by_group), len(NATIONALITIES)))
    for g in range(len(GROUPS)):
        out[:, int(np.flatnonzero(NAT_GROUP == g)[0])] = by_group[:, g]
    return out


@dataclass(frozen=True)
class FilterSpec:
    """The filter's options: ``method`` (:data:`METHODS`), ``particles``, the ensemble
    update's ``window`` (months re-run after each update), the latent's ``decay`` at a
    regime event (:data:`~borderflow.validate.particles.LATENT_DECAY`), whether the Darien
    and release observations enter (``extra``), the tempered filter's ``max_stages`` per
    month, and whether the particles draw their fitted numbers from the run's parameter
    draws (``parameter_draws``; off by default: measured worse, docs/validation.md)."""
    method: str = DEFAULT_METHOD
    particles: int = DEFAULT_PARTICLES
    window: int = ENKF_WINDOW
    decay: float = LATENT_DECAY
    extra: bool = True
    max_stages: int = MAX_STAGES
    parameter_draws: bool = False


def run_filter(run: RunSpec, noise: Noise, *, origin: str | None,
               particles: int | None = None, observations: dict | None = None,
               progress: Callable[[int, int], None] | None = None,
               spec: FilterSpec | None = None) -> Filtered:
    """Filter ``run.scenario`` (a Scenario; particles at ``run.scale``, seeded by
    ``run.seed``, on ``run.executor``) on the observed months up to ``origin`` by
    ``spec.method`` (module doc) and continue the particles to the scenario's end.
    ``observations``: month -> :class:`~borderflow.validate.particles.Observation` or the
    groups' counts (default: the bundled observations up to ``origin``; ``{}``: none, the
    particles are then the mechanisms-alone members with a moving latent).
    ``progress(done, total)`` counts particle-months."""
    spec = spec or FilterSpec()
    if particles is not None:
        spec = replace(spec, particles=particles)
    if spec.method not in METHODS:
        raise InputError(f"unknown filter method {spec.method!r}", field="--method",
                         expected=", ".join(METHODS))
    if spec.particles < 2:
        raise InputError(f"particles must be >= 2, got {spec.particles}", field="--particles")
    sc = run.scenario
    t0 = time.perf_counter()
    months = list(make_calendar(shift_month(sc.start, -SPINUP_MONTHS), sc.end).months)
    if observations is None:
        observations = observations_upto([mo for mo in months if sc.start <= mo], origin,
                                         noise.extra if spec.extra else None)
    observations = {mo: (o if isinstance(o, Observation)
                         else Observation(groups=np.asarray(o, float)))
                    for mo, o in observations.items()}
    parameters = run.parameters or shipped_parameters()
    draws = tuple(run.draws) if spec.parameter_draws else ()
    frame = FilterFrame(run=ParticleRun(sc, None, run.scale, run.seed, parameters, draws),
                        executor=run.executor or SequentialExecutor(), months=months,
                        first=sc.start, observations=observations,
                        sigma=np.asarray(noise.sigma, float), tau=np.asarray(noise.tau, float),
                        regimes=regime_months(sc), decay=spec.decay, n=spec.particles,
                        progress=progress)
    try:
        if spec.method == "enkf":
            out = run_enkf(frame, spec.window)
        else:
            out = run_particles(frame, 1 if spec.method == "bootstrap" else spec.max_stages)
    finally:
        forget_inputs()
    attrs = {**run_attrs(sc, run.seed, run.scale, draws, parameters=run.parameters),
             "assimilated": f"{spec.method} filter (docs/validation.md)",
             "particles": spec.particles, "origin": str(origin)}
    latent = pd.DataFrame(out.pop("latent"), columns=["month", "group", "mean", "p10",
                                                      "median", "p90"])
    return Filtered(ds=stack_members(out.pop("datasets"), attrs), noise=noise, latent=latent,
                    method=spec.method, wall_seconds=time.perf_counter() - t0, **out)


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


def forecast_at(sc, origin: str, months: list[str], mech_ds, run: RunSpec,
                particles: int | FilterSpec, errors=None, progress=None) -> dict:
    """The assimilated forecast of ``months`` from ``origin``: the noise from the
    mechanisms-alone ensemble ``mech_ds`` of the same scenario, the filter (``particles``:
    their number, or the whole :class:`FilterSpec`), the band (rescaled by the factor of
    earlier origins' ``errors``, method ``assimilated``)."""
    spec = particles if isinstance(particles, FilterSpec) else FilterSpec(particles=particles)
    noise = estimate_noise(mech_ds, origin)
    flt = run_filter(replace(run, scenario=sc), noise, origin=origin, progress=progress,
                     spec=spec)
    obs_origin = observed_groups([origin])[0]
    taus = key_tau(noise, np.nan_to_num(obs_origin))
    table = band_table(flt.ds, months, taus)
    sd = band_sd(table, months)
    disc, n_err = discrepancy_sd(errors, months[0], "assimilated")
    return {"table": widen_band(table, disc), "sd": sd, "filter": flt,
            "interval_scale": {"scale": 1.0, "discrepancy_sd": round(disc, 4),
                               "errors": n_err}}
