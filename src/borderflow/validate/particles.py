"""What every assimilation method shares (:mod:`borderflow.validate.assimilate`): the
latent's groups, the observations up to the origin with their errors, the months in which
a dated policy event resets a group's latent, and one particle's run over some months.

**Observations** of a month (each up to the origin only, each with its stated error):

* USBP Southwest encounters by citizenship summed by departure group, on the log scale,
  error ``tau^2 + scale / (y + scale)`` (the filter's pooled ``tau`` and the Poisson
  sampling noise, in agents, of a count of the observed size);
* Panama's monthly Darien transits (bundled, :func:`borderflow.scenario.drivers.monthly_darien`),
  on the log scale less the mechanisms-alone run's median log error up to the origin (the
  model's Darien counts are off by a steady factor: the calibration's Darien log ratio is
  about 1), error the robust standard deviation of that log error;
* the monthly share of USBP encounters released by USBP (OHSS book-outs), less the
  mechanisms-alone run's median error up to the origin, error the robust standard
  deviation of that error.

**Latents that know about policy.**  A timeline event of one of :data:`REGIME_LEVERS`
that starts or ends in a month resets the latent of every group it targets (its ``keys``;
``all``: every group): ``x_g <- (1 - LATENT_DECAY) x_g`` in that month, so the push the
latent carries is only the part the mechanisms leave unexplained, and it does not outlive
a change of regime the mechanisms model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from borderflow.scenario.drivers import monthly_darien
from borderflow.scenario.registry import DEPARTURE_GROUPS, NATIONALITIES
from borderflow.validate.bands import observed_breakdown
from borderflow.validate.bookouts import release_share_targets

GROUPS: tuple[str, ...] = tuple(DEPARTURE_GROUPS)
#: group index of each nationality (array order of NATIONALITIES)
NAT_GROUP = np.array([next(k for k, g in enumerate(GROUPS) if n in DEPARTURE_GROUPS[g])
                      for n in NATIONALITIES], np.int64)
#: columns of a particle's monthly counts: encounters by nationality, then these
DARIEN_COL, RELEASE_COL = len(NATIONALITIES), len(NATIONALITIES) + 1
#: groups whose migrants cross the Darien (the Darien observation informs their latents)
DARIEN_GROUPS = ("nicaragua_caribbean", "south_america", "extra_continental")
#: levers whose dated events change a group's regime (eligibility for Title 42, parole,
#: visas, removal and repatriation flights, release, ports of entry, origin shocks)
REGIME_LEVERS = ("us_title42", "us_title42_family_share", "us_title42_uac",
                 "us_parole_monthly_cap", "mx_visa_required", "us_removal_flights",
                 "mx_repatriation_flights", "us_release_rate", "us_port_daily_cap",
                 "origin_shock")
#: share of a group's latent log push removed in a month when a regime event targeting the
#: group starts or ends.  A stated prior, not fitted (one counted number): the mechanisms
#: model the change, so the latent keeps at most a quarter of the push it carried through it
LATENT_DECAY = 0.75


def group_sum(by_nat: np.ndarray) -> np.ndarray:
    """(..., nationality) -> (..., group)."""
    out = np.zeros(by_nat.shape[:-1] + (len(GROUPS),))
    for g in range(len(GROUPS)):
        out[..., g] = by_nat[..., NAT_GROUP == g].sum(axis=-1)
    return out


def observed_groups(months: list[str]) -> np.ndarray:
    """Observed USBP SW encounters (months x groups), NaN where a month is not observed."""
    by_nat = observed_breakdown("citizenship", months, list(NATIONALITIES))
    out = group_sum(by_nat)
    out[~np.isfinite(by_nat).all(axis=1)] = np.nan
    return out


def regime_months(sc) -> dict[str, np.ndarray]:
    """Month -> boolean (groups,) of the groups whose latent a regime event resets then."""
    out: dict[str, np.ndarray] = {}
    for ev in sc.timeline:
        if ev.lever not in REGIME_LEVERS:
            continue
        hit = np.zeros(len(GROUPS), bool)
        if ev.keys == "all":
            hit[:] = True
        else:
            for nat in ev.keys:
                if nat in NATIONALITIES:
                    hit[NAT_GROUP[NATIONALITIES.index(nat)]] = True
        for d in (ev.date, ev.end):
            if d is not None:
                mo = f"{d.year:04d}-{d.month:02d}"
                out[mo] = out.get(mo, np.zeros(len(GROUPS), bool)) | hit
    return out


def decay_factor(mo: str, regimes: dict[str, np.ndarray], decay: float) -> np.ndarray:
    """(groups,) factor on the latent in month ``mo``: ``1 - decay`` where reset."""
    hit = regimes.get(mo)
    return np.ones(len(GROUPS)) if hit is None else np.where(hit, 1.0 - decay, 1.0)


# --------------------------------------------------------------------------- observations
@dataclass(frozen=True)
class Observation:
    """One month's observed cells: the groups' counts, and where observed Panama's Darien
    transits (bias-corrected log) and the release share (bias-corrected), with their
    stated errors (standard deviations; the Darien's without the sampling noise)."""
    groups: np.ndarray          # (groups,) observed counts
    darien: float | None = None
    release: float | None = None
    darien_sd: float = 1.0
    release_sd: float = 0.1


@dataclass(frozen=True)
class ExtraNoise:
    """Bias and error of the extra observations (4 counted numbers at each origin)."""
    darien_bias: float = 0.0
    darien_sd: float = 1.0
    release_bias: float = 0.0
    release_sd: float = 0.1

    def to_json(self) -> dict:
        return {k: round(float(v), 5) for k, v in self.__dict__.items()}


def _robust(x: np.ndarray) -> tuple[float, float]:
    x = x[np.isfinite(x)]
    if len(x) < 6:
        return 0.0, float("nan")
    med = float(np.median(x))
    return med, float(1.4826 * np.median(np.abs(x - med)))


def extra_noise(ds, origin: str) -> ExtraNoise:
    """Bias and error of the Darien and release observations from the mechanisms-alone
    ensemble ``ds`` over its months up to ``origin`` (defaults where too few months)."""
    months = [str(x) for x in ds["month"].values if str(x) <= origin]
    out = ds["outcomes"].transpose("member", "month", "outcome")
    names = [str(k) for k in ds["outcome"].values]
    sim = np.median(out.values[:, :len(months), :], axis=0)
    enc = np.median(ds["usbp_encounters"].transpose("member", "month").values[:, :len(months)],
                    axis=0)
    dar = monthly_darien()
    d_err = np.array([np.log(dar[mo] + 1.0) - np.log(sim[k, names.index("darien_crossings")] + 1.0)
                      for k, mo in enumerate(months) if mo in dar])
    rel = release_share_targets(months)
    usbp_rel = sim[:, names.index("releases_us")] - sim[:, names.index("child_placements")]
    r_err = np.array([rel[mo] - usbp_rel[k] / max(enc[k], 1.0)
                      for k, mo in enumerate(months) if mo in rel])
    db, ds_ = _robust(d_err)
    rb, rs = _robust(r_err)
    base = ExtraNoise()
    return ExtraNoise(darien_bias=db, darien_sd=max(ds_, 0.1) if np.isfinite(ds_) else base.darien_sd,
                      release_bias=rb, release_sd=max(rs, 0.02) if np.isfinite(rs) else base.release_sd)


def observations_upto(months: list[str], origin: str | None, extra: ExtraNoise | None
                      ) -> dict[str, Observation]:
    """Month -> :class:`Observation` for ``months`` up to ``origin`` (every month observed
    by citizenship; the Darien and release cells only with ``extra``)."""
    inside = [mo for mo in months if origin is None or mo <= origin]
    if not inside:
        return {}
    obs = observed_groups(inside)
    dar = monthly_darien() if extra is not None else {}
    rel = release_share_targets(inside) if extra is not None else {}
    out = {}
    for j, mo in enumerate(inside):
        if not np.isfinite(obs[j]).all():
            continue
        out[mo] = Observation(
            groups=obs[j],
            darien=(float(np.log(dar[mo] + 1.0) - extra.darien_bias) if mo in dar else None),
            release=(float(rel[mo] - extra.release_bias) if mo in rel else None),
            **({"darien_sd": extra.darien_sd, "release_sd": extra.release_sd}
               if extra is not None else {}))
    return out


def log_counts(counts: np.ndarray) -> np.ndarray:
    """(..., counts columns) -> (..., groups) log(encounters + 1)."""
    return np.log(group_sum(counts[..., :len(NATIONALITIES)]) + 1.0)


def release_share(counts: np.ndarray) -> np.ndarray:
    """(..., counts columns) -> (...) released share of USBP encounters."""
    return counts[..., RELEASE_COL] / np.maximum(counts[..., :len(NATIONALITIES)].sum(axis=-1),
                                                  1.0)


def log_likelihood(obs: Observation, counts: np.ndarray, tau: np.ndarray, scale: int
                   ) -> np.ndarray:
    """Per particle: the log likelihood of one month's observation given the particles'
    counts (particles x count columns), module doc."""
    y = obs.groups
    var = np.broadcast_to(tau[None, :] ** 2 + scale / (y[None, :] + scale),
                          (len(counts), len(GROUPS)))
    e = np.log(y[None, :] + 1.0) - log_counts(counts)
    ll = -0.5 * (e ** 2 / var + np.log(2 * np.pi * var)).sum(axis=1)
    for value, sim, v in extra_cells(obs, counts, scale):
        ll += -0.5 * ((value - sim) ** 2 / v + np.log(2 * np.pi * v))
    return ll


def extra_cells(obs: Observation, counts: np.ndarray, scale: int) -> list[tuple]:
    """(observed value, simulated per particle, error variance) of the Darien and release
    cells observed in the month."""
    out = []
    if obs.darien is not None:
        y = max(float(np.exp(obs.darien)) - 1.0, 0.0)
        out.append((obs.darien, np.log(counts[:, DARIEN_COL] + 1.0),
                    obs.darien_sd ** 2 + scale / (y + scale)))
    if obs.release is not None:
        out.append((obs.release, release_share(counts), obs.release_sd ** 2))
    return out


# --------------------------------------------------------------------------- a filter's frame
#: spawn-key kinds of the coordinator's random numbers (innovations, resampling, streams,
#: the tempered filter's jitter, the ensemble update's perturbed observations)
INNOVATION, RESAMPLE, RESTART, JITTER, PERTURB = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class FilterFrame:
    """What a filter method needs: the particle tasks' shared ``run``, the executor, the
    calendar ``months`` (spin-up included) and the scenario's first month, the
    observations by month, the noise numbers (``sigma``, ``tau`` per group), the regime
    resets and the decay, the number of particles and the progress callback."""
    run: object                      # a particle_tasks.ParticleRun
    executor: object
    months: list
    first: str
    observations: dict
    sigma: np.ndarray
    tau: np.ndarray
    regimes: dict
    decay: float
    n: int
    progress: object = None

    def rng(self, *key) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(self.run.entropy, spawn_key=key))

    def step_latent(self, x: np.ndarray, k: int) -> np.ndarray:
        """The latent of calendar month ``k`` from the previous month's: the random walk's
        innovation (from the scenario's first month), then the regime resets."""
        mo = self.months[k]
        if mo < self.first:
            return x
        if self.sigma.any():
            x = x + self.sigma[None, :] * self.rng(INNOVATION, k).standard_normal(x.shape)
        return x * decay_factor(mo, self.regimes, self.decay)[None, :]


