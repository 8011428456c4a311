"""The release a citizenship sees at origin falls back on the regime as perceived when it
hears of few outcomes (engine.feedback.value_step): the chance outcomes of its first few
agents cannot hold its value, and with it its departures, where they left it."""

from __future__ import annotations

from borderflow.engine.constants import O_DEPART
from borderflow.engine.departures import attempt_value
from borderflow.engine.feedback import value_step
from borderflow.engine.simulate import Simulation
from borderflow.engine.state import DEP_ALL, DEP_REL, EXP_DEP
from borderflow.ensemble.runner import member_seed
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import NATIONALITIES

COL = NATIONALITIES.index("Colombia")
SCALE = 50


def _sim(historical, seed_sequence=None, span=("2019-01", "2019-12")):
    return Simulation(historical.with_span(*span), seed=0, seed_sequence=seed_sequence,
                      scale=SCALE, parameters=shipped_parameters())


def test_a_citizenship_that_hears_of_no_outcome_returns_to_the_regime_as_perceived(historical):
    sim = _sim(historical)
    F, K, D = sim.model.F, sim.model.K, sim.inputs.D
    # three compatriots removed, none let in, and then nothing more heard of
    F.seen[COL, DEP_REL], F.seen[COL, DEP_ALL] = 0.0, 3.0 / K.perception_days
    value_step(sim.model, 0)
    trapped = float(F.pull[COL])
    last = D.evade_dep.shape[0] - 1          # over a year: ten perception times
    for d in range(1, last + 1):
        value_step(sim.model, d)
    w = K.evasion_w[COL]
    regime = (attempt_value(D.evade_dep[last, COL], F.seen[COL, EXP_DEP], w)
              / K.ref_value[COL]) ** K.pull_elasticity
    assert trapped < 0.5 * regime
    assert abs(float(F.pull[COL]) / regime - 1.0) < 0.05


def test_many_outcomes_outweigh_the_prior(historical):
    sim = _sim(historical)
    F, K, D = sim.model.F, sim.model.K, sim.inputs.D
    # a thousand outcomes a day heard of, all releases, while the regime promises none:
    # the value seen is that of a sure release
    F.seen[COL, DEP_REL], F.seen[COL, DEP_ALL] = 1000.0, 1000.0
    F.seen[COL, EXP_DEP] = 0.0
    value_step(sim.model, 0)
    sure = (attempt_value(D.evade_dep[0, COL], 1.0, K.evasion_w[COL])
            / K.ref_value[COL]) ** K.pull_elasticity
    assert abs(float(F.pull[COL]) / sure - 1.0) < 1e-4


def test_no_draw_of_the_warm_up_shuts_a_citizenship_out(historical):
    # with this member's draws the first Colombians of the warm-up were all removed and,
    # before the prior, none set out again in six years (300 people)
    sim = _sim(historical, member_seed(0, 2), ("2019-01", "2020-12"))
    sim.advance()
    dep = sim.model.C.outcomes[:, O_DEPART, COL].sum() * SCALE
    assert dep > 3_000       # 7,350 with the prior
