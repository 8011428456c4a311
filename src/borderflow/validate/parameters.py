"""Fitted numbers as parameters, and the parameter sets forecast members draw.

:func:`full_parameters` turns the numbers a calibration searches (``SPACE``) into every
calibrated parameter as ``Scenario.with_parameters`` takes it.  :func:`plausible_draws`
gives the parameter sets of a calibration's plausible trials (``validate.identify``:
objective within 3 noise standard deviations of the best), each with the calibration's
sector constants; a member of a forecast or ensemble takes one of them
(``ensemble.runner.member_draw``), so that the band carries the uncertainty of the fitted numbers
beside the stochastic draws of the runs.
"""

from __future__ import annotations

from borderflow.scenario.registry import NATIONALITIES, PARAMETERS, SECTORS
from borderflow.validate.documents import GROUPS, SPACE
from borderflow.validate.identify import K_NOISE, plausible_trials

#: how the members of a forecast, backtest or ensemble take their fitted numbers
PARAMETER_MODES = ("plausible", "point")


def sig(x: float, n: int = 6) -> float:
    return float(f"{x:.{n}g}")


def full_parameters(values: dict[str, float], sector_shift: dict[str, float] | None = None
                    ) -> dict:
    """Every calibrated parameter as ``with_parameters`` takes it (complete key dicts),
    from the fitted numbers; parameters not searched keep their registry default."""
    out: dict = {}
    for name, e in PARAMETERS.items():
        if e.calibrated:
            out[name] = dict(e.default) if isinstance(e.default, dict) else float(e.default)
    base = dict(PARAMETERS["base_departures"].default)
    for g, nats in GROUPS.items():
        for n in nats:
            base[n] = sig(base[n] * values[f"scale_{g}"])
    out["base_departures"] = {n: base[n] for n in NATIONALITIES}
    for name, *_ in SPACE:
        if not name.startswith("scale_"):
            out[name] = sig(values[name])
    pref = dict(PARAMETERS["sector_preference"].default)
    for s in SECTORS:
        pref[s] = sig(pref[s] + (sector_shift or {}).get(s, 0.0))
    out["sector_preference"] = pref
    return out


def plausible_draws(trials: list[dict], noise_sd: float | None, parameters: dict,
                    k: float = K_NOISE) -> tuple[dict, ...]:
    """The parameter sets of the plausible ``trials`` (best first), each completed with
    the sector constants of ``parameters`` (the calibration's point); empty without a
    noise standard deviation or trials."""
    if noise_sd is None or not trials:
        return ()
    points = plausible_trials(trials, noise_sd, SPACE, k)
    pref = parameters.get("sector_preference")
    out = []
    for t in points:
        p = full_parameters(t["params"])
        if pref is not None:
            p["sector_preference"] = dict(pref)
        out.append(p)
    return tuple(out)


def scenario_draws(sc, draws: tuple[dict, ...]) -> tuple[dict, ...]:
    """``draws`` without the parameters scenario ``sc`` sets itself (a scenario's own
    values are never replaced by a draw)."""
    own = set(sc.parameters)
    return tuple({k: v for k, v in d.items() if k not in own} for d in draws)
