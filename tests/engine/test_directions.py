"""Each mechanism's direction of effect, averaged over seeds."""

import numpy as np
from engine_helpers import ample_custody

from borderflow.api import simulate
from borderflow.scenario.calibrated import shipped_parameters
from borderflow.scenario.registry import MX_STATES, NATIONALITIES

SHIPPED = shipped_parameters()

SEEDS = (11, 12, 13)


def _mean(sc, fn, scale=100):
    return float(np.mean([fn(simulate(sc, seed=s, scale=scale)) for s in SEEDS]))


def _mx(res, measure):
    return res.mexico(measure)["people"].sum()


def _usbp(res):
    return res.encounters()["encounters"].sum()


def _repeats(res):
    o = res.tables["outcomes"]
    return o.loc[o["measure"] == "repeat_encounters", "people"].sum()


def _caught_per_departure(res):
    o = res.tables["outcomes"]
    dep = o[(o["measure"] == "departures") & (o["citizenship"] != "Mexico")]["people"].sum()
    return _mx(res, "apprehended") / max(dep, 1.0)


def test_more_checkpoint_staff_catch_more_of_those_who_go_and_fewer_reach_the_us(historical):
    """Tripled staff: a larger share of those who set out is apprehended in Mexico, and
    USBP encounters fall.  (The count of apprehensions in Mexico may fall: fewer set out,
    deterred by the checkpoints and by the lower release their compatriots see once
    fewer arrive and ICE's beds are no longer full.)"""
    base = historical.with_span("2019-01", "2019-08")
    more = base.with_levers(mx_checkpoint_staff=3.0)
    assert _mean(more, _caught_per_departure) > 1.1 * _mean(base, _caught_per_departure)
    assert _mean(more, _usbp) < 0.95 * _mean(base, _usbp)


def test_title42_on_more_repeat_encounters(historical):
    # 2021: Title 42 applies to Mexicans and the northern Central Americans in the timeline
    base = historical.with_span("2021-01", "2021-08")
    off = base.with_levers(us_title42=0.0)
    # switch the timeline's Title 42 events off by removing them
    off = off.model_copy(update={"timeline": [e for e in off.timeline if e.lever != "us_title42"]})
    on = base.model_copy(update={"timeline": [e for e in base.timeline if e.lever != "us_title42"]})
    on = on.with_levers(us_title42={n: 1.0 for n in NATIONALITIES})
    r_on = _mean(on, _repeats)
    r_off = _mean(off, _repeats)
    assert r_on > 1.5 * r_off


def _deaths_per_crossing(res, months):
    """Expected deaths (the crossers' summed chances of dying, not the few sampled deaths)
    per crossing between ports."""
    cr = res.tables["crossings"]
    cr = cr[cr["month"].str[5:].isin(months) & cr["kind"].isin(["urban", "remote"])]
    return cr["expected_deaths"].sum() / cr["people"].sum()


def test_summer_more_deaths_per_crossing(historical):
    year = historical.with_span("2019-01", "2019-12").with_parameters(hazard_scale=3.0)
    runs = [simulate(year, seed=s, scale=50) for s in SEEDS]
    summer = np.mean([_deaths_per_crossing(r, ["06", "07", "08"]) for r in runs])
    winter = np.mean([_deaths_per_crossing(r, ["01", "02", "12"]) for r in runs])
    assert summer > 1.3 * winter


def test_no_heat_no_seasonal_gap(historical):
    # Border Patrol capacity off, custody that never binds and no policy events: the spring
    # 2019 surge
    # ties agents up and fills ICE's beds, so releases rise and more people surrender at
    # urban crossings; both shift crossings between routes by season, a gap in deaths per
    # crossing that is not heat
    year = historical.with_span("2019-01", "2019-12").with_parameters(
        hazard_scale=3.0, heat_amplitude=0.0, capacity_elasticity=0.0)
    # one regime all year: the 2019 policy events (MPP's expansion, the transit bar) move
    # the intent to surrender, and so the crossings, between the seasons compared
    year = year.model_copy(update={"timeline": ample_custody()})
    # 18 runs: sampled deaths at scale 50 vary by some 15% a season and run (six or twelve
    # of these seeds give 1.25, all 18 give 1.13)
    runs = [simulate(year, seed=s, scale=50) for s in range(11, 29)]
    summer = np.mean([_deaths_per_crossing(r, ["06", "07", "08"]) for r in runs])
    winter = np.mean([_deaths_per_crossing(r, ["01", "02", "12"]) for r in runs])
    assert summer < 1.25 * winter


