"""User text is never read as console markup: lever names, file names and CSV cells that look
like rich markup (``[/x]``, ``[bold]``) are printed as they are, in errors and in tables."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

SCENARIO = 'id: t\ntitle: T\nstart: "2019-01"\nend: "2019-03"\n'
OHSS = ('Fiscal Year,Month,Region,Sector,Quantity\n'
        '2024,03 December,Southwest Land Border,"{sector}",80180\n')


def test_markup_lever_name_in_scenario_validate(cli, tmp_path):
    (tmp_path / "m.yaml").write_text(SCENARIO + 'levers:\n  "[/x]": 1\n')
    code, out, err = cli(["scenario", "validate", "m.yaml"])
    assert code == 2, err
    assert "[/x]" in err and "m.yaml" in err
    assert "Traceback" not in err + out


def test_markup_lever_name_in_run(cli, tmp_path):
    (tmp_path / "m.yaml").write_text(SCENARIO + 'levers:\n  "[bold]x[/bold][/y]": 1\n')
    code, out, err = cli(["run", "m.yaml", "--out", "o"])
    assert code == 2, err
    assert "[bold]x[/bold][/y]" in err
    assert not (tmp_path / "o").exists()


def test_markup_file_name(cli, tmp_path):
    folder = tmp_path / "["
    folder.mkdir()
    (folder / "x].yaml").write_text(SCENARIO + "levers:\n  nope: 1\n")
    code, _, err = cli(["scenario", "validate", "[/x].yaml"])
    assert code == 2
    assert "[/x].yaml" in err and "nope" in err
    code, _, err = cli(["scenario", "validate", "[/x]-missing.yaml"])
    assert code == 2 and "[/x]-missing.yaml" in err


def test_markup_csv_cell_in_data_import(cli, tmp_path):
    (tmp_path / "[red]ohss.csv").write_text(OHSS.format(sector="Tucson[/x], AZ"))
    code, out, err = cli(["data", "import", "[red]ohss.csv"])
    assert code == 2, out + err
    assert "[red]ohss.csv" in err and "Tucson[/x], AZ" in err
    assert "Traceback" not in err


def test_markup_in_import_table_and_folder(cli, tmp_path):
    folder = tmp_path / "[bold]d"
    (tmp_path / "ok.csv").write_text(OHSS.format(sector="Tucson, AZ"))
    code, out, err = cli(["data", "import", "ok.csv", "--data-dir", str(folder)])
    assert code == 0, err
    assert "[bold]d" in out


@given(st.text(alphabet=st.sampled_from("[]/\\ab =#@"), max_size=30))
def test_error_text_prints_as_is(text):
    """Whatever an InputError quotes comes out of the error printer unchanged."""
    from borderflow.safeprint import line

    buf = io.StringIO()
    Console(file=buf, width=500, color_system=None).print(
        line(("error:", "bold red"), " ", text), highlight=False, soft_wrap=True)
    assert buf.getvalue() == f"error: {text}\n"
