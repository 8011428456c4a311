"""Load and validate scenarios from YAML (``yaml.safe_load`` only)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from borderflow.errors import InputError
from borderflow.scenario.model import Scenario

_BUNDLED = "borderflow.scenario.scenarios"


def bundled_scenarios() -> list[str]:
    """Ids of the scenarios shipped with the package."""
    files = resources.files(_BUNDLED).iterdir()
    return sorted(p.name[:-5] for p in files if p.name.endswith(".yaml"))


def _format_errors(path: str, err: ValidationError) -> InputError:
    lines = []
    for e in err.errors()[:8]:
        loc = ".".join(str(x) for x in e["loc"]) or "(top level)"
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"  field '{loc}': {msg}")
    more = len(err.errors()) - 8
    if more > 0:
        lines.append(f"  ... and {more} more")
    return InputError("invalid scenario\n" + "\n".join(lines), file=path)


def parse_scenario(text: str, origin: str = "<string>") -> Scenario:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=origin,
                         line=line) from None
    if not isinstance(data, dict):
        raise InputError("a scenario must be a YAML mapping with keys such as id, title, start, "
                         "end, levers, timeline", file=origin)
    if data.get("base") is not None:
        data = _merge_base(data, origin)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _format_errors(origin, exc) from None


def _merge_base(data: dict, origin: str) -> dict:
    """A scenario that extends a bundled one: the base's content, then this file's."""
    base_id = data["base"]
    if not isinstance(base_id, str) or base_id not in bundled_scenarios():
        raise InputError(f"unknown base scenario {base_id!r}", file=origin, field="base",
                         expected="one of: " + ", ".join(bundled_scenarios()))
    base = load_scenario(base_id).model_dump(mode="json", exclude_none=True)
    merged = {**base, **{k: v for k, v in data.items() if k not in ("levers", "parameters",
                                                                   "timeline", "sources")}}
    merged["levers"] = {**base.get("levers", {}), **(data.get("levers") or {})}
    merged["parameters"] = {**base.get("parameters", {}), **(data.get("parameters") or {})}
    merged["timeline"] = list(base.get("timeline", [])) + list(data.get("timeline") or [])
    merged["sources"] = list(base.get("sources", [])) + list(data.get("sources") or [])
    return merged


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by id (``"historical"``) or a YAML file by path."""
    s = str(name_or_path)
    if s in bundled_scenarios():
        text = resources.files(_BUNDLED).joinpath(f"{s}.yaml").read_text(encoding="utf-8")
        return parse_scenario(text, origin=f"{s}.yaml (bundled)")
    path = Path(s)
    if not path.is_file():
        raise InputError(f"no such scenario file or bundled scenario '{s}'", field="scenario",
                         expected="a YAML file or one of: " + ", ".join(bundled_scenarios()))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    return parse_scenario(text, origin=str(path))


def scenario_hash(sc: Scenario) -> str:
    """Stable hash of a scenario's content (sha256 of its canonical JSON)."""
    blob = json.dumps(sc.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def json_schema() -> dict:
    return Scenario.model_json_schema()
