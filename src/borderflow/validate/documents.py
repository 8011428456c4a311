"""Constants of the validation's computations that its documents and their reports
share (the report imports them from here, not from the modules that compute)."""

from __future__ import annotations

import csv
from importlib import resources

import pandas as pd

from borderflow.data.build import OBSERVED_END
from borderflow.scenario.registry import NATIONALITIES, fitted_entries

# ---- validation (borderflow.validate.validation) ---------------------------------------

#: the in-sample episode checks, read from ``insample_episodes.csv`` beside this module
INSAMPLE_FILE = "insample_episodes.csv"


def load_insample_checks() -> dict[str, dict]:
    """check -> its row of ``insample_episodes.csv``: the first and last month, the month
    before which the baseline is read (or None), the threshold (or None), the rule and
    the source."""
    text = resources.files("borderflow.validate").joinpath(INSAMPLE_FILE).read_text(
        encoding="utf-8")
    out = {}
    for r in csv.DictReader(text.splitlines()):
        out[r["check"]] = {**r, "before": r["before"] or None,
                           "threshold": float(r["threshold"]) if r["threshold"] else None}
    return out


INSAMPLE_CHECKS = load_insample_checks()
#: the Title 42 months of the repeat-crossing check
T42 = (INSAMPLE_CHECKS["title42_repeat"]["first"], INSAMPLE_CHECKS["title42_repeat"]["last"])
#: months shown for the December 2023 record and the January 2024 drop
DEC_JAN = tuple(str(p) for p in pd.period_range(INSAMPLE_CHECKS["dec_jan_by_citizenship"]["first"],
                                                INSAMPLE_CHECKS["dec_jan_by_citizenship"]["last"],
                                                freq="M"))


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
#: sweeps of the coordinate polish after the search (``CalibrationSpec.polish``)
POLISH_SWEEPS = 1
#: seeds of the confirmation against the incumbent by default (``CalibrationSpec.confirm_seeds``,
#: :mod:`borderflow.validate.confirm`)
CONFIRM_SEEDS = 10

#: The bundled start points of the structural search (beside calibrated.json).
STARTS_FILE = "calibration_starts.json"
