"""The hard origin: the inputs of a forecast or backtest from origin month T.

:func:`forecast_inputs` is the one place that builds them.  From origin T (the last month
whose data may be used):

- every driver series is cut at T (``Drivers.cut_at``) and projected past it by the
  scenario's stated rule (``persistence`` or ``trend``, :mod:`borderflow.scenario.drivers`);
- the fitted numbers come from a :class:`FittedSet` fitted on data up to T; with none given,
  the shipped calibration is used, and the inputs say whether it saw months after T
  (``in_sample``);
- dated timeline events after T enter as the scenario states them when they are policy
  facts; an event whose magnitude is an estimate (it has an ``event_class``) takes what
  was known at T, its class's latest earlier magnitude or none (:func:`honest_events`,
  listed in ``estimates_at_origin``): the forecast is conditional on that policy path,
  and the inputs list the events (``policy_path``).

Observations never enter the run; the caller reads them only up to T (the empirical
error correction of :mod:`borderflow.validate.forecast`) and after T only to score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from borderflow.errors import InputError
from borderflow.scenario import load_scenario
from borderflow.scenario.calibrated import (
    calibrated_document,
    calibrated_values,
    calibration_fit_document,
)
from borderflow.scenario.model import Scenario
from borderflow.validate.parameters import plausible_draws


@dataclass(frozen=True)
class FittedSet:
    """Every fitted number of a calibration and the data it saw.

    ``parameters``: every calibrated parameter (as ``Scenario.with_parameters`` takes
    them); ``span``: first and last month of the data fitted on; ``excluded``: months left out
    of that span (a leave-episode-out fit); ``n_fitted``: the count of fitted numbers;
    ``draws``: the parameter sets of the calibration's plausible trials
    (``validate.parameters.plausible_draws``), which forecast members draw from."""

    parameters: dict
    span: tuple[str, str]
    excluded: tuple[str, ...] = ()
    n_fitted: int = 0
    label: str = "refit at origin"
    extra: dict = field(default_factory=dict)
    draws: tuple[dict, ...] = ()

    def saw_after(self, origin: str) -> bool:
        """Whether any month fitted on lies after ``origin``."""
        return any(mo > origin for mo in _months(*self.span) if mo not in self.excluded)

    def to_json(self) -> dict:
        return {"parameters": self.parameters,
                "span": list(self.span), "excluded": list(self.excluded),
                "n_fitted": self.n_fitted, "label": self.label, "extra": self.extra,
                "draws": list(self.draws)}

    @classmethod
    def from_json(cls, doc: dict) -> FittedSet:
        return cls(parameters=doc["parameters"],
                   span=tuple(doc["span"]), excluded=tuple(doc.get("excluded", ())),
                   n_fitted=int(doc.get("n_fitted", 0)), label=doc.get("label", ""),
                   extra=doc.get("extra", {}), draws=tuple(doc.get("draws", ())))


def _months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def fitted_count(doc: dict) -> dict:
    """The fitted numbers of a calibrated document (``calibrated.json`` or a refit): its
    ``fitted_count`` (every number calibration searched or stepped, ``numbers``)."""
    n = int(doc.get("fitted_count", len(doc.get("numbers", {}))))
    return {"fitted": n, "total": n}


def shipped_noise_sd() -> float | None:
    """The objective's standard deviation over simulation seeds at the shipped point
    (scripts/identify.py; None before it ran): what makes a trial plausible."""
    return calibration_fit_document().get("plausible", {}).get("noise_sd")


def shipped_fitted() -> FittedSet:
    """The shipped calibration as a :class:`FittedSet`, with the parameter sets of its
    plausible trials as draws."""

    doc = calibrated_document()
    span = tuple(doc.get("fit", {}).get("span", ("2019-01", "2024-01")))
    params = dict(doc.get("parameters", {}))
    draws = plausible_draws(calibration_fit_document().get("trials", []), shipped_noise_sd(),
                            params)
    return FittedSet(parameters=params, span=span, n_fitted=fitted_count(doc)["total"],
                     label="shipped calibration", draws=draws)


def events_after(sc: Scenario, origin: str, last: str) -> list[dict]:
    """The scenario's timeline events that start or end after ``origin`` and up to
    ``last`` (months): the policy path the forecast is conditional on (``value`` None: the
    fitted magnitude of the event's class)."""
    lo = pd.Period(origin, "M").end_time.date()
    hi = pd.Period(last, "M").end_time.date()
    out = []
    for e in sc.timeline:
        for when, what in ((e.date, "starts"), (e.end, "ends")):
            if when is not None and lo < when <= hi:
                out.append({"date": str(when), "what": what, "lever": e.lever, "op": e.op,
                            "value": e.value, "event_class": e.event_class,
                            "keys": e.keys, "source": e.source})
    return sorted(out, key=lambda r: (r["date"], r["lever"]))


def honest_events(sc: Scenario, origin: str) -> tuple[Scenario, list[dict]]:
    """``sc`` with the estimated magnitudes of events dated after ``origin`` replaced by
    what was known at the origin (MODEL.md: no magnitude guessed while looking at the
    months after its event enters a forecast or backtest).

    An event with an ``event_class`` (its magnitude an estimate; members of a class share
    lever and operation) that starts after the origin takes the magnitude of the class's
    latest member that started by the origin; with none, it is neutral: a ``multiply`` by
    1 or an ``add`` of 0, and a ``set`` is dropped (the lever keeps its value).  A member
    of a class with a fitted magnitude (no value stated) keeps it when the class has a
    member by the origin: the fit at the origin saw only those.  Policy facts (events
    without a class) enter as stated.  Returns the scenario and one entry per event
    changed."""
    cut = pd.Period(origin, "M").end_time.date()
    known: dict[str, tuple] = {}
    for e in sorted(sc.timeline, key=lambda e: e.date):
        if e.event_class and e.date <= cut:
            known[e.event_class] = (e.date, e.value)
    timeline, changed = [], []
    for e in sc.timeline:
        if not e.event_class or e.date <= cut:
            timeline.append(e)
            continue
        if e.event_class in known:
            value, basis = known[e.event_class][1], f"class member of {known[e.event_class][0]}"
            if value is None:              # the class's fitted magnitude, fitted by the origin
                timeline.append(e)
                continue
        elif e.op == "set":
            changed.append({"date": str(e.date), "lever": e.lever, "class": e.event_class,
                            "stated": e.value, "used": None, "basis": "no earlier member: "
                            "dropped"})
            continue
        else:
            value, basis = (1.0 if e.op == "multiply" else 0.0), "no earlier member: neutral"
        if value != e.value:
            changed.append({"date": str(e.date), "lever": e.lever, "class": e.event_class,
                            "stated": e.value, "used": value, "basis": basis})
        timeline.append(e.model_copy(update={"value": value}))
    return sc.model_copy(update={"timeline": timeline}), changed


def cut_drivers(sc: Scenario, origin: str, projection: str | None = None) -> Scenario:
    """``sc`` with its drivers cut at ``origin`` (and projected by ``projection``, default
    the scenario's rule).  Every run a fit makes over data up to ``origin`` uses this, so
    that no driver value dated after the data it is fitted on enters it (an annual value
    is interpolated between mid-years, so a year's value acts before its end)."""
    drv = sc.drivers.model_copy(update={"cut_at": str(origin),
                                        "projection": projection or sc.drivers.projection})
    return Scenario.model_validate({**sc.model_dump(), "drivers": drv.model_dump()})


def forecast_inputs(scenario: Scenario | str, origin: str, months: int, *,
                    fitted: FittedSet | None = None, projection: str | None = None,
                    warmup: int | None = None) -> tuple[Scenario, dict]:
    """The scenario that forecasts ``months`` months after ``origin`` (YYYY-MM), and a
    description of its inputs (module doc).  The run starts at the scenario's start (or
    ``warmup`` months before the first forecast month) and ends at origin + ``months``."""

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    try:
        t = pd.Period(origin, "M")
    except Exception:  # noqa: BLE001
        raise InputError(f"not a month: {origin!r}", field="origin",
                         expected="YYYY-MM") from None
    if months < 1:
        raise InputError(f"months must be >= 1, got {months}", field="--months")
    last = t + months
    first = t + 1
    begin = (first - warmup if warmup is not None else min(pd.Period(sc.start, "M"), first))
    sc = cut_drivers(sc, str(t), projection)
    sc, estimates = honest_events(sc, str(t))
    rule = sc.drivers.projection
    if fitted is None:
        fitted = shipped_fitted()
    missing = sorted(set(calibrated_values()) - set(fitted.parameters))
    if missing:
        raise InputError("a fitted set must give every calibrated parameter (else the "
                         "shipped values, fitted on later data, would be read)",
                         field="parameters", expected=", ".join(missing))
    sc = sc.with_parameters(**fitted.parameters).with_span(str(begin), str(last))
    info = {"origin": str(t), "first_month": str(first), "last_month": str(last),
            "span": [sc.start, sc.end],
            "drivers_cut_at": str(t), "projection": rule,
            "fitted": fitted.label, "fitted_span": list(fitted.span),
            "fitted_excluded": [fitted.excluded[0], fitted.excluded[-1]]
            if fitted.excluded else None,
            "in_sample": fitted.saw_after(str(t)),
            "policy_path": events_after(sc, str(t), str(last)),
            "estimates_at_origin": estimates,
            "conditional_on": "the scenario's dated timeline after the origin (policy "
                              "path given, not forecast)"}
    return sc, info
