"""Hostile input is refused before any computation: exit code 2 and one message that names
the field and the allowed values, never a traceback, nothing written (docs/refusals.md)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from borderflow.api import simulate
from borderflow.errors import InputError
from borderflow.scenario import load_scenario, parse_scenario

GOOD = 'id: t\ntitle: T\nstart: "2019-01"\nend: "2019-06"\n'
EVENT = "  - {date: 2019-02-01, lever: us_release_rate, value: 0.5, source: somewhere}\n"


def refused(result, *needles: str) -> str:
    """Assert exit code 2, one short message without a traceback, holding ``needles``."""
    code, out, err = result
    assert code == 2, out + err
    assert "Traceback" not in out + err
    assert err.startswith("error:"), err
    assert len(err.strip().splitlines()) <= 3, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


# ---- 1. YAML alias bomb ----------------------------------------------------------------------

def _bomb(path: Path) -> Path:
    """About 1 MB: 10,000 aliases of one 900 kB string (9 GB once expanded)."""
    path.write_text(GOOD + f'question: &s "{"x" * 900_000}"\nsources: ['
                    + ", ".join(["*s"] * 10_000) + "]\n")
    assert path.stat().st_size < 1_000_000
    return path


@pytest.mark.parametrize("command", ["validate", "run"])
def test_alias_bomb_is_refused_when_loaded(cli, tmp_path, command):
    path = _bomb(tmp_path / "bomb.yaml")
    args = (["scenario", "validate", path] if command == "validate"
            else ["run", path, "--scale", "400", "--out", tmp_path / "o"])
    refused(cli(args), "bomb.yaml", "field 'sources'", "once its aliases", "100,000 nodes",
            "2,000,000 characters")
    assert not (tmp_path / "o").exists()


def test_alias_graphs_are_measured_without_expanding():
    from borderflow.scenario.load import MAX_NODES

    # a billion-node list from nine nested anchors: measured at once, refused
    nested = "&a0 [x, x, x, x, x, x, x, x, x, x]"
    for k in range(1, 10):
        nested = f"&a{k} [{nested}, " + ", ".join([f"*a{k - 1}"] * 9) + "]"
    with pytest.raises(InputError, match="once its aliases") as exc:
        parse_scenario(GOOD + f"sources: {nested}\n", origin="nest.yaml")
    assert f"{MAX_NODES:,}" in str(exc.value) and "nest.yaml" in str(exc.value)
    # an alias inside its own anchor never ends
    with pytest.raises(InputError, match="contains it"):
        parse_scenario(GOOD + "sources: &a [x, *a]\n", origin="loop.yaml")
    # a chain of anchors nests deeper than 32 levels once expanded
    chain = "".join(f"q{k}: &c{k} [*c{k - 1}]\n" for k in range(1, 40))
    with pytest.raises(InputError, match="levels deep"):
        parse_scenario(GOOD + "q0: &c0 [x]\n" + chain, origin="deep.yaml")


def test_small_aliases_and_bundled_scenarios_still_load():
    sc = parse_scenario(GOOD + "levers: {origin_shock: &o {Cuba: 1.5}, us_bp_posture: 1}\n"
                        "sources: &s [a, b]\n")
    assert sc.levers["origin_shock"] == {"Cuba": 1.5}
    assert load_scenario("historical").id == "historical"


# ---- 2. seeds and scales ---------------------------------------------------------------------

COMMANDS = {
    "run": ["run"], "compare": ["compare", "historical", "historical"],
    "ensemble": ["ensemble"], "forecast": ["forecast"], "calibrate": ["calibrate"],
    "validate": ["validate"], "sensitivity": ["sensitivity"], "explore": ["explore"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("option,value,needle", [
    ("--seed", "-1", "0 to 4294967295"), ("--seed", str(2**32), "0 to 4294967295"),
    ("--scale", "0", "1 to 100,000"), ("--scale", "99999999999999999999", "1 to 100,000"),
    ("--scale", "1000000000", "1 to 100,000")])
def test_seed_and_scale_ranges(cli, tmp_path, command, option, value, needle):
    refused(cli([*COMMANDS[command], option, value, "--out", tmp_path / "o"]),
            f"field '{option}'", needle)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("args", [
    ["run", "--start", "2019-01", "--end", "2019-01"],
    ["ensemble", "--start", "2019-01", "--end", "2019-01", "--runs", "1"],
    ["compare", "historical", "mexico_surge", "--runs", "1"]])
def test_a_scale_that_leaves_too_few_agents(cli, tmp_path, args):
    scale = "60000" if "compare" not in args else "99000"
    err = refused(cli([*args, "--scale", scale, "--out", tmp_path / "o"]), "field '--scale'",
                  "agents", "fewer than 100", "a scale from 1 to")
    largest = int(err.split("a scale from 1 to ")[1].split()[0].replace(",", ""))
    assert 1 < largest < int(scale)
    assert not (tmp_path / "o").exists()


def test_agent_estimate_is_cheap_and_close():
    import time

    from borderflow.cli import expected_people

    sc = load_scenario("historical").with_span("2019-01", "2019-06")
    t0 = time.perf_counter()
    people = expected_people(sc)
    assert time.perf_counter() - t0 < 10
    agents = simulate(sc, seed=0, scale=400).raw.agents
    # 1,694 against 2,260 agents: the loop's feedback (the release and port paroles
    # compatriots see, the networks) moves the departures the estimate takes at the start
    assert 0.7 < people / 400 / agents < 1.3


# ---- 3. forecast origin and horizon ----------------------------------------------------------

@pytest.mark.parametrize("args,needles", [
    (["--from", "1990-01"], ["field '--from'", "from 2020-01 to", "2019-01"]),
    (["--from", "2018-06"], ["field '--from'", "from 2020-01 to", "12 observed months"]),
    (["--from", "2030-01"], ["field '--from'", "last observed month"]),
    (["--from", "2019-13"], ["field '--from'", "YYYY-MM"]),
    (["--months", "100000"], ["field '--months'", "1 to 36"]),
    (["--months", "0"], ["field '--months'", "1 to 36"]),
    (["--from", "2019-09", "--warmup", "300"], ["field '--warmup'", "at most 236 months"]),
    (["--errors", "empirica"], ["field '--errors'", "did you mean 'empirical'"]),
    (["--projection", "trnd"], ["field '--projection'", "did you mean 'trend'"])])
def test_forecast_refuses_origins_and_horizons(cli, tmp_path, args, needles):
    refused(cli(["forecast", *args, "--out", tmp_path / "o"]), *needles)
    assert not (tmp_path / "o").exists()


# ---- 4. outputs that cannot be written -------------------------------------------------------

OUT_COMMANDS = {
    "run": ["run", "--scale", "400"], "compare": ["compare", "historical", "historical"],
    "ensemble": ["ensemble"], "forecast": ["forecast"], "validate": ["validate"],
    "calibrate": ["calibrate"], "sensitivity": ["sensitivity"], "explore": ["explore"],
    "data export": ["data", "export"]}


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_out_under_a_file_is_refused(cli, tmp_path, command):
    (tmp_path / "somefile").write_text("mine\n")
    refused(cli([*OUT_COMMANDS[command], "--out", "somefile/x"]), "somefile",
            "is a file, not a folder")
    assert (tmp_path / "somefile").read_text() == "mine\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders")
@pytest.mark.parametrize("command", ["run", "forecast", "ensemble"])
def test_out_in_a_read_only_folder_is_refused(cli, tmp_path, command):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        refused(cli([*OUT_COMMANDS[command], "--out", ro / "x"]), "cannot write in", "ro")
    finally:
        ro.chmod(0o755)
    assert list(ro.iterdir()) == []


def test_check_writable_kinds(tmp_path):
    from borderflow.atomic import MARKER, check_writable

    (tmp_path / "f").write_text("x")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "mine.txt").write_text("x")
    with pytest.raises(InputError, match="is a folder"):
        check_writable(tmp_path / "d", "--out", kind="file")
    with pytest.raises(InputError, match="not a folder"):
        check_writable(tmp_path / "f", "--out", kind="folder")
    with pytest.raises(InputError, match="not written by borderflow"):
        check_writable(tmp_path / "d", "--out", kind="replace")
    with pytest.raises(InputError, match="'.*f' is a file"):
        check_writable(tmp_path / "f" / "a" / "b", "--out", kind="folder")
    check_writable(tmp_path / "d", "--out", kind="folder")           # written into
    check_writable(tmp_path / "new" / "deeper", "--out", kind="replace")
    check_writable(tmp_path / "new" / "x.json", "--out", kind="file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "f"]   # the probe is gone
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["mine.txt"]
    assert MARKER not in os.listdir(tmp_path / "d")


# ---- 5. timeline events, near misses, date formats -------------------------------------------

@pytest.mark.parametrize("text,needles", [
    (GOOD + "timeline:\n" + EVENT.replace("value: 0.5", "value: 0.5, keys: []"),
     ["timeline.0.keys", "keys []", "nationality"]),
    (GOOD + "timeline:\n" + EVENT.replace("value: 0.5", "value: 0.5, keys: Cuba"),
     ["timeline.0.keys", "[Cuba]"]),
    (GOOD + "timeline:\n" + EVENT.replace("source: somewhere", "source: '      '"),
     ["timeline.0.source", "other than spaces"]),
    (GOOD + "parameters: {gdp_elasticity: {value: 1, source: '  '}}\n",
     ["parameters.gdp_elasticity.source", "other than spaces"]),
    (GOOD + "levers: {mx_checkpoint_staf: 1}\n", ["did you mean 'mx_checkpoint_staff'"]),
    (GOOD + "timeline:\n" + EVENT.replace("us_release_rate", "mx_checkpoint_staf"),
     ["timeline.0.lever", "did you mean 'mx_checkpoint_staff'"]),
    (GOOD + "timeline:\n" + EVENT.replace("value: 0.5", "value: 0.5, keys: [Hondura]"),
     ["timeline.0.keys", "did you mean 'Honduras'"]),
    (GOOD + "levers: {us_bp_posture: {San Diego: 1.2}}\n", ["did you mean 'San Diego, CA'"]),
    (GOOD + "parameters: {gdp_elasticit: {value: 1, source: x}}\n",
     ["did you mean 'gdp_elasticity'"]),
    (GOOD + "timelin: []\n", ["did you mean 'timeline'"]),
    ("base: historicl\n" + GOOD, ["field 'base'", "did you mean 'historical'"]),
    (GOOD + "timeline:\n" + EVENT.replace("2019-02-01", "2019/02/01"),
     ["timeline.0.date", "expected YYYY-MM-DD"]),
    (GOOD + "timeline:\n" + EVENT.replace("2019-02-01", "2019"),
     ["timeline.0.date", "expected YYYY-MM-DD"]),
    (GOOD + "timeline:\n" + EVENT.replace("2019-02-01", "2019-02-01T10:00:00"),
     ["timeline.0.date", "time of day", "expected YYYY-MM-DD"]),
    (GOOD.replace('"2019-01"', "2019-01-01"), ["field 'start'", "expected YYYY-MM"]),
    (GOOD + "drivers: {cut_at: 201901}\n", ["drivers.cut_at", "expected YYYY-MM"])])
def test_scenario_problems_name_the_field_and_the_form(text, needles):
    with pytest.raises(InputError) as exc:
        parse_scenario(text, origin="s.yaml")
    for needle in needles:
        assert needle in str(exc.value), (needle, str(exc.value))


@pytest.mark.parametrize("args,needle", [
    (["run", "historcal"], "did you mean 'historical'"),
    (["ensemble", "--backend", "proceses"], "did you mean 'processes'"),
    (["sensitivity", "--method", "sobl"], "did you mean 'sobol'"),
    (["explore", "--outcome", "death"], "did you mean 'deaths'"),
    (["validate", "--mode", "refi"], "did you mean 'refit'")])
def test_near_misses_on_the_command_line(cli, tmp_path, args, needle):
    refused(cli([*args, "--out", tmp_path / "o"]), needle)
    assert not (tmp_path / "o").exists()


OVERLAP = (GOOD + "timeline:\n"
           "  - {date: 2019-02-01, lever: us_release_rate, value: 0.8, source: somewhere}\n"
           "  - {date: 2019-03-01, end: 2019-04-01, lever: us_release_rate, op: multiply,\n"
           "     value: 1.5, keys: [Cuba], source: somewhere}\n")


def test_overlapping_events_held_in_the_domain_are_warned_about(cli, tmp_path):
    (tmp_path / "ov.yaml").write_text(OVERLAP)
    code, out, err = cli(["scenario", "validate", "ov.yaml"])
    assert code == 0 and "ok" in out
    assert "warning:" in err and "2019-03-01" in err and "2019-02-01" in err
    assert "held at 1" in err and "31 days" in err
    code, out, err = cli(["scenario", "validate", "historical"])     # no overlap held
    assert code == 0 and "warning" not in err


def test_the_overlap_record_leaves_the_levers_unchanged():
    from borderflow.engine.calendar import make_calendar, shift_month
    from borderflow.engine.levers import resolve_levers
    from borderflow.engine.overlaps import clipped_overlaps

    for sc in (parse_scenario(OVERLAP), load_scenario("historical")):
        cal = make_calendar(shift_month(sc.start, -4), sc.end)
        plain, seen = resolve_levers(sc, cal), []
        noted = resolve_levers(sc, cal, clipped=seen)
        assert all(np.array_equal(plain[k], noted[k]) for k in plain)
    from borderflow.scenario.calibrated import shipped_parameters

    assert clipped_overlaps(load_scenario("historical"), shipped_parameters()) == []
    (entry,) = clipped_overlaps(parse_scenario(OVERLAP), shipped_parameters())
    assert entry["event"] == 1 and entry["earlier"] == [0] and entry["at"] == [1.0]


def test_valid_scenarios_keep_their_hash():
    from borderflow.scenario import scenario_hash

    text = ("base: historical\nid: t\ntitle: T\ntimeline:\n  - {date: 2019-02-01T00:00:00, "
            "end: 2019-03-01, lever: us_mpp_share, value: 0.1, source: somewhere}\n")
    assert scenario_hash(parse_scenario(text)) == scenario_hash(
        parse_scenario(text.replace("2019-02-01T00:00:00", "2019-02-01")))


# ---- 6. piped and logged output --------------------------------------------------------------

def test_plain_progress_lines_without_a_terminal():
    from borderflow.cli import PlainProgress, progress_bar

    console = Console(record=True, width=80, force_terminal=False)
    bar = progress_bar(console, label="run: day")
    assert isinstance(bar, PlainProgress)
    with bar:
        task = bar.add_task("x", total=None)
        for day in range(30, 2161, 30):
            bar.update(task, completed=day, total=2160)
    lines = console.export_text().splitlines()
    assert lines[0] == "run: day 30/2160" and lines[-1] == "run: day 2160/2160"
    assert 9 <= len(lines) <= 12


def test_run_prints_progress_lines_when_piped(cli, tmp_path):
    code, out, err = cli(["run", "--start", "2019-01", "--end", "2019-01", "--scale", "400",
                          "--out", "o", "--no-report"])
    assert code == 0, err
    days = [line for line in err.splitlines() if line.startswith("run: day ")]
    assert len(days) >= 3 and days[-1].split()[-1].split("/")[0] == days[-1].split("/")[-1]


def _summary() -> pd.DataFrame:
    from borderflow.compare import metrics  # noqa: F401  (the metric names come from there)

    names = ["USBP encounters", "encounters San Diego, CA", "Mexico transferred south",
             "expected deaths per 100,000 crossings", "Mexican effort: months above 1.2x",
             "mean smuggling fee (USD)"]
    return pd.DataFrame({"metric": names,
                         "a_median": [10_682_716.0, 348_000, 29_000, 34.1, 2, np.nan],
                         "b_median": [3_032_000.0, 298_750, 30_000, 40.2, 2, 7059],
                         "diff_median": [-7_650_716.0, -49_250, 1000, 5.7, 0, np.nan],
                         "diff_p10": [-7_700_100.0, -55_450, -1800, 5.52, 0, np.nan],
                         "diff_p90": [-7_600_900.0, -43_050, 3800, 5.88, 0, np.nan],
                         "pct_change": [-71.6, -14.2, 3.4, 16.7, 0.0, np.nan]})


def test_compare_table_never_wraps_a_number_at_80_columns():
    from borderflow.cli_compare import compare_table

    table = compare_table(_summary(), "historical", "deportation_push_no_agreements",
                          "2021-01..2022-12", 2, 500)
    console = Console(width=80, record=True, color_system=None)
    console.print(table)
    lines = console.export_text().splitlines()
    assert max(map(len, lines)) <= 80
    for name in _summary()["metric"]:
        k = lines.index(name)                     # the name whole, on a line of its own
        numbers = lines[k + 1].split()
        assert numbers[0][0].isdigit() or numbers[0] == "–"
    assert "-7,700,100 .. -7,600,900" in "\n".join(lines)
    assert "A = historical, B = deportation_push_no_agreements" in lines
    wide = Console(width=160, record=True, color_system=None)
    wide.print(table)
    rows = wide.export_text().splitlines()
    assert any(r.strip().startswith("USBP encounters") and "10,682,716" in r for r in rows)


# ---- 7. forecast folder names ----------------------------------------------------------------

def test_forecast_folders_are_named_by_their_inputs():
    from borderflow.validate.cli import _forecast_dir
    from borderflow.validate.forecast import ForecastSpec, RunSpec

    sc = load_scenario("historical")
    base = dict(start="2024-02", months=12, runs=20, scale=50, seed=0, warmup=None,
                errors="empirical", projection=None, assimilate=None, particles=64)

    def _forecast_dir_of(start, months, runs, scale, seed, warmup, errors, projection,
                         assimilate, particles):
        return _forecast_dir(RunSpec(sc, runs=runs, scale=scale, seed=seed),
                             ForecastSpec(start, months, warmup=warmup, error_model=errors,
                                          projection=projection, assimilate=assimilate,
                                          particles=particles))

    name = _forecast_dir_of(**base)
    assert name.startswith("results/forecast-historical-")
    assert name.endswith("-2024-02-m12-r20-x50-seed0")
    variants = [dict(start="2023-02"), dict(months=6), dict(runs=10), dict(scale=100),
                dict(seed=1), dict(warmup=12), dict(errors="none"), dict(projection="trend"),
                dict(assimilate=True)]
    names = {_forecast_dir_of(**{**base, **v}) for v in variants}
    assert len(names) == len(variants) and name not in names
    assert _forecast_dir_of(**{**base, "assimilate": True}).endswith("-assim64")


def test_forecast_command_writes_to_its_named_folder(cli, tmp_path, monkeypatch):
    """The command's default folder, without running a forecast."""
    from borderflow.report import forecast as report_forecast
    from borderflow.validate import forecast as fc

    table = pd.DataFrame({"month": ["2024-02"], "breakdown": ["total"], "key": ["total"],
                          "median": [1.0], "p10": [1.0], "p90": [1.0], "p025": [1.0],
                          "p975": [1.0]})
    meta = {"error_model": "none", "wall_seconds": 0,
            "inputs": {"drivers_cut_at": "2024-01", "projection": "persistence",
                       "fitted": "shipped", "fitted_span": ["2019-01", "2024-01"],
                       "in_sample": False, "policy_path": []}}
    written = []
    monkeypatch.setattr(fc, "forecast", lambda *a, **k: (table, meta))
    monkeypatch.setattr(report_forecast, "write_outputs",
                        lambda t, m, out: written.append(out) or (f"{out}/f.parquet",
                                                                   f"{out}/f.html"))
    code, out, err = cli(["forecast", "--from", "2024-02", "--months", "2", "--runs", "3",
                          "--scale", "400", "--seed", "7"])
    assert code == 0, err
    assert written and written[0].startswith("results/forecast-historical-")
    assert written[0].endswith("-2024-02-m2-r3-x400-seed7")
