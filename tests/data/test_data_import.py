"""Importers on small fixtures, merging into the user store, overlay and export."""

from __future__ import annotations

import pandas as pd
import pytest
from data_helpers import run_cli, tree_digest, write_file

import borderflow.data as bd
from borderflow.data import importers, schema
from borderflow.data.importers import cbp_nationwide, ohss_usbp, worldbank
from borderflow.errors import InputError

AOR = (
    "Fiscal Year,Month Grouping,Month (abbv),Component,Land Border Region,"
    "Area of Responsibility,AOR (Abbv),Demographic,Citizenship,Title of Authority,"
    "Encounter Type,Encounter Count\n"
    "2024,FYTD,OCT,U.S. Border Patrol,Southwest Land Border,Tucson Sector,TCA,Single Adults,"
    "MEXICO,Title 8,Apprehensions,1000\n"
    "2024,FYTD,OCT,U.S. Border Patrol,Southwest Land Border,Rio Grande Valley Sector,RGV,FMUA,"
    "HONDURAS,Title 42,Expulsions,500\n"
    "2024,FYTD,OCT,Office of Field Operations,Southwest Land Border,San Diego Field Office,SND,"
    "Accompanied Minors,OTHER,Title 8,Inadmissibles,20\n"
    "2024,FYTD,OCT,Office of Field Operations,Southwest Land Border,San Diego Field Office,SND,"
    "FMUA,OTHER,Title 8,Inadmissibles,30\n"
    "2024,FYTD,NOV,Office of Field Operations,Other,Preclearance,PRE,Single Adults,"
    "\"CHINA, PEOPLES REPUBLIC OF\",Title 8,Inadmissibles,5\n"
)
WORKBOOK = ('"Fiscal\nYear",Month,Region,Sector,Quantity\n'
            '2024,03 December,Southwest Land Border,"Tucson, AZ",80180\n'
            '2024,04 January,Southwest Land Border,"Tucson, AZ",50560\n')


def test_aor_fixture(tmp_path, user_dir):
    path = write_file(tmp_path, "nationwide-encounters-fy24-aor.csv", AOR)
    assert importers.detect_format(path) is cbp_nationwide
    df = cbp_nationwide.read(path)
    assert set(df["series"]) == {"cbp_nationwide_encounters_aor"}
    assert set(df["geography"]) == {"Southwest Land Border/Tucson, AZ",
                                    "Southwest Land Border/Rio Grande Valley, TX",
                                    "Southwest Land Border/San Diego Field Office",
                                    "Other/Preclearance"}
    sd = df[df["geography"].str.endswith("San Diego Field Office")]
    assert sd["demographic"].tolist() == ["Family Unit Individuals"]
    assert sd["value"].tolist() == [50.0]  # Accompanied Minors + FMUA
    bd.import_files([path])
    aor = bd.monthly("cbp_nationwide_encounters_aor", by="aor")
    assert aor.query("month == '2023-10'")["value"].sum() == 1550
    assert set(aor["aor"]) >= {"Tucson, AZ", "Preclearance"}
    china = bd.monthly("cbp_nationwide_encounters_aor", by="citizenship", start="2023-11")
    assert china["citizenship"].tolist() == ["China, People's Republic"]


def test_workbook_header_with_newline(tmp_path):
    path = write_file(tmp_path, "sheet.csv", WORKBOOK)
    assert importers.detect_format(path) is ohss_usbp
    df = ohss_usbp.read(path)
    assert df["geography"].tolist() == ["Tucson, AZ", "Tucson, AZ"]
    assert [f"{d:%Y-%m}" for d in df["period_start"]] == ["2023-12", "2024-01"]


def test_import_overlays_bundled_rows(tmp_path, user_dir, capsys):
    bundled_rows = len(bd.store())
    changed = WORKBOOK.replace("50560", "50570") + \
        '2025,03 December,Southwest Land Border,"Tucson, AZ",40000\n'
    path = write_file(tmp_path, "sector.csv", changed)
    code, out, _ = run_cli(["data", "import", str(path)], capsys)
    assert code == 0
    assert "usbp_sw_encounters" in out and "2023-12 .. 2024-12" in out
    report = bd.import_files([path])  # same file again: nothing changes
    (change,) = report.changes
    assert (change.added, change.replaced, change.unchanged, change.removed) == (0, 0, 3, 0)
    store = bd.store()
    # the file covers the sector rows of 2023-12 and 2024-01 as a whole: the 8 other
    # Southwest sectors of those two months are gone, one month is new
    assert len(store) == bundled_rows + 1 - 16
    tucson = bd.monthly("usbp_sw_encounters", by="sector", start="2024-01")
    tucson = tucson[tucson["sector"] == "Tucson, AZ"].set_index("month")["value"]
    assert (tucson["2024-01"], tucson["2024-12"]) == (50570.0, 40000.0)
    total = bd.monthly("usbp_sw_encounters", start="2024-01", end="2024-01")["value"]
    assert total.tolist() == [124220.0]  # total rows untouched
    assert (user_dir / "observations" / "dhs_ohss_usbp.json").exists()


