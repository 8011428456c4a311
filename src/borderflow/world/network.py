"""The corridor network: nodes and edges read from CSV, validated and compiled into arrays.

The bundled network lives in ``borderflow/world/data`` (``nodes.csv``, ``edges.csv``; sources
in ``SOURCES.md``). Every bad row raises :class:`borderflow.errors.InputError` naming the file,
the line, the column and the values that were expected.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.errors import InputError
from borderflow.scenario.registry import MX_STATES as _MX_STATES
from borderflow.scenario.registry import SECTORS as _SECTORS

SECTORS = _SECTORS  # the nine USBP Southwest sectors, west to east, as OHSS names them
MODES: tuple[str, ...] = ("bus", "freight_rail", "smuggler_vehicle", "on_foot", "river", "air")
CROSSINGS: tuple[str, ...] = ("", "urban", "remote", "port")
NODE_KINDS: tuple[str, ...] = ("origin", "air_arrival", "darien", "isthmus", "southern_entry",
                               "transit", "border_city", "sector", "port_of_entry")
# State names as in the INEGI state layer shipped in boundaries.geojson (NOM_ENT).
MX_STATES_INEGI = _MX_STATES
NODE_COLUMNS = ("id", "name", "kind", "country", "mx_state", "lat", "lon", "sector", "source")
EDGE_COLUMNS = ("src", "dst", "mode", "km", "days", "cost_usd", "hazard_per_day", "mx_state",
                "checkpoints", "crossing", "source")
TERMINAL_KINDS = ("sector", "port_of_entry")
_SECTOR_KINDS = ("sector", "port_of_entry", "border_city")
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so route tables can be memoised
class Network:
    """The compiled corridor network. Arrays are read-only; one entry per node or per edge."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    node_index: dict[str, int]
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_days: np.ndarray
    edge_km: np.ndarray
    edge_cost: np.ndarray
    edge_hazard: np.ndarray
    edge_mode: np.ndarray
    edge_crossing: np.ndarray
    edge_checkpoints: np.ndarray
    edge_mx_state: np.ndarray
    edge_sector: np.ndarray
    mx_states: tuple[str, ...]
    indptr: np.ndarray
    out_edges: np.ndarray
    node_kind: np.ndarray
    node_sector: np.ndarray
    node_lat: np.ndarray
    node_lon: np.ndarray

    @property
    def n_nodes(self) -> int:
        return len(self.node_lat)

    @property
    def n_edges(self) -> int:
        return len(self.edge_src)

    def out_edges_of(self, node: int) -> np.ndarray:
        """Edge ids leaving ``node`` (in file order)."""
        return self.out_edges[self.indptr[node]:self.indptr[node + 1]]


