"""The uncertain factors that sensitivity analysis, exploration and the EMA adapter vary.

One declarative list (XLRM style): each factor is a lever or a parameter of the
registry with a range.  Registry bounds are mostly open (0, inf), so the ranges
are stated priors around the calibrated or sourced default, chosen to cover the
plausible values discussed in the parameter's source; they are documented in
``docs/ensembles.md``.  A keyed lever (per Mexican state, per sector) is varied
as one multiplier applied to every key.
"""

from __future__ import annotations

from dataclasses import dataclass

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


FACTORS: tuple[Factor, ...] = (
    Factor("pull_elasticity", "parameter", 1.5, 3.5,
           "calibrated 2.5; stated prior +-40%"),
    Factor("interception_per_checkpoint", "parameter", 0.015, 0.06,
           "calibrated 0.03; stated prior: half to double"),
    Factor("apprehension_remote", "parameter", 0.35, 0.75,
           "0.55; stated prior +-0.2 (not fitted to data)"),
    Factor("retry_after_expulsion", "parameter", 0.30, 0.80,
           "0.55; stated prior +-0.25 (not fitted to data)"),
    Factor("hazard_scale", "parameter", 0.125, 0.5, "calibrated 0.25; stated prior: half to double"),
    Factor("mx_checkpoint_staff", "lever", 0.5, 2.0,
           "policy: half to double January-2019 checkpoint staffing, all states"),
    Factor("us_bp_posture", "lever", 0.5, 2.0,
           "policy: apprehension odds x0.5 to x2, all sectors"),
    Factor("mx_detention_limit_days", "lever", 7.0, 60.0,
           "policy: default 21 days; from a third of it to about three times"),
)


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
        from borderflow.errors import InputError

        raise InputError(f"unknown factor(s) {sorted(unknown)}", field="factors",
                         expected=", ".join(kinds))
    lev = {k: float(v) for k, v in values.items() if kinds[k] == "lever"}
    par = {k: float(v) for k, v in values.items() if kinds[k] == "parameter"}
    if lev:
        sc = sc.with_levers(**lev)
    if par:
        sc = sc.with_parameters(**par)
    return sc
