"""Every imported field is checked against its domain: periods within the source's coverage
and not after today, counts within the documented ceiling of the series, labels matched
whole (never by prefix). A refused file stores nothing; ``data remove`` undoes an import."""

from __future__ import annotations

import string
import tempfile
from datetime import date
from pathlib import Path

import pytest
from data_helpers import run_cli, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.data import domains, periods, storage
from borderflow.data.importers import cbp_nationwide, iom_mmp

OHSS = ('Fiscal Year,Month,Region,Sector,Quantity\n'
        '2024,03 December,Southwest Land Border,"Tucson, AZ",80180\n'
        '2024,04 January,Southwest Land Border,"Tucson, AZ",50560\n')
OHSS_FY = "Fiscal Year,Quantity\n2022,2206440\n2023,2045830\n"
SBO = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,"
       "Title of Authority,Encounter Type,Encounter Count\n"
       "2024,FYTD,JAN,U.S. Border Patrol,FMUA,Mexico,Title 8,Apprehensions,120\n"
       "2024,FYTD,JAN,U.S. Border Patrol,UAC,Other,Title 8,Apprehensions,7\n")
AOR = ("Fiscal Year,Month Grouping,Month (abbv),Component,Land Border Region,"
       "Area of Responsibility,AOR (Abbv),Demographic,Citizenship,Title of Authority,"
       "Encounter Type,Encounter Count\n"
       "2024,FYTD,OCT,Office of Field Operations,Southwest Land Border,San Diego Field Office,"
       "SND,FMUA,OTHER,Title 8,Inadmissibles,30\n")
IOM = ("Incident ID,Region of Incident,Incident Date,Incident year,Reported Month,"
       "Total Number of Dead and Missing,Migration route,Coordinates\n"
       '2021.MMP1,North America,2021-01-05,2021,January,2,US-Mexico border crossing,'
       '"POINT (-111.2 31.5)"\n')
BANXICO = "PERIODO,ID_FLUJO,FLUJO,OPERACIONES,VALOR_USD\n2024-01-01,1,Ingresos,100,5000\n"
WB = "Country Name,Country Code,Year,Value\nMexico,MEX,2019,127000000\n"
PIMA = ("ML Number,Reporting Date,Corridor,County,State\n"
        "21-001,2021-01-05,San Miguel,PIMA,Arizona\n")
REFS = ("topic,measure,geography,period,value,unit,original_publisher\n"
        "mexico,events,Mexico,CY2023,782176,events,UPM\n")
TODAY = date.today()


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("user")
    good = directory.parent / "good_domains.csv"
    good.write_text(OHSS)
    from borderflow.data.userstore import import_files

    import_files([good], directory)
    return directory


def _rejected(content: str, data_dir: Path, capsys, must=(), name="bad.csv") -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(content, encoding="utf-8")
        before = tree_digest(data_dir)
        code, out, err = run_cli(["data", "import", str(path), "--data-dir", str(data_dir)],
                                 capsys)
        message = out + err
        assert code == 2, message
        assert "Traceback" not in message
        assert f"{name}:" in message and "expected" in message, message
        for fragment in must:
            assert fragment in message, (fragment, message)
        assert tree_digest(data_dir) == before
        return message


_HYP = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# --- periods ----------------------------------------------------------------------------


@pytest.mark.parametrize("content, must", [
    (_swap(OHSS, "2024,04", "1950,04"), ["bad.csv:3", "Fiscal Year", "1999-10-01"]),
    (_swap(SBO, "2024,FYTD,JAN", f"{TODAY.year + 3},FYTD,JAN"), [":2", "Fiscal Year"]),
    (_swap(IOM, "2021,January", "1999,January"), ["Incident year", "2014-01-01"]),
    (_swap(BANXICO, "2024-01-01", "2090-01-01"), ["PERIODO"]),
    (_swap(WB, "2019", "1901"), ["Year", "1960-01-01"]),
    (_swap(PIMA, "2021-01-05", "1901-01-05"), ["Reporting Date"]),
    (_swap(REFS, "CY2023", "CY2099"), ["period"]),
    ("month|tucson|southwest_border|monthly_total|fy|cy\n10|100|100|120|2022|2021\n",
     ["fy", "2020-09-30"]),
], ids=["ohss_1950", "sbo_future", "iom_before_2014", "banxico_2090", "worldbank_1901",
        "pima_1901", "refs_2099", "fy2000_2020_after_2020"])
def test_periods_outside_coverage_are_refused(content, must, seeded_dir, capsys):
    _rejected(content, seeded_dir, capsys, ["outside the coverage", *must])