class _Rows:
    """Reads a CSV into (line, row) pairs and turns bad values into InputErrors."""

    def __init__(self, path: Path, columns: tuple[str, ...]):
        self.file = str(path)
        try:
            with open(path, newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                header = reader.fieldnames or []
                missing = [c for c in columns if c not in header]
                if missing:
                    raise InputError(f"missing column '{missing[0]}'", file=self.file, line=1,
                                     field=missing[0], expected="columns " + ", ".join(columns))
                self.rows = []
                for row in reader:
                    if None in row or any(row[c] is None for c in columns):
                        raise InputError(f"row has a different number of fields than the header "
                                         f"({len(header)})", file=self.file, line=reader.line_num)
                    self.rows.append((reader.line_num, {c: row[c].strip() for c in columns}))
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", file=self.file) from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"not a readable UTF-8 CSV file: {exc}", file=self.file) from exc

    def fail(self, line: int, field: str, value: str, expected: str) -> None:
        raise InputError(f"bad value {value!r}", file=self.file, line=line, field=field,
                         expected=expected)

    def choice(self, line: int, row: dict, field: str, allowed) -> str:
        value = row[field]
        if value not in allowed:
            self.fail(line, field, value, "one of " + ", ".join(repr(a) for a in allowed))
        return value

    def text(self, line: int, row: dict, field: str) -> str:
        if not row[field]:
            self.fail(line, field, row[field], "a non-empty text")
        return row[field]

    def number(self, line: int, row: dict, field: str, lo: float, hi: float = math.inf, *,
               lo_open: bool = False, integer: bool = False) -> float:
        what = "an integer" if integer else "a number"
        what += f" > {lo:g}" if lo_open else f" >= {lo:g}"
        what += "" if hi == math.inf else f" and <= {hi:g}"
        try:
            value = float(row[field])
        except ValueError:
            self.fail(line, field, row[field], what)
        bad = (not math.isfinite(value) or value < lo or value > hi or (lo_open and value == lo)
               or (integer and not value.is_integer()))
        if bad:
            self.fail(line, field, row[field], what)
        return int(value) if integer else value


def _parse_nodes(path: Path) -> pd.DataFrame:
    rd = _Rows(path, NODE_COLUMNS)
    seen: dict[str, int] = {}
    sector_node: dict[str, int] = {}
    records = []
    for line, row in rd.rows:
        nid = row["id"]
        if not _ID_RE.match(nid):
            rd.fail(line, "id", nid, "a snake_case id (a-z, 0-9, _)")
        if nid in seen:
            rd.fail(line, "id", nid, f"a unique id (already used on line {seen[nid]})")
        seen[nid] = line
        rd.text(line, row, "name")
        kind = rd.choice(line, row, "kind", NODE_KINDS)
        country = row["country"]
        if not _ISO3_RE.match(country):
            rd.fail(line, "country", country, "an ISO3 country code such as MEX")
        rd.choice(line, row, "mx_state", MX_STATES_INEGI if country == "MEX" else ("",))
        lat = rd.number(line, row, "lat", -90.0, 90.0)
        lon = rd.number(line, row, "lon", -180.0, 180.0)
        sector = rd.choice(line, row, "sector", SECTORS if kind in _SECTOR_KINDS else ("",))
        if kind == "sector":
            if sector in sector_node:
                rd.fail(line, "sector", sector, f"one sector node per sector (also on line "
                        f"{sector_node[sector]})")
            sector_node[sector] = line
        rd.text(line, row, "source")
        records.append({**row, "lat": lat, "lon": lon})
    return pd.DataFrame.from_records(records, columns=list(NODE_COLUMNS))


def _parse_edges(path: Path, nodes: pd.DataFrame) -> pd.DataFrame:
    rd = _Rows(path, EDGE_COLUMNS)
    kind_of = dict(zip(nodes["id"], nodes["kind"], strict=True))
    ids = "a node id from nodes.csv"
    seen: dict[tuple[str, str, str, str], int] = {}
    records = []
    for line, row in rd.rows:
        src, dst = row["src"], row["dst"]
        for field, nid in (("src", src), ("dst", dst)):
            if nid not in kind_of:
                rd.fail(line, field, nid, ids)
        if src == dst:
            rd.fail(line, "dst", dst, "a node different from src")
        mode = rd.choice(line, row, "mode", MODES)
        km = rd.number(line, row, "km", 0.0, lo_open=True)
        days = rd.number(line, row, "days", 1, 32767, integer=True)
        cost = rd.number(line, row, "cost_usd", 0.0)
        hazard = rd.number(line, row, "hazard_per_day", 0.0, 0.999999)
        rd.choice(line, row, "mx_state", ("",) + MX_STATES_INEGI)
        checkpoints = rd.number(line, row, "checkpoints", 0, 32767, integer=True)
        crossing = rd.choice(line, row, "crossing", CROSSINGS)
        rd.text(line, row, "source")
        if kind_of[src] in TERMINAL_KINDS:
            rd.fail(line, "src", src, "no edges out of sector or port_of_entry nodes (returns are "
                    "teleports)")
        want = {"": None, "urban": "sector", "remote": "sector", "port": "port_of_entry"}[crossing]
        if want is None and kind_of[dst] in TERMINAL_KINDS:
            rd.fail(line, "crossing", crossing, f"urban/remote/port on an edge into "
                    f"{kind_of[dst]} node '{dst}'")
        if want is not None and kind_of[dst] != want:
            rd.fail(line, "dst", dst, f"a {want} node for a '{crossing}' crossing")
        if want is not None and kind_of[src] != "border_city":
            rd.fail(line, "src", src, f"a border_city node for a '{crossing}' crossing")
        key = (src, dst, mode, crossing)
        if key in seen:
            rd.fail(line, "mode", mode, f"a unique (src, dst, mode, crossing) (already on line "
                    f"{seen[key]})")
        seen[key] = line
        records.append({**row, "km": km, "days": days, "cost_usd": cost, "hazard_per_day": hazard,
                        "checkpoints": checkpoints})
    edges = pd.DataFrame.from_records(records, columns=list(EDGE_COLUMNS))
    return edges.astype({"days": "int64", "checkpoints": "int64", "km": "float64",
                         "cost_usd": "float64", "hazard_per_day": "float64"})


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _compile(nodes: pd.DataFrame, edges: pd.DataFrame) -> Network:
    node_index = {nid: i for i, nid in enumerate(nodes["id"])}
    sector_ix = {s: i for i, s in enumerate(SECTORS)}
    node_sector = np.array([sector_ix.get(s, -1) for s in nodes["sector"]], dtype=np.int8)
    src = np.array([node_index[s] for s in edges["src"]], dtype=np.int32)
    dst = np.array([node_index[s] for s in edges["dst"]], dtype=np.int32)
    mx_states = tuple(sorted(s for s in set(edges["mx_state"]) if s))
    mx_ix = {s: i for i, s in enumerate(mx_states)}
    crossing = np.array([CROSSINGS.index(c) for c in edges["crossing"]], dtype=np.int8)
    edge_sector = np.where(crossing > 0, node_sector[dst], -1).astype(np.int8)
    order = np.argsort(src, kind="stable").astype(np.int32)
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(src, minlength=len(nodes)))
    arr = {
        "edge_src": src, "edge_dst": dst,
        "edge_days": edges["days"].to_numpy(np.int16),
        "edge_km": edges["km"].to_numpy(np.float32),
        "edge_cost": edges["cost_usd"].to_numpy(np.float32),
        "edge_hazard": edges["hazard_per_day"].to_numpy(np.float32),
        "edge_mode": np.array([MODES.index(m) for m in edges["mode"]], dtype=np.int8),
        "edge_crossing": crossing,
        "edge_checkpoints": edges["checkpoints"].to_numpy(np.int16),
        "edge_mx_state": np.array([mx_ix.get(s, -1) for s in edges["mx_state"]], dtype=np.int16),
        "edge_sector": edge_sector, "indptr": indptr, "out_edges": order,
        "node_kind": np.array([NODE_KINDS.index(k) for k in nodes["kind"]], dtype=np.int8),
        "node_sector": node_sector,
        "node_lat": nodes["lat"].to_numpy(np.float64),
        "node_lon": nodes["lon"].to_numpy(np.float64),
    }
    return Network(nodes=nodes, edges=edges, node_index=node_index, mx_states=mx_states,
                   **{k: _frozen(np.array(v)) for k, v in arr.items()})


