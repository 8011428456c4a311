"""Residual push and sector series (the "latent" set) and their daily form.

The model's drivers explain part of the month-to-month flows; what they leave unexplained
(origin shocks without a measured driver, smuggling-network geography) is estimated by
``borderflow calibrate`` as a departures multiplier per nationality and an added route
utility per sector, one value per fitting window (three months by default: better than
six in the backtests, docs/calibration.md).  Values are placed at the centre of each
window (a multiplier ``PUSH_LEAD_DAYS`` earlier), interpolated linearly between knots (in
logs for the multiplier) and held constant before the first and after the last knot, so
that a forecast past the data
keeps the last estimate (persistence) and month-to-month change around a knot comes
from the mechanisms and the event timeline.

The shipped set lives under ``"latent"`` in ``calibrated.json``; a scenario may carry its
own (``Scenario.latent``), and the parameter ``latent_strength`` scales it (0 = off).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

import numpy as np

from borderflow.errors import InputError
from borderflow.scenario.model import Latent, Scenario
from borderflow.scenario.registry import NATIONALITIES, SECTORS

WINDOW_MONTHS = 3
MIN_LAST_WINDOW = 2
#: The departures multiplier of a window is placed this many days before the window's
#: centre: it acts on departures, and the encounters a window is fitted on left home about
#: three weeks earlier (the model's mean time from departure to a first Border Patrol
#: encounter: 22 days, 15 for Mexicans to 35 for Chinese nationals).  Sector shifts act on
#: the choice of crossing, made in the border city, and stay at the centre.
PUSH_LEAD_DAYS = 21


def windows(months: list[str], size: int = WINDOW_MONTHS,
            min_last: int = MIN_LAST_WINDOW) -> list[list[str]]:
    """Consecutive windows of ``size`` months; a last window shorter than ``min_last`` is
    merged into the one before (so no knot rests on one or two months).  A window never
    spans a gap in ``months`` (months left out of a fit): each unbroken run is windowed
    on its own."""
    if not months:
        raise InputError("no months to fit the latent series on", field="span")
    runs, out = [[months[0]]], []
    for a, b in zip(months, months[1:], strict=False):   # a gap (months left out) ends a run
        if _after(a) == _first_day(b):
            runs[-1].append(b)
        else:
            runs.append([b])
    for run in runs:
        part = [list(run[i:i + size]) for i in range(0, len(run), size)]
        if len(part) > 1 and len(part[-1]) < min_last:
            part[-2].extend(part.pop())
        out.extend(part)
    return out


def _first_day(ym: str) -> dt.date:
    return dt.date(int(ym[:4]), int(ym[5:7]), 1)


def _after(ym: str) -> dt.date:
    y, m = int(ym[:4]), int(ym[5:7])
    return dt.date(y + (m == 12), m % 12 + 1, 1)


def centre(window: list[str]) -> dt.date:
    a, b = _first_day(window[0]), _after(window[-1])
    return a + dt.timedelta(days=(b - a).days // 2)


def neutral(months: list[str]) -> Latent:
    """A latent set with no effect (multipliers 1, shifts 0) on the windows of ``months``."""
    w = windows(months)
    return Latent(knots=[centre(x) for x in w],
                  push={n: [1.0] * len(w) for n in NATIONALITIES},
                  sector={s: [0.0] * len(w) for s in SECTORS})


@lru_cache(maxsize=1)
def shipped() -> Latent | None:
    """The latent set shipped in ``calibrated.json`` (None when there is none)."""
    from borderflow.scenario.calibrated import FILE, calibrated_document

    data = calibrated_document().get("latent")
    if data is None:
        return None
    try:
        return Latent.model_validate(data)
    except Exception as exc:  # noqa: BLE001 - name the file
        path = resources.files("borderflow.scenario").joinpath(FILE)
        raise InputError(f"invalid latent series: {exc}", file=str(path),
                         field="latent") from None


def resolve(sc: Scenario) -> Latent | None:
    return sc.latent if sc.latent is not None else shipped()


def daily(lat: Latent | None, start: dt.date, n_days: int, strength: float = 1.0
          ) -> tuple[np.ndarray, np.ndarray]:
    """(days, nationality) multipliers and (days, sector) utility shifts."""
    push = np.ones((n_days, len(NATIONALITIES)))
    shift = np.zeros((n_days, len(SECTORS)))
    if lat is None or strength == 0.0:
        return push, shift
    x = np.array([(k - start).days for k in lat.knots], dtype=float)
    t = np.arange(n_days, dtype=float)
    for j, n in enumerate(NATIONALITIES):
        if n in lat.push:
            cuts = [(b - start).days - PUSH_LEAD_DAYS for b in lat.breaks.get(n, [])]
            push[:, j] = np.exp(strength * segmented(t, x - PUSH_LEAD_DAYS,
                                                     np.log(lat.push[n]), cuts))
    for j, s in enumerate(SECTORS):
        if s in lat.sector:
            shift[:, j] = strength * np.interp(t, x, lat.sector[s])
    return push, shift


def segmented(t: np.ndarray, x: np.ndarray, y: np.ndarray, cuts: list[float]) -> np.ndarray:
    """Linear interpolation of knots ``(x, y)`` at ``t`` that does not cross the ``cuts``:
    between two cuts only the knots there are interpolated (held flat up to the cuts); a
    stretch without a knot keeps the plain interpolation."""
    out = np.interp(t, x, y)
    edges = [-np.inf, *sorted(cuts), np.inf]
    for lo, hi in zip(edges, edges[1:], strict=False):
        k = (x >= lo) & (x < hi)
        if k.any():
            m = (t >= lo) & (t < hi)
            out[m] = np.interp(t[m], x[k], y[k])
    return out


#: Levers whose dated changes for named nationalities break the departures multiplier's
#: interpolation: a policy that starts or ends on a day for some nationalities is a step,
#: and interpolating the multiplier across it would spread its effect over the months before.
BREAK_LEVERS = ("us_title42", "us_release_rate", "us_parole_monthly_cap", "mx_visa_required",
                "mx_repatriation_flights", "origin_shock")


def policy_breaks(end: str) -> dict[str, list[dt.date]]:
    """Per nationality, the start and end dates up to month ``end`` of the historical
    timeline's events on ``BREAK_LEVERS`` that name nationalities (events for all are left
    out: what acts on everyone is the mechanisms' and the level's)."""
    from borderflow.scenario import load_scenario

    last = _after(end)
    out: dict[str, set[dt.date]] = {}
    for e in load_scenario("historical").timeline:
        if e.lever not in BREAK_LEVERS or e.keys == "all":
            continue
        for d in (e.date, e.end):
            if d is not None and d < last:
                for n in e.keys:
                    out.setdefault(n, set()).add(d)
    return {n: sorted(v) for n, v in sorted(out.items())}

