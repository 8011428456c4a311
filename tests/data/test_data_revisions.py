"""A release replaces what it covers as a whole; labels have one canonical name per category;
encounter types belong to their component; counts are strict integers."""

from __future__ import annotations

import pytest
from data_helpers import run_cli, tree_digest, write_file

import borderflow.data as bd
from borderflow.data import names
from borderflow.data.importers import cbp_sbo
from borderflow.errors import InputError

HEAD = ("Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,"
        "Title of Authority,Encounter Type,Encounter Count\n")
USBP = "U.S. Border Patrol"
OFO = "Office of Field Operations"


def _row(citizenship: str, count: str, *, month: str = "MAR", fy: str = "2021",
         component: str = USBP, demographic: str = "Single Adults", authority: str = "Title 8",
         kind: str = "Apprehensions") -> str:
    return (f"{fy},FYTD,{month},{component},{demographic},{citizenship},{authority},{kind},"
            f"{count}\n")


def _usbp_total(month: str) -> float:
    got = bd.monthly("cbp_sw_encounters_usbp", start=month, end=month)["value"]
    return float(got.sum())


# --- 1. a release replaces the months and series it covers --------------------------------

def test_revision_folding_el_salvador_into_other_replaces_the_month(tmp_path, user_dir,
                                                                      capsys):
    old = write_file(tmp_path, "old.csv", HEAD + _row("El Salvador", "500") + _row("Other", "1300")
                 + _row("Mexico", "40", month="APR"))
    bd.import_files([old])
    assert _usbp_total("2021-03") == 1800
    new = write_file(tmp_path, "new.csv", HEAD + _row("Other", "1800"))
    report = bd.import_files([new])
    assert _usbp_total("2021-03") == 1800          # not 2,300: El Salvador is gone
    assert _usbp_total("2021-04") == 40            # a month the file does not cover stays
    cells = bd.monthly("cbp_sw_encounters_usbp", by="citizenship", start="2021-03",
                       end="2021-03")
    assert cells.set_index("citizenship")["value"].to_dict() == {"Other": 1800.0}
    moved = [r for r in report.revisions if r.series == "cbp_sw_encounters_usbp"]
    assert [(r.month, r.old_total, r.new_total) for r in moved] == [("2021-03", 1800, 1800)]
    assert "El Salvador" in moved[0].removed and moved[0].added == ""
    # the CLI prints the same table: month, series, old and new total, categories
    again = write_file(tmp_path, "again.csv", HEAD + _row("El Salvador", "500")
                   + _row("Other", "1300"))
    code, out, _ = run_cli(["data", "import", str(again)], capsys)
    assert code == 0
    assert "2021-03" in out and "El Salvador" in out and "1,800" in out
    assert _usbp_total("2021-03") == 1800


def test_revision_of_a_bundled_month_drops_cells_it_leaves_out(tmp_path, user_dir):
    bundled = bd.monthly("cbp_sw_encounters_usbp", start="2023-12", end="2023-12")
    total = float(bundled["value"].sum())
    # one cell carrying the whole month: every bundled cell of 2023-12 must go
    new = write_file(tmp_path, "dec.csv", HEAD + _row("Other", f"{int(total)}", month="DEC",
                                                  fy="2024"))
    report = bd.import_files([new])
    assert _usbp_total("2023-12") == total
    by = bd.monthly("cbp_sw_encounters_usbp", by="citizenship", start="2023-12", end="2023-12")
    assert by["citizenship"].tolist() == ["Other"]
    assert _usbp_total("2023-11") == float(
        bd.monthly("cbp_sw_encounters_usbp", start="2023-11", end="2023-11")["value"].sum())
    assert any(r.month == "2023-12" and "Mexico" in r.removed for r in report.revisions)


def test_a_breakdown_sheet_replaces_only_its_own_layer(tmp_path, user_dir):
    """An OHSS sector sheet covers the sector rows of its months, not the totals."""
    text = ('Fiscal Year,Month,Region,Sector,Quantity\n'
            '2024,04 January,Southwest Land Border,"Tucson, AZ",50560\n')
    bd.import_files([write_file(tmp_path, "sector.csv", text)])
    jan = bd.monthly("usbp_sw_encounters", by="sector", start="2024-01", end="2024-01")
    assert jan["sector"].tolist() == ["Tucson, AZ"]
    assert bd.monthly("usbp_sw_encounters", start="2024-01", end="2024-01")["value"].tolist() \
        == [124220.0]
    assert len(bd.monthly("usbp_sw_encounters", by="citizenship", start="2024-01",
                          end="2024-01")) > 1


# --- 2. one canonical name per category ---------------------------------------------------

@pytest.mark.parametrize("label", ["MEXICO", "México", " mexico ", "MÉXICO"])
def test_country_spellings_have_one_canonical_name(label):
    assert names.citizenship(label) == "Mexico"


def test_salvador_spellings():
    assert names.citizenship("EL SALVADOR") == names.citizenship("El Salvador") == "El Salvador"


@pytest.mark.parametrize("first,second,field", [
    ("Mexico", "MEXICO", "Citizenship Grouping"),
    ("Mexico", "México", "Citizenship Grouping"),
])
def test_two_spellings_of_one_cell_are_refused(tmp_path, user_dir, capsys, first, second, field):
    path = write_file(tmp_path, "dup.csv", HEAD + _row(first, "100") + _row(second, "200"))
    code, out, err = run_cli(["data", "import", str(path)], capsys)
    assert code == 2 and "Traceback" not in out + err
    assert "dup.csv:3" in err and field in err and second in err and "duplicate" in err
    assert tree_digest(user_dir) == {}


