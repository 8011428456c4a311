"""A journey resolved in one event (``kernel.travel``) has the outcomes of the day-by-day
path: the same shares stopped at a checkpoint, dead, rescued and arrived, on the same days.

A synthetic route of five edges (the chances change every day: checkpoint staff and the
heat season follow fast cycles) is travelled by 100,000 agents both ways, each way with
its own random stream, and the two tables of (outcome, day) counts are compared by a
chi-square test of homogeneity at the 0.1% level.  The same test rejects a path that
looks the chances up on the day the journey starts, and one that draws them once a
journey."""

import numpy as np
import pytest
from numba import njit
from scipy.stats import chi2_contingency

from borderflow.engine.constants import (
    F_DYING,
    F_INTERCEPT,
    F_NONE,
    F_RESCUED,
    IN_TRANSIT,
    M_BUS,
    M_FOOT,
    M_RIVER,
    X_NONE,
    X_REMOTE,
)
from borderflow.engine.kernel import chances_ahead, travel
from borderflow.engine.mexico import interception_chance
from borderflow.engine.mortality import edge_fate, fate_chances
from borderflow.engine.rand import make_state, rnd
from borderflow.engine.simulate import Simulation
from borderflow.engine.state import EDGE_DAYS, allocate
from borderflow.engine.tables import ModelRef, compiled
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import shipped_parameters

SHIPPED = shipped_parameters()

N_AGENTS = 100_000
LEVEL = 1e-3
# the route: days, checkpoints, mode, crossing of each edge (the last a remote crossing
# the route starts next to, so it is travelled in the same journey)
DAYS = np.array([1, 2, 3, 1, 2], np.int16)
CHECKPOINTS = np.array([0, 3, 2, 0, 1], np.float64)
MODE = np.array([M_BUS, M_FOOT, M_BUS, M_RIVER, M_FOOT], np.int8)
CROSSING = np.array([X_NONE, X_NONE, X_NONE, X_NONE, X_REMOTE], np.int8)
INTERCEPT, DIED, RESCUED, ARRIVED = range(4)


@pytest.fixture(scope="module")
def model():
    sc = load_scenario("historical").with_span("2019-01", "2019-01")
    sim = Simulation(sc, seed=0, scale=100, parameters=SHIPPED)
    n_e, days = len(DAYS), sim.n_days
    t = np.arange(days)
    N = sim.inputs.N._replace(
        src=np.arange(n_e, dtype=np.int16), dst=np.arange(1, n_e + 1, dtype=np.int16),
        days=DAYS, hazard=np.array([0.01, 0.03, 0.02, 0.05, 0.04]), mode=MODE,
        crossing=CROSSING, checkpoints=CHECKPOINTS, mxs=np.zeros(n_e, np.int16))
    staff = sim.inputs.D.staff.copy()
    staff[:, 0] = 1.0 + 0.9 * np.sin(t * 2.1)              # a different staff every day
    D = sim.inputs.D._replace(staff=staff, season=1.0 + 0.8 * np.cos(t * 1.3) ** 2)
    K = sim.inputs.K._replace(interception=0.08, hazard_scale=1.0, rescue_share=0.4,
                              abandonment_share=0.3, abandonment_hazard=3.0,
                              smuggler_evasion=0.5, detour_hazard=0.2)
    R = sim.inputs.R._replace(edges=np.arange(n_e, dtype=np.int32)[None, :],
                              length=np.array([n_e], np.int32),
                              from_border=np.array([1], np.int8))
    F = sim.F._replace(edge_p=np.zeros((EDGE_DAYS, n_e, 5)),
                       edge_day=np.full(EDGE_DAYS, -1, np.int64))
    A = allocate(N_AGENTS)
    A.state[:] = IN_TRANSIT
    A.nat[:] = 1                                           # not Mexican: checkpoints stop it
    A.smug[:] = np.arange(N_AGENTS) % 2
    m = sim.model
    M = ModelRef(compiled(A), m.C, compiled(F), compiled(K), compiled(D), compiled(N),
                 compiled(R), m.Q, make_state(np.random.SeedSequence(1)))
    chances_ahead(M, 0)
    return M


