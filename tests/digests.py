"""Content digests of results (sha256 over the bytes of every array, table and file), for
the pinned-digest tests in ``tests/test_digests.py``.  Regenerate the pinned values with
``PYTHONPATH=src python tests/digests.py`` (prints one line per digest)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd


def _update_array(h, name: str, a: np.ndarray) -> None:
    a = np.asarray(a)
    h.update(f"{name}|{a.dtype.str}|{a.shape}|".encode())
    if a.dtype == object:
        h.update(json.dumps([str(x) for x in a.ravel()]).encode())
    else:
        h.update(np.ascontiguousarray(a).tobytes())


def frame_digest(df: pd.DataFrame, h=None) -> str:
    h = h or hashlib.sha256()
    h.update(json.dumps([str(c) for c in df.columns]).encode())
    _update_array(h, "index", df.index.to_numpy())
    for c in df.columns:
        _update_array(h, str(c), df[c].to_numpy())
    return h.hexdigest()


def dataset_digest(ds) -> str:
    """Every variable and coordinate of an ``xarray.Dataset`` (names, dims, values), and
    its attributes."""
    h = hashlib.sha256()
    for name in sorted(ds.variables):
        v = ds.variables[name]
        h.update(json.dumps([name, list(v.dims)]).encode())
        _update_array(h, name, v.values)
    h.update(json.dumps(ds.attrs, sort_keys=True, default=str).encode())
    return h.hexdigest()


def results_digest(res) -> str:
    """A run's tables; the metadata without the wall time."""
    h = hashlib.sha256()
    for name in sorted(res.tables):
        h.update(name.encode())
        frame_digest(res.tables[name], h)
    meta = {k: v for k, v in res.meta.items() if k != "wall_seconds"}
    h.update(json.dumps(meta, sort_keys=True).encode())
    return h.hexdigest()


def file_digest(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the pinned computations (small, seeded) --------------------------------------------

def run_digest() -> str:
    from borderflow.api import simulate

    return results_digest(simulate("historical", seed=1, scale=200))


def ensemble_digest() -> str:
    from borderflow.ensemble.runner import RunSpec, SequentialExecutor, run_ensemble

    return dataset_digest(
        run_ensemble(
            RunSpec("historical", runs=2, seed=1, scale=200, executor=SequentialExecutor())
        )
    )


def forecast_digest() -> str:
    from borderflow.ensemble.runner import SequentialExecutor
    from borderflow.validate.forecast import ForecastSpec, RunSpec, forecast

    table, meta = forecast(RunSpec(runs=2, scale=800, executor=SequentialExecutor()),
                           ForecastSpec("2024-02", 2, warmup=1))
    h = hashlib.sha256()
    frame_digest(table, h)
    meta = {k: v for k, v in meta.items() if k != "wall_seconds"}
    h.update(json.dumps(meta, sort_keys=True, default=str).encode())
    return h.hexdigest()


#: the reduced validation of ``tests/validate/test_validate_reduced.py``
REDUCED = dict(runs=2, scale=2000, backtest_runs=2,
               backtest=dict(origins=("2022-09",), episodes=("2019-05", "2022-09"), budget=2,
                             sector_steps=0, polish=0, particles=3))
VALIDATION_FILES = ("validation.json", "backtests.json", "interval_errors.json")


def validation_digests(out_dir: str | Path) -> dict[str, str]:
    """The files the reduced validation wrote into ``out_dir``."""
    return {name: file_digest(Path(out_dir) / name) for name in VALIDATION_FILES}


def reduced_validation(out_dir: str | Path, executor=None):
    from borderflow.ensemble.runner import SequentialExecutor
    from borderflow.validate.backtest import BacktestSpec, RunSpec
    from borderflow.validate.validation import validate

    run = RunSpec(runs=REDUCED["runs"], scale=REDUCED["scale"],
                  executor=executor or SequentialExecutor())
    return validate(out_dir, run, BacktestSpec(**REDUCED["backtest"]), REDUCED["backtest_runs"])


if __name__ == "__main__":
    import sys
    import tempfile

    for fn in (run_digest, ensemble_digest, forecast_digest):
        print(fn.__name__, fn())
    if "--validation" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            reduced_validation(tmp)
            for name, d in validation_digests(tmp).items():
                print(name, d)
