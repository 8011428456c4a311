"""Constants of the validation's computations that its documents and their reports
share (the report imports them from here, not from the modules that compute)."""

from __future__ import annotations

from borderflow.data.build import OBSERVED_END
from borderflow.scenario.registry import NATIONALITIES, fitted_entries

# ---- validation (borderflow.validate.validation) ---------------------------------------

T42 = ("2020-04", "2023-04")


#: months shown for the December 2023 record and the January 2024 drop
DEC_JAN = ("2023-11", "2023-12", "2024-01")


def episodes_of(records: list[dict], method: str) -> list[dict]:
    """The episode records of one method (records without ``method`` are mechanisms)."""
    return [e for e in records if e.get("method", "mechanisms") == method]


# ---- calibration (borderflow.validate.calibrate) ----------------------------------------

#: The nationalities each multiplier on ``base_departures`` scales: one each.
GROUPS: dict[str, tuple[str, ...]] = {n: (n,) for n in NATIONALITIES}

#: The order of the search space that studies were started with (a resumed study's
#: sampler must see the same inputs); a fitted entry not listed here comes after, in
#: registry order.
_ORDER = ("departures_scale", "pull_elasticity", "gdp_elasticity", "homicide_elasticity",
          "mx_enforcement_elasticity", "interception_per_checkpoint",
          "hazard_scale", "backlog_filing_share", "backlog_wait_elasticity",
          "network_elasticity", "beta_apprehension", "transfer_restart_days")


def _space() -> tuple[tuple[str, float, float, bool], ...]:
    entries = sorted(fitted_entries(), key=lambda e: _ORDER.index(e.name)
                     if e.name in _ORDER else len(_ORDER))
    out = []
    for e in entries:
        lo, hi, log = e.fit
        if e.name == "departures_scale":
            out += [(f"scale_{g}", lo, hi, log) for g in GROUPS]
        elif e.keys == "none":
            out.append((e.name, lo, hi, log))
        else:
            raise ValueError(f"registry entry '{e.name}': calibrate fits no keyed entry "
                             "but departures_scale")
    return tuple(out)


#: (fitted number, low, high, log scale), from the registry's ``fit`` ranges.
#: ``scale_<nationality>`` is ``departures_scale[<nationality>]``, a multiplier on
#: base_departures.
SPACE = _space()
SPAN = ("2019-01", OBSERVED_END)
BATCH = 8
#: search methods of ``borderflow calibrate`` (``CalibrationSpec.method``)
METHODS = ("tpe", "cmaes")
SECTOR_STEPS = 3
CANDIDATES = 3

#: The bundled start points of the structural search (beside calibrated.json).
STARTS_FILE = "calibration_starts.json"
