"""Timeline events whose result the engine holds within the lever's domain (read before
a run, for the warnings of the CLI)."""

from __future__ import annotations

from borderflow.engine.calendar import make_calendar, shift_month
from borderflow.engine.inputs import SPINUP_MONTHS
from borderflow.engine.levers import event_value, resolve_levers, resolve_parameters
from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.model import Scenario


def clipped_overlaps(sc: Scenario, parameters: ParameterSet) -> list[dict]:
    """Events of ``sc`` whose result the engine holds within the lever's domain where they
    overlap an earlier event on the same lever (e.g. a ``multiply`` by 1.5 over a ``set``
    to 0.8 of a share): the value is not what the two events say.  Each entry: ``event``
    and ``earlier`` (indices into ``sc.timeline``), ``lever``, ``days`` held, ``first``
    day held, the lever's ``bounds`` and the values it was held ``at``.  A single event
    held within the domain (a 1.3x release rate that reaches 1) is documented behaviour
    and not listed.  ``values``: the magnitude each listed event applies, by index (an
    event of a fitted class takes its magnitude from ``parameters``)."""
    cal = make_calendar(shift_month(sc.start, -SPINUP_MONTHS), sc.end)
    p = resolve_parameters(sc, parameters)
    out: list[dict] = []
    resolve_levers(sc, cal, clipped=out, params=p)
    for c in out:
        c["values"] = {k: event_value(sc.timeline[k], p) for k in (c["event"], *c["earlier"])}
    return out
