"""Start points of the calibration's structural search: the registry defaults (trial 0)
and the bundled or given points (``calibration_starts.json``), checked against the
search space."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from borderflow.errors import InputError
from borderflow.scenario.registry import PARAMETERS, entry
from borderflow.validate.documents import (
    SPACE,
    STARTS_FILE,
)


def default_values() -> dict[str, float]:
    """The search-space point equal to the registry defaults (trial 0)."""
    scale = entry("departures_scale").default
    return {name: float(scale[name[6:]] if name.startswith("scale_")
                        else PARAMETERS[name].default) for name, *_ in SPACE}


def load_starts(path: str | Path | None = None) -> list[dict]:
    """The start points of the structural search: ``[{"id", "source", "values"}]`` from
    ``path`` (default: the bundled file), each value checked against :data:`SPACE`."""
    if path is None:

        path = resources.files("borderflow.scenario").joinpath(STARTS_FILE)
    path_s = str(path)
    try:
        doc = json.loads(Path(path_s).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=path_s) from None
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}", file=path_s) from None
    starts = doc.get("starts") if isinstance(doc, dict) else None
    if not isinstance(starts, list):
        raise InputError("missing or not a list", file=path_s, field="starts",
                         expected='{"starts": [{"id", "source", "values"}, ...]}')
    bounds = {n: (lo, hi) for n, lo, hi, _ in SPACE}
    out = []
    for i, st in enumerate(starts):
        where = f"starts[{i}]"
        if not isinstance(st, dict) or not isinstance(st.get("values"), dict):
            raise InputError("needs an object 'values'", file=path_s, field=where)
        for key in ("id", "source"):
            if not isinstance(st.get(key), str) or not st[key].strip():
                raise InputError("missing or empty", file=path_s, field=f"{where}.{key}",
                                 expected="a non-empty string")
        vals = st["values"]
        unknown = sorted(set(vals) - set(bounds))
        missing = [n for n in bounds if n not in vals]
        if unknown or missing:
            name = (unknown or missing)[0]
            raise InputError("unknown" if unknown else "missing", file=path_s,
                             field=f"{where}.values.{name}",
                             expected="one number for each of " + ", ".join(bounds))
        for n, (lo, hi) in bounds.items():
            v = vals[n]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
                raise InputError(f"value {v!r} out of range", file=path_s,
                                 field=f"{where}.values.{n}", expected=f"a number in [{lo}, {hi}]")
        out.append({"id": st["id"], "source": st["source"],
                    "values": {n: float(vals[n]) for n in bounds}})
    return out