@_HYP
@given(year=st.one_of(st.integers(1900, 1999), st.integers(TODAY.year + 2, 2100)))
def test_generated_fiscal_years_outside_coverage(year, seeded_dir, capsys):
    _rejected(_swap(OHSS, "2024,04", f"{year},04"), seeded_dir, capsys,
              ["Fiscal Year", "outside the coverage", "1999-10-01"])


@_HYP
@given(year=st.integers(2001, TODAY.year))
def test_generated_fiscal_years_inside_coverage_are_read(year, tmp_path_factory):
    path = tmp_path_factory.mktemp("ok") / "ohss.csv"
    path.write_text(OHSS.replace("2024,", f"{year},"))
    from borderflow.data.importers import ohss_usbp

    assert len(ohss_usbp.read(path)) == 2


def test_coverage_never_extends_past_today():
    for source in domains.EARLIEST:
        first, last = domains.coverage(source)
        assert first < last <= domains.today()


# --- counts -----------------------------------------------------------------------------


@_HYP
@given(n=st.integers(1_000_001, 10**17).map(lambda v: v * 10))
def test_generated_counts_above_the_ceiling(n, seeded_dir, capsys):
    _rejected(_swap(OHSS, "50560", str(n)), seeded_dir, capsys,
              ["bad.csv:3", "Quantity", "implausibly large", "1,000,000"])


@_HYP
@given(n=st.integers(0, 100_000).map(lambda v: v * 10))
def test_generated_counts_within_the_ceiling_are_read(n, tmp_path_factory):
    path = tmp_path_factory.mktemp("ok") / "ohss.csv"
    path.write_text(_swap(OHSS, "50560", str(n)))
    from borderflow.data.importers import ohss_usbp

    assert ohss_usbp.read(path)["value"].max() >= n


@pytest.mark.parametrize("content, must", [
    (_swap(OHSS_FY, "2206440", "22064400000"), ["Quantity", "10,000,000"]),
    (_swap(SBO, ",120\n", ",5000000\n"), ["Encounter Count", "1,000,000"]),
    (_swap(IOM, ",2,US", ",20000,US"), ["Total Number of Dead and Missing", "10,000"]),
    (_swap(BANXICO, ",5000\n", ",1e300\n"), ["VALOR_USD"]),
    (_swap(BANXICO, ",100,", ",5000000000,"), ["OPERACIONES"]),
    (_swap(WB, "127000000", "9e99"), ["Value"]),
    (_swap(REFS, "782176", "-1e12"), ["value"]),
    (_swap(BANXICO, ",5000\n", ",1e400\n"), ["not finite"]),
    (_swap(SBO, ",120\n", ",1e400\n"), ["not a whole number"]),  # a count has no exponent
], ids=["ohss_fy", "sbo", "iom", "banxico_usd", "banxico_ops", "worldbank", "refs_negative",
        "overflow_to_inf", "count_with_exponent"])
def test_counts_above_the_ceiling_are_refused(content, must, seeded_dir, capsys):
    _rejected(content, seeded_dir, capsys, must)


def test_every_catalogued_series_has_a_ceiling():
    from borderflow.data import catalog

    for name in catalog.SERIES:
        assert domains.ceiling(name) > 0


def test_bundled_snapshot_is_within_its_domains():
    df = storage.snapshot().table
    for (source, series), part in df.groupby(["source", "series"]):
        first, last = domains.coverage(source)
        assert part["period_start"].min() >= first, (source, series)
        assert part["period_start"].max() <= last, (source, series)
        assert part["value"].abs().max() <= domains.ceiling(series), series


# --- labels -----------------------------------------------------------------------------


@_HYP
@given(tail=st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=6))
def test_generated_month_labels_are_never_matched_by_prefix(tail, seeded_dir, capsys):
    label = "JAN" + tail
    if periods.parse_month(label) is not None:  # JANUARY is the full name
        assert label == "JANUARY"
        return
    _rejected(_swap(SBO, ",JAN,", f",{label},"), seeded_dir, capsys, ["Month (abbv)", label])


@pytest.mark.parametrize("label, month", [("JAN", 1), ("jan", 1), ("January", 1), ("OCT", 10),
                                          ("OCTOBER", 10), ("OCTOPUS", None), ("JA", None),
                                          ("DECEMBERS", None), ("", None)])
def test_parse_month_whole_labels(label, month):
    assert periods.parse_month(label) == month


@pytest.mark.parametrize("text, year", [("2024", 2024), ("FY2024", 2024), ("2025 (FYTD)", 2025),
                                        ("2024abc", None), ("2024 junk", None),
                                        ("2024-05", None), ("20245", None)])
def test_parse_year_whole_labels(text, year):
    assert periods.parse_year(text) == year


