"""The calibrated parameter set shipped as the package default.

``calibrated.json`` beside this module holds ``{"parameters": {name: value}, ...}`` as
written by ``borderflow calibrate``; it may be absent (the registry defaults apply).
Values are validated against the registry (names, keys, bounds) when read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from borderflow.errors import InputError
from borderflow.scenario.model import Parameter, Scenario

FILE = "calibrated.json"
#: the trials of the shipped calibration and their plausible set (scripts/identify.py)
FIT_FILE = "calibrated_fit.json"


def _shipped_json(name: str, what: str) -> dict:
    path = resources.files("borderflow.scenario").joinpath(name)
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError(f"{what} are not valid JSON: {exc}", file=str(path)) from None


@lru_cache(maxsize=1)
def calibrated_document() -> dict:
    """The whole shipped ``calibrated.json`` (``{}`` when absent)."""
    return _shipped_json(FILE, "calibrated parameters")


@lru_cache(maxsize=1)
def calibration_fit_document() -> dict:
    """The shipped ``calibrated_fit.json`` (``{}`` when absent): every trial of the
    shipped calibration and, after scripts/identify.py, its plausible set."""
    return _shipped_json(FIT_FILE, "calibration trials")


def _checked(values: Mapping, path) -> dict:
    """``values`` validated through the scenario schema (names, keys, bounds)."""
    try:
        Scenario(id="calibrated", title="check", start="2019-01", end="2019-01",
                 parameters={k: Parameter(value=v, source="calibrated") for k, v in values.items()})
    except Exception as exc:  # noqa: BLE001 - report which file is wrong
        raise InputError(f"invalid calibrated parameters: {exc}", file=str(path),
                         field="parameters") from None
    return dict(values)


@lru_cache(maxsize=1)
def calibrated_values() -> dict:
    path = resources.files("borderflow.scenario").joinpath(FILE)
    return _checked(calibrated_document().get("parameters", {}), path)


def load_parameters(path: str | Path) -> ParameterSet:
    """A calibration written by ``borderflow calibrate --out FILE`` as a
    :class:`ParameterSet` (its ``parameters`` checked against the registry; its sha256
    goes into every run's hash)."""
    path = Path(path)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the calibration: {exc.strerror}", file=str(path),
                         field="--calibration", expected="a calibrated.json file") from None
    try:
        doc = json.loads(blob.decode("utf-8"))
    except ValueError as exc:
        raise InputError(f"the calibration is not valid JSON: {exc}", file=str(path)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("parameters"), dict):
        raise InputError("the calibration has no 'parameters' object", file=str(path),
                         field="parameters", expected="{name: value} as borderflow "
                         "calibrate writes it")
    return ParameterSet(_checked(doc["parameters"], path), hashlib.sha256(blob).hexdigest(),
                        f"calibration {path.name}")


@dataclass(frozen=True)
class ParameterSet:
    """The fitted values a run reads for the parameters its scenario does not set
    (``values``: name -> value as the registry takes it), the sha256 of the file they came
    from (``sha256``, in every run's hash; None: none, the registry defaults) and a
    ``label``.  The engine takes one explicitly; the shipped calibration
    (:func:`shipped_parameters`) is the default of the API and the commands only."""

    values: Mapping = field(default_factory=dict)
    sha256: str | None = None
    label: str = "registry defaults"


def shipped_parameters() -> ParameterSet:
    """The package's shipped calibration (``calibrated.json``) as a :class:`ParameterSet`."""
    return ParameterSet(calibrated_values(), calibration_sha256(), "shipped calibration")


@lru_cache(maxsize=1)
def calibration_sha256() -> str | None:
    """sha256 of the shipped calibrated.json (None when absent).  A run reads its values
    (parameters the scenario does not set), so the hash is part of the
    scenario hash, of meta.json and of the checkpoint check."""

    path = resources.files("borderflow.scenario").joinpath(FILE)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None

