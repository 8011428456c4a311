"""The event path reads the model's fields where it uses them.

A compiled function that binds a field of the model (``A = M.A``, ``edges = M.R.edges``)
to a local takes an atomic reference count on it at the binding and releases it at the
end of the call, and numba's pruning cannot remove the pair once the function branches or
calls another.  Read inline (``M.A.nat[i]``), the pair sits in one block and is pruned.
The functions below run once or more per event; before this rule about half of a run's
time went to those reference counts (docs/architecture.md, "The event path")."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_type_hints

from borderflow.engine.tables import Consts

ENGINE = Path(__file__).resolve().parents[2] / "src" / "borderflow" / "engine"

#: module -> the functions that run at an agent's event (from kernel.transition and the
#: crackdown pickup of kernel.step)
EVENT_PATH = {
    "kernel": ("travel", "take_route", "start_route", "begin_leg", "defers", "hold_back",
               "at_border_city", "edge_done", "transition"),
    "usborder": ("title42_applies", "title8_outcome", "release_chance", "asylum_seeker",
                 "arrive", "custody_end"),
    "mexico": ("apprehend", "detention_end"),
    "agentops": ("set_state", "deported_home"),
    "routechoice": ("choose_route",),
}


#: the constants that are numbers, not arrays (a bound number costs nothing)
SCALARS = {f"M.K.{k}" for k, t in get_type_hints(Consts).items() if t in (float, int)}


def _rooted_at_model(node: ast.AST) -> bool:
    """``M.X`` or ``M.X.y`` (a bundle or an array of the model, not an element of it nor
    a number of ``Consts``)."""
    if not isinstance(node, ast.Attribute) or ast.unparse(node) in SCALARS:
        return False
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id == "M"


def bound_fields(fn: ast.FunctionDef) -> list[str]:
    """The model's fields that ``fn`` binds to a local name."""
    out = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign):
            values = (node.value.elts if isinstance(node.value, ast.Tuple) else [node.value])
            out += [ast.unparse(v) for v in values if _rooted_at_model(v)]
    return out


def _functions(module: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse((ENGINE / f"{module}.py").read_text(encoding="utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def test_event_functions_bind_no_field_of_the_model():
    for module, names in EVENT_PATH.items():
        defs = _functions(module)
        for name in names:
            assert name in defs, f"{module}.{name} is gone: update EVENT_PATH"
            assert bound_fields(defs[name]) == [], (
                f"{module}.{name} binds {bound_fields(defs[name])} to locals: read them "
                "where they are used (M.A.nat[i])")


def test_the_check_sees_a_bound_field():
    fn = ast.parse("def f(M, i):\n    A, rng, x = M.A, M.rng, M.K.interception\n    e = M.R.edges\n"
                   "    n = M.A.nat[i]\n    return A.nat[i] + n").body[0]
    assert bound_fields(fn) == ["M.A", "M.rng", "M.R.edges"]
