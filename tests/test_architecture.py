"""The shape of the package, read from its source with ``ast``: the import graph (every
import, at module level or inside a function) is acyclic, and the layers import
downwards only (data/scenario/world -> engine -> observe -> ensemble -> validate ->
report -> cli/dashboard; docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "borderflow"


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (path, is_pkg)
    return out


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, (path, _) in MODULES.items()}


def _targets(module: str, is_pkg: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement loads (``from a import b`` is ``a.b`` when
    that is a module, else ``a``)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            parts = module.split(".") if is_pkg else module.split(".")[:-1]
            parts = parts[:len(parts) - (node.level - 1)]
            base = ".".join(parts + ([node.module] if node.module else []))
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                 for a in node.names]
    out = []
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.append(name)
    return out


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports (module-level and function-level)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[name].update(_targets(name, MODULES[name][1], node))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_import_graph_is_acyclic():
    found = cycles(import_graph())
    assert not found, "import circles:\n" + "\n".join(" <-> ".join(c) for c in found)


def _is_wire(module: str) -> bool:
    """The command-line and dashboard modules that wire computation and presentation."""
    last = module.rsplit(".", 1)[-1]
    return (module.startswith(f"{PACKAGE}.dashboard") or last == "cli"
            or last.startswith("cli_") or module == PACKAGE)


def test_report_imports_only_documents_from_validate():
    """``report`` renders documents: from ``validate`` and ``ensemble`` it imports the
    document constants only (:mod:`borderflow.validate.documents`), never a module that
    computes."""
    allowed = {f"{PACKAGE}.validate.documents"}
    bad = [(m, t) for m, ts in import_graph().items() if m.startswith(f"{PACKAGE}.report")
           for t in ts if t.startswith((f"{PACKAGE}.validate", f"{PACKAGE}.ensemble",
                                        f"{PACKAGE}.compare")) and t not in allowed]
    assert not bad, bad


def test_only_the_wire_imports_report_and_the_commands():
    """Nothing below the CLI and the dashboard imports ``report`` or a CLI module."""
    bad = []
    for m, ts in import_graph().items():
        if _is_wire(m) or m.startswith(f"{PACKAGE}.report"):
            continue
        for t in ts:
            if t.startswith(f"{PACKAGE}.report") or _is_wire(t):
                bad.append((m, t))
    assert not bad, bad


# ---- imports inside functions --------------------------------------------------------------

#: third-party packages imported where they are used, and why (heavy or optional)
HEAVY = {"optuna", "plotly", "statsmodels", "matplotlib", "ema_workbench", "SALib",
         "distributed", "dask", "uvicorn", "h11", "scipy", "playwright", "scoringrules"}


def _function_imports(tree: ast.Module):
    """Every import statement inside a function body."""
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    yield node


def _reason(lines: list[str], node: ast.stmt) -> str | None:
    """The ``# lazy: <reason>`` comment above an import (or above the run of imports it
    belongs to)."""
    k = node.lineno - 2
    while k >= 0:
        text = lines[k].strip()
        if text.startswith("# lazy:"):
            return text[len("# lazy:"):].strip() or None
        if text.startswith(("from ", "import ")) or text.endswith(",") or text == ")":
            k -= 1
            continue
        return None
    return None


def test_imports_inside_functions_are_heavy_or_lazy_commands_with_a_reason():
    """Imports sit at the top of a module, except a heavy or optional third-party package
    (:data:`HEAVY`), and the command modules' own code, which loads only when a command
    runs (``borderflow --help`` stays fast); each with a ``# lazy:`` reason."""
    bad = []
    for name, tree in TREES.items():
        lines = MODULES[name][0].read_text(encoding="utf-8").splitlines()
        for node in _function_imports(tree):
            top = (node.names[0].name if isinstance(node, ast.Import)
                   else node.module or "").split(".")[0]
            allowed = top in HEAVY or (top == PACKAGE and (_is_wire(name)))
            if not allowed or _reason(lines, node) is None:
                bad.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert not bad, "imports inside functions:\n" + "\n".join(bad)


def test_the_import_check_sees_a_missing_reason():
    src = "def f():\n    # lazy: plotly is heavy\n    import plotly\n    import json\n"
    tree = ast.parse(src)
    lines = src.splitlines()
    found = {ast.unparse(n): _reason(lines, n) for n in _function_imports(tree)}
    assert found["import plotly"] == "plotly is heavy"
    assert found["import json"] == "plotly is heavy"    # one reason for a run of imports
    src = "def f():\n    x = 1\n    import json\n"
    tree = ast.parse(src)
    assert [_reason(src.splitlines(), n) for n in _function_imports(tree)] == [None]


