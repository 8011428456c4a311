"""The public Python API."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import ValidationError

from borderflow.engine.simulate import simulate_raw
from borderflow.errors import InputError
from borderflow.results import Results
from borderflow.scenario.calibrated import ParameterSet, shipped_parameters
from borderflow.scenario.load import load_scenario
from borderflow.scenario.model import FIRST_MONTH, Scenario


def simulate(scenario: Scenario | str = "historical",
             seed: int | np.random.SeedSequence | None = 0, scale: int = 1, *,
             start: str | None = None, end: str | None = None,
             progress: Callable[[int, int], None] | None = None,
             debug: bool | None = None, parameters: ParameterSet | None = None) -> Results:
    """Run a scenario (an object, a bundled id or a YAML path); one agent = ``scale`` people.
    ``seed``: a whole number, a ``numpy.random.SeedSequence`` (an ensemble member's) or None
    (fresh entropy).
    ``parameters``: the fitted values of the parameters the scenario does not set (default:
    the package's shipped calibration).  ``debug``: check the conservation of agents every
    day (default: BORDERFLOW_DEBUG=1)."""
    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if start or end:
        try:
            sc = sc.with_span(start, end, first_month=FIRST_MONTH if start else None)
        except ValidationError as exc:
            raise InputError("; ".join(e["msg"].removeprefix("Value error, ")
                                       for e in exc.errors()), field="start/end",
                             expected=f"months YYYY-MM from {FIRST_MONTH} on, with "
                                      "start <= end") from None
    if not isinstance(scale, int) or scale < 1:
        raise InputError(f"scale must be a whole number >= 1, got {scale!r}", field="scale")
    sequence = seed if isinstance(seed, np.random.SeedSequence) else None
    raw = simulate_raw(sc, seed=None if sequence is not None else seed, scale=scale,
                       parameters=shipped_parameters() if parameters is None else parameters,
                       seed_sequence=sequence, progress=progress, debug=debug)
    return Results(raw)
