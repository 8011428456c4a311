"""A user's own driver table comes through the command line, checked and stored by content
hash; a scenario names it by id, never by path."""

import csv
import io
from importlib import resources

import pytest

from borderflow.errors import InputError
from borderflow.scenario import drivers, load_scenario
from borderflow.scenario.calibrated import shipped_parameters

SHIPPED = shipped_parameters()


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERFLOW_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _annual(tmp_path, factor=1.0, edit=None):
    text = resources.files("borderflow.scenario.drivers").joinpath(
        "drivers_annual.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    for r in rows:
        if r["indicator"] == "gdp_per_capita_usd" and int(r["year"]) >= 2020:
            r["value"] = str(float(r["value"]) * factor)
    if edit:
        edit(rows)
    path = tmp_path / "mine.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def test_user_table_is_stored_by_hash_and_changes_the_run(store):
    from borderflow.cli_run import with_user_drivers
    from borderflow.engine.calendar import make_calendar
    from borderflow.engine.departures import push_index
    from borderflow.engine.levers import resolve_parameters
    from borderflow.scenario.load import scenario_hash

    sc = load_scenario("historical")
    mine = with_user_drivers(sc, annual=str(_annual(store, factor=0.5)))
    name = mine.drivers.annual
    assert drivers.is_user_id(name) and (drivers.user_dir() / name).is_file()
    assert scenario_hash(mine) != scenario_hash(sc)
    # the same content gives the same id, another content another one
    assert with_user_drivers(sc, annual=str(_annual(store, 0.5))).drivers.annual == name
    assert with_user_drivers(sc, annual=str(_annual(store, 0.6))).drivers.annual != name
    cal = make_calendar("2021-01", "2021-12")
    p = resolve_parameters(sc, SHIPPED)
    lower_gdp = push_index(p, cal, mine.drivers)[-1]
    assert (lower_gdp > push_index(p, cal, sc.drivers)[-1]).any()    # poorer: more push
    # a tampered copy is refused
    (drivers.user_dir() / name).write_text("country,year,indicator,value\n")
    with pytest.raises(InputError, match="content hash"):
        drivers._rows(name)


@pytest.mark.parametrize("edit,field", [
    (lambda rows: rows[3].update(value="-5"), "value"),
    (lambda rows: rows[3].update(value="inf"), "value"),
    (lambda rows: rows[3].update(country="Atlantis"), "country"),
    (lambda rows: rows[3].update(year="19x5"), "year"),
    (lambda rows: rows[3].update(indicator="gdp"), "indicator"),
])
def test_bad_user_table_is_refused_with_line_and_field(store, edit, field):
    path = _annual(store, edit=edit)
    with pytest.raises(InputError) as exc:
        drivers.add_user_table(path, "annual")
    assert exc.value.field == field and exc.value.line == 5 and exc.value.file == str(path)
    assert not drivers.user_dir().exists() or not any(drivers.user_dir().iterdir())


def test_run_refuses_a_bad_driver_file_and_a_scenario_path(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("country,year,indicator,value\nMexico,20x9,gdp_per_capita_usd,5\n",
                   encoding="utf-8")
    code, out, err = cli(["run", "--drivers-annual", bad, "--start", "2019-01", "--end",
                          "2019-01", "--scale", "500", "--out", tmp_path / "out"])
    assert code == 2 and "year" in err and "bad.csv" in err, (out, err)
    assert not (tmp_path / "out").exists()
    sc = tmp_path / "sc.yaml"
    sc.write_text("id: x\ntitle: x\nstart: 2019-01\nend: 2019-02\n"
                  "drivers: {annual: /etc/passwd}\n", encoding="utf-8")
    code, out, err = cli(["scenario", "validate", sc])
    assert code == 2 and "not a bundled driver table" in out + err
