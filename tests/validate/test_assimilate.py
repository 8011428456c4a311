"""The particle filter: systematic resampling, the noise numbers, the filter's response to
observations, no observations = the mechanisms alone, and identical results with 1 and 2
workers."""

import numpy as np
import pytest

from borderflow.ensemble.runner import RunSpec, SequentialExecutor, make_executor, run_ensemble
from borderflow.errors import InputError
from borderflow.scenario import load_scenario
from borderflow.validate import assimilate as a
from borderflow.validate import particle_tasks

SCALE, SEED = 500, 3


@pytest.fixture(scope="module")
def short_sc():
    return load_scenario("historical").with_span("2019-01", "2019-06")


def test_systematic_resample_keeps_floor_or_ceil():
    w = np.array([0.5, 0.3, 0.2, 0.0])
    for u in (0.0, 0.37, 0.99):
        idx = a.systematic_resample(w, u)
        counts = np.bincount(idx, minlength=4)
        assert counts.sum() == 4 and counts[3] == 0
        assert np.all(np.abs(counts - 4 * w) < 1.0)
        assert np.all(np.diff(idx) >= 0)


def test_local_level_moments_recover_the_noise():
    rng = np.random.default_rng(0)
    level = np.cumsum(0.1 * rng.standard_normal(2000))
    y = level + 0.2 * rng.standard_normal(2000)
    sigma, tau = a.local_level(y)
    assert sigma == pytest.approx(0.1, rel=0.25) and tau == pytest.approx(0.2, rel=0.25)
    with pytest.raises(InputError, match="too few"):
        a.local_level(y[:10])


def test_likelihood_prefers_the_closer_particle():
    obs = np.array([1000.0, 500.0, 200.0, 300.0, 100.0])
    sim = np.vstack([obs, 2 * obs, 0.5 * obs])
    ll = a.log_likelihood(obs, sim, np.full(5, 0.2), scale=10)
    assert ll[0] > ll[1] and ll[0] > ll[2]


def test_no_observations_and_no_noise_is_the_mechanisms_alone(short_sc):
    """Without observations and with a still latent the filter's members are the
    mechanisms-alone ensemble, bit for bit (and with a moving latent they are not)."""
    quiet = a.Noise(sigma=np.zeros(5), tau=np.full(5, 0.1), source="test")
    flt = a.run_filter(
        RunSpec(short_sc, seed=SEED, scale=SCALE), quiet, origin=None, particles=3, observations={}
    )
    ref = run_ensemble(RunSpec(short_sc, runs=3, seed=SEED, scale=SCALE, workers=1))
    for var in ("usbp_by_citizenship", "usbp_by_sector", "deaths", "mexico"):
        np.testing.assert_array_equal(flt.ds[var].values, ref[var].values, err_msg=var)
    assert flt.weights.shape == (0, 3) and flt.latent.empty
    moving = a.Noise(sigma=np.full(5, 0.3), tau=np.full(5, 0.1), source="test")
    flt2 = a.run_filter(
        RunSpec(short_sc, seed=SEED, scale=SCALE), moving, origin=None, particles=3, observations={}
    )
    assert not np.array_equal(flt2.ds["usbp_encounters"].values, ref["usbp_encounters"].values)


def test_filter_follows_the_observations(short_sc):
    """Observations three times the mechanisms' Mexican encounters pull the Mexican
    latent push up and leave the filtered run above the mechanisms alone (the bootstrap
    filter; the other updates in test_assimilate_methods.py)."""
    ref = run_ensemble(RunSpec(short_sc, runs=4, seed=SEED, scale=SCALE, workers=1))
    months = [str(m) for m in ref["month"].values]
    by_nat = np.median(ref["usbp_by_citizenship"].values, axis=0)       # month x nat
    groups = a._group_sum(by_nat)
    groups[:, 0] *= 3.0
    obs = {mo: groups[k] for k, mo in enumerate(months[:4])}
    noise = a.Noise(sigma=np.full(5, 0.3), tau=np.full(5, 0.1), source="test")
    flt = a.run_filter(
        RunSpec(short_sc, seed=SEED, scale=SCALE),
        noise,
        origin=months[3],
        observations=obs,
        spec=a.FilterSpec(method="bootstrap", particles=24),
    )
    last = flt.latent[flt.latent["month"] == months[3]].set_index("group")
    assert last.loc["mexico", "mean"] > 0.2
    # the group observed as simulated moves less in the Mexican direction (with 12
    # particles the bootstrap weights collapse and its latent wandered further than the
    # Mexican one: 24)
    assert last.loc["north_central_america", "mean"] < last.loc["mexico", "mean"]
    mex = list(a.NAT_GROUP).index(0)
    sim = np.median(flt.ds["usbp_by_citizenship"].values[:, 3, mex])
    assert sim > 1.5 * by_nat[3, mex]
    assert flt.weights.shape == (4, 24) and np.allclose(flt.weights.sum(axis=1), 1.0)
    assert len(flt.ess) == 4 and all(1.0 <= e <= 24.0 for e in flt.ess)


def test_particles_must_be_two_or_more(short_sc):
    with pytest.raises(InputError, match="particles"):
        a.run_filter(RunSpec(short_sc), a.Noise(np.zeros(5), np.zeros(5), "test"), origin=None, particles=1)


@pytest.mark.slow
def test_one_and_two_workers_give_identical_weights_and_forecasts(short_sc, monkeypatch):
    """Also whatever the particles per task: one task of 6 alone, tasks of 4 and 2 on
    two workers."""
    noise = a.Noise(sigma=np.full(5, 0.2), tau=np.full(5, 0.15), source="test")
    runs = []
    for ex_factory, per_task in ((lambda: _seq(), 8), (lambda: make_executor(2), 4)):
        monkeypatch.setattr(particle_tasks, "PARTICLES_PER_TASK", per_task)
        with ex_factory() as ex:
            runs.append(
                a.run_filter(
                    RunSpec(short_sc, seed=SEED, scale=SCALE, executor=ex),
                    noise,
                    origin="2019-04",
                    particles=6,
                )
            )
    one, two = runs
    np.testing.assert_array_equal(one.weights, two.weights)
    assert one.weights.shape == (4, 6)
    for var in one.ds.data_vars:
        np.testing.assert_array_equal(one.ds[var].values, two.ds[var].values, err_msg=var)
    assert one.latent.equals(two.latent)


class _seq:
    def __enter__(self):
        return SequentialExecutor()

    def __exit__(self, *exc):
        return False


def test_a_particle_that_simulates_nobody_is_not_preferred():
    """The sampling noise is the observation's: a particle with almost no encounters does
    not earn a wide likelihood (it once outweighed particles 30% off)."""
    obs = np.full(5, 40000.0)
    sim = np.vstack([np.full(5, 28000.0), np.full(5, 1.0)])
    ll = a.log_likelihood(obs, sim, np.zeros(5), scale=50)
    assert ll[0] > ll[1]