def load_network_from(nodes_csv: Path | str, edges_csv: Path | str) -> Network:
    """Read, validate and compile a network from two CSV files (not cached)."""
    nodes = _parse_nodes(Path(nodes_csv))
    if nodes.empty:
        raise InputError("no nodes", file=str(nodes_csv), line=2, expected="at least one node row")
    edges = _parse_edges(Path(edges_csv), nodes)
    return _compile(nodes, edges)


@functools.lru_cache(maxsize=1)
def load_network() -> Network:
    """The bundled corridor network (package data), loaded once per process."""
    data = resources.files("borderflow.world") / "data"
    with resources.as_file(data / "nodes.csv") as nodes_csv, \
            resources.as_file(data / "edges.csv") as edges_csv:
        return load_network_from(nodes_csv, edges_csv)


ROLES = ("transfer_south",)


@functools.lru_cache(maxsize=1)
def node_roles() -> dict[str, tuple[str, ...]]:
    """Nodes that play a role in a mechanism (world/data/roles.csv): role -> node ids."""

    path = resources.files("borderflow.world") / "data" / "roles.csv"
    ids = set(load_network().nodes["id"])
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    with resources.as_file(path) as p, open(p, newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            if row.get("role") not in out:
                raise InputError(f"unknown role {row.get('role')!r}", file=str(p), line=line,
                                 field="role", expected=", ".join(ROLES))
            if row.get("node") not in ids:
                raise InputError(f"unknown node {row.get('node')!r}", file=str(p), line=line,
                                 field="node", expected="an id of nodes.csv")
            out[row["role"]].append(row["node"])
    return {k: tuple(v) for k, v in out.items()}
