"""On-disk layout of an ensemble, written so that an interrupted run resumes.

``DIR/members/<scenario_hash>-<i>.nc``  one file per member, written atomically
``DIR/ensemble.nc``                     all members stacked along ``member``
``DIR/manifest.json``                   written last: the ensemble is complete

A member file carries its entropy, scale and version in its attributes; a
member written for another seed, scale or version is never silently reused.
"""

from __future__ import annotations

import json
from pathlib import Path

import xarray as xr

from borderflow.atomic import atomic_path, write_text_atomic
from borderflow.errors import InputError

ENGINE = "netcdf4"
IDENTITY = ("scenario_hash", "entropy", "scale", "version")


def member_path(out_dir: str | Path, scenario_hash: str, i: int) -> Path:
    return Path(out_dir) / "members" / f"{scenario_hash}-{i}.nc"


#: CF time units of the ``time`` axis and its bounds (month starts are whole days)
TIME_ENCODING = {"units": "days since 1970-01-01 00:00:00", "calendar": "proleptic_gregorian",
                 "dtype": "int32"}


def _encoding(ds: xr.Dataset) -> dict:
    enc = {v: {"zlib": True, "complevel": 4} for v in ds.data_vars if ds[v].ndim > 0}
    for name in ("time", "time_bounds"):
        if name in ds.variables:
            enc[name] = dict(TIME_ENCODING)
    return enc


def write_member(ds: xr.Dataset, path: Path) -> None:
    """Write one member's dataset atomically (complete or absent)."""
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE, encoding=_encoding(ds))


def read_member(path: Path, expect: dict) -> xr.Dataset | None:
    """Load a finished member, or ``None`` if absent or unreadable (re-run it).

    A readable member from a different seed/scale/version is an error: the
    folder belongs to another ensemble."""
    if not path.exists():
        return None
    try:
        ds = xr.load_dataset(path, engine=ENGINE)
    except (OSError, ValueError, RuntimeError):
        return None
    for k in IDENTITY:
        if str(ds.attrs.get(k)) != str(expect[k]):
            raise InputError(
                f"{path} was written by another ensemble ({k}={ds.attrs.get(k)!r}, "
                f"this run has {expect[k]!r})", field="--out",
                expected="an empty folder or one holding this same ensemble")
    return ds


def write_dataset(ds: xr.Dataset, path: Path) -> None:
    with atomic_path(path) as tmp:
        ds.to_netcdf(tmp, engine=ENGINE, encoding=_encoding(ds))


def write_manifest(out_dir: str | Path, manifest: dict) -> Path:
    path = Path(out_dir) / "manifest.json"
    write_text_atomic(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def read_manifest(out_dir: str | Path) -> dict | None:
    path = Path(out_dir) / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def open_ensemble(path: str | Path) -> xr.Dataset:
    """Load ``DIR/ensemble.nc`` (or the file itself)."""
    path = Path(path)
    if path.is_dir():
        path = path / "ensemble.nc"
    if not path.exists():
        raise InputError(f"no ensemble at {path}", field="path",
                         expected="a folder written by 'borderflow ensemble'")
    return xr.load_dataset(path, engine=ENGINE)
