"""Regenerate the lever and parameter tables of docs/model.md from the registry.

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


def table() -> str:
    out = []
    for title, entries in (("Levers (policy choices)", LEVERS), ("Parameters", PARAMETERS)):
        out += [f"### {title}", "", "| name | mechanism | value | unit | keyed by | source |",
                "|---|---|---|---|---|---|"]
        for e in entries.values():
            src = ("calibrated; " if e.calibrated else "") + e.source
            out.append(f"| `{e.name}` | {e.mechanism} | {_value(e.default)} | {e.unit} | "
                       f"{e.keys} | {src.replace('|', '/')} |")
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
