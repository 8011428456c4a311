"""borderflow: an agent-based model of migration through the Central America - Mexico - U.S. corridor.

    import borderflow as bf
    res = bf.simulate("historical", seed=7, scale=10)
    res.encounters(by="sector")
"""

from __future__ import annotations

from borderflow.version import __version__

__all__ = ["__version__", "load_scenario", "simulate"]


def __getattr__(name: str):  # keep ``import borderflow`` light: numba loads on first use
    if name == "simulate":
        # lazy: import borderflow stays free of numba until used
        from borderflow.api import simulate

        return simulate
    if name == "load_scenario":
        # lazy: import borderflow stays free of numba until used
        from borderflow.scenario import load_scenario

        return load_scenario
    raise AttributeError(name)