# ---- private names -------------------------------------------------------------------------

#: public by convention although underscored (namedtuple API, os._exit)
UNDERSCORE_API = {"_fields", "_asdict", "_replace", "_make", "_exit"}


def _package(module: str) -> str:
    return module if MODULES[module][1] else module.rpartition(".")[0]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__") and name not in UNDERSCORE_API


def test_no_private_names_from_other_packages():
    """No module takes an underscored name from outside its own package: not by import
    (``from a.b import _c``), not by attribute (``runner._attrs``, ``study._storage``)."""
    bad = []
    for name, tree in TREES.items():
        imported: dict[str, str] = {}          # local name -> project module it is
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}" if node.module else alias.name
                    if full in MODULES:
                        imported[alias.asname or alias.name] = full
                    elif (_private(alias.name) and node.module in MODULES
                          and _package(node.module) != _package(name)):
                        bad.append(f"{name}:{node.lineno}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and alias.name in MODULES:
                        imported[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr)
                    and isinstance(node.value, ast.Name) and node.value.id not in ("self", "cls")):
                owner = imported.get(node.value.id)
                if owner is None or _package(owner) != _package(name):
                    bad.append(f"{name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not bad, "private reach-ins:\n" + "\n".join(bad)


# ---- sizes ---------------------------------------------------------------------------------

MAX_LINES = 400


def test_no_module_of_validate_or_report_over_400_lines():
    long = {name: n for name, (path, _) in MODULES.items()
            if name.startswith((f"{PACKAGE}.validate", f"{PACKAGE}.report"))
            and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_episode_origins_are_a_table_with_sources():
    from borderflow.scenario.registry import NATIONALITIES
    from borderflow.validate.shocks import EPISODE_SOURCES, EPISODES, load_episodes

    rows = load_episodes()
    assert [r["origin"] for r in rows] == list(EPISODES) == sorted(EPISODES)
    for r in rows:
        assert r["shock"] and r["source"] and set(r["nationalities"]) <= set(NATIONALITIES)
        assert r["first_shock_date"][:7] >= r["origin"]   # the shock follows its origin
    assert EPISODES["2022-09"] == ("Title 42 extended to Venezuelans with parole",
                                   ("Venezuela",))
    assert "10773" in EPISODE_SOURCES["2024-05"][1]


def test_insample_checks_are_a_table_with_sources():
    from borderflow.validate.documents import DEC_JAN, INSAMPLE_CHECKS, T42

    assert set(INSAMPLE_CHECKS) == {"surge_2019", "title42_repeat", "dec2023_jan2024",
                                    "dec_jan_by_citizenship"}
    for r in INSAMPLE_CHECKS.values():
        assert r["source"] and r["rule"] and r["first"] < r["last"]
    assert T42 == ("2020-04", "2023-04") and INSAMPLE_CHECKS["title42_repeat"]["before"] == "2020-03"
    assert DEC_JAN == ("2023-11", "2023-12", "2024-01")
    assert INSAMPLE_CHECKS["dec2023_jan2024"]["threshold"] == 0.35


# ---- signatures ----------------------------------------------------------------------------

MAX_PARAMETERS = 8

def _is_typer_command(fn: ast.FunctionDef) -> bool:
    """A CLI command: its parameters default to ``typer.Option`` / ``typer.Argument``."""
    defaults = [*fn.args.defaults, *(d for d in fn.args.kw_defaults if d is not None)]
    return any(isinstance(d, ast.Call) and ast.unparse(d.func).startswith("typer.")
               for d in defaults)


def _n_parameters(fn: ast.FunctionDef) -> int:
    a = fn.args
    names = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    n = len(names) + (a.vararg is not None) + (a.kwarg is not None)
    return n - (names[:1] in (["self"], ["cls"]))


def test_no_function_takes_more_than_8_parameters():
    """Bundles of settings travel as one value (``RunSpec``, ``ForecastSpec``,
    ``BacktestSpec``, ``CalibrationSpec``); only the CLI's typer commands list options."""
    long = []
    for name, tree in TREES.items():
        for fn in ast.walk(tree):
            if (isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and _n_parameters(fn) > MAX_PARAMETERS and not _is_typer_command(fn)):
                long.append(f"{name}.{fn.name}: {_n_parameters(fn)}")
    assert not long, long