def test_demographic_spellings_are_one_cell(tmp_path):
    path = write_file(tmp_path, "dup.csv", HEAD + _row("Mexico", "1", demographic="FMUA")
                  + _row("Mexico", "2", demographic="fmua"))
    with pytest.raises(InputError, match=r"dup.csv:3.*Demographic.*fmua"):
        cbp_sbo.read(path)


def test_accompanied_minors_still_join_family_units(tmp_path):
    path = write_file(tmp_path, "am.csv", HEAD
                  + _row("Mexico", "20", component=OFO, demographic="Accompanied Minors",
                         kind="Inadmissibles")
                  + _row("Mexico", "30", component=OFO, demographic="FMUA",
                         kind="Inadmissibles"))
    df = cbp_sbo.read(path)
    ofo = df[df["series"] == "cbp_sw_encounters_ofo"]
    assert ofo["value"].tolist() == [50.0]


@pytest.mark.parametrize("label,hint", [("Mexco", "did you mean 'Mexico'"),
                                        ("KOREA", "ambiguous"),
                                        ("Narnia", "OHSS country")])
def test_unknown_or_ambiguous_country_is_refused(tmp_path, label, hint):
    path = write_file(tmp_path, "bad.csv", HEAD + _row(label, "5"))
    with pytest.raises(InputError, match="bad.csv:2") as exc:
        cbp_sbo.read(path)
    assert hint in str(exc.value) and "Citizenship Grouping" in str(exc.value)


def test_unknown_demographic_lists_the_allowed_values(tmp_path):
    path = write_file(tmp_path, "bad.csv", HEAD + _row("Mexico", "5", demographic="Single Adlts"))
    with pytest.raises(InputError, match="did you mean 'Single Adults'") as exc:
        cbp_sbo.read(path)
    assert "FMUA" in str(exc.value)


def test_no_two_canonical_countries_share_a_spelling():
    keys = [names.citizenship_key(n) for n in names.OHSS_COUNTRIES + names.EXTRA_COUNTRIES]
    assert len(keys) == len(set(keys))


# --- 3. an encounter type belongs to its component ------------------------------------------

def test_ofo_type_in_a_border_patrol_row_is_refused(tmp_path, user_dir, capsys):
    path = write_file(tmp_path, "type.csv", HEAD + _row("Mexico", "100")
                  + _row("Mexico", "50", kind="Inadmissibles"))
    code, out, err = run_cli(["data", "import", str(path)], capsys)
    assert code == 2 and "Traceback" not in out + err
    assert "type.csv:3" in err and "Encounter Type" in err and "Inadmissibles" in err
    assert "Apprehensions" in err
    assert tree_digest(user_dir) == {}


def test_title_42_rows_are_expulsions(tmp_path):
    path = write_file(tmp_path, "t42.csv", HEAD + _row("Mexico", "9", authority="Title 42",
                                                   kind="Apprehensions"))
    with pytest.raises(InputError, match="t42.csv:2.*Encounter Type.*Expulsions"):
        cbp_sbo.read(path)


# --- 4. strict counts -----------------------------------------------------------------------

@pytest.mark.parametrize("count,value", [("1200", 1200), ('"1,200"', 1200),
                                         ('"123,456"', 123456), ("0", 0)])
def test_counts_allowed(tmp_path, count, value):
    df = cbp_sbo.read(write_file(tmp_path, "ok.csv", HEAD + _row("Mexico", count)))
    assert df["value"].iloc[0] == value


def test_large_count_with_separators(tmp_path):
    from borderflow.data.importers import _fields
    from borderflow.data.importers._csv import read_table

    t = read_table(write_file(tmp_path, "n.csv", 'n\n"12,345,678"\n12345678\n'), ["n"])
    assert _fields.numbers(t, "n", whole=True).tolist() == [12345678.0, 12345678.0]


@pytest.mark.parametrize("count", ['"1200,00"', '"1,2,0,0"', "12 00", "1.5", "\u0661\u0662",
                                   "\uff11\uff12", "\u0e51\u0e52", "-5", '"12,34"', "+5",
                                   '"1,200.0"', "1e3"])
def test_counts_refused(tmp_path, user_dir, capsys, count):
    path = write_file(tmp_path, "bad.csv", HEAD + _row("Mexico", count))
    code, out, err = run_cli(["data", "import", str(path)], capsys)
    assert code == 2 and "Traceback" not in out + err
    shown = count.strip('"')
    assert "bad.csv:2" in err and "Encounter Count" in err and shown in err
    assert tree_digest(user_dir) == {}


@pytest.mark.parametrize("count", ["\u0661\u0662\u0660", "1,2,0,0", "12 00"])
def test_ohss_quantities_are_strict_too(tmp_path, count):
    from borderflow.data.importers import ohss_usbp

    text = f'Fiscal Year,Month,Region,Quantity\n2024,04 January,Southwest Land Border,"{count}"\n'
    with pytest.raises(InputError, match="sheet.csv:2.*Quantity"):
        ohss_usbp.read(write_file(tmp_path, "sheet.csv", text))
