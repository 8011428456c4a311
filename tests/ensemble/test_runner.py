"""Determinism across executors and resume after an interrupted run."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import xarray as xr

from borderflow.ensemble import store
from borderflow.ensemble.runner import RunSpec, SequentialExecutor, make_executor, run_ensemble
from borderflow.errors import InputError
from borderflow.scenario import scenario_hash

RUNS, SEED, SCALE = 4, 11, 200


@pytest.fixture(scope="module")
def reference(small_sc, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref")
    ds = run_ensemble(
        RunSpec(small_sc, runs=RUNS, seed=SEED, scale=SCALE, executor=SequentialExecutor()), out
    )
    return ds, out


def test_dataset_layout(reference, small_sc):
    ds, out = reference
    assert list(ds.member.values) == list(range(RUNS))
    assert ds["usbp_by_sector"].dims == ("member", "month", "sector")
    assert ds.attrs["scenario_hash"] == scenario_hash(small_sc)
    assert ds.attrs["entropy"] == str(SEED) and ds.attrs["scale"] == SCALE
    assert "version" in ds.attrs and ds.attrs["scenario"] == "historical"
    assert (out / "ensemble.nc").exists() and (out / "manifest.json").exists()
    xr.testing.assert_identical(store.open_ensemble(out), ds)
    # members differ from each other (different streams) but are reproducible
    assert len({tuple(v) for v in ds["usbp_encounters"].values.tolist()}) > 1


def test_processes_equal_sequential(reference, small_sc, tmp_path):
    """2 local processes (spawn) give the same dataset as one in-process worker."""
    with make_executor(2) as ex:
        ds = run_ensemble(RunSpec(small_sc, runs=RUNS, seed=SEED, scale=SCALE, executor=ex), tmp_path)
    xr.testing.assert_identical(ds, reference[0])
    # completion order does not matter: threads finishing in any order, no out_dir
    with ThreadPoolExecutor(3) as ex:
        mem = run_ensemble(RunSpec(small_sc, runs=RUNS, seed=SEED, scale=SCALE, executor=ex))
    xr.testing.assert_equal(mem, reference[0])


def test_resume_skips_finished_members(reference, small_sc, tmp_path):
    ref, out = reference
    h = scenario_hash(small_sc)
    for i in (0, 2):   # a half-finished folder: two member files, no manifest
        (tmp_path / "members").mkdir(exist_ok=True)
        (tmp_path / "members" / f"{h}-{i}.nc").write_bytes(
            store.member_path(out, h, i).read_bytes())
    calls = []

    class Counting(SequentialExecutor):
        def submit(self, fn, /, *args, **kwargs):
            calls.append(args[1])
            return super().submit(fn, *args, **kwargs)

    ds = run_ensemble(RunSpec(small_sc, runs=RUNS, seed=SEED, scale=SCALE, executor=Counting()), tmp_path)
    assert sorted(calls) == [1, 3]
    xr.testing.assert_identical(ds, ref)
    # a folder of another ensemble (other seed) is refused, not mixed in
    with pytest.raises(InputError, match="another ensemble"):
        run_ensemble(RunSpec(small_sc, runs=RUNS, seed=SEED + 1, scale=SCALE, executor=Counting()), tmp_path)


def test_killed_cli_resumes_to_identical_dataset(small_sc, tmp_path):
    """SIGKILL the whole CLI process group after the first member file, rerun, compare."""
    runs = 8
    args = [sys.executable, "-m", "borderflow.cli", "ensemble", "historical", "--runs", str(runs),
            "--workers", "1", "--seed", str(SEED), "--scale", "100", "--start", "2019-01",
            "--end", "2019-03", "--out", str(tmp_path / "ens")]
    members = tmp_path / "ens" / "members"
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if members.exists() and any(p.suffix == ".nc" for p in members.iterdir()):
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = sorted(p.name for p in members.glob("*.nc"))
    assert 1 <= len(done_before) < runs
    assert not (tmp_path / "ens" / "manifest.json").exists()
    rerun = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    got = store.open_ensemble(tmp_path / "ens")
    manifest = store.read_manifest(tmp_path / "ens")
    assert manifest["resumed_members"] == len(done_before)
    # the command's members draw from the shipped calibration's plausible trials
    from borderflow.validate.origin import shipped_fitted
    from borderflow.validate.parameters import scenario_draws

    want = run_ensemble(
        RunSpec(small_sc, runs=runs, seed=SEED, scale=100, executor=SequentialExecutor(),
                draws=scenario_draws(small_sc, shipped_fitted().draws)),
        tmp_path / "fresh",
    )
    assert got.attrs["parameter_draws"] >= 2
    xr.testing.assert_identical(got, want)
    assert not [p for p in members.iterdir() if p.name.startswith(".")]  # no temp files left


def test_bad_input(small_sc):
    with pytest.raises(InputError):
        run_ensemble(RunSpec(small_sc, runs=0, scale=10))
    with pytest.raises(InputError):
        run_ensemble(RunSpec(small_sc, runs=2, scale=0))
    with pytest.raises(InputError):
        with make_executor(2, backend="mpi"):
            pass


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2, 4])
def test_1_2_4_local_workers_identical(reference, small_sc, workers):
    ds = run_ensemble(RunSpec(small_sc, runs=RUNS, seed=SEED, scale=SCALE, workers=workers))
    xr.testing.assert_equal(ds, reference[0])
    assert ds.attrs == reference[0].attrs


@pytest.mark.slow
def test_dask_local_cluster_identical(reference, small_sc, tmp_path):
    pytest.importorskip("distributed")
    ds = run_ensemble(
        RunSpec(small_sc, runs=RUNS, seed=SEED, scale=SCALE, workers=2), tmp_path, backend="dask"
    )
    xr.testing.assert_identical(ds, reference[0])


@pytest.mark.slow
def test_dask_scheduler_address_identical(reference, small_sc):
    """The --scheduler path: connect to a separately started cluster by address."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        ds = run_ensemble(
            RunSpec(
                small_sc, runs=RUNS, seed=SEED, scale=SCALE, scheduler=cluster.scheduler_address
            )
        )
    xr.testing.assert_equal(ds, reference[0])


def test_cli_help_lists_commands():
    from typer.testing import CliRunner

    from borderflow.cli import _register, app

    _register()
    out = CliRunner().invoke(app, ["--help"]).output
    for cmd in ("ensemble", "sensitivity", "explore"):
        assert cmd in out
    assert Path(__file__).exists()
