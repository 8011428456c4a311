"""Enumerations shared by the engine modules (integers in the agent arrays)."""

from __future__ import annotations

# Agent states: every agent is always in exactly one.
STATES: tuple[str, ...] = (
    "in_transit", "waiting_mx", "detained_mx", "us_custody", "expelled_to_mx",
    "released_us", "evaded_us", "deported_home", "dead", "missing", "returned_home", "settled_mx",
)
IN_TRANSIT, WAITING, DETAINED, US_CUSTODY, EXPELLED = 0, 1, 2, 3, 4
RELEASED_US, EVADED_US, DEPORTED, DEAD, MISSING, RETURNED, SETTLED = 5, 6, 7, 8, 9, 10, 11
N_STATES = len(STATES)
#: states of an agent still in the corridor (each day there is one agent-step)
CORRIDOR_MAX = EXPELLED

# Pending outcome carried by an agent until its wake day (``flag``).
F_NONE, F_DYING, F_RESCUED, F_RESUME = 0, 1, 2, 3
F_CHOOSE, F_PORT_QUEUE = 4, 5
F_DEPORT_BUS, F_DEPORT_AIR, F_TRANSFER, F_RELEASE_MX = 6, 7, 8, 9
F_EXPEL, F_REMOVE_MX, F_DEPORT_US, F_RELEASE_US, F_MPP = 10, 11, 12, 13, 14
F_RETRY, F_REDEPART, F_PAROLE_PORT = 15, 16, 17
F_INTERCEPT = 18  # stopped at a checkpoint on the current edge on the wake day
F_RELEASE_ICE = 19  # held by ICE with no removal path: released at the end of the stay

# Mexican measures (mexico.parquet)
MX_MEASURES: tuple[str, ...] = ("apprehended", "detained", "deported", "transferred_south", "released")
MX_APPREHENDED, MX_DETAINED, MX_DEPORTED, MX_TRANSFERRED, MX_RELEASED = 0, 1, 2, 3, 4

# Causes of death (deaths.parquet), after Sapkota et al. 2006's categories
CAUSES: tuple[str, ...] = ("heat/exposure", "drowning", "vehicle", "other", "missing")
C_HEAT, C_DROWN, C_VEHICLE, C_OTHER, C_MISSING = 0, 1, 2, 3, 4

# Authorities (encounters.parquet)
AUTHORITIES: tuple[str, ...] = ("Title 8", "Title 42")
A_T8, A_T42 = 0, 1

# Other monthly outcomes (outcomes.parquet): month x measure x nationality
OUTCOMES: tuple[str, ...] = (
    "departures", "redepartures", "gotaways", "repeat_encounters", "rescues",
    "expulsions", "removals_us", "releases_us", "mpp_returns", "port_queue_days",
    "border_deferrals", "surrenders", "darien_crossings", "port_paroles",
    "family_releases", "child_placements", "ice_releases",
)
O_DEPART, O_REDEPART, O_GOTAWAY, O_REPEAT, O_RESCUE = 0, 1, 2, 3, 4
O_EXPEL, O_REMOVE, O_RELEASE_US, O_MPP, O_QUEUE = 5, 6, 7, 8, 9
O_DEFER, O_SURRENDER, O_DARIEN, O_PAROLE_PORT = 10, 11, 12, 13
# of releases_us: family units, and unaccompanied children placed with ORR sponsors
O_RELEASE_FAMILY, O_RELEASE_CHILD = 14, 15
# released by ICE at the end of a stay, for want of a removal path (not a USBP release)
O_RELEASE_ICE = 16

# Modes, in the order of borderflow.world.network.MODES
M_BUS, M_RAIL, M_VEHICLE, M_FOOT, M_RIVER, M_AIR = 0, 1, 2, 3, 4, 5
# Crossings, in the order of borderflow.world.network.CROSSINGS
X_NONE, X_URBAN, X_REMOTE, X_PORT = 0, 1, 2, 3

SA, FAMILY, UAC = 0, 1, 2
MEXICO = 0  # index of Mexico in NATIONALITIES
