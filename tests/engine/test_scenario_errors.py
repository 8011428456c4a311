"""Bad scenarios: exit code 2, one screen, the field named, no traceback."""

import subprocess
import sys

import pytest

from borderflow.errors import InputError
from borderflow.scenario import load_scenario, parse_scenario

GOOD = """schema_version: 1
id: tiny
title: Tiny
start: "2019-01"
end: "2019-03"
"""

BAD = {
    "unknown_lever": (GOOD + "levers:\n  mx_magic: 2\n", "mx_magic"),
    "bad_month": (GOOD.replace('"2019-03"', '"2019-13"'), "end"),
    "end_before_start": (GOOD.replace('"2019-03"', '"2018-03"'), "before start"),
    "extra_key": (GOOD + "colour: red\n", "colour"),
    "bad_lever_key": (GOOD + "levers:\n  us_title42: {Atlantis: 1}\n", "Atlantis"),
    "out_of_bounds": (GOOD + "levers:\n  us_release_rate: 3\n", "us_release_rate"),
    "timeline_unknown_lever": (GOOD + "timeline:\n  - {date: 2019-02-01, lever: nope, value: 1, "
                               "source: somewhere}\n", "nope"),
    "timeline_no_source": (GOOD + "timeline:\n  - {date: 2019-02-01, lever: us_mpp_share, "
                           "value: 0.1}\n", "source"),
    "yaml_syntax": (GOOD + "levers: [unclosed\n", "YAML"),
    "not_a_mapping": ("- just\n- a list\n", "mapping"),
    "bad_schema_version": (GOOD.replace("schema_version: 1", "schema_version: 7"),
                           "schema_version"),
    "parameter_unknown": (GOOD + "parameters:\n  warp: {value: 1, source: x}\n", "warp"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_parse_errors_name_the_field(name):
    text, needle = BAD[name]
    with pytest.raises(InputError) as exc:
        parse_scenario(text, origin=f"{name}.yaml")
    assert needle in str(exc.value)
    assert f"{name}.yaml" in str(exc.value)


@pytest.mark.parametrize("name", ["unknown_lever", "yaml_syntax", "bad_lever_key"])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_cli_exit_code_2(tmp_path, name, command):
    path = tmp_path / f"{name}.yaml"
    path.write_text(BAD[name][0])
    args = (["scenario", "validate", str(path)] if command == "validate"
            else ["run", str(path), "--out", str(tmp_path / "out")])
    proc = subprocess.run([sys.executable, "-m", "borderflow.cli", *args], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert BAD[name][1] in proc.stderr
    assert len(proc.stderr.splitlines()) < 25
    assert not (tmp_path / "out").exists()


def test_good_scenario_validates(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD)
    proc = subprocess.run([sys.executable, "-m", "borderflow.cli", "scenario", "validate",
                           str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_bundled_historical_is_sourced():
    sc = load_scenario("historical")
    assert all(len(e.source) > 10 for e in sc.timeline)
    levers = {e.lever for e in sc.timeline}
    assert {"us_title42", "us_mpp_share", "mx_checkpoint_staff", "us_port_daily_cap",
            "mx_visa_required"} <= levers


def test_schema_export():
    proc = subprocess.run([sys.executable, "-m", "borderflow.cli", "scenario", "schema"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and '"timeline"' in proc.stdout


@pytest.mark.parametrize("args", [["run", "--scale", "0"], ["nosuch"], ["compare", "historical"],
                                  ["run", "--start", "2019-13", "--scale", "100"],
                                  ["run", "no_such_scenario"]])
def test_usage_errors_exit_2_without_traceback(args):
    proc = subprocess.run([sys.executable, "-m", "borderflow.cli", *args], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
