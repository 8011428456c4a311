"""A filter's particles draw their parameters as the mechanisms' members do, and keep
their draw: the draw's index travels in the particle's state, so a particle resampled
or restored goes on with the parameters that made its state."""

import numpy as np
import pytest

from borderflow.engine.calendar import make_calendar, shift_month
from borderflow.engine.inputs import SPINUP_MONTHS
from borderflow.ensemble.runner import RunSpec, member_draw
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import PARAMETERS
from borderflow.validate import assimilate as a
from borderflow.validate import particle_tasks as pt
from borderflow.validate.particles import NAT_GROUP

SCALE, SEED = 500, 3
_BASE = PARAMETERS["base_departures"].default
#: two parameter sets far apart: every departure rate a third of the registry's, or three
#: times it
DRAWS = tuple({"base_departures": {k: v * f for k, v in _BASE.items()}} for f in (1 / 3, 3.0))


@pytest.fixture(scope="module")
def sc():
    return load_scenario("historical").with_span("2019-01", "2019-03")


def _push(sc):
    months = list(make_calendar(shift_month(sc.start, -SPINUP_MONTHS), sc.end).months)
    return np.ones((len(months), len(NAT_GROUP)))


def test_a_particle_runs_its_draw_and_keeps_it(sc):
    run = pt.ParticleRun(sc, None, SCALE, SEED, shipped_parameters(), DRAWS)
    push = _push(sc)
    draws = [member_draw(SEED, i, len(DRAWS)) for i in range(6)]
    assert set(draws) == {0, 1}
    for i, d in enumerate(draws):
        counts, ckpt = pt.advance_particle(run, i, None, push[:3], 0, False)
        assert int(ckpt["draw"]) == d
        # the same as member i of a run at that draw's point
        alone = pt.ParticleRun(sc.with_parameters(**DRAWS[d]), None, SCALE, SEED)
        same, _ = pt.advance_particle(alone, i, None, push[:3], 0, False)
        np.testing.assert_array_equal(counts, same)
        # restored, it goes on with its draw
        more, after = pt.advance_particle(run, ckpt, None, push[3:5], 3, False)
        assert int(after["draw"]) == d
        cont, _ = pt.advance_particle(alone, {**ckpt, "draw": np.array(-1)}, None,
                                      push[3:5], 3, False)
        np.testing.assert_array_equal(more, cont)


def test_filtered_members_differ_in_their_parameters(sc):
    """No observations: the particles are the members; those with three times the
    departures make more agents than those with a third."""
    noise = a.Noise(sigma=np.zeros(5), tau=np.full(5, 0.1), source="test")
    run = RunSpec(sc, seed=SEED, scale=SCALE, draws=DRAWS)
    flt = a.run_filter(run, noise, origin=None, observations={},
                       spec=a.FilterSpec(method="enkf", particles=6, parameter_draws=True))
    draws = np.array([member_draw(SEED, i, len(DRAWS)) for i in range(6)])

    def totals(ds):
        agents = ds["agents"]
        return agents.sum([d for d in agents.dims if d != "member"]).values

    total = totals(flt.ds)
    assert total[draws == 1].min() > total[draws == 0].max()
    assert flt.ds.attrs["parameter_draws"] == 2
    # off (the default), every particle runs the scenario's point: the same members as
    # a run without draws
    point = a.run_filter(run, noise, origin=None, observations={},
                         spec=a.FilterSpec(method="enkf", particles=6))
    plain = a.run_filter(RunSpec(sc, seed=SEED, scale=SCALE), noise, origin=None,
                         observations={}, spec=a.FilterSpec(method="enkf", particles=6))
    assert "parameter_draws" not in point.ds.attrs
    np.testing.assert_array_equal(totals(point.ds), totals(plain.ds))
    assert not np.array_equal(total, totals(plain.ds))
