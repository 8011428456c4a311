"""Regenerate the lever and parameter tables of docs/model.md from the registry: each
entry's default and the value runs use (the shipped calibration's where it fits one).

Usage: python scripts/gen_param_table.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from borderflow.scenario.registry import LEVERS, PARAMETERS

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


def table() -> str:
    from borderflow.scenario.calibrated import calibrated_values

    fitted = calibrated_values()
    out = []
    for title, entries in (("Levers (policy choices)", LEVERS), ("Parameters", PARAMETERS)):
        out += [f"### {title}", "",
                "| name | mechanism | default | shipped | unit | keyed by | source |",
                "|---|---|---|---|---|---|---|"]
        for e in entries.values():
            src = ("calibrated; " if e.calibrated else "") + e.source
            out.append(f"| `{e.name}` | {e.mechanism} | {_value(e.default)} | "
                       f"{_shipped(e.name, fitted)} | {e.unit} | {e.keys} | "
                       f"{src.replace('|', '/')} |")
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
