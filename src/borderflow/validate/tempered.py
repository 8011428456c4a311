"""The particle filters of :mod:`borderflow.validate.assimilate`: bootstrap and tempered.

Every month each particle draws its latent's innovation and runs the month.  In an
observed month:

* **bootstrap** (one stage): the particles are weighted by the month's likelihood and
  resampled systematically (one uniform); with many observation cells the weights collapse
  onto a few particles (Snyder et al. 2008).
* **tempered** (stages): the month's likelihood is raised to the largest power
  ``phi <= remaining`` that keeps the effective sample size at least N/2 (bisection on
  ``phi``); the particles are weighted by ``L^phi`` and resampled; the latents of the
  resampled particles are jittered with shrinkage (Liu and West 2001: ``a x + (1 - a)
  mean + sqrt(1 - a^2) sd e``, ``a`` = :data:`SHRINK`, per group; the model state is not
  touched), and the month is run again from the parents' state at its start with the
  jittered latents on new random streams; then the next stage, until the powers sum to 1
  or ``max_stages`` stages are spent (:data:`borderflow.validate.assimilate.MAX_STAGES`;
  the last stage then takes the power left only if the ESS allows, and the remainder is
  not assimilated).  No stage has an ESS below N/2.

Resampling selects whole particles (agents on the way included), so the people already
on the way come with the latent that sent them: nothing is pushed twice.
"""

from __future__ import annotations

import numpy as np

from borderflow.validate.particle_tasks import advance_particles
from borderflow.validate.particles import (
    GROUPS,
    JITTER,
    NAT_GROUP,
    RESAMPLE,
    RESTART,
    FilterFrame,
    latent_rows,
    log_likelihood,
    spread_and_error,
)

#: the smallest effective sample size a tempering stage may leave, as a share of N
ESS_FLOOR = 0.5
#: the shrinkage of the jitter (Liu and West 2001's ``a``; 0.9: the jitter's sd is 44% of
#: the latent's spread, the spread kept)
SHRINK = 0.9
#: bisection steps for the power of a stage
BISECTIONS = 30


def systematic(weights: np.ndarray, u: float) -> np.ndarray:
    """Systematic resampling: one uniform ``u`` places N evenly spaced pointers."""
    n = len(weights)
    cum = np.cumsum(weights / weights.sum())
    cum[-1] = 1.0
    return np.searchsorted(cum, (u + np.arange(n)) / n, side="right").astype(np.int64)


def ess_of(ll: np.ndarray, phi: float) -> float:
    w = np.exp(phi * (ll - ll.max()))
    w /= w.sum()
    return float(1.0 / np.sum(w ** 2))


def stage_power(ll: np.ndarray, left: float, floor: float) -> float:
    """The largest power in (0, ``left``] whose weights keep ESS >= ``floor``
    (bisection; the ESS falls as the power grows)."""
    if ess_of(ll, left) >= floor:
        return left
    lo, hi = 0.0, left
    for _ in range(BISECTIONS):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if ess_of(ll, mid) >= floor else (lo, mid)
    return lo


def jitter(x: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """Liu-West shrinkage jitter of the latents (particles x groups)."""
    mean, sd = x.mean(axis=0), x.std(axis=0)
    return SHRINK * x + (1 - SHRINK) * mean + np.sqrt(1 - SHRINK ** 2) * sd * eps


def run_particles(frame: FilterFrame, max_stages: int) -> dict:
    """The bootstrap (``max_stages`` 1: one stage of power 1) or tempered filter over the
    frame's months; returns the fields of a
    :class:`~borderflow.validate.particles.Filtered` but the dataset, the members'
    summary datasets under ``datasets``."""
    n, g = frame.n, len(GROUPS)
    x = np.zeros((n, g))
    state: list = list(range(n))
    restart: list = [None] * n
    path: list[list[np.ndarray]] = [[] for _ in range(n)]
    month0, done = 0, 0
    out = {"weights": [], "ess": [], "latent": [], "observed_months": [], "stages": [],
           "spread": [], "obs_error": [], "log_evidence": 0.0}
    total = n * len(frame.months)

    def step(state, restart, path, month0, final, rerun=False):
        nonlocal done
        res = advance_particles(frame, state, restart, np.array(path), month0, final)
        done += 0 if rerun else n * len(path[0])       # progress: months filtered
        if frame.progress is not None and not rerun:
            frame.progress(min(done, total), total)
        return [res[i] for i in range(n)]

    for k, mo in enumerate(frame.months):
        x = frame.step_latent(x, k)
        for i in range(n):
            path[i].append(np.exp(x[i, NAT_GROUP]))
        if mo not in frame.observations:
            continue
        obs = frame.observations[mo]
        start, restart0, m0 = state, restart, month0
        res = step(state, restart, path, month0, False)
        month0 += len(path[0])
        left, stages, ess_min = 1.0, 0, float(n)
        while True:
            stages += 1
            counts = np.array([c[-1] for c, _ in res])
            ll = log_likelihood(obs, counts, frame.tau, frame.run.scale)
            bootstrap = max_stages == 1
            phi = left if bootstrap else stage_power(ll, left, ESS_FLOOR * n)
            if stages == max_stages and not bootstrap and phi < left:
                left = phi             # the power left over is not assimilated
            w = np.exp(phi * (ll - ll.max()))
            out["log_evidence"] += float(np.log(w.mean()) + phi * ll.max())
            w /= w.sum()
            ess_min = min(ess_min, float(1.0 / np.sum(w ** 2)))
            key = (RESAMPLE, k) if stages == 1 else (RESAMPLE, k, stages)
            idx = systematic(w, float(frame.rng(*key).random()))
            x = x[idx]
            left -= phi
            if left <= 1e-9 or stages >= max_stages:
                break
            # rejuvenate: jitter the latents, run the month again from the parents' start
            x = jitter(x, frame.rng(JITTER, k, stages).standard_normal(x.shape))
            start = [start[j] for j in idx]
            restart0 = [(RESTART, k, stages, i) for i in range(n)]
            prev = [np.array(path[j][:-1]) for j in idx]
            path = [list(prev[i]) + [np.exp(x[i, NAT_GROUP])] for i in range(n)]
            res = step(start, restart0, path, m0, False, rerun=True)
        out["weights"].append(w)
        out["ess"].append(ess_min)
        out["stages"].append(stages)
        out["latent"] += latent_rows(mo, x, None)
        out["observed_months"].append(mo)
        sp, err = spread_and_error(obs, counts[idx], frame.tau, frame.run.scale)
        out["spread"].append(sp)
        out["obs_error"].append(err)
        state = [res[j][1] for j in idx]
        restart = [(RESTART, k, i) for i in range(n)]
        path = [[] for _ in range(n)]
    res = step(state, restart, path, month0, True)
    out["datasets"] = [r[1] for r in res]
    out["weights"] = np.array(out["weights"]).reshape(len(out["weights"]), n)
    return out


