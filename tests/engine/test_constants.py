"""The engine's index constants agree with the registry they stand for."""

import numpy as np

from borderflow.engine import constants as c
from borderflow.engine import loop, state
from borderflow.engine.constants import DEAD, IN_TRANSIT
from borderflow.engine.simulate import Simulation
from borderflow.engine.tables import ModelRef, compiled
from borderflow.scenario import load_scenario
from borderflow.scenario import registry as r
from borderflow.scenario.calibrated import shipped_parameters

SHIPPED = shipped_parameters()


def test_nationality_and_group_indices_follow_the_registry():
    assert c.MEXICO == r.NATIONALITIES.index("Mexico")
    assert (c.SA, c.FAMILY, c.UAC) == tuple(range(len(r.DEMOGRAPHICS)))
    assert len(r.DEMOGRAPHICS) == 3


def test_outcome_indices_follow_their_names():
    names = {"O_DEPART": "departures", "O_REDEPART": "redepartures", "O_GOTAWAY": "gotaways",
             "O_REPEAT": "repeat_encounters", "O_RESCUE": "rescues", "O_EXPEL": "expulsions",
             "O_REMOVE": "removals_us", "O_RELEASE_US": "releases_us", "O_MPP": "mpp_returns",
             "O_QUEUE": "port_queue_days", "O_DEFER": "border_deferrals",
             "O_SURRENDER": "surrenders", "O_DARIEN": "darien_crossings",
             "O_PAROLE_PORT": "port_paroles", "O_RELEASE_FAMILY": "family_releases",
             "O_RELEASE_CHILD": "child_placements", "O_RELEASE_ICE": "ice_releases"}
    assert len(names) == len(c.OUTCOMES)
    for const, name in names.items():
        assert c.OUTCOMES[getattr(c, const)] == name


def test_every_agent_field_is_declared_once_and_moved_by_compact_and_reserve():
    """The agent fields are declared once (``state.AGENT_FIELDS``): ``state.Agents`` and
    ``state.AGENT_DTYPES`` follow it, and the compiled ``loop.compact`` and
    ``loop.reserve`` move every field (a field they missed would be silently dropped when
    agents are compacted or the arrays grow)."""
    fields = [name for name, _, _ in state.AGENT_FIELDS]
    assert fields == list(state.Agents._fields) == list(state.AGENT_DTYPES)
    for fn in (loop.move_agent, loop.grow_agents):
        assert all(f"A.{f}" in fn.source for f in fields), fn.source

    n = 6
    agents = state.allocate(n)
    for k, f in enumerate(fields):
        getattr(agents, f)[:] = np.arange(n) + 10 * (k + 1)
    agents.state[:] = [IN_TRANSIT, DEAD, IN_TRANSIT, DEAD, DEAD, IN_TRANSIT]
    agents.flag[:] = 0
    sim = Simulation(load_scenario("historical").with_span("2019-01", "2019-01"), scale=100,
                     parameters=SHIPPED)
    m = sim.model
    model = ModelRef(compiled(agents), m.C, m.F, m.K, m.D, m.N, m.R, m.Q, m.rng)
    model.F.scal[state.N_ACT] = n
    loop.reserve(model, n)                # compacts, then grows
    A = model.A
    assert len(A.nat) > n and model.F.scal[state.N_ACT] == 3
    for k, f in enumerate(fields):
        want = np.arange(n)[[0, 2, 5]] + 10 * (k + 1)
        if f == "state":
            want = [IN_TRANSIT] * 3
        elif f == "flag":
            want = [0, 0, 0]
        assert np.array_equal(getattr(A, f)[:3], want), f