def latent_rows(mo: str, x: np.ndarray, w: np.ndarray | None = None) -> list[dict]:
    """Rows month, group, mean, p10, median, p90 of the latent ``x`` (particles x groups)
    under weights ``w`` (None: equal)."""
    w = np.full(len(x), 1.0 / len(x)) if w is None else w
    rows = []
    for j, grp in enumerate(GROUPS):
        order = np.argsort(x[:, j], kind="stable")
        cw = np.cumsum(w[order])
        cw /= cw[-1]
        q = [float(x[order][min(np.searchsorted(cw, p), len(x) - 1), j])
             for p in (0.1, 0.5, 0.9)]
        rows.append({"month": mo, "group": grp, "mean": float(w @ x[:, j]), "p10": q[0],
                     "median": q[1], "p90": q[2]})
    return rows


def log_mean_exp(ll: np.ndarray) -> float:
    top = float(ll.max())
    return top + float(np.log(np.mean(np.exp(ll - top))))


@dataclass
class Filtered:
    """A filter's result: the members (particles continued to the scenario's end), the
    filtered latent by month and group, and the filter's health by observed month: the
    effective sample size (the smallest of the month's tempering stages; N for the
    ensemble update), the stages, and the spread (ensemble standard deviation of the
    groups' simulated log counts, mean over groups) beside the observation error."""
    ds: object                       # xarray Dataset: member x month x breakdown
    latent: pd.DataFrame             # month, group, mean, p10, median, p90
    weights: np.ndarray              # (observed months, particles) normalised weights
    ess: list[float]
    log_evidence: float              # sum of the months' log mean likelihood
    observed_months: list[str]
    noise: object
    wall_seconds: float
    method: str = "bootstrap"
    stages: list[int] = field(default_factory=list)
    spread: list[float] = field(default_factory=list)
    obs_error: list[float] = field(default_factory=list)

    def health(self) -> dict:
        """The filter's health in a few numbers (for the records)."""
        out = {"method": self.method,
               "mean_ess": round(float(np.mean(self.ess)), 2) if self.ess else None,
               "min_ess": round(float(np.min(self.ess)), 2) if self.ess else None}
        if self.stages:
            out["mean_stages"] = round(float(np.mean(self.stages)), 2)
        if self.spread:
            out["min_spread"] = round(float(np.min(self.spread)), 4)
            out["mean_spread"] = round(float(np.mean(self.spread)), 4)
            out["mean_obs_error"] = round(float(np.mean(self.obs_error)), 4)
        return out


def spread_and_error(obs: Observation, counts: np.ndarray, tau: np.ndarray, scale: int
                     ) -> tuple[float, float]:
    """(ensemble sd of the groups' log counts, observation error sd), means over groups."""
    sd = log_counts(counts).std(axis=0, ddof=1)
    err = np.sqrt(tau ** 2 + scale / (obs.groups + scale))
    return float(sd.mean()), float(err.mean())
