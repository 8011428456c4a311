"""One resolved input: everything a run reads, built in one pass from the scenario.

``resolve(scenario, scale)`` turns the scenario (its levers, timeline, parameters and
drivers), the shipped calibration and the world (network, route tables, node roles) into
the arrays the compiled day loop reads: constants, daily levers and departure rates,
network and route arrays.  Nothing else is read once a run has started.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from borderflow.data.drivers import DRIVER_COUNTRIES
from borderflow.engine import constants as c
from borderflow.engine.calendar import Calendar, make_calendar, shift_month
from borderflow.engine.departures import (
    departure_rates,
    entry_shares,
    evade_tables,
    network_start,
    reference_value,
    release_expectation,
)
from borderflow.engine.diplomacy import apply_pressure
from borderflow.engine.levers import resolve_levers, resolve_parameters
from borderflow.engine.mortality import edge_hazard, heat_season
from borderflow.engine.routechoice import sparse_checkpoints, static_utility
from borderflow.engine.tables import Consts, DayLevers, NetArrays, RouteArrays
from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.model import Scenario
from borderflow.scenario.registry import BORDER_CITIES, MX_STATES, NATIONALITIES
from borderflow.world.network import NODE_KINDS, Network, load_network, node_roles
from borderflow.world.routes import build_routes

SPINUP_MONTHS = 4  # the corridor fills before the first reported month
START_KINDS = ("origin", "air_arrival", "darien", "southern_entry", "border_city")


@dataclass(frozen=True)
class Inputs:
    """The resolved input of a run (read-only once built)."""
    scenario: Scenario
    scale: int
    calendar: Calendar
    network: Network
    params: dict
    levers: dict
    checkpoints_by_state: np.ndarray
    K: Consts
    D: DayLevers
    N: NetArrays
    R: RouteArrays
    first: np.ndarray          # (nodes,) first route of each start node
    count: np.ndarray          # (nodes,) routes from each node


def route_starts(net: Network) -> list[str]:
    """Nodes with route tables: entries, border cities and the transfer-south restarts."""
    kinds = net.nodes["kind"].to_numpy()
    ids = net.nodes["id"].to_numpy()
    return sorted(set(ids[np.isin(kinds, START_KINDS)]) | set(node_roles()["transfer_south"]))


def _origin_nodes(net: Network) -> dict[int, np.ndarray]:
    """Nationality index -> the origin nodes of its country (world data), if any."""
    kind, country = net.nodes["kind"].to_numpy(), net.nodes["country"].to_numpy()
    out = {}
    for j, nat in enumerate(NATIONALITIES):
        nodes = np.flatnonzero((kind == "origin") & (country == DRIVER_COUNTRIES.get(nat)))
        if len(nodes):
            out[j] = nodes
    return out


def _entries(net: Network, p: dict, visa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start nodes of departures and (days, nat, entries) cumulative probabilities: from
    the origin nodes of a nationality's own country (uniformly), else by air, through
    Managua or through the Darien (``entry_shares``)."""
    kind = net.nodes["kind"].to_numpy()
    origins = _origin_nodes(net)
    managua = origins[NATIONALITIES.index("Nicaragua")][0]
    air = np.flatnonzero(kind == "air_arrival")
    darien = np.flatnonzero(kind == "darien")[:1]
    entry = np.unique(np.concatenate([*origins.values(), air, darien]))
    col = {int(n): k for k, n in enumerate(entry)}
    days, n_nat = visa.shape
    w = np.zeros((days, n_nat, len(entry)))
    shares = entry_shares(p, visa)                 # air, Managua, Darien
    for j in range(n_nat):
        if j in origins:
            w[:, j, [col[int(n)] for n in origins[j]]] = 1.0 / len(origins[j])
        else:
            w[:, j, [col[int(n)] for n in air]] = shares[:, j, 0:1] / len(air)
            w[:, j, col[int(managua)]] += shares[:, j, 1]
            w[:, j, col[int(darien[0])]] = shares[:, j, 2]
    cum = np.cumsum(w, axis=-1)
    return entry.astype(np.int16), np.ascontiguousarray(cum / cum[..., -1:])