@pytest.mark.parametrize("content, must", [
    (_swap(SBO, "2024,FYTD", "2024 junk,FYTD"), ["Fiscal Year", "2024 junk"]),
    (_swap(AOR, "San Diego Field Office", "Atlantis Field Office"),
     ["Area of Responsibility", "Atlantis Field Office", "San Diego Field Office"]),
    (_swap(IOM, "North America", "North Americas"), ["Region of Incident", "North America"]),
], ids=["year_with_junk", "invented_field_office", "iom_region_variant"])
def test_labels_are_matched_whole(content, must, seeded_dir, capsys):
    _rejected(content, seeded_dir, capsys, must)


def test_known_labels_still_read(tmp_path):
    path = tmp_path / "aor.csv"
    path.write_text(AOR)
    assert cbp_nationwide.read(path)["value"].sum() == 30
    path = tmp_path / "iom.csv"
    path.write_text(IOM.replace("North America", iom_mmp.REGIONS[0]))
    assert iom_mmp.read(path)["value"].max() == 2


# --- data remove --------------------------------------------------------------------------


def test_remove_undoes_an_import(tmp_path, capsys):
    data_dir = tmp_path / "user"
    bundled = tree_digest(storage.bundled_dir())
    base = storage.snapshot(data_dir).table
    tucson = (base["series"] == "usbp_sw_encounters") & (base["geography"] == "Tucson, AZ") & (
        base["period_start"] == "2024-01-01")
    assert base.loc[tucson, "value"].tolist() == [50560.0]
    path = tmp_path / "new.csv"
    path.write_text(_swap(OHSS, "50560", "50570"))
    code, out, err = run_cli(["data", "import", str(path), "--data-dir", str(data_dir)], capsys)
    assert code == 0, out + err
    after = storage.snapshot(data_dir).table
    mask = (after["series"] == "usbp_sw_encounters") & (after["geography"] == "Tucson, AZ") & (
        after["period_start"] == "2024-01-01")
    assert after.loc[mask, "value"].tolist() == [50570.0]

    code, out, err = run_cli(["data", "remove", "dhs_ohss_usbp", "--data-dir", str(data_dir)],
                             capsys)
    assert code == 0, out + err
    assert "removed" in out and "dhs_ohss_usbp" in out
    again = storage.snapshot(data_dir).table
    assert again.equals(base)
    assert tree_digest(storage.bundled_dir()) == bundled
    assert not list((data_dir / "observations").glob("*"))


def test_remove_refuses_bundled_and_unknown_sources(tmp_path, capsys):
    data_dir = tmp_path / "user"
    bundled = tree_digest(storage.bundled_dir())
    for args, must in ((["cbp_sbo"], "bundled snapshot"), (["atlantis"], "atlantis"), ([], "--all")):
        code, out, err = run_cli(["data", "remove", *args, "--data-dir", str(data_dir)], capsys)
        assert code == 2, out + err
        assert must in out + err and "Traceback" not in out + err
    code, out, _ = run_cli(["data", "remove", "--all", "--data-dir", str(data_dir)], capsys)
    assert code == 0 and "nothing to remove" in out
    assert tree_digest(storage.bundled_dir()) == bundled


def test_remove_all(tmp_path, capsys):
    data_dir = tmp_path / "user"
    for name, text in (("a.csv", OHSS), ("b.csv", SBO)):
        (tmp_path / name).write_text(text)
        code, out, err = run_cli(["data", "import", str(tmp_path / name), "--data-dir",
                                  str(data_dir)], capsys)
        assert code == 0, out + err
    from borderflow.data.userstore import imported_sources

    assert imported_sources(data_dir) == ["cbp_sbo", "dhs_ohss_usbp"]
    code, out, _ = run_cli(["data", "remove", "--all", "--data-dir", str(data_dir)], capsys)
    assert code == 0 and "cbp_sbo" in out and "dhs_ohss_usbp" in out
    assert imported_sources(data_dir) == []


def test_paths_that_look_like_markup_are_printed_as_text(tmp_path, capsys):
    folder = tmp_path / "q[" / "x]"  # the path holds '[/x]'
    folder.mkdir(parents=True)
    path = folder / "f.csv"
    path.write_text(OHSS)
    code, out, err = run_cli(["data", "import", str(path), "--data-dir", str(folder / "u")],
                             capsys)
    assert code == 0, out + err
    assert "q[/x]" in " ".join(out.split()).replace(" ", "") or "[/x]" in out
    code, out, err = run_cli(["data", "remove", "--all", "--data-dir", str(folder / "u")],
                             capsys)
    assert code == 0 and "dhs_ohss_usbp" in out
