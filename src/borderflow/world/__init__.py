"""The corridor as data: network nodes and edges, route tables, map boundaries.

Nothing is read at import time; call :func:`load_network`, :func:`build_routes` or
:func:`boundaries` to load the package data.
"""

from borderflow.world.geo import boundaries, boundary_traces_xy
from borderflow.world.network import (
    CROSSINGS,
    MODES,
    MX_STATES_INEGI,
    NODE_KINDS,
    SECTORS,
    Network,
    load_network,
    load_network_from,
)
from borderflow.world.routes import RouteTable, build_routes

__all__ = [
    "CROSSINGS", "MODES", "MX_STATES_INEGI", "NODE_KINDS", "SECTORS", "Network", "RouteTable",
    "boundaries", "boundary_traces_xy", "build_routes", "load_network", "load_network_from",
]
