"""Interface items: ``--version``, ``-h``, a run that starts before the driver data, and the
Python API's progress callback."""

from __future__ import annotations

import pytest

import borderflow
from borderflow.errors import InputError


def test_version(cli):
    code, out, _ = cli(["--version"])
    assert code == 0 and out.startswith("borderflow ") and out.split()[1][0].isdigit()


@pytest.mark.parametrize("args", [["-h"], ["run", "-h"], ["data", "-h"],
                                  ["scenario", "validate", "-h"]])
def test_short_help(cli, args):
    code, out, err = cli(args)
    assert code == 0, err
    assert "Usage" in out


@pytest.mark.parametrize("start", ["2010-01", "2018-12", "1999-01"])
def test_run_refuses_a_start_before_the_driver_data(cli, tmp_path, start):
    code, out, err = cli(["run", "--start", start, "--end", "2019-02", "--scale", "100",
                          "--out", "o"])
    assert code == 2, out + err
    assert "2019-01" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_ensemble_refuses_a_start_before_the_driver_data(cli, tmp_path):
    code, _, err = cli(["ensemble", "--start", "2010-01", "--end", "2019-02", "--runs", "1",
                        "--out", "o"])
    assert code == 2 and "2019-01" in err
    assert not (tmp_path / "o").exists()


def test_api_refuses_a_start_before_the_driver_data():
    with pytest.raises(InputError, match="2019-01"):
        borderflow.simulate("historical", start="2010-01", end="2019-02", scale=100)


def test_api_progress_callback():
    calls = []
    borderflow.simulate("historical", seed=0, scale=200, start="2019-01", end="2019-01",
                        progress=lambda day, days: calls.append((day, days)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
