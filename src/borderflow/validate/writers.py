"""The files ``borderflow validate`` ships beside calibrated.json: ``interval_errors.json``
and ``backtests.json``, stamped with the calibration they were computed with."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from borderflow.atomic import atomic_path
from borderflow.validate.forecast import calibration_stamp


def _write_stamped(bt: dict, body: dict, path: Path) -> Path:
    """Write ``body`` as JSON, atomically, stamped with the shipped calibration's sha256
    and the backtest settings it was computed with."""

    st = bt["settings"]
    doc = {"calibration": calibration_stamp(),
           "written_by": (f"borderflow validate ({st['mode']}): origins "
                          f"{', '.join(sorted(set(st['origins']) | set(st['episode_origins'])))}; "
                          f"{st['runs']} runs at scale {st['scale']}, seed {st['seed']}"),
           **body}
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


def write_interval_errors(bt: dict, path: Path) -> Path:
    """The backtests' normalised errors (``borderflow forecast`` scales its drift with
    them once the file is copied beside calibrated.json), stamped with the calibration
    they were computed with."""
    return _write_stamped(bt, {
        "definition": "z = log((observed + 1) / (backtest median + 1)) / "
                      "(drift per month x sqrt(horizon)); docs/validation.md",
        "errors": [{**r, **{k: round(r[k], 6) for k in ("z", "log_error", "sd") if k in r}}
                   for r in bt.get("interval_errors", [])]}, path)


#: backtest rows kept for the dashboard (the model's and the statistical baselines')
BACKTEST_METHODS = ("model_corrected", "assimilated", "ets", "sarima", "last_value")


def write_backtests(bt: dict, summary: dict, path: Path) -> Path:
    """The backtests' scores and forecasts, stamped with the calibration they were computed
    with (the dashboard shows the shipped copy beside calibrated.json)."""
    fc = bt["forecasts"]
    fc = fc[fc["method"].isin(BACKTEST_METHODS)]

    def r(x):
        return None if x is None or not np.isfinite(x) else round(float(x), 1)

    return _write_stamped(bt, {
        "origins": sorted(set(bt["settings"]["origins"]) | set(bt["settings"]["episode_origins"])),
        "horizons": list(bt["settings"]["horizons"]),
        "summary": [{**x, "mape": round(x["mape"], 2), "mase": round(x["mase"], 3)}
                    for x in summary["summary"]],
        "coverage": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in x.items()}
                     for x in summary["mean_coverage"]],
        "forecasts": [{"origin": x.origin, "month": x.month, "method": x.method,
                       "forecast": r(x.forecast), "observed": r(x.observed),
                       "p10": r(getattr(x, "p10", None)), "p90": r(getattr(x, "p90", None))}
                      for x in fc.itertuples()]}, path)


def jsonable(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)
