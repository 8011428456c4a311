"""Bad input through the CLI: exit code 2, one short message naming file, line and field, no
traceback, and the user data directory left exactly as it was."""

from __future__ import annotations

import string
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from data_helpers import run_cli, tree_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.data import names

OHSS = ('Fiscal Year,Month,Region,Sector,Quantity\n'
        '2024,03 December,Southwest Land Border,"Tucson, AZ",80180\n'
        '2024,04 January,Southwest Land Border,"Tucson, AZ",50560\n')
OHSS_REGION = ('Fiscal Year,Month,Region,Quantity\n'
               '2024,03 December,Southwest Land Border,249740\n'
               '2024,04 January,Southwest Land Border,124220\n')
SBO_HEAD = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,"
            "Title of Authority,Encounter Type,Encounter Count\n")
SBO = SBO_HEAD + ("2024,FYTD,JAN,U.S. Border Patrol,FMUA,Mexico,Title 8,Apprehensions,120\n"
                  "2024,FYTD,JAN,U.S. Border Patrol,UAC,Other,Title 8,Apprehensions,7\n")
STATE = ("Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,"
         "Citizenship,Title of Authority,Encounter Count\n"
         "2023,FYTD,OCT,Southwest Land Border,TX,Single Adults,MEXICO,Title 8,100\n")
LONG = "month|tucson|southwest_border|monthly_total|fy|cy\n10|100|100|120|2020|2019\n"
IOM = ("Incident ID,Region of Incident,Incident Date,Incident year,Reported Month,"
       "Total Number of Dead and Missing,Migration route,Coordinates\n"
       '2021.MMP1,North America,2021-01-05,2021,January,2,US-Mexico border crossing,'
       '"POINT (-111.2 31.5)"\n')
PIMA = ("ML Number,Reporting Date,Corridor,County,State\n"
        "21-001,2021-01-05,San Miguel,PIMA,Arizona\n")
BANXICO = "PERIODO,ID_FLUJO,FLUJO,OPERACIONES,VALOR_USD\n2024-01-01,1,Ingresos,100,5000\n"
WHO = ("Id,IndicatorCode,SpatialDimType,SpatialDim,TimeDim,Dim1,Dim2,NumericValue\n"
       "1,VIOLENCE_HOMICIDENUM,COUNTRY,MEX,2019,BTSX,NA,32450.1\n")
REFS = ("topic,measure,geography,period,value,unit,original_publisher\n"
        "mexico,events,Mexico,CY2023,782176,events,UPM\n")


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


