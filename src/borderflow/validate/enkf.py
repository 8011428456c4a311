"""The ensemble Kalman update of :mod:`borderflow.validate.assimilate` (method ``enkf``):
a windowed ensemble smoother of the latent log pushes that re-runs each window.

The months are cut into windows of ``window`` months.  Each member draws its latent's
path over a window (the random walk and the regime resets) and runs the window from its
state at the window's start.  Then the latent path of the window, and nothing else, is
updated by the stochastic ensemble Kalman update (perturbed observations) on the window's
observed cells (log counts, Gaussian, the stated errors): for group ``g`` the cells are
its own encounters, Panama's Darien counts when the group crosses the Darien, and the
release share (localisation: no other group's encounters move its latent).  The gain is
the ensemble's covariance of the path with the simulated cells, so a month's latent moves
only as far as the window's observations depend on it: departures whose people have not
reached the border by the window's end are hardly moved, and people already on the way
are not pushed again.  The spread of each month's latent is then relaxed half way back to
its spread before the update (relaxation to prior spread, Whitaker and Hamill 2012,
``alpha`` = :data:`RTPS`), so the ensemble cannot collapse.  Finally every member runs
the window again from the same state and random stream with its updated path: the state
carried on is the one the updated latent produces (members keep their own model states;
no member is copied or dropped).
"""

from __future__ import annotations

import numpy as np

from borderflow.validate.particle_tasks import advance_particles
from borderflow.validate.particles import (
    DARIEN_GROUPS,
    GROUPS,
    NAT_GROUP,
    PERTURB,
    FilterFrame,
    extra_cells,
    latent_rows,
    log_counts,
    log_likelihood,
    log_mean_exp,
    spread_and_error,
)

#: months per window of the ensemble update (the median trip from Central America to the
#: border is of the order of a month: a 3-month window sees most of its departures arrive)
ENKF_WINDOW = 3
#: relaxation of the updated latent's spread to its spread before the update
RTPS = 0.5


def cells(frame: FilterFrame, months: list[str], counts: np.ndarray):
    """The window's observed cells: values (p,), simulated (members x p), error variances
    (p,) and the groups each cell informs (p x groups, boolean)."""
    scale = frame.run.scale
    vals, sims, var, loc = [], [], [], []
    for j, mo in enumerate(months):
        obs = frame.observations.get(mo)
        if obs is None:
            continue
        lc = log_counts(counts[:, j])
        for g in range(len(GROUPS)):
            vals.append(np.log(obs.groups[g] + 1.0))
            sims.append(lc[:, g])
            var.append(frame.tau[g] ** 2 + scale / (obs.groups[g] + scale))
            loc.append(np.arange(len(GROUPS)) == g)
        for c, (value, sim, v) in enumerate(extra_cells(obs, counts[:, j], scale)):
            is_darien = c == 0 and obs.darien is not None
            vals.append(value)
            sims.append(sim)
            var.append(v)
            loc.append(np.array([grp in DARIEN_GROUPS for grp in GROUPS]) if is_darien
                       else np.ones(len(GROUPS), bool))
    if not vals:
        return None
    return np.array(vals), np.array(sims).T, np.array(var), np.array(loc)


def enkf_update(z: np.ndarray, h: np.ndarray, y: np.ndarray, var: np.ndarray,
                eps: np.ndarray) -> np.ndarray:
    """One stochastic ensemble Kalman update of ``z`` (members x q) on the cells ``y``
    (p) simulated as ``h`` (members x p) with error variances ``var``; ``eps`` (members x
    p) standard normal perturbations of the observations; the spread then relaxed to the
    prior's by :data:`RTPS`."""
    n = len(z)
    za, ha = z - z.mean(axis=0), h - h.mean(axis=0)
    czh, chh = za.T @ ha / (n - 1), ha.T @ ha / (n - 1)
    gain = np.linalg.solve(chh + np.diag(var), czh.T).T
    post = z + (y[None, :] + np.sqrt(var)[None, :] * eps - h) @ gain.T
    sd_f, sd_a = z.std(axis=0, ddof=1), post.std(axis=0, ddof=1)
    mean = post.mean(axis=0)
    factor = np.where(sd_a > 0, 1.0 + RTPS * (sd_f - sd_a) / np.where(sd_a > 0, sd_a, 1.0),
                      1.0)
    return mean + (post - mean) * factor


def run_enkf(frame: FilterFrame, window: int) -> dict:
    """The windowed ensemble update over the frame's months (module doc); returns the
    fields of a :class:`~borderflow.validate.particles.Filtered` but the dataset, the
    members' summary datasets under ``datasets``."""
    n, g = frame.n, len(GROUPS)
    x = np.zeros((n, g))
    state: list = list(range(n))
    restart: list = [None] * n
    out = {"weights": [], "ess": [], "latent": [], "observed_months": [], "stages": [],
           "spread": [], "obs_error": [], "log_evidence": 0.0}
    seen = [k for k, mo in enumerate(frame.months) if mo in frame.observations]
    last = seen[-1] if seen else -1
    windows = [list(range(k, min(k + window, last + 1))) for k in range(0, last + 1, window)]
    rerun = sum(len(w) for w in windows if any(frame.months[k] in frame.observations
                                               for k in w))
    total = n * (len(frame.months) + rerun)
    done = 0

    def step(path: np.ndarray, month0: int, final: bool):
        nonlocal done
        push = np.exp(path[:, :, NAT_GROUP])
        res = advance_particles(frame, state, restart, push, month0, final)
        done += n * path.shape[1]
        if frame.progress is not None:
            frame.progress(min(done, total), total)
        return [res[i] for i in range(n)]

    k0 = 0
    for ks in windows:
        k0 = ks[0]
        path = np.zeros((n, len(ks), g))
        for j, k in enumerate(ks):
            x = frame.step_latent(x, k)
            path[:, j] = x
        months = [frame.months[k] for k in ks]
        res = step(path, k0, False)
        counts = np.array([c for c, _ in res])                  # members x months x cols
        obs_cells = cells(frame, months, counts)
        if obs_cells is not None:
            y, h, var, loc = obs_cells
            eps = frame.rng(PERTURB, k0).standard_normal(h.shape)
            for j, mo in enumerate(months):
                if mo in frame.observations:
                    out["log_evidence"] += log_mean_exp(log_likelihood(
                        frame.observations[mo], counts[:, j], frame.tau, frame.run.scale))
            for grp in range(g):
                use = loc[:, grp]
                path[:, :, grp] = enkf_update(path[:, :, grp], h[:, use], y[use], var[use],
                                              eps[:, use])
            x = path[:, -1].copy()
            res = step(path, k0, False)                          # the update's own run
            counts = np.array([c for c, _ in res])
        for j, mo in enumerate(months):
            obs = frame.observations.get(mo)
            if obs is None:
                continue
            out["observed_months"].append(mo)
            out["weights"].append(np.full(n, 1.0 / n))
            out["ess"].append(float(n))
            out["latent"] += latent_rows(mo, path[:, j])
            sp, err = spread_and_error(obs, counts[:, j], frame.tau, frame.run.scale)
            out["spread"].append(sp)
            out["obs_error"].append(err)
        state = [r[1] for r in res]
        restart = [None] * n
        k0 = ks[-1] + 1
    ks = list(range(k0, len(frame.months)))
    path = np.zeros((n, len(ks), g))
    for j, k in enumerate(ks):
        x = frame.step_latent(x, k)
        path[:, j] = x
    res = step(path, k0, True)
    out["datasets"] = [r[1] for r in res]
    out["weights"] = np.array(out["weights"]).reshape(len(out["weights"]), n)
    return out