def test_first_import_reports_replacements(tmp_path, user_dir):
    path = write_file(tmp_path, "sector.csv", WORKBOOK.replace("50560", "50570"))
    (change,) = bd.import_files([path]).changes
    assert (change.added, change.replaced, change.unchanged, change.removed) == (0, 1, 1, 16)


def test_same_rows_in_two_files_is_an_error(tmp_path, user_dir):
    from borderflow.errors import InputError

    a = write_file(tmp_path, "a.csv", WORKBOOK)
    b = write_file(tmp_path, "b.csv", WORKBOOK)
    with pytest.raises(InputError, match="same"):
        bd.import_files([a, b])
    assert tree_digest(user_dir) == {}


def test_export_round_trip(tmp_path, user_dir, capsys):
    parquet = tmp_path / "all.parquet"
    code, out, _ = run_cli(["data", "export", "--format", "parquet", "--out", str(parquet)],
                           capsys)
    assert code == 0 and "rows" in out
    back = schema.conform(pd.read_parquet(parquet))
    pd.testing.assert_frame_equal(back, bd.store())
    csv = tmp_path / "sw.csv"
    code, _, _ = run_cli(["data", "export", "--out", str(csv), "--series",
                          "usbp_sw_encounters"], capsys)
    table = pd.read_csv(csv, keep_default_na=False)
    assert list(table.columns) == schema.COLUMNS and set(table["series"]) == {
        "usbp_sw_encounters"}
    assert table["period_start"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    code, _, err = run_cli(["data", "export", "--format", "xlsx", "--out", str(csv)], capsys)
    assert code == 2 and "csv or parquet" in err


def test_iom_identical_rows_are_deduplicated(tmp_path):
    from borderflow.data.importers import iom_mmp

    head = ("Incident ID,Region of Incident,Incident year,Reported Month,"
            "Total Number of Dead and Missing,Migration route,Coordinates\n")
    row = 'X1,North America,2021,May,3,US-Mexico border crossing,"POINT (-111.2 31.5)"\n'
    other = 'X2,North America,2021,May,2,US-Mexico border crossing,""\n'
    df = iom_mmp.read(write_file(tmp_path, "iom.csv", "\ufeff" + head + row + row + other))
    us = df[df["series"] == "iom_deaths_us_mexico"].set_index("geography")["value"]
    assert us.to_dict() == {"": 2.0, "31.5,-111.2": 3.0}


def test_worldbank_series_from_name_or_magnitude(tmp_path):
    body = "Country Name,Country Code,Year,Value\nMexico,MEX,2019,{}\nChile,CHL,2019,{}\n"
    gdp = write_file(tmp_path, "table.csv", body.format(1.27e12, 2.8e11))
    pop = write_file(tmp_path, "table2.csv", body.format(1.27e8, 1.9e7))
    assert set(worldbank.read(gdp)["series"]) == {"gdp_current_usd"}
    assert set(worldbank.read(pop)["series"]) == {"population"}
    named = write_file(tmp_path, "my_gdp.csv", body.format(1.27e8, 1.9e7))
    assert set(worldbank.read(named)["series"]) == {"gdp_current_usd"}
    # A population file with GDP-sized values is out of the population domain, not stored.
    wrong = write_file(tmp_path, "my_population.csv", body.format(1.27e12, 2.8e11))
    with pytest.raises(InputError,
                       match="my_population.csv:2.*Value.*at most 20,000,000,000"):
        worldbank.read(wrong)


def test_reference_series_names(tmp_path):
    from borderflow.data.importers import reference_figures as rf

    text = ("topic,measure,geography,period,value,unit,original_publisher\n"
            "gotaways,usbp_known_gotaways,US Southwest border,FY2021 (to end of July),"
            "300000,persons,CBP\n")
    df = rf.read(write_file(tmp_path, "refs.csv", text))
    assert df["series"].tolist() == ["ref_gotaways_usbp_known_gotaways"]
    assert df["frequency"].tolist() == ["P"] and df["authority"].tolist() == ["CBP"]
    assert f"{df['period_end'].iloc[0]:%Y-%m-%d}" == "2021-07-31"
