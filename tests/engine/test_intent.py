"""Intent at the border (MODEL.md agent attribute: surrender to claim asylum / evade): it
is set before the crossing is chosen, and evaders and asylum seekers choose crossings
differently (route choice), so who crosses where follows the prospects of release."""

import numpy as np
from engine_helpers import ample_custody

from borderflow.api import simulate
from borderflow.engine.constants import X_PORT, X_REMOTE, X_URBAN
from borderflow.engine.routechoice import route_utility, static_utility, us_terms
from borderflow.scenario.model import TimelineEvent
from borderflow.scenario.registry import NATIONALITIES

SEEDS = (31, 32, 33)


def _probabilities(beta: float, surrender: bool = False) -> np.ndarray:
    """One start node with a port, an urban and a remote crossing in one sector: the
    choice probabilities of an evader or an asylum seeker, from the engine's own terms."""
    crossing = np.array([X_PORT, X_URBAN, X_REMOTE])
    p = {"apprehension_urban": 0.8, "apprehension_remote": 0.55, "beta_days": 0.08,
         "beta_cost": 0.4, "beta_hazard": 200.0, "hazard_scale": 0.001,
         "sector_preference": np.zeros(1)}
    u_static = static_utility(np.array([2.0, 1.0, 3.0]), np.array([0.0, 500.0, 1500.0]),
                              np.array([0.0, 0.5, 4.0]), np.zeros(3, int), p)
    base = np.where(crossing == X_URBAN, 0.8, 0.55)
    betas = np.array([0.08, 0.5, beta, 3.0, 0.03])
    u = []
    for r in range(3):
        v = route_utility(u_static[r], crossing[r], 0.0, 0.0, 0.0, betas)
        ev, fd = us_terms(crossing[r], base[r], 1.0, betas, 0.3)
        u.append(v + fd if surrender else v - ev)
    w = np.exp(np.array(u) - max(u))
    return w / w.sum()


def test_asylum_seekers_weigh_the_chance_of_being_found_evaders_of_being_caught():
    beta = 4.0
    ev = _probabilities(beta)
    asy = _probabilities(beta, surrender=True)
    assert np.isclose(ev.sum(), 1.0) and np.isclose(asy.sum(), 1.0)
    lo = np.log
    # urban vs remote: the evader pays beta x (0.8 - 0.55), the asylum seeker gains it
    assert np.isclose(lo(asy[1] / asy[2]) - lo(ev[1] / ev[2]), 2 * beta * (0.8 - 0.55))
    # port vs remote: at a port the asylum seeker is found for certain (+beta) and the
    # evader is not "caught" (0); at the remote crossing each gets its +-beta x 0.55
    assert np.isclose(lo(asy[0] / asy[2]) - lo(ev[0] / ev[2]), beta * (1.0 - 2 * 0.55))
    # between the ports, fewer asylum seekers than evaders go through the desert
    assert asy[2] / (asy[1] + asy[2]) < ev[2] / (ev[1] + ev[2])
    # without the weight, intent does not change the choice
    assert np.allclose(_probabilities(0.0), _probabilities(0.0, surrender=True))


def _remote_share(historical, release: float, beta: float) -> float:
    """Share of the crossings between ports that are remote, Feb-Mar 2019, with every
    nationality released at ``release`` and custody that never binds (so nearly all evade
    at 0)."""
    sc = historical.with_span("2019-01", "2019-03").with_parameters(
        beta_apprehension=beta)
    ev = TimelineEvent(date="2019-01-01", lever="us_release_rate", value=release,
                       keys=list(NATIONALITIES), source="test")
    sc = sc.model_copy(update={"timeline": [ev, *ample_custody()]})
    shares = []
    for s in SEEDS:
        cr = simulate(sc, seed=s, scale=100).tables["crossings"]
        cr = cr[cr["month"].astype(str).isin(["2019-02", "2019-03"]) & (cr["kind"] != "port")]
        shares.append(cr.loc[cr["kind"] == "remote", "people"].sum() / cr["people"].sum())
    return float(np.mean(shares))


def test_who_crosses_in_the_desert_follows_the_prospect_of_release(historical):
    evade = _remote_share(historical, 0.0, 6.0)     # nobody expects release: all evade
    seek = _remote_share(historical, 1.0, 6.0)      # most mean to surrender
    assert evade - seek > 0.2
    # the control: with no weight on apprehension, intent leaves the crossing alone
    assert abs(_remote_share(historical, 0.0, 0.0) - _remote_share(historical, 1.0, 0.0)) < 0.03


def test_surrenders_are_counted_and_follow_the_release_chance(historical):
    def surrenders(release):
        sc = historical.with_span("2019-01", "2019-02")
        ev = TimelineEvent(date="2019-01-01", lever="us_release_rate", value=release,
                           keys=list(NATIONALITIES), source="test")
        res = simulate(sc.model_copy(update={"timeline": [ev, *ample_custody()]}),
                       seed=SEEDS[0], scale=100)
        out = res.tables["outcomes"]
        n = float(out.loc[out["measure"] == "surrenders", "people"].sum())
        between = res.tables["crossings"]
        return n, float(between.loc[between["kind"] != "port", "people"].sum())

    none, _ = surrenders(0.0)
    many, crossed = surrenders(1.0)
    # with no release only unaccompanied children (released to sponsors by law) surrender
    assert 0.0 < none < 0.2 * many
    assert 0.3 * crossed < many <= crossed