# (id, content, substrings the message must contain)
VARIANTS = [
    ("empty", "", ["empty"]),
    ("header_only", OHSS.split("\n")[0] + "\n", ["no data rows", ":1"]),
    ("blank_header", "\n\n2024,1\n", ["first row is blank"]),
    ("unknown_columns", "foo,bar\n1,2\n", ["unrecognised columns", "expected"]),
    ("missing_column", _swap(SBO, "Encounter Type,", ""), ["Encounter Type"]),
    ("truncated_row", OHSS[:-20], ["truncated", ":3"]),
    ("truncated_quote", OHSS[: OHSS.rindex('"')], ["truncated"]),
    ("too_many_fields", OHSS + '2024,05 February,Southwest Land Border,"Yuma, AZ",10,99\n',
     [":4", "6 fields"]),
    ("negative_count", _swap(OHSS, "50560", "-50560"), ["negative", ":3", "Quantity"]),
    ("non_numeric_count", _swap(OHSS, "50560", "lots"), ["not a number", "Quantity"]),
    ("empty_count", _swap(OHSS, ",50560", ","), ["missing value", ":3"]),
    ("fractional_count", _swap(SBO, ",120\n", ",12.5\n"), ["whole number", "Encounter Count"]),
    ("not_rounded_to_10", _swap(OHSS, "50560", "50561"), ["rounded to 10", ":3"]),
    ("duplicate_row", OHSS + OHSS.split("\n")[2] + "\n", ["duplicate", "line 3", ":4"]),
    ("duplicate_sbo_row", SBO + SBO.split("\n")[1] + "\n", ["duplicate", ":4"]),
    ("unknown_sector", _swap(OHSS, "Tucson, AZ", "Atlantis, ZZ"), ["unknown sector",
                                                                    "Atlantis"]),
    ("sector_in_wrong_region", _swap(OHSS, "Southwest Land Border", "Northern Land Border"),
     ["not in the Northern"]),
    ("unknown_country_ohss", 'Fiscal Year,Month,Citizenship,Quantity\n2024,04 January,Narnia,10\n',
     ["unknown citizenship", "Narnia"]),
    ("unknown_country_cbp", _swap(SBO, "Mexico", "ATLANTIS"), ["ATLANTIS", ":2"]),
    ("unknown_demographic", _swap(SBO, "FMUA", "Robots"), ["Robots", "Demographic"]),
    ("bad_fiscal_month", _swap(OHSS, "04 January", "13 January"), ["13 January", "Month"]),
    ("month_name_mismatch", _swap(OHSS, "04 January", "04 March"), ["04 March"]),
    ("bad_fiscal_year", _swap(OHSS, "2024,04", "20X4,04"), ["20X4", "Fiscal Year"]),
    ("bad_authority", _swap(SBO, "Title 8,Apprehensions,120", "Title 99,Apprehensions,120"),
     ["Title 99"]),
    ("unknown_state", _swap(STATE, ",TX,", ",ZZ,"), ["ZZ", "State"]),
    ("unknown_sector_column", _swap(LONG, "tucson", "atlantis"), ["atlantis"]),
    ("fy_cy_mismatch", _swap(LONG, "2020|2019", "2020|2020"), ["does not match", "cy"]),
    ("iom_bad_coordinates", _swap(IOM, "POINT (-111.2 31.5)", "POINT (-511.2 31.5)"),
     ["Coordinates"]),
    ("iom_conflicting_duplicate", IOM + _swap(IOM.split("\n")[1], ",2,", ",3,") + "\n",
     ["Incident ID", ":3"]),
    ("pima_duplicate_case", PIMA + PIMA.split("\n")[1] + "\n", ["duplicate case", ":3"]),
    ("banxico_mid_month", _swap(BANXICO, "2024-01-01", "2024-01-15"), ["first day"]),
    ("who_wrong_indicator", _swap(WHO, "VIOLENCE_HOMICIDENUM", "LIFE_EXPECTANCY"),
     ["LIFE_EXPECTANCY"]),
    ("refs_bad_period", _swap(REFS, "CY2023", "sometime"), ["sometime", "period"]),
]
BINARY = [
    ("non_utf8", OHSS.replace("Tucson", "Tucs\xf3n").encode("latin-1"), ["UTF-8", ":2"]),
    ("nul_bytes", OHSS.encode() + b"\x00\x00", ["NUL"]),
    ("xlsx_workbook", b"PK\x03\x04" + b"\x00" * 64, ["Excel"]),
    ("gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 64, ["gzip"]),
]


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory) -> Path:
    """A user data dir that already holds one import, so 'unchanged' is meaningful."""
    directory = tmp_path_factory.mktemp("user")
    good = directory.parent / "good.csv"
    good.write_text(OHSS)
    from borderflow.data.userstore import import_files

    import_files([good], directory)
    assert tree_digest(directory)
    return directory


def _assert_rejected(path: Path, data_dir: Path, capsys, must=()) -> str:
    before = tree_digest(data_dir)
    code, out, err = run_cli(["data", "import", str(path), "--data-dir", str(data_dir)], capsys)
    message = out + err
    assert code == 2, message
    assert "Traceback" not in message
    assert 0 < len(message.strip().splitlines()) < 25
    assert str(path.name) in message
    for fragment in must:
        assert fragment in message, (fragment, message)
    assert tree_digest(data_dir) == before
    return message


