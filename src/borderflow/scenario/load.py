"""Load and validate scenarios from YAML (safe loading only: a ``yaml.SafeLoader`` subclass)."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from borderflow.errors import InputError, did_you_mean
from borderflow.scenario import model as m
from borderflow.scenario.calibrated import ParameterSet, calibration_sha256
from borderflow.scenario.model import FIRST_MONTH, PROBLEM, Scenario

_BUNDLED = "borderflow.scenario.scenarios"


def bundled_scenarios() -> list[str]:
    """Ids of the scenarios shipped with the package."""
    files = resources.files(_BUNDLED).iterdir()
    return sorted(p.name[:-5] for p in files if p.name.endswith(".yaml"))


#: largest scenario file read (bytes), checked before parsing
MAX_BYTES = 1_000_000
#: deepest nesting of YAML collections (a scenario needs 4)
MAX_DEPTH = 32
#: most problems listed for one file
MAX_PROBLEMS = 20
#: most characters of all scalars once aliases (``*name``) are expanded; a real scenario
#: has some tens of thousands
MAX_EXPANDED_CHARS = 2_000_000
#: most YAML nodes (scalars, lists, mappings) once aliases are expanded; a real scenario
#: has some thousands
MAX_NODES = 100_000


class _TooLarge(yaml.YAMLError):
    """A document that expands past :data:`MAX_EXPANDED_CHARS` or :data:`MAX_NODES`, or
    nests deeper than :data:`MAX_DEPTH` once its aliases are expanded."""

    def __init__(self, message: str, field: str | None, expected: str):
        super().__init__(message)
        self.field, self.expected = field, expected


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _expanded(root) -> dict[int, tuple[int, int, int]]:
    """(nodes, characters of scalars, depth) of every node of a composed YAML graph as if
    each alias were replaced by a copy of its anchor, by node id.  Each node is visited
    once (an alias is a reference to the anchor's node), so this is cheap however far the
    aliases would expand; nothing is copied or constructed.  An alias inside its own
    anchor (a recursive document) raises :class:`_TooLarge`."""
    memo: dict[int, tuple[int, int, int]] = {}
    active: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        kids = _children(node)
        if done:
            n, c, d = 1, len(node.value) if isinstance(node, yaml.ScalarNode) else 0, 0
            for k in kids:
                kn, kc, kd = memo[id(k)]
                n, c, d = n + kn, c + kc, max(d, kd)
            memo[key] = (n, c, d + 1)
            active.discard(key)
            continue
        if key in memo:
            continue
        active.add(key)
        stack.append((node, True))
        for k in kids:
            if id(k) in active:
                raise _TooLarge(f"the alias on line {k.start_mark.line + 1} refers to a "
                                "collection that contains it: it would never end", None,
                                "aliases (*name) of anchors (&name) defined before and "
                                "outside them")
            if id(k) not in memo:
                stack.append((k, False))
    return memo


def _check_expanded(root) -> None:
    """Refuse a document too large or too deep once its aliases are expanded (an "alias
    bomb": a small file that expands to gigabytes)."""
    memo = _expanded(root)
    nodes, chars, depth = memo[id(root)]
    if nodes <= MAX_NODES and chars <= MAX_EXPANDED_CHARS and depth <= MAX_DEPTH:
        return
    field = None
    if isinstance(root, yaml.MappingNode) and root.value:     # the key that holds most
        key, _ = max(root.value, key=lambda kv: memo[id(kv[1])][:2])
        field = key.value if isinstance(key, yaml.ScalarNode) else None
    if depth > MAX_DEPTH:
        raise _TooLarge(f"scenario nested {depth:,} levels deep once its aliases (*name) are "
                        f"expanded, more than {MAX_DEPTH}", field,
                        f"at most {MAX_DEPTH} levels (a scenario needs 4)")
    raise _TooLarge(f"scenario expands to {nodes:,} YAML nodes and {chars:,} characters once its "
                    f"aliases (*name) are expanded", field,
                    f"at most {MAX_NODES:,} nodes and {MAX_EXPANDED_CHARS:,} characters "
                    "after expansion")


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys and deep nesting, and leaves an
    invalid calendar date (2019-02-30) a string, so that validation names its field."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self):
        node = super().compose_document()
        if node is not None:
            _check_expanded(node)       # before anything is constructed from it
        return node

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    continue          # unhashable: SafeConstructor says so
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r} (first on line {seen[key]})",
                        key_node.start_mark)
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _model_fields(loc: tuple) -> list[str] | None:
    """Field names of the model at ``loc`` (for "extra key" messages)."""

    cls = {(): m.Scenario, ("timeline", 0): m.TimelineEvent, ("drivers",): m.Drivers,
           ("parameters", 0): m.Parameter,
           ("parameters", 0, "prior"): m.Prior}.get(
        tuple(0 if isinstance(x, int) or (i == 1 and loc[:1] == ("parameters",)) else x
              for i, x in enumerate(loc)))
    return sorted(cls.model_fields) if cls else None


