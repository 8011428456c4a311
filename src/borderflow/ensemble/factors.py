"""The uncertain factors that sensitivity analysis, exploration and the EMA adapter vary.

XLRM style: each factor is a lever or a parameter of the registry that declares a
``sweep`` range (with ``sweep_why``).  The ranges are stated priors around the value
runs use (the shipped calibration's for a calibrated parameter, else the default),
chosen to cover the plausible values discussed in the parameter's source; they are
listed in ``docs/ensembles.md`` and ``docs/model.md``.  A keyed lever (per Mexican
state, per sector) is varied as one multiplier applied to every key.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderflow.errors import InputError
from borderflow.scenario.model import Scenario
from borderflow.scenario.registry import LEVERS, PARAMETERS


@dataclass(frozen=True)
class Factor:
    name: str
    kind: str        # "lever" or "parameter"
    low: float
    high: float
    why: str = ""

    @property
    def default(self) -> float:
        e = (LEVERS if self.kind == "lever" else PARAMETERS)[self.name]
        return float(e.default) if not isinstance(e.default, dict) else float("nan")


#: Every lever and parameter with a ``sweep`` range in the registry, parameters first.
FACTORS: tuple[Factor, ...] = tuple(
    Factor(e.name, kind, *e.sweep, e.sweep_why)
    for kind, entries in (("parameter", PARAMETERS), ("lever", LEVERS))
    for e in entries.values() if e.sweep is not None)


def factor_names(factors: tuple[Factor, ...] = FACTORS) -> list[str]:
    return [f.name for f in factors]


def bounds(factors: tuple[Factor, ...] = FACTORS) -> list[list[float]]:
    return [[f.low, f.high] for f in factors]


def apply_factors(sc: Scenario, values: dict[str, float],
                  factors: tuple[Factor, ...] = FACTORS) -> Scenario:
    """A copy of ``sc`` with the named factors set (levers via ``with_levers``,
    parameters via ``with_parameters``)."""
    kinds = {f.name: f.kind for f in factors}
    unknown = set(values) - set(kinds)
    if unknown:

        raise InputError(f"unknown factor(s) {sorted(unknown)}", field="factors",
                         expected=", ".join(kinds))
    lev = {k: float(v) for k, v in values.items() if kinds[k] == "lever"}
    par = {k: float(v) for k, v in values.items() if kinds[k] == "parameter"}
    if lev:
        sc = sc.with_levers(**lev)
    if par:
        sc = sc.with_parameters(**par)
    return sc
