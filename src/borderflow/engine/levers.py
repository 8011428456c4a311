"""Resolve a scenario's levers and timeline into daily arrays."""

from __future__ import annotations

import numpy as np

from borderflow.engine.calendar import Calendar
from borderflow.engine.departures import family_status_shares
from borderflow.errors import InputError
from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.model import Scenario
from borderflow.scenario.registry import KEYS, LEVERS, PARAMETERS


def _table(space: str, value: float | dict[str, float], base: np.ndarray | None = None) -> np.ndarray:
    keys = KEYS[space]
    out = np.empty(len(keys)) if base is None else base.copy()
    if isinstance(value, dict):
        for k, v in value.items():
            out[keys.index(k)] = v
    else:
        out[:] = value
    return out


def event_value(ev, params: dict | None = None) -> float:
    """The magnitude an event applies: its stated value, or (none stated) its class's
    fitted magnitude ``magnitude_<class>`` from ``params`` (the registry prior without)."""
    if ev.value is not None:
        return float(ev.value)
    name = f"magnitude_{ev.event_class}"
    return float(params[name] if params is not None else PARAMETERS[name].default)


def resolve_levers(sc: Scenario, cal: Calendar, clipped: list[dict] | None = None,
                   params: dict | None = None) -> dict[str, np.ndarray]:
    """Every lever as an array (days, keys); events apply in date order over [date, end),
    an event without a value with its class's fitted magnitude from ``params``
    (:func:`event_value`).

    ``clipped``: if a list, it receives one entry per event whose result was held within
    the lever's domain where an earlier event on the same lever had already changed it
    (overlapping events: :func:`clipped_overlaps`); the arrays are the same either way."""
    out: dict[str, np.ndarray] = {}
    for name, e in LEVERS.items():
        row = _table(e.keys, e.default)
        if name in sc.levers:
            row = _table(e.keys, sc.levers[name], row)
        out[name] = np.tile(row, (cal.n_days, 1))
    last: dict[str, np.ndarray] = {}          # lever -> index of the last event per cell
    events = sorted(enumerate(sc.timeline), key=lambda x: x[1].date)
    for i, ev in events:  # stable: file order within a day
        d0 = max(cal.index(ev.date), 0)
        d1 = cal.n_days if ev.end is None else min(cal.index(ev.end), cal.n_days)
        if d1 <= d0:
            continue
        arr = out[ev.lever]
        space = LEVERS[ev.lever].keys
        cols = (slice(None) if ev.keys == "all"
                else [KEYS[space].index(k) for k in ev.keys])
        block = arr[d0:d1, cols]
        value = event_value(ev, params)
        if ev.op == "set":
            block = np.full_like(block, value)
        elif ev.op == "multiply":
            block = block * value
        else:
            block = block + value
        lo, hi = LEVERS[ev.lever].bounds
        if not np.isfinite(block).all():    # validation refuses these; a model_copy may not
            raise InputError(f"{ev.op} {value} of the event on {ev.date} makes "
                             f"{ev.lever} not a finite number", field="timeline",
                             expected=f"values from {lo:g} to {hi:g}")
        held = np.clip(block, lo, hi)               # a multiply or add is held in the domain
        if clipped is not None:
            _note_clipped(clipped, last, i, ev, cal, (d0, d1, cols), (block, held),
                          out[ev.lever].shape)
        arr[d0:d1, cols] = held
    return out


def _note_clipped(clipped: list[dict], last: dict, i: int, ev, cal: Calendar, where: tuple,
                  values: tuple[np.ndarray, np.ndarray], shape: tuple) -> None:
    """Record event ``i`` in ``clipped`` if its result was held where an earlier event on
    the lever had set the value (see :func:`resolve_levers`); then mark its cells.
    ``values``: the event's result before and after holding it in the domain."""
    d0, d1, cols = where
    block, held = values
    owner = last.setdefault(ev.lever, np.full(shape, -1, np.int64))
    before = owner[d0:d1, cols]
    hit = (held != block) & (before >= 0)
    if hit.any():
        lo, hi = LEVERS[ev.lever].bounds
        days = np.flatnonzero(hit.any(axis=1))
        clipped.append({"event": i, "earlier": sorted({int(x) for x in before[hit]}),
                        "lever": ev.lever, "days": len(days),
                        "first": str(cal.date(d0 + int(days[0]))),
                        "bounds": (lo, hi),
                        "at": sorted({float(x) for x in held[hit]})})
    owner[d0:d1, cols] = i


def resolve_parameters(sc: Scenario, parameters: ParameterSet) -> dict[str, np.ndarray | float]:
    """Every parameter: a float, or an array over its key space.

    Layers, last wins: the registry default, the fitted value of ``parameters`` (e.g. the
    shipped calibration, written by ``borderflow calibrate``), the scenario.  The
    parameters a rule derives from the data up to the run's drivers' cut
    (``departures.family_status_shares``: ``family_share`` and ``uac_share``) take the
    rule's value in place of the registry default."""

    fitted = parameters.values
    derived = family_status_shares(sc.drivers.cut_at, float(
        sc.parameters["family_status_min_encounters"].value
        if "family_status_min_encounters" in sc.parameters
        else fitted.get("family_status_min_encounters",
                        PARAMETERS["family_status_min_encounters"].default)))
    out: dict[str, np.ndarray | float] = {}
    for name, e in PARAMETERS.items():
        value = (sc.parameters[name].value if name in sc.parameters
                 else fitted.get(name))
        if value is None and name in derived:   # a rule on the data up to the cut
            out[name] = np.asarray(derived[name], float).copy()
            continue
        if e.keys == "none":
            out[name] = float(e.default if value is None else value)
        else:
            row = _table(e.keys, e.default)
            out[name] = row if value is None else _table(e.keys, value, row)
    return out