def _user_loc(loc: tuple, n_base: int, base: str | None) -> str:
    """A field path in the user's own file: the base's timeline and sources come first in
    the merged scenario, so list indices are shifted back."""
    loc = list(loc)
    if n_base and len(loc) > 1 and loc[0] in ("timeline", "sources") and isinstance(loc[1], int):
        n = n_base if loc[0] == "timeline" else 0
        if loc[1] >= n:
            loc[1] -= n
        else:
            loc[0] = f"{base} (base) {loc[0]}"
    return ".".join(str(x) for x in loc) or "(top level)"


def _format_errors(path: str, err: ValidationError, n_base: int = 0, n_base_sources: int = 0,
                   base: str | None = None) -> InputError:
    lines = []
    for e in err.errors():
        loc = e["loc"]
        msg = e["msg"].removeprefix("Value error, ")
        if msg.startswith(PROBLEM):       # a validator that reports several problems
            for item in msg.split("\n"):
                where, _, text = item.removeprefix(PROBLEM).partition("\t")
                lines.append((where, text))
            continue
        if e["type"] == "extra_forbidden":
            allowed = _model_fields(tuple(loc[:-1]))
            if allowed:
                msg = (f"unknown key; {did_you_mean(loc[-1], allowed)}allowed: "
                       f"{', '.join(allowed)}")
        if loc[:1] == ("sources",) and len(loc) > 1 and isinstance(loc[1], int):
            loc = ("sources", loc[1] - n_base_sources, *loc[2:])
            where = ".".join(str(x) for x in loc)
        else:
            where = _user_loc(tuple(loc), n_base, base)
        lines.append((where, msg))
    shown = [f"  field '{w}': {m}" for w, m in lines[:MAX_PROBLEMS]]
    if len(lines) > MAX_PROBLEMS:
        shown.append(f"  ... and {len(lines) - MAX_PROBLEMS} more")
    head = "invalid scenario" if len(lines) == 1 else f"invalid scenario, {len(lines)} problems"
    return InputError(head + "\n" + "\n".join(shown), file=path)


def _read_yaml(text: str, origin: str):
    if len(text) > MAX_BYTES or len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"scenario text is larger than {MAX_BYTES:,} bytes", file=origin,
                         expected="a scenario file of at most 1 MB")
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _TooLarge as exc:
        raise InputError(str(exc), file=origin, field=exc.field,
                         expected=exc.expected) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=origin,
                         line=line) from None


def parse_scenario(text: str, origin: str = "<string>") -> Scenario:
    data = _read_yaml(text, origin)
    if not isinstance(data, dict):
        raise InputError("a scenario must be a YAML mapping with keys such as id, title, start, "
                         "end, levers, timeline", file=origin)
    n_base = n_base_sources = 0
    base = data.get("base")
    if base is not None:
        data, n_base, n_base_sources = _merge_base(data, origin)
    try:
        # a scenario file may not start before FIRST_MONTH (Scenario._month)
        return Scenario.model_validate(data, context={"first_month": FIRST_MONTH})
    except ValidationError as exc:
        raise _format_errors(origin, exc, n_base, n_base_sources, base) from None


