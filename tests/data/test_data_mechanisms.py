"""The mechanisms data: OHSS book-outs, removals, CBP One, CHNV, credible fear and ICE tables,
ICE detention population and length of stay, transcribed figures with their page URL and
status, and the removal-flight events."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from data_helpers import run_cli, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import borderflow.data as bd
from borderflow.data import build, catalog, events, importers, schema, storage
from borderflow.data.importers import ice_detention, ohss_ielp, removal_flights, transcribed
from borderflow.data.sources import SOURCES
from borderflow.errors import InputError

NEW_SOURCES = ("dhs_ohss_ielp", "ice_detention_stats", "ice_funded_beds", "r4v_venezuelan_stock",
               "darien_transcribed", "mexico_transcribed", "removal_flight_events")
OHSS_HEAD = ",".join(ohss_ielp.COLUMNS) + "\n"
_SWB = "US Southwest land border (at and between ports)"
_UNIT = "encounters (events) by book-out outcome"
CITP = OHSS_HEAD + "".join(
    f'2024-01-01,2024-01-31,FY2024,{_SWB},CBP (USBP+OFO),{c},all,bookout_usbp_releases,{v},'
    f'{_UNIT},ohss_ielp_2024-08:CBP SWB Book-Outs by Citp,\n'
    for c, v in (("Mexico", 1000), ("Other", 2000), ("all", 3010)))
ICE_HEAD = ",".join(ice_detention.COLUMNS) + "\n"
_ICE_ROW = ('2024-09-01,2024-09-30,FY2024,"United States (ICE detention, nationwide)",ICE ERO,'
            'CBP,{c},ice_detention_adp,{v},persons (average daily population),x,\n')
ADP = ICE_HEAD + "".join(_ICE_ROW.format(c=c, v=v) for c, v in (
    ("all", "23909.77"), ("convicted_criminal", "1344.77"),
    ("pending_criminal_charges", "655.87"), ("other_immigration_violator", "21909.13")))
R4V = (",".join(transcribed.LAYOUTS[0]) + "\n"
       "2024-07-04,2024-07-04,Colombia,Venezuela,venezuelan_refugees_migrants_stock,2860000,"
       '"persons (stock reported by host governments, compiled by R4V)",R4V (via a paper),,'
       "https://example.org/r4v,2024-07-04,transcribed\n")
EVENTS = (",".join(removal_flights.COLUMNS) + "\n"
          "2023-10-18,Venezuela,resumed,First flight,AP,https://example.org/a,2023-10-18,"
          "transcribed,\n")


@pytest.fixture(autouse=True)
def _no_user_overlay(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERFLOW_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("COLUMNS", "120")


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _raw(raw_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(raw_dir / "mechanisms" / name, keep_default_na=False)


# --- bundled rows ---------------------------------------------------------------------------


def test_bundled_sources_load_with_units():
    listed = bd.list_series()
    for source in NEW_SOURCES:
        part = listed[listed["source"] == source]
        assert len(part) and (part["rows"] > 0).all(), source
        for row in part.itertuples():
            info = catalog.info(row.series)
            assert row.unit == info.unit and row.unit, row.series
    store = bd.store()
    mine = store[store["source"].isin(NEW_SOURCES)]
    assert mine["period_end"].max() <= pd.Timestamp(build.CUTOFF)
    assert set(mine["series"]) <= set(catalog.SERIES)
    assert len(mine) == 18_398 + 1_833 + 6 + 61 + 8 + 22 + 12


def test_every_book_out_series_is_catalogued_and_bundled():
    names = {catalog.bookout_series(a, m) for a in catalog.BOOKOUT_AGENCIES
             for m in catalog.BOOKOUT_MEASURES if a in ("cbp", catalog.BOOKOUT_ONLY.get(m, a))}
    assert len(names) == 25
    assert names <= set(bd.store()["series"])
    assert "usbp_bookouts_ofo_paroles" not in catalog.SERIES
    assert "ofo_bookouts_usbp_releases" not in catalog.SERIES


def test_usbp_book_out_total_is_the_ohss_encounter_count():
    bookouts = bd.monthly("usbp_bookouts_total_encounters").set_index("month")["value"]
    encounters = bd.monthly("usbp_sw_encounters", start="2018-01", end="2024-08")
    encounters = encounters.set_index("month")["value"]
    assert len(bookouts) == len(encounters) == 80  # 2018-01 .. 2024-08
    pd.testing.assert_series_equal(bookouts, encounters)


def test_one_cbp_total_row_per_month_and_measure():
    df = bd.store()
    cbp = df[df["series"].str.startswith("cbp_bookouts_")]
    totals = cbp[(cbp[schema.BREAKDOWN] == "").all(axis=1)]
    assert not totals.duplicated(["series", "period_start"]).any()
    assert len(totals) == 632  # the CBP cells of the agency sheet; X cells are absent
    assert bd.monthly("cbp_bookouts_total_encounters")["value"].max() == 301_980  # 2023-12


def test_agency_sheet_total_equals_the_all_rows_of_the_other_sheets(raw_dir):
    """The citizenship and family sheets repeat the CBP total; the agency sheet's wins and the
    others agree exactly in the August 2024 edition (632 cells)."""
    agency = _raw(raw_dir, "ohss_swb_bookouts_by_agency_monthly.csv")
    key = ["period_start", "measure"]
    total = agency[agency["agency"] == "CBP (USBP+OFO)"].set_index(key)["value"]
    for name, col in (("ohss_swb_bookouts_by_citizenship_monthly.csv", "citizenship"),
                      ("ohss_swb_bookouts_by_family_status_monthly.csv", "subgroup")):
        other = _raw(raw_dir, name)
        alls = other[other[col] == "all"].set_index(key)["value"]
        assert alls.index.sort_values().equals(total.index.sort_values())
        assert (alls - total.loc[alls.index]).abs().max() == 0, name


def test_citizenship_rows_add_up_to_the_cbp_total():
    """OHSS rounds every cell to 10, so k citizenship rows may differ from the total by up to
    5 (k + 1); the largest difference in the bundled data is 30 (4 of 632 cells)."""
    worst = 0.0
    for name in catalog.SERIES:
        if not name.startswith("cbp_bookouts_"):
            continue
        total = bd.monthly(name).set_index("month")["value"]
        parts = bd.monthly(name, by="citizenship")
        sums = parts.groupby("month")["value"].agg(["sum", "size"])
        diff = (sums["sum"] - total.loc[sums.index]).abs()
        assert (diff <= 5 * (sums["size"] + 1)).all(), name
        worst = max(worst, diff.max())
    assert worst == 30


def test_family_rows_stay_below_the_total():
    """The family-status groups leave out accompanied minors and unknown status."""
    total = bd.monthly("cbp_bookouts_total_encounters").set_index("month")["value"]
    parts = bd.monthly("cbp_bookouts_total_encounters", by="demographic")
    assert set(parts["demographic"]) == {"Single Adults", "Family Unit Individuals",
                                         "Unaccompanied Children"}
    sums = parts.groupby("month")["value"].sum()
    assert (sums <= total.loc[sums.index] + 20).all()
    assert (sums < total.loc[sums.index]).mean() > 0.9


def test_usbp_and_ofo_add_up_to_cbp():
    for stem in ("total_encounters", "t8_repatriations", "transfers_to_ice", "other_outcomes"):
        cbp = bd.monthly(f"cbp_bookouts_{stem}").set_index("month")["value"]
        both = (bd.monthly(f"usbp_bookouts_{stem}").set_index("month")["value"]
                + bd.monthly(f"ofo_bookouts_{stem}").set_index("month")["value"])
        assert (cbp - both).abs().max() <= 10, stem


def test_x_cells_stay_absent():
    t42 = bd.monthly("cbp_bookouts_t42_expulsions")
    assert t42["month"].iloc[0] == "2020-03" and t42["month"].iloc[-1] == "2023-05"
    mpp = bd.monthly("cbp_bookouts_migrant_protection_protocols", by="citizenship")
    assert "Mexico" not in set(mpp["citizenship"])
    assert bd.monthly("cbp_one_appointments_processed")["month"].iloc[0] == "2023-01"


def test_cli_shows_releases_by_citizenship(capsys):
    code, out, err = run_cli(["data", "show", "cbp_bookouts_usbp_releases", "--by",
                              "citizenship", "--from", "2024-08", "--to", "2024-08"], capsys)
    assert code == 0, err
    assert "Mexico" in out and "1,670" in out and "Traceback" not in out + err
    code, out, _ = run_cli(["data", "show", "cbp_bookouts_usbp_releases", "--from", "2024-08",
                            "--to", "2024-08"], capsys)
    assert code == 0 and "10,230" in out
    code, out, _ = run_cli(["data", "list", "*_bookouts_*"], capsys)
    assert code == 0 and "dhs_ohss_ielp" in out and "ofo_bookouts_ofo_paroles" in out


def test_removals_cbp_one_and_chnv():
    ven = bd.monthly("ice_ero_removals_and_returns", by="citizenship", start="2024-02",
                     end="2024-08").query("citizenship == 'Venezuela'")["value"]
    assert ven.tolist() == [220, 140, 300, 120, 100, 80, 50]
    assert len(bd.monthly("dhs_removals")) == 80
    chnv = bd.monthly("chnv_confirmed_paroles", by="citizenship", start="2023-01",
                      end="2023-01")
    assert dict(zip(chnv["citizenship"], chnv["value"], strict=True)) == {
        "Cuba": 3960, "Haiti": 1560, "Nicaragua": 330, "Venezuela": 5570}
    assert bd.monthly("chnv_confirmed_paroles")["month"].iloc[0] == "2022-10"
    assert bd.monthly("credible_fear_referrals")["value"].gt(0).all()  # cells: summed


# --- ICE detention --------------------------------------------------------------------------


def test_ice_detention_population_and_length_of_stay():
    assert catalog.info("ice_detention_adp").layout == "margins"
    assert catalog.info("ice_detention_alos").layout == "records"
    assert catalog.info("ice_detention_adp").unit == "persons"
    assert catalog.info("ice_detention_alos").unit == "days"
    adp = bd.monthly("ice_detention_adp")
    assert adp["month"].iloc[0] == "2018-10" and adp["month"].iloc[-1] == "2024-09"
    assert adp["value"].iloc[-1] == pytest.approx(37_982.93)
    classes = bd.monthly("ice_detention_adp", by="criminality", start="2019-08", end="2019-08")
    assert list(classes.columns) == ["month", "criminality", "value"]
    assert classes["value"].sum() == pytest.approx(55_238.48, abs=0.02)
    by_agency = (bd.monthly("ice_detention_adp_cbp").set_index("month")["value"]
                 + bd.monthly("ice_detention_adp_ice").set_index("month")["value"])
    assert (by_agency - adp.set_index("month")["value"]).abs().max() < 0.02
    fy = bd.observations("ice_detention_adp_fy")
    assert fy["frequency"].eq("FY").all() and fy["value"].iloc[-1] == pytest.approx(37_721.80)


def test_length_of_stay_is_never_summed():
    alos = bd.observations("ice_detention_alos", start="2024-09", end="2024-09")
    assert len(alos) == 4  # the overall row and three criminality classes, as stored
    overall = alos[alos["demographic"] == ""]["value"]
    assert overall.tolist() == [46.72]
    classes = bd.observations("ice_detention_alos", by="criminality", start="2024-09",
                              end="2024-09")
    assert len(classes) == 3 and classes["value"].max() < 60


def test_cli_labels_criminality(capsys):
    code, out, err = run_cli(["data", "show", "ice_detention_alos", "--from", "2024-09"], capsys)
    assert code == 0, err
    assert "criminality" in out and "46.72" in out and "Convicted Criminal" in out
    code, out, _ = run_cli(["data", "show", "ice_detention_adp_cbp", "--by", "criminality",
                            "--from", "2024-09"], capsys)
    assert code == 0 and "21,909.13" in out


# --- transcribed figures, URL and status ----------------------------------------------------


def test_transcribed_rows_keep_url_and_status():
    beds = bd.observations("ice_funded_detention_beds").set_index(
        bd.observations("ice_funded_detention_beds")["period_start"].dt.year + 1)
    assert beds.loc[2020, "value"] == 45_274
    assert beds.loc[2020, "status"] == "transcribed (derived)"
    assert beds.loc[2020, "url"].startswith("https://clarion.causeaction.com/")
    assert (beds["status"] != "").all() and beds["url"].str.startswith("http").all()
    r4v = bd.observations("venezuelan_refugees_migrants_stock")
    world = r4v[r4v["geography"] == "World (all host countries)"]
    assert world["value"].iloc[-1] == 7_774_494 and (world["status"] == "transcribed").all()
    assert (r4v["citizenship"] == "Venezuela").all() and r4v["frequency"].eq("P").all()
    ohss = bd.store().query("source == 'dhs_ohss_ielp'")
    assert (ohss["url"] == "").all() and (ohss["status"] == "").all()


def test_cli_shows_url_and_status(capsys):
    code, out, err = run_cli(["data", "show", "ice_funded_detention_beds"], capsys)
    assert code == 0, err
    assert "status" in out and "url" in out and "transcribed (derived)" in out


def test_export_carries_url_and_status(tmp_path):
    path = tmp_path / "beds.csv"
    bd.export(path, series=["ice_funded_detention_beds"])
    table = pd.read_csv(path, keep_default_na=False)
    assert list(table.columns) == schema.COLUMNS
    assert table["url"].str.startswith("https://").all()


def test_store_written_before_url_and_status_still_loads(tmp_path):
    """A user store from an earlier version has Parquet files without the two columns."""
    user = tmp_path / "old" / "observations"
    user.mkdir(parents=True)
    store = bd.store()
    old = store[(store["series"] == "usbp_sw_encounters")
                & (store["period_start"] == pd.Timestamp("2024-01-01"))]
    old = old.drop(columns=schema.PROVENANCE).assign(value=lambda d: d["value"] + 10)
    table = pa.Table.from_pandas(old, preserve_index=False)
    assert "url" not in table.schema.names
    pq.write_table(table, user / "dhs_ohss_usbp.parquet")
    merged = bd.store(tmp_path / "old")
    assert list(merged.columns) == schema.COLUMNS
    row = bd.observations("usbp_sw_encounters", start="2024-01", end="2024-01",
                          data_dir=tmp_path / "old")
    assert row["value"].tolist() == [124_230.0] and row["url"].tolist() == [""]
    assert (merged["url"] == "").sum() > 100_000
    # Importing on top of the old file rewrites it in the new layout.
    newer = tmp_path / "region.csv"
    newer.write_text("Fiscal Year,Month,Region,Quantity\n2024,04 January,Southwest Land Border,"
                     "124240\n")
    report = bd.import_files([newer], tmp_path / "old")
    assert [(c.added, c.replaced) for c in report.changes] == [(0, 1)]
    assert pq.read_schema(user / "dhs_ohss_usbp.parquet").names == schema.COLUMNS
    again = bd.monthly("usbp_sw_encounters", start="2024-01", end="2024-01",
                       data_dir=tmp_path / "old")
    assert again["value"].tolist() == [124_240.0]
    r4v = tmp_path / "r4v.csv"
    r4v.write_text(R4V)
    bd.import_files([r4v], tmp_path / "old")
    figures = bd.store(tmp_path / "old").query("authority == 'R4V (via a paper)'")
    assert figures[["url", "status"]].values.tolist() == [["https://example.org/r4v",
                                                          "transcribed"]]


def test_a_store_file_without_a_key_column_is_refused(tmp_path):
    user = tmp_path / "bad" / "observations"
    user.mkdir(parents=True)
    df = bd.store().head(3).drop(columns=["value"])
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), user / "cbp_sbo.parquet")
    with pytest.raises(InputError, match="lacks column 'value'"):
        bd.store(tmp_path / "bad")


# --- removal flights ------------------------------------------------------------------------


def test_removal_flights_function():
    ev = bd.removal_flights()
    assert list(ev.columns) == ["date", "start", "end", "country", "citizenship", "event_type",
                                "event", "publisher", "url", "status"]
    assert len(ev) == 12 and ev["start"].is_monotonic_increasing
    ven = ev[ev["country"] == "Venezuela"]
    assert ven["date"].tolist() == ["2019-05", "2023-10-18", "2024-02"]
    month = ev[ev["date"] == "2019-05"].iloc[0]
    assert (f"{month['start']:%Y-%m-%d}", f"{month['end']:%Y-%m-%d}") == ("2019-05-01",
                                                                          "2019-05-31")
    panama = ev[ev["country"].str.startswith("Panama")]
    assert len(panama) == 2 and (panama["citizenship"] == "").all()
    assert ev["url"].str.startswith("http").all() and (ev["status"] == "transcribed").all()
    series = bd.observations("removal_flight_events")
    assert len(series) == 12 and (series["value"] == 1).all() and set(series["unit"]) == {
        "events"}
    assert set(series["url"]) == set(ev["url"])


def test_removal_flights_from_another_file(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS)
    ev = bd.removal_flights(path)
    assert ev["citizenship"].tolist() == ["Venezuela"] and ev["event"].tolist() == ["First flight"]
    path.write_text(_swap(EVENTS, "Venezuela", "Atlantis"))
    with pytest.raises(InputError, match="events.csv:2.*country"):
        bd.removal_flights(path)


def test_bundled_events_reproduce_from_the_raw_file(raw_dir):
    text = events.bundle_text(raw_dir / events.RAW_FILE, build.CUTOFF)
    assert (storage.bundled_dir() / events.BUNDLED_FILE).read_text("utf-8") == text


# --- formats --------------------------------------------------------------------------------


def test_each_new_format_is_detected_by_one_importer(raw_dir):
    for source in NEW_SOURCES:
        for rel in SOURCES[source].raw_files:
            header, _ = importers._csv.read_header(raw_dir / rel)
            found = [m.__name__ for m in importers.modules() if m.detect(header)]
            assert len(found) == 1, (rel, found)
    for module in (ohss_ielp, ice_detention, transcribed, removal_flights):
        for source in SOURCES.values():
            if source.id in NEW_SOURCES:
                continue
            for rel in source.raw_files:
                header, _ = importers._csv.read_header(raw_dir / rel)
                assert not module.detect(header), (module.__name__, rel)


def test_a_file_may_mix_sheets(tmp_path):
    family = _swap(_swap(CITP.splitlines()[1], "Mexico,all", "all,single_adults"),
                   "by Citp", "by Family")
    path = tmp_path / "mixed.csv"
    path.write_text(CITP + family + "\n")
    df = ohss_ielp.read(path)
    assert set(df["citizenship"]) == {"Mexico", "Other", ""}
    assert df["demographic"].tolist().count("Single Adults") == 1
    assert ((df[schema.BREAKDOWN] == "").all(axis=1)).sum() == 0  # totals: agency sheet only


# --- bad input: exit 2, one message, nothing written -----------------------------------------


BAD = [
    ("unknown_measure", _swap(CITP, "bookout_usbp_releases,1000", "bookout_releases,1000"),
     ["measure", "bookout_releases", "bookout_usbp_releases"]),
    ("negative_value", _swap(CITP, ",1000,", ",-1000,"), ["negative", ":2", "value"]),
    ("not_a_whole_month", _swap(CITP, "2024-01-31,FY2024", "2024-01-15,FY2024"),
     ["not a whole month", ":2"]),
    ("mid_month_start", _swap(CITP, "2024-01-01,2024-01-31", "2024-01-02,2024-01-31"),
     ["not a whole month"]),
    ("over_the_ceiling", _swap(CITP, ",1000,", ",1000010,"), ["at most 1,000,000"]),
    ("wrong_unit", _swap(CITP, "1000,encounters (events)", "1000,persons (events)"),
     ["unit", "encounters (events) by book-out outcome"]),
    ("unknown_agency", _swap(CITP, "CBP (USBP+OFO),Mexico", "DEA,Mexico"),
     ["agency", "DEA", "CBP (USBP+OFO)"]),
    ("unknown_subgroup", _swap(CITP, "Mexico,all", "Mexico,adults"), ["subgroup", "adults"]),
    ("unknown_citizenship", _swap(CITP, "Mexico,all", "Narnia,all"), ["citizenship", "Narnia"]),
    ("not_rounded", _swap(CITP, ",1000,", ",1001,"), ["rounded to 10"]),
    ("fiscal_year_mismatch", _swap(CITP, "FY2024", "FY2023"), ["fiscal_year", "FY2024"]),
    ("unknown_sheet", _swap(CITP, "by Citp", "by Country"), ["source", "CBP SWB Book-Outs by"]),
    ("rows_do_not_add_up", _swap(CITP, ",3010,", ",3100,"), ["total row says 3,100", ":4"]),
    ("before_coverage", CITP.replace("2024-01-01,2024-01-31,FY2024", "2012-01-01,2012-01-31,"
                                     "FY2012"), ["coverage", "2013-10-01"]),
    ("wrong_geography", _swap(CITP, _SWB, "Canada"), ["geography", _SWB]),
    ("measure_of_other_agency", _swap(_swap(CITP, "by Citp", "by Agency"),
                                      f"{_SWB},CBP (USBP+OFO),Mexico,all",
                                      "US Southwest land border (at ports of entry),OFO,all,all"),
     ["does not apply to agency 'OFO'", "bookout_ofo_paroles"]),
    ("cbp_one_too_early", OHSS_HEAD + "2022-12-01,2022-12-31,FY2023,US Southwest land border "
     "land ports of entry,OFO,all,all,cbp_one_appointments_processed,10,appointments processed "
     "(not persons with appointments),ohss_ielp_2024-08:CBP One Appointments,\n",
     ["no data before 2023-01-01"]),
    ("chnv_process_mismatch", OHSS_HEAD + "2023-01-01,2023-01-31,FY2023,United States (air "
     "arrivals under CHNV parole processes),USCIS/CBP,Cuba,process_haiti,chnv_confirmed_paroles,"
     "10,persons paroled (by parole date),ohss_ielp_2024-08:CHNV Paroles,\n",
     ["process_haiti", "'Haiti'"]),
    ("ice_unknown_criminality", _swap(ADP, "convicted_criminal", "robbers"),
     ["criminality", "robbers", "convicted_criminal"]),
    ("ice_adp_over_ceiling", _swap(ADP, "23909.77", "123909.77"), ["at most 100,000"]),
    ("ice_alos_over_ceiling", ADP.replace("ice_detention_adp,", "ice_detention_alos,").replace(
        "persons (average daily population)", "days (average length of stay)").replace(
        "23909.77", "400"), ["at most 365"]),
    ("ice_wrong_unit", _swap(ADP, "persons (average daily population)",
                             "days (average length of stay)"), ["unit", "persons"]),
    ("ice_classes_do_not_add_up", _swap(ADP, "1344.77", "1444.77"), ["criminality rows"]),
    ("ice_unknown_arresting_agency", _swap(ADP, "ICE ERO,CBP", "ICE ERO,DEA"),
     ["arresting_agency", "DEA"]),
    ("r4v_unknown_measure", _swap(R4V, "venezuelan_refugees_migrants_stock",
                                  "venezuelan_tourists"), ["measure", "venezuelan_tourists"]),
    ("r4v_no_url", _swap(R4V, "https://example.org/r4v", ""), ["url", "page address"]),
    ("r4v_bad_status", _swap(R4V, ",transcribed\n", ",estimated\n"), ["status", "estimated"]),
    ("r4v_wrong_unit", _swap(R4V, '"persons (stock', '"people (stock'), ["unit"]),
    ("event_bad_date", _swap(EVENTS, "2023-10-18,Venezuela", "2023-02-30,Venezuela"),
     ["event_date", "2023-02-30"]),
    ("event_unknown_type", _swap(EVENTS, ",resumed,", ",rumoured,"), ["event_type", "rumoured"]),
]


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("user")
    good = directory.parent / "good_citp.csv"
    good.write_text(CITP)
    bd.import_files([good], directory)
    assert tree_digest(directory)
    return directory


@pytest.mark.parametrize("name, content, must", BAD, ids=[b[0] for b in BAD])
def test_bad_rows_are_refused(name, content, must, seeded_dir, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.csv"
        path.write_text(content, encoding="utf-8")
        before = tree_digest(seeded_dir)
        code, out, err = run_cli(["data", "import", str(path), "--data-dir", str(seeded_dir)],
                                 capsys)
        message = out + err
        assert code == 2, message
        assert "Traceback" not in message and 0 < len(message.strip().splitlines()) < 25
        assert f"{name}.csv:" in message and "expected" in message, message
        for fragment in must:
            assert fragment in message, (fragment, message)
        assert tree_digest(seeded_dir) == before


_HYP = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
AGENCY_ROW = OHSS_HEAD + (f"{{start}},{{end}},FY{{fy}},{_SWB},CBP (USBP+OFO),all,all,"
                          f"bookout_usbp_releases,{{value}},{_UNIT},"
                          "ohss_ielp_2024-08:CBP SWB Book-Outs by Agency,\n")


@_HYP
@given(tens=st.integers(min_value=0, max_value=200_000))
def test_generated_book_out_values_either_side_of_the_ceiling(tens, tmp_path):
    path = tmp_path / "agency.csv"
    path.write_text(AGENCY_ROW.format(start="2024-01-01", end="2024-01-31", fy=2024,
                                      value=tens * 10))
    if tens * 10 <= 1_000_000:
        assert ohss_ielp.read(path)["value"].tolist() == [tens * 10]
    else:
        with pytest.raises(InputError, match=r"agency.csv:2.*at most 1,000,000"):
            ohss_ielp.read(path)


@_HYP
@given(month=st.integers(min_value=(2005 - 1970) * 12, max_value=(2035 - 1970) * 12))
def test_generated_months_either_side_of_the_coverage(month, tmp_path):
    start = np.datetime64(month, "M")
    first = start.astype("datetime64[D]")
    end = (start + 1).astype("datetime64[D]") - 1
    fy = int(str(start)[:4]) + (int(str(start)[5:7]) >= 10)
    path = tmp_path / "agency.csv"
    path.write_text(AGENCY_ROW.format(start=first, end=end, fy=fy, value=10))
    low, high = np.datetime64("2013-10-01"), np.datetime64(pd.Timestamp.today().date(), "D")
    if low <= first <= high:
        assert len(ohss_ielp.read(path)) == 1
    else:
        with pytest.raises(InputError, match="outside the coverage of dhs_ohss_ielp"):
            ohss_ielp.read(path)


def test_good_fixtures_import(tmp_path):
    for name, text in (("citp.csv", CITP), ("adp.csv", ADP), ("r4v.csv", R4V),
                       ("events.csv", EVENTS)):
        (tmp_path / name).write_text(text)
    report = bd.import_files([tmp_path / n for n in ("citp.csv", "adp.csv", "r4v.csv",
                                                     "events.csv")], tmp_path / "user")
    assert {c.series for c in report.changes} == {
        "cbp_bookouts_usbp_releases", "ice_detention_adp_cbp",
        "venezuelan_refugees_migrants_stock", "removal_flight_events"}
    mexico = bd.monthly("cbp_bookouts_usbp_releases", by="citizenship", start="2024-01",
                        end="2024-01", data_dir=tmp_path / "user").query("citizenship == 'Mexico'")
    assert mexico["value"].tolist() == [1000.0]
    # The citizenship sheet's 'all' row does not replace the agency sheet's total.
    total = bd.monthly("cbp_bookouts_usbp_releases", start="2024-01", end="2024-01",
                       data_dir=tmp_path / "user")
    bundled = bd.monthly("cbp_bookouts_usbp_releases", start="2024-01", end="2024-01")
    assert total["value"].tolist() == bundled["value"].tolist() != [3010.0]
    assert np.isclose(bd.monthly("ice_detention_adp_cbp", start="2024-09", end="2024-09",
                                 data_dir=tmp_path / "user")["value"].iloc[0], 23909.77)
