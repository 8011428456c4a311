"""A long run split by a checkpoint file equals the uninterrupted run, bit for bit."""

import numpy as np
import pytest

from borderflow.engine.loop import compact
from borderflow.engine.simulate import Simulation, load_checkpoint, save_checkpoint
from borderflow.errors import InputError
from borderflow.results import Results
from borderflow.scenario.calibrated import shipped_parameters

SHIPPED = shipped_parameters()


def _same(a: Simulation, b: Simulation) -> None:
    """The whole model state: counters, feedback state, the random stream, and the agents
    still to act (in order; finished agents leave the arrays at unobservable times)."""
    for sim in (a, b):
        compact(sim.model)
    for k, v in a.C._asdict().items():
        np.testing.assert_array_equal(v, getattr(b.C, k), err_msg=f"counter {k}")
    for k, v in a.F._asdict().items():
        np.testing.assert_array_equal(v, getattr(b.F, k), err_msg=f"feedback {k}")
    np.testing.assert_array_equal(a.model.rng, b.model.rng)
    n = a.n_act
    for k, v in a.A._asdict().items():
        np.testing.assert_array_equal(v[:n], getattr(b.A, k)[:n], err_msg=f"agents {k}")


@pytest.mark.parametrize("k", [1, 75])
def test_split_run_equals_whole_run(small_sc, tmp_path, k):
    ss = np.random.SeedSequence(42, spawn_key=(7,))
    whole = Simulation(small_sc, scale=100, seed_sequence=ss, parameters=SHIPPED)
    whole.advance()
    first = Simulation(small_sc, scale=100, parameters=SHIPPED,
                       seed_sequence=np.random.SeedSequence(42, spawn_key=(7,)))
    first.advance(k)
    save_checkpoint(first, tmp_path / "run.npz")
    second = load_checkpoint(small_sc, tmp_path / "run.npz", SHIPPED)
    assert second.day == k
    second.advance()
    _same(whole, second)
    a, b = Results(whole.result()), Results(second.result())
    for name in a.tables:
        assert a.tables[name].equals(b.tables[name]), name


def test_checkpoint_of_other_scenario_refused(small_sc, tmp_path):
    sim = Simulation(small_sc, seed=1, scale=200, parameters=SHIPPED)
    sim.advance(10)
    save_checkpoint(sim, tmp_path / "run.npz")
    other = small_sc.with_levers(us_bp_posture=1.5)
    with pytest.raises(InputError, match="another scenario"):
        load_checkpoint(other, tmp_path / "run.npz", SHIPPED)
