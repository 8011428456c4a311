"""Results folders: borderflow replaces only folders it wrote (marked by MARKER), never the
working directory or a parent of it, and cleans up temporary folders of killed runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from borderflow.atomic import MARKER, _host, atomic_dir, atomic_path, clean_stale
from borderflow.errors import InputError

RUN = ["run", "--scale", "50", "--start", "2019-01", "--end", "2019-02"]


def _user_folder(root: Path) -> dict[str, str]:
    (root / "sub").mkdir(parents=True)
    (root / "keep").write_text("x")
    (root / "sub" / "notes.txt").write_text("mine")
    return _tree(root)


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_run_refuses_a_folder_it_did_not_write(cli, tmp_path):
    before = _user_folder(tmp_path / "d")
    code, out, err = cli([*RUN, "--out", "d"])
    assert code == 2, out + err
    assert "'d'" in err and MARKER in err and "--out" in err
    assert "Traceback" not in err
    assert _tree(tmp_path / "d") == before


@pytest.mark.parametrize("target", [".", "..", "{cwd}", "{cwd}/sub/..", "/"])
def test_run_refuses_the_working_directory_and_its_parents(cli, tmp_path, target):
    before = _user_folder(tmp_path)
    code, _, err = cli([*RUN, "--out", target.format(cwd=tmp_path)])
    assert code == 2
    assert "working directory" in err
    assert _tree(tmp_path) == before


def test_compare_refuses_a_folder_it_did_not_write(cli, tmp_path):
    before = _user_folder(tmp_path / "d")
    code, _, err = cli(["compare", "historical", "historical", "--runs", "1", "--out", "d"])
    assert code == 2 and "'d'" in err
    assert _tree(tmp_path / "d") == before


def test_results_folder_is_marked_and_replaced(tmp_path):
    out = tmp_path / "res"
    with atomic_dir(out) as tmp:
        (tmp / "a.txt").write_text("1")
    assert (out / MARKER).is_file() and (out / "a.txt").read_text() == "1"
    with atomic_dir(out) as tmp:
        (tmp / "b.txt").write_text("2")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["res"]     # no temp folders left


def test_empty_folder_may_be_used(tmp_path):
    (tmp_path / "res").mkdir()
    with atomic_dir(tmp_path / "res") as tmp:
        (tmp / "a.txt").write_text("1")
    assert (tmp_path / "res" / "a.txt").is_file()


@pytest.mark.parametrize("kind", ["file", "foreign"])
def test_atomic_dir_refuses_before_any_work(tmp_path, kind):
    target = tmp_path / "res"
    if kind == "file":
        target.write_text("data")
    else:
        target.mkdir()
        (target / "thesis.tex").write_text("years of work")
    with pytest.raises(InputError) as exc, atomic_dir(target):
        raise AssertionError("the body must not run")
    assert "res" in str(exc.value)
    assert target.exists()


def test_failed_write_leaves_the_old_results_and_no_temp(tmp_path):
    out = tmp_path / "res"
    with atomic_dir(out) as tmp:
        (tmp / "a.txt").write_text("1")
    with pytest.raises(RuntimeError), atomic_dir(out) as tmp:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("killed")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["res"]


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_stale_temp_folders_of_killed_runs_are_removed(tmp_path):
    host, dead = _host(), _dead_pid()
    stale_dir = tmp_path / f".res.bf-{host}-{dead}-k2j4h1"
    stale_file = tmp_path / f".table.csv.bf-{host}-{dead}-a8s7d6.tmp"
    stale_dir.mkdir()
    (stale_dir / "encounters.parquet").write_text("half")
    stale_file.write_text("half")
    live = tmp_path / f".res.bf-{host}-{subprocess.os.getppid()}-zz11zz"   # a live process
    other_host = tmp_path / f".res.bf-otherhost-{dead}-qq22qq"
    mine = tmp_path / ".res.backup"                                       # not our pattern
    for p in (live, other_host, mine):
        p.mkdir()
    with atomic_dir(tmp_path / "res") as tmp:
        (tmp / "a.txt").write_text("1")
    assert not stale_dir.exists()
    assert live.exists() and other_host.exists() and mine.exists()
    with atomic_path(tmp_path / "table.csv") as tmp:
        tmp.write_text("ok")
    assert not stale_file.exists()
    assert clean_stale(tmp_path) == []