@njit
def one_event(M, kind, day):
    """Every agent's journey as the engine resolves it: one call of ``travel`` on day 0."""
    A = M.A
    for i in range(len(kind)):
        travel(M, i, 0, 0)
        f = A.flag[i]
        kind[i] = (INTERCEPT if f == F_INTERCEPT else DIED if f == F_DYING
                   else RESCUED if f == F_RESCUED else ARRIVED)
        day[i] = A.wake[i]
        if f == F_NONE and A.leg[i] != len(DAYS) - 1:
            kind[i] = -1                                   # stopped short: a failure


@njit
def day_by_day(M, rng, kind, day, wrong):
    """The path of one event per edge: day after day, every agent whose wake day has come
    enters its next edge with that day's chances and sleeps to its end.  Two wrong paths
    show the test's power: ``wrong`` 1, the chances of day 0 stand for the whole journey;
    2, the chances are drawn once a journey, on its first edge with checkpoints and its
    first edge."""
    A, N, K = M.A, M.N, M.K
    n = len(kind)
    leg = np.zeros(n, np.int64)
    wake = np.zeros(n, np.int64)
    kind[:] = -1
    t = 0
    left = n
    while left > 0:
        row = 0 if wrong == 1 else t % EDGE_DAYS
        for i in range(n):
            if kind[i] >= 0 or wake[i] != t:
                continue
            e = leg[i]
            smug = A.smug[i]
            p = interception_chance(M.F.edge_p, row, A.nat[i], smug, e)
            if wrong == 2 and e > 1:
                p = 0.0                                    # edge 1: the first checkpoints
            if p > 0.0 and rnd(rng) < p:
                kind[i], day[i] = INTERCEPT, t
            else:
                f, days, _ = edge_fate(fate_chances(M.F.edge_p, row, e), smug, True, N.crossing[e],
                                       N.days[e], (K.abandonment_share, K.rescue_share), rng)
                if wrong == 2 and e > 0:
                    f = F_NONE if f == F_DYING else f      # a death on the first edge only
                if f == F_DYING:
                    kind[i], day[i] = DIED, t + days
                elif f == F_RESCUED:
                    kind[i], day[i] = RESCUED, t + days
                elif e + 1 == len(N.days):
                    kind[i], day[i] = ARRIVED, t + days
                else:
                    leg[i] += 1
                    wake[i] = t + days
            if kind[i] >= 0:
                left -= 1
        t += 1


def _table(kind, day):
    assert kind.min() >= 0
    return np.bincount(kind * 64 + day, minlength=4 * 64)


def _chi2(a, b):
    keep = (a + b) >= 10                                  # cells with enough counts
    rest = np.array([a[~keep].sum(), b[~keep].sum()])
    obs = np.vstack([np.append(a[keep], rest[0]), np.append(b[keep], rest[1])])
    obs = obs[:, obs.sum(axis=0) > 0]
    return chi2_contingency(obs)[1]


@pytest.fixture(scope="module")
def outcomes(model):
    kind, day = np.empty(N_AGENTS, np.int64), np.empty(N_AGENTS, np.int64)
    one_event(model, kind, day)
    ref = []
    for wrong in (0, 1, 2):
        k2, d2 = np.empty(N_AGENTS, np.int64), np.empty(N_AGENTS, np.int64)
        day_by_day(model, make_state(np.random.SeedSequence(2)), k2, d2, wrong)
        ref.append(_table(k2, d2))
    return _table(kind, day), ref


def test_every_outcome_occurs(outcomes):
    one, _ = outcomes
    shares = one.reshape(4, 64).sum(axis=1) / N_AGENTS
    assert (shares > 0.02).all(), shares                    # each kind is tested


def test_one_event_and_day_by_day_agree(outcomes):
    one, (ref, _, _) = outcomes
    p = _chi2(one, ref)
    assert p > LEVEL, p
    shares = (one.reshape(4, 64).sum(axis=1) - ref.reshape(4, 64).sum(axis=1)) / N_AGENTS
    assert np.abs(shares).max() < 0.01, shares


def test_the_comparison_rejects_chances_of_the_wrong_day_or_once_a_journey(outcomes):
    one, (_, first_day, once) = outcomes
    assert _chi2(one, first_day) < 1e-6
    assert _chi2(one, once) < 1e-6