def _merge_base(data: dict, origin: str) -> tuple[dict, int, int]:
    """A scenario that extends a bundled one: the base's content, then this file's; also the
    number of the base's timeline events and sources (they come first)."""
    base_id = data["base"]
    if not isinstance(base_id, str) or base_id not in bundled_scenarios():
        raise InputError(f"unknown base scenario {base_id!r}"
                         + (f"; {hint.strip()}" if (hint := did_you_mean(base_id,
                                                                         bundled_scenarios()))
                            else ""),
                         file=origin, field="base",
                         expected="one of: " + ", ".join(bundled_scenarios()))
    base = load_scenario(base_id).model_dump(mode="json", exclude_none=True)

    def part(key, kind):
        v = data.get(key)
        return v if isinstance(v, kind) else (kind() if v is None else v)

    merged = {**base, **{k: v for k, v in data.items() if k not in ("levers", "parameters",
                                                                   "timeline", "sources")}}
    levers, params = part("levers", dict), part("parameters", dict)
    timeline, sources = part("timeline", list), part("sources", list)
    # a wrong type is left for validation to name (not merged)
    merged["levers"] = {**base.get("levers", {}), **levers} if isinstance(levers, dict) else levers
    merged["parameters"] = ({**base.get("parameters", {}), **params}
                            if isinstance(params, dict) else params)
    merged["timeline"] = (list(base.get("timeline", [])) + timeline
                          if isinstance(timeline, list) else timeline)
    merged["sources"] = (list(base.get("sources", [])) + sources
                         if isinstance(sources, list) else sources)
    return merged, len(base.get("timeline", [])), len(base.get("sources", []))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A bundled scenario by id (``"historical"``) or a YAML file by path."""
    s = str(name_or_path)
    if s in bundled_scenarios():
        text = resources.files(_BUNDLED).joinpath(f"{s}.yaml").read_text(encoding="utf-8")
        return parse_scenario(text, origin=f"{s}.yaml (bundled)")
    path = Path(s)
    if not path.is_file():
        hint = did_you_mean(s, bundled_scenarios()) or did_you_mean(path.stem,
                                                                    bundled_scenarios())
        raise InputError(f"no such scenario file or bundled scenario '{s}'"
                         + (f"; {hint.strip()}" if hint else ""), field="scenario",
                         expected="a YAML file or one of: " + ", ".join(bundled_scenarios()))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"scenario file is {size:,} bytes, larger than {MAX_BYTES:,}",
                         file=str(path), expected="a scenario file of at most 1 MB")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    return parse_scenario(text, origin=str(path))


#: the latest hashes, by the scenario object (kept, so that its id is not reused) and the
#: calibration's sha256: a scenario is frozen, and a filter hashes the same one thousands
#: of times (every checkpoint and restore)
_HASHES: OrderedDict[tuple[int, str | None], tuple[Scenario, str]] = OrderedDict()
HASHES_KEPT = 256


def scenario_hash(sc: Scenario, parameters: ParameterSet | None = None) -> str:
    """Stable hash of what a run of the scenario reads: its content (canonical JSON) and the
    sha256 of the fitted parameter set that fills the parameters the scenario does not set
    (``parameters``; None: the shipped calibration, calibrated.json)."""

    calibration = calibration_sha256() if parameters is None else parameters.sha256
    key = (id(sc), calibration)
    hit = _HASHES.get(key)
    if hit is not None and hit[0] is sc:
        _HASHES.move_to_end(key)
        return hit[1]
    blob = json.dumps({"scenario": sc.model_dump(mode="json"), "calibration": calibration},
                      sort_keys=True, separators=(",", ":"))
    h = hashlib.sha256(blob.encode()).hexdigest()[:16]
    _HASHES[key] = (sc, h)
    while len(_HASHES) > HASHES_KEPT:
        _HASHES.popitem(last=False)
    return h


def json_schema() -> dict:
    return Scenario.model_json_schema()