def test_shorter_detention_limit_fewer_deportations(historical):
    base = historical.with_span("2019-01", "2019-08").with_levers(mx_checkpoint_staff=2.0)
    short = base.with_levers(mx_detention_limit_days=1.5)
    assert _mean(short, lambda r: _mx(r, "deported")) < 0.7 * _mean(
        base, lambda r: _mx(r, "deported"))
    # places free up sooner: more of those apprehended are detained, yet fewer deported
    assert _mean(short, lambda r: _mx(r, "detained")) > _mean(base, lambda r: _mx(r, "detained"))


def test_more_posture_fewer_gotaways(historical):
    base = historical.with_span("2019-01", "2019-06")
    strict = base.with_levers(us_bp_posture=4.0)

    def gotaways(r):
        o = r.tables["outcomes"]
        return o.loc[o["measure"] == "gotaways", "people"].sum()

    assert _mean(strict, gotaways) < 0.7 * _mean(base, gotaways)


def test_mx_states_are_known():
    assert "Chiapas" in MX_STATES and len(MX_STATES) == 32


def _departures_from(res, first):
    o = res.tables["outcomes"]
    return o.loc[(o["measure"] == "departures") & (o["month"] >= first), "people"].sum()


def test_network_momentum_fewer_arrivals_fewer_later_departures(historical):
    # a much stronger Border Patrol, no releases, and beds and removal flights for everyone
    # (ICE releases those it cannot remove) cut arrivals in the U.S.; with network momentum
    # that lowers the departures of the following months, beyond the other channels
    base = historical.with_span("2019-01", "2020-06").with_parameters(pull_elasticity=0.0)
    strict = base.with_levers(us_bp_posture=5.0, us_release_rate=0.0,
                              us_removal_flights=1e6, us_detention_beds=1e6,
                              us_family_beds=1e6)
    ratios = {}
    for eta in (0.0, 0.4):
        b, s = (x.with_parameters(network_elasticity=eta) for x in (base, strict))
        ratios[eta] = (_mean(s, lambda r: _departures_from(r, "2019-07"))
                       / _mean(b, lambda r: _departures_from(r, "2019-07")))
    assert ratios[0.4] < 0.95 * ratios[0.0]


def test_network_momentum_factor(historical):
    from borderflow.engine import constants as c
    from borderflow.engine.simulate import Simulation

    sc = historical.with_span("2019-01", "2019-02").with_parameters(
        network_elasticity=0.5, network_memory_days=10.0)
    sim = Simulation(sc, seed=0, scale=1, parameters=SHIPPED)
    ref = sim.inputs.K.net_ref
    # the run starts where the year before it left each network (departures.network_start)
    assert np.allclose(sim.F.net_arrivals, ref * sim.inputs.K.net_start)
    for _ in range(200):                                    # arrivals at 4x the reference
        sim.C.outcomes[0, c.O_RELEASE_US, :] += np.round(4 * ref).astype(np.int64)
        f = sim.network_step()
    assert np.allclose(f, 2.0, rtol=0.02)                   # 4 ** 0.5
    for _ in range(200):                                    # no arrivals at all
        f = sim.network_step()
    # no floor: what is left is the seed alone (network_start_pseudocount a month)
    assert np.allclose(f, (sim.inputs.K.net_seed / ref) ** 0.5, rtol=1e-3)
    assert np.all(f < 0.2)
    for _ in range(200):                                    # arrivals at 400x
        sim.C.outcomes[0, c.O_RELEASE_US, :] += np.round(400 * ref).astype(np.int64)
        f = sim.network_step()
    assert np.allclose(f, sim.inputs.K.network_clip)        # at most network_clip
