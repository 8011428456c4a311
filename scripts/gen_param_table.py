"""Regenerate the lever and parameter tables of docs/model.md from the registry: each
entry's default, the value runs use (the shipped calibration's where it fits one), the
range calibration searches (``fit``) and the range sensitivity analysis varies (``sweep``).

Usage: python scripts/gen_param_table.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from borderflow.scenario.registry import FIT_ONLY, LEVERS, PARAMETERS, departure_scales

DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"
BEGIN, END = "<!-- table:begin -->", "<!-- table:end -->"


def _value(v) -> str:
    if isinstance(v, dict):
        vals = set(v.values())
        if len(vals) == 1:
            return f"{next(iter(vals)):g} (all)"
        return "; ".join(f"{k}: {x:g}" for k, x in v.items())
    return f"{v:g}"


def _shipped(name: str, fitted: dict) -> str:
    """The value a run uses when the scenario does not set it: the shipped calibration's,
    else the registry default (shown as "=")."""
    if name not in fitted:
        return "="
    v = fitted[name]
    if isinstance(v, dict):
        return _value({k: float(f"{x:.4g}") for k, x in v.items()})
    return f"{float(v):.4g}"


def _range(r) -> str:
    """``fit`` (low, high, log) or ``sweep`` (low, high) as "low-high[ log]"; blank if None."""
    if r is None:
        return ""
    return f"{r[0]:g}-{r[1]:g}" + (" log" if len(r) > 2 and r[2] else "")


def table() -> str:
    from borderflow.scenario.calibrated import calibrated_values

    fitted = dict(calibrated_values())
    if "base_departures" in fitted:     # baked into base_departures
        fitted["departures_scale"] = departure_scales(fitted["base_departures"])
    out = []
    for title, entries in (("Levers (policy choices)", LEVERS), ("Parameters", PARAMETERS),
                           ("Fitted, not read by the engine", FIT_ONLY)):
        out += [f"### {title}", "",
                "| name | mechanism | default | shipped | fit range | sweep range | unit | "
                "keyed by | source |",
                "|---|---|---|---|---|---|---|---|---|"]
        for e in entries.values():
            src = ("calibrated; " if e.calibrated else "") + e.source
            why = f"; sweep: {e.sweep_why}" if e.sweep_why else ""
            out.append(f"| `{e.name}` | {e.mechanism} | {_value(e.default)} | "
                       f"{_shipped(e.name, fitted)} | {_range(e.fit)} | {_range(e.sweep)} | "
                       f"{e.unit} | {e.keys} | {(src + why).replace('|', '/')} |")
        out.append("")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="fail if docs/model.md is stale")
    args = ap.parse_args()
    text = DOC.read_text(encoding="utf-8")
    a, b = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:a] + "\n" + table() + text[b:]
    if args.check:
        if new != text:
            print("docs/model.md is stale: run python scripts/gen_param_table.py")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
