"""Atomic writes: a result file is either complete or absent, never half written.

Temporary files and folders are made beside their target, named
``.<target>.bf-<host>-<pid>-<random>`` (files end in ``.tmp``), so that one left behind by a
killed process can be recognised: the next atomic write into the same folder removes those
of this host whose process is no longer alive (:func:`clean_stale`).

A results folder (:func:`atomic_dir`) carries a marker file, :data:`MARKER`.  An existing
folder is replaced only when it is empty or carries the marker, i.e. when borderflow wrote
it; the working directory and its parents are never replaced (:func:`check_results_dir`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from borderflow.errors import InputError

#: file written into every results folder borderflow writes
MARKER = ".borderflow-results"
_STALE = re.compile(r"^\..+\.bf-(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)-[A-Za-z0-9_]+(\.tmp)?$")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:32] or "host"


def _prefix(target: Path) -> str:
    return f".{target.name}.bf-{_host()}-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True      # exists, owned by someone else (or cannot tell): leave it
    return True


def clean_stale(parent: str | os.PathLike) -> list[Path]:
    """Remove temporary files and folders left in ``parent`` by killed borderflow processes
    of this host (our naming pattern, process not alive); returns what was removed."""
    parent = Path(parent)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    host = _host()
    for entry in entries:
        m = _STALE.match(entry.name)
        if m is None or m["host"] != host or _alive(int(m["pid"])):
            continue
        path = Path(entry.path)
        with suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def check_results_dir(target: str | os.PathLike, what: str = "--out") -> Path:
    """Refuse a results folder that borderflow may not replace: the working directory or a
    parent of it, a file, or a non-empty folder without the :data:`MARKER` file."""
    target = Path(target)
    resolved = target.resolve()
    cwd = Path.cwd().resolve()
    if cwd == resolved or resolved in cwd.parents:
        raise InputError(f"'{target}' is the working directory or a parent of it; a results "
                         "folder is replaced as a whole", field=what,
                         expected="a new folder or one borderflow wrote, e.g. results/run1")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise InputError(f"'{target}' exists and is not a folder", field=what,
                         expected="a new folder or one borderflow wrote")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise InputError(f"folder '{target}' is not empty and was not written by borderflow "
                         f"(no {MARKER} file); it would be replaced", field=what,
                         expected="a new or empty folder, or one borderflow wrote")
    return target


def _existing_ancestor(path: Path) -> Path:
    """``path`` itself if it exists, else its nearest existing parent."""
    p = path
    while not (p.exists() or p.is_symlink()) and p.parent != p:
        p = p.parent
    return p


def _cannot_write(target: Path, exc: OSError, what: str | None) -> InputError:
    """The error for a folder that cannot be made or written in, from the OS error."""
    where = _existing_ancestor(target)
    if where.exists() and not where.is_dir():
        why = f"'{where}' is a file, not a folder"
    else:
        why = f"cannot write in '{where}' ({exc.strerror or exc})"
    return InputError(f"cannot write '{target}': {why}", field=what,
                      expected="a path in a folder you can write in")


def check_writable(target: str | os.PathLike, what: str = "--out", *,
                   kind: str = "replace") -> Path:
    """Refuse, before any work, an output that cannot be written.

    ``kind``: ``"replace"`` for a results folder replaced as a whole (also
    :func:`check_results_dir`), ``"folder"`` for a folder written into (new or existing,
    e.g. one resumed) and ``"file"`` for a single file.  A real probe follows the rules:
    a temporary file is made and deleted in the folder that will be written in (the
    target folder itself when it exists and is written into, else the nearest existing
    parent), so that a read-only or immutable folder, or a file in the way
    (``--out somefile/x``), is found now rather than after a long run."""
    target = Path(target)
    if kind == "replace":
        check_results_dir(target, what)
    elif kind == "folder":
        if target.exists() and not target.is_dir():
            raise InputError(f"'{target}' exists and is not a folder", field=what,
                             expected="a new folder or an existing one to write in")
    elif kind == "file":
        if target.is_dir():
            raise InputError(f"'{target}' is a folder", field=what, expected="a file name")
    else:
        raise ValueError(f"unknown kind {kind!r}")
    start = target if kind == "folder" else target.parent
    where = _existing_ancestor(start)
    if not where.is_dir():
        raise InputError(f"cannot write '{target}': '{where}' is a file, not a folder",
                         field=what, expected="a path whose parent folders are folders")
    try:
        fd, probe = tempfile.mkstemp(prefix=_prefix(target), suffix=".tmp", dir=where)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"cannot write in '{where}' ({exc.strerror or exc})", field=what,
                         expected="a folder you can write in") from None
    return target


def _prepare(target: Path, what: str | None = None) -> None:
    """Make the parent folder of ``target``; a path that cannot be made is an InputError."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(target, exc, what) from None


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success move it into place."""
    target = Path(target)
    _prepare(target)
    clean_stale(target.parent)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc, None) from None
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)          # mkstemp makes 0600; results are ordinary files
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: str | os.PathLike, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


@contextmanager
def atomic_dir(target: str | os.PathLike, what: str = "--out") -> Iterator[Path]:
    """Yield a temporary directory beside ``target``; on success it replaces ``target``.

    ``target`` must be new, empty or a results folder borderflow wrote
    (:func:`check_results_dir`, checked before and after the work); the new folder gets the
    :data:`MARKER` file."""
    target = check_results_dir(target, what)
    _prepare(target, what)
    clean_stale(target.parent)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=_prefix(target), dir=target.parent))
    except OSError as exc:
        raise _cannot_write(target, exc, what) from None
    old = None
    try:
        yield tmp
        (tmp / MARKER).write_text("results folder written by borderflow; borderflow may "
                                  "replace it as a whole\n", encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())      # mkdtemp makes 0700
        check_results_dir(target, what)       # it may have changed while we worked
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=_prefix(target), dir=target.parent))
            os.replace(target, old / "old")
        try:
            os.replace(tmp, target)
        except OSError:
            if old is not None:
                os.replace(old / "old", target)   # put the previous results back
            raise
    finally:
        for leftover in (tmp, old):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover, ignore_errors=True)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
