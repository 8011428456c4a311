"""Adapter so the EMA Workbench can drive borderflow (``ema_workbench`` is optional).

>>> from borderflow.ensemble.workbench import borderflow_model
>>> from ema_workbench import perform_experiments
>>> model = borderflow_model(start="2021-01", end="2021-06", scale=50)
>>> experiments, outcomes = perform_experiments(model, scenarios=16, policies=2)

Uncertainties are the parameter factors, levers the lever factors of
:data:`borderflow.ensemble.factors.FACTORS`; outcomes are those of
:data:`borderflow.ensemble.sensitivity.OUTCOMES`.
"""

from __future__ import annotations

from borderflow.ensemble.factors import FACTORS, Factor
from borderflow.ensemble.sensitivity import OUTCOMES, evaluate_point
from borderflow.scenario import load_scenario


class BorderflowFunction:
    """A picklable callable: factor values as keyword arguments -> outcome totals."""

    def __init__(self, scenario: str = "historical", start: str | None = "2021-01",
                 end: str | None = "2021-06", scale: int = 50, seed: int = 0,
                 factors: tuple[Factor, ...] = FACTORS) -> None:
        self.scenario, self.start, self.end = scenario, start, end
        self.scale, self.seed, self.factors = scale, seed, factors

    def __call__(self, **values: float) -> dict[str, float]:
        sc = load_scenario(self.scenario)
        if self.start or self.end:
            sc = sc.with_span(self.start, self.end)
        names = {f.name for f in self.factors}
        return evaluate_point(sc, {k: v for k, v in values.items() if k in names},
                              self.scale, self.seed, self.factors)


def borderflow_model(name: str = "borderflow", *, scenario: str = "historical",
                     start: str | None = "2021-01", end: str | None = "2021-06",
                     scale: int = 50, seed: int = 0, factors: tuple[Factor, ...] = FACTORS):
    """An EMA Workbench ``Model(function=...)`` over the declared factors."""
    # lazy: ema_workbench is optional (the analysis extra)
    from ema_workbench import Model, RealParameter, ScalarOutcome

    model = Model(name, function=BorderflowFunction(scenario, start, end, scale, seed, factors))
    model.uncertainties = [RealParameter(f.name, f.low, f.high) for f in factors
                           if f.kind == "parameter"]
    model.levers = [RealParameter(f.name, f.low, f.high) for f in factors if f.kind == "lever"]
    model.outcomes = [ScalarOutcome(o) for o in OUTCOMES]
    return model