def mx_state_of_edges(net: Network) -> np.ndarray:
    mxs = np.array([MX_STATES.index(s) if s in MX_STATES else -1 for s in net.mx_states])
    return np.where(net.edge_mx_state >= 0, mxs[np.maximum(net.edge_mx_state, 0)],
                    -1).astype(np.int16)


@lru_cache(maxsize=4)
def route_checkpoints(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The checkpoints each route of ``net`` passes in each Mexican state
    (``routechoice.sparse_checkpoints``), once a network: they do not depend on the
    scenario or the parameters, and the loop over the routes took a third of resolving a
    run's inputs.  Shared by every run of the network: read, never written."""
    rt = build_routes(net, starts=route_starts(net))
    return sparse_checkpoints(rt.edges, rt.length, net.edge_checkpoints,
                              mx_state_of_edges(net))


def _routes(net: Network, p: dict) -> tuple[RouteArrays, np.ndarray, np.ndarray]:
    rt = build_routes(net, starts=route_starts(net))
    n_nodes, n_routes = len(net.nodes), len(rt.start)
    first, count = np.zeros(n_nodes, np.int32), np.zeros(n_nodes, np.int32)
    starts, block_start = np.unique(rt.start, return_index=True)
    first[starts] = block_start
    count[starts] = np.diff(np.append(block_start, n_routes))
    names = net.nodes["name"].to_numpy()
    last = rt.edges[np.arange(n_routes), rt.length - 1]
    city_of = {name: k for k, name in enumerate(BORDER_CITIES)}
    cross_city = np.array([city_of.get(names[net.edge_src[e]], -1) for e in last])
    cross_city = np.where(np.isin(rt.crossing, (c.X_URBAN, c.X_PORT)), cross_city, -1)
    sector = np.maximum(rt.sector, 0).astype(np.int64)
    ptr, cst, cnt = route_checkpoints(net)
    border = NODE_KINDS.index("border_city")
    # the fixed terms, less the best of each start block (a logit's choice is the same; the
    # weights exp(u) of the day loop then stay within floating-point range)
    u_static = static_utility(rt.days.astype(float), rt.cost.astype(float),
                              rt.hazard_days.astype(float), sector, p)
    R = RouteArrays(
        edges=rt.edges, length=rt.length, crossing=rt.crossing,
        from_border=(net.node_kind[rt.start] == border).astype(np.int8),
        sector=sector, cross_city=cross_city.astype(np.int64),
        u_static=u_static - np.repeat(np.maximum.reduceat(u_static, block_start),
                                      np.diff(np.append(block_start, n_routes))),
        app_base=np.where(rt.crossing == c.X_URBAN, p["apprehension_urban"],
                          p["apprehension_remote"]).astype(float),
        chk_ptr=ptr, chk_state=cst, chk_count=cnt,
        beta=np.array([p["beta_days"], p["beta_checkpoint"], p["beta_apprehension"],
                       p["beta_crackdown"], p["interception_per_checkpoint"]], float))
    return R, first, count


def _network(net: Network, p: dict, entry: np.ndarray) -> NetArrays:
    ids = net.node_index
    south = np.array([ids[k] for k in node_roles()["transfer_south"]], dtype=np.int16)
    return NetArrays(src=net.edge_src, dst=net.edge_dst, days=net.edge_days.astype(np.int16),
                     hazard=edge_hazard(net, p["hazard_by_area"]), mode=net.edge_mode,
                     crossing=net.edge_crossing, checkpoints=net.edge_checkpoints,
                     mxs=mx_state_of_edges(net), sector=net.edge_sector, south=south,
                     city=np.array([BORDER_CITIES.index(x) if x in BORDER_CITIES else -1
                                    for x in net.nodes["name"]], dtype=np.int16),
                     entry=entry)


def _consts(p: dict, lv: dict, net: Network, scale: int, first_month: str) -> Consts:
    backlog_ref_wait = p["backlog_start"] / max(lv["us_court_completions"][0, 0] * 12.0, 1.0)
    return Consts(
        interception=p["interception_per_checkpoint"], smuggler_evasion=p["smuggler_evasion"],
        detour_hazard=p["detour_hazard"],
        bus_days=p["bus_processing_days"], flight_days=p["flight_processing_days"],
        deport_share=p["deport_share"], comar_share=p["comar_share"],
        give_up_share=p["give_up_share"], transfer_restart_days=p["transfer_restart_days"],
        transfer_days=p["transfer_days"], custody_days=p["us_custody_days"],
        overflow_threshold=p["cbp_overflow_threshold"],
        mpp_wait_days=p["mpp_wait_days"], uac_release=p["uac_release"],
        app_urban=p["apprehension_urban"], app_remote=p["apprehension_remote"],
        remote_posture_share=p["remote_posture_share"], retry_expulsion=p["retry_after_expulsion"],
        retry_removal=p["retry_after_removal"], retry_wait=p["retry_wait_days"],
        border_wait=p["border_wait_days"], port_patience=p["port_patience_days"],
        redeparture_share=p["redeparture_share"], redeparture_days=p["redeparture_days"],
        hazard_scale=p["hazard_scale"], rescue_share=p["rescue_share"],
        missing_share=p["missing_share"], reference_release=p["reference_release"],
        abandonment_share=p["abandonment_share"], abandonment_hazard=p["abandonment_hazard"],
        crackdown_pickup=p["crackdown_pickup"], border_response=p["border_response"],
        border_give_up=p["border_give_up"], smuggler_share=p["smuggler_share"],
        backlog_filing_share=p["backlog_filing_share"],
        backlog_other_receipts=p["backlog_other_receipts"],
        backlog_wait_elasticity=p["backlog_wait_elasticity"],
        backlog_ref_wait=float(backlog_ref_wait),
        network_memory_days=p["network_memory_days"], network_elasticity=p["network_elasticity"],
        network_clip=p["network_clip"], capacity_elasticity=p["capacity_elasticity"],
        capacity_days=p["capacity_days"], family_stay=p["family_detention_days"],
        capacity_ref=p["capacity_encounters_per_agent"] / 365.25 / scale,   # a year -> a day
        darien_node=int(np.flatnonzero(net.nodes["kind"].to_numpy() == "darien")[0]),
        scale=float(scale),
        lag_smuggler=int(p["smuggler_info_lag"]), lag_independent=int(p["independent_info_lag"]),
        surrender=np.asarray(p["surrender_propensity"], dtype=np.float64),
        family_share=np.asarray(p["family_share"], float),
        uac_share=np.asarray(p["uac_share"], float),
        pull_elasticity=p["pull_elasticity"], perception_days=p["perception_days"],
        border_perception_days=p["border_perception_days"],
        parole_substitution=p["parole_substitution"],
        evasion_w=np.asarray(p["evasion_floor"], float), ref_value=reference_value(p),
        release0=release0(lv, p),
        net_ref=(np.asarray(p["base_departures"], float) * 12.0 / 365.25
                 * p["network_reference_success"] / scale),
        net_start=network_start(p, first_month),
        net_seed=p["network_start_pseudocount"] * 12.0 / 365.25 / scale,   # a month -> a day
        mature_stock=(np.asarray(p["base_departures"], float) * p["network_maturity_months"]
                      * p["network_reference_success"] / scale),
        wait_pull=np.array([n != "Mexico" for n in NATIONALITIES], dtype=np.float64),
        **port_status_terms(p))


def port_status_terms(p: dict) -> dict:
    """(nat,) the utility of the status a port parole opens, ``port_status_weight`` where
    ``port_status`` is 1, and the weight of the entry a port parole makes certain
    (``port_gain_weight``: ``routechoice.port_boost`` adds it times the value a crossing
    between ports lacks as seen in the border city)."""
    w = float(p["port_status_weight"])
    return {"port_weight": w * np.asarray(p["port_status"], float),
            "port_gain_weight": float(p["port_gain_weight"])}


def release0(lv: dict, p: dict) -> np.ndarray:
    """(nat,) the release chance compatriots are taken to have seen before the run's first
    outcomes: the first day's policy, with beds to spare and release under Title 8 where
    no removal flight runs, or, for families, where there are no family beds
    (``feedback.custody_step`` with nobody held yet)."""
    mx = NATIONALITIES.index("Mexico")
    policy = lv["us_release_rate"]
    t8 = np.where(lv["us_removal_flights"] > 0.0, policy, 1.0)
    fam = np.where(lv["us_family_beds"] > 0.0, t8, 1.0)
    t8[:, mx] = fam[:, mx] = policy[:, mx]
    return np.ascontiguousarray(release_expectation({**lv, "us_release_rate": t8}, p, fam)[0])


def resolve(sc: Scenario, scale: int, parameters: ParameterSet) -> Inputs:
    """Every daily lever, driver and parameter array of a run of ``sc`` at ``scale``, the
    parameters the scenario does not set taken from ``parameters``."""
    net = load_network()
    cal = make_calendar(shift_month(sc.start, -SPINUP_MONTHS), sc.end)
    p = resolve_parameters(sc, parameters)
    lv = apply_pressure(resolve_levers(sc, cal, params=p), p)
    R, first, count = _routes(net, p)
    entry, entry_cum = _entries(net, p, lv["mx_visa_required"])
    N = _network(net, p, entry)
    chk = np.bincount(N.mxs[N.mxs >= 0], weights=net.edge_checkpoints[N.mxs >= 0],
                      minlength=len(MX_STATES)).astype(float)
    lam = departure_rates(lv, p, cal, sc.drivers, chk) / scale
    evade_now, evade_dep = evade_tables(lv, p)
    per_day = 12.0 / 365.25 / scale                # a month's people -> agents a day
    D = DayLevers(
        staff=np.ascontiguousarray(lv["mx_checkpoint_staff"]),
        det_limit=lv["mx_detention_limit_days"][:, 0].copy(),
        det_cap=lv["mx_detention_capacity"][:, 0] / scale,
        flight_cap=lv["mx_flight_capacity"][:, 0] / scale,
        transfer_south=lv["mx_transfer_south_share"][:, 0].copy(), bus=lv["mx_bus_deportation"],
        flights=lv["mx_repatriation_flights"], t42=lv["us_title42"],
        t42_family=lv["us_title42_family_share"],
        t42_uac=lv["us_title42_uac"][:, 0].copy(),
        release=lv["us_release_rate"], mpp=lv["us_mpp_share"][:, 0].copy(),
        posture=lv["us_bp_posture"], port_cap=lv["us_port_daily_cap"][:, 0] / scale,
        season=heat_season(cal.day_doy, p["heat_amplitude"]), crackdown=lv["mx_city_crackdown"],
        evade_now=evade_now, evade_dep=evade_dep,
        beds=lv["us_detention_beds"][:, 0] / scale, alos=lv["us_detention_alos"][:, 0].copy(),
        family_beds=lv["us_family_beds"][:, 0] / scale,
        removal_cap=np.ascontiguousarray(lv["us_removal_flights"] * per_day),
        return_cap=np.ascontiguousarray(lv["us_return_mexico_cap"] * per_day),
        cbp_removal=np.ascontiguousarray(lv["us_cbp_removal_share"]),
        cbp_capacity=lv["us_cbp_holding_capacity"][:, 0] / scale,
        cbp_overflow=lv["us_cbp_overflow_release"][:, 0].copy(),
        parole=np.ascontiguousarray(lv["us_parole_monthly_cap"] * per_day),
        court=lv["us_court_completions"][:, 0].copy(), lam=np.ascontiguousarray(lam),
        entry_cum=entry_cum,
        bp_agents=lv["us_bp_agents"][:, 0].copy(), month=cal.day_month.astype(np.int64))
    return Inputs(scenario=sc, scale=scale, calendar=cal, network=net, params=p, levers=lv,
                  checkpoints_by_state=chk, K=_consts(p, lv, net, scale, cal.months[0]), D=D, N=N, R=R,
                  first=first, count=count)
