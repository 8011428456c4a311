"""Ensembles, sensitivity analysis and scenario discovery (see docs/ensembles.md).

``run_ensemble``, ``make_executor``, ``summarise``, ``run_sensitivity`` and
``run_explore`` are loaded on first use, so importing the package (the CLI does)
stays cheap.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "RunSpec": "borderflow.ensemble.spec",
    "run_ensemble": "borderflow.ensemble.runner",
    "make_executor": "borderflow.ensemble.runner",
    "SequentialExecutor": "borderflow.ensemble.runner",
    "summarise": "borderflow.ensemble.summary",
    "open_ensemble": "borderflow.ensemble.store",
    "run_sensitivity": "borderflow.ensemble.sensitivity",
    "run_explore": "borderflow.ensemble.explore",
    "FACTORS": "borderflow.ensemble.factors",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'borderflow.ensemble' has no attribute {name!r}")