@pytest.mark.parametrize("name, content, must", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_malformed_text(name, content, must, tmp_path, seeded_dir, capsys):
    path = tmp_path / f"{name}.csv"
    path.write_text(content, encoding="utf-8")
    _assert_rejected(path, seeded_dir, capsys, must)


@pytest.mark.parametrize("name, content, must", BINARY, ids=[v[0] for v in BINARY])
def test_malformed_bytes(name, content, must, tmp_path, seeded_dir, capsys):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(content)
    _assert_rejected(path, seeded_dir, capsys, must)


def test_huge_file_is_refused_before_reading(tmp_path, seeded_dir, capsys):
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: no disk space used
        fh.truncate(201 * 1024 * 1024)
    _assert_rejected(path, seeded_dir, capsys, ["MB", "limit"])


def test_missing_file_and_directory(tmp_path, seeded_dir, capsys):
    _assert_rejected(tmp_path / "nowhere.csv", seeded_dir, capsys, ["no such file"])
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    _assert_rejected(folder, seeded_dir, capsys, ["not a regular file"])


def test_one_bad_file_blocks_the_whole_import(tmp_path, seeded_dir, capsys):
    good = tmp_path / "good_sbo.csv"
    good.write_text(SBO)
    bad = tmp_path / "bad.csv"
    bad.write_text(_swap(OHSS, "50560", "-1"))
    before = tree_digest(seeded_dir)
    code, _, err = run_cli(["data", "import", str(good), str(bad), "--data-dir",
                            str(seeded_dir)], capsys)
    assert code == 2 and "bad.csv" in err
    assert tree_digest(seeded_dir) == before


_HYP = settings(max_examples=12, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check_generated(content: bytes, seeded_dir: Path, capsys, must=()) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.csv"
        path.write_bytes(content)
        _assert_rejected(path, seeded_dir, capsys, must)


_NOT_A_NUMBER = st.text(alphabet=string.ascii_letters + "-_/#%", min_size=1, max_size=8)


@_HYP
@given(bad=_NOT_A_NUMBER)
def test_generated_non_numeric_counts(bad, seeded_dir, capsys):
    _check_generated(_swap(OHSS, "50560", bad).encode(), seeded_dir, capsys, ["Quantity"])


@_HYP
@given(n=st.integers(min_value=-10**9, max_value=-1))
def test_generated_negative_counts(n, seeded_dir, capsys):
    _check_generated(_swap(SBO, ",120\n", f",{n}\n").encode(), seeded_dir, capsys,
                     ["negative"])


@_HYP
@given(name=st.text(alphabet=string.ascii_letters + " ", min_size=3, max_size=15).filter(
    lambda s: s.strip() and names.sector(s) is None))
def test_generated_unknown_sectors(name, seeded_dir, capsys):
    _check_generated(_swap(OHSS, "Tucson, AZ", name.strip()).encode(), seeded_dir, capsys,
                     ["Sector"])


@_HYP
@given(cut=st.integers(min_value=1, max_value=len(OHSS_REGION.split("\n")[2]) - 1))
def test_generated_truncation_inside_last_row(cut, seeded_dir, capsys):
    start = OHSS_REGION.rindex("\n", 0, len(OHSS_REGION) - 1) + 1
    _check_generated(OHSS_REGION[: start + cut].encode(), seeded_dir, capsys)


@_HYP
@given(pos=st.integers(min_value=0, max_value=len(OHSS) - 1),
       byte=st.integers(min_value=0x80, max_value=0xFF))
def test_generated_invalid_utf8_bytes(pos, byte, seeded_dir, capsys):
    data = OHSS.encode()
    _check_generated(data[:pos] + bytes([byte]) + b"x" + data[pos:], seeded_dir, capsys,
                     ["UTF-8"])


def test_real_process_exit_code(tmp_path, seeded_dir):
    bad = tmp_path / "negative.csv"
    bad.write_text(_swap(OHSS, "50560", "-5"))
    before = tree_digest(seeded_dir)
    proc = subprocess.run([sys.executable, "-m", "borderflow.cli", "data", "import", str(bad),
                           "--data-dir", str(seeded_dir)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "negative.csv:3" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) < 25
    assert tree_digest(seeded_dir) == before
