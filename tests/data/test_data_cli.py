"""`borderflow data list/show/sources` output and charts."""

from __future__ import annotations

import importlib.util

import pytest
from data_helpers import run_cli


@pytest.fixture(autouse=True)
def _empty_user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERFLOW_DATA_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("COLUMNS", "120")


def test_show_headline_months(capsys):
    code, out, err = run_cli(["data", "show", "usbp_sw_encounters", "--from", "2023-12",
                              "--to", "2024-01"], capsys)
    assert code == 0, err
    assert "249,740" in out and "124,220" in out
    assert "2023-11" not in out and "2024-02" not in out


def test_show_by_sector_lists_all_nine(capsys):
    code, out, _ = run_cli(["data", "show", "usbp_sw_encounters", "--by", "sector", "--from",
                            "2024-01", "--to", "2024-01"], capsys)
    assert code == 0
    assert "Rio Grande Valley, TX" in out and "50,560" in out  # Tucson, Jan 2024


def test_show_citizenship_top(capsys):
    code, out, _ = run_cli(["data", "show", "usbp_sw_encounters", "--by", "citizenship",
                            "--from", "2023-12", "--to", "2024-01", "--top", "3"], capsys)
    assert code == 0 and "Mexico" in out and "not shown" in out


def test_list_and_pattern(capsys):
    code, out, _ = run_cli(["data", "list"], capsys)
    assert code == 0
    for name in ("usbp_sw_encounters", "cbp_sw_encounters", "iom_deaths_us_mexico",
                 "mexico_remittances", "population", "homicides"):
        assert name in out
    code, out, _ = run_cli(["data", "list", "mexico_*"], capsys)
    assert "usbp_sw_encounters" not in out and "mexico_remittances" in out


def test_sources(capsys):
    code, out, _ = run_cli(["data", "sources"], capsys)
    assert code == 0 and "dhs_ohss_usbp" in out and "bundled" in out


def test_plot_html_inlines_plotly(tmp_path, capsys):
    target = tmp_path / "sw.html"
    code, out, _ = run_cli(["data", "show", "usbp_sw_encounters", "--by", "sector", "--from",
                            "2023-01", "--plot", str(target)], capsys)
    assert code == 0 and target.exists()
    html = target.read_text()
    assert "Tucson, AZ" in html and len(html) > 1_000_000  # plotly.js is inlined
    assert "<script src=\"https://cdn.plot.ly" not in html


@pytest.mark.skipif(importlib.util.find_spec("kaleido") is not None, reason="kaleido present")
def test_plot_png_without_kaleido_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "sw.png"
    code, _, err = run_cli(["data", "show", "usbp_sw_encounters", "--plot", str(target)], capsys)
    assert code == 2 and "kaleido" in err and ".html" in err and not target.exists()


@pytest.mark.parametrize("args, fragment", [
    (["data", "show", "usbp_sw_encounter"], "did you mean"),
    (["data", "show", "usbp_sw_encounters", "--from", "2023-13"], "YYYY-MM"),
    (["data", "show", "usbp_sw_encounters", "--from", "2024-01", "--to", "2023-01"], "empty"),
    (["data", "show", "usbp_sw_encounters", "--by", "state"], "sector"),
    (["data", "show", "usbp_sw_encounters", "--plot", "chart.svg"], ".html"),
])
def test_show_errors(args, fragment, capsys):
    code, out, err = run_cli(args, capsys)
    assert code == 2 and fragment in err and "Traceback" not in out + err


def test_output_paths_that_are_directories(tmp_path, capsys):
    code, _, err = run_cli(["data", "export", "--out", str(tmp_path)], capsys)
    assert code == 2 and "is a folder (expected a file name)" in err
    code, _, err = run_cli(["data", "show", "usbp_sw_encounters", "--plot", str(tmp_path)],
                           capsys)
    assert code == 2 and "is a directory" in err


def test_corrupt_user_store_is_a_clear_error(tmp_path, capsys):
    store_dir = tmp_path / "broken" / "observations"
    store_dir.mkdir(parents=True)
    (store_dir / "dhs_ohss_usbp.parquet").write_text("not parquet")
    code, out, err = run_cli(["data", "list", "--data-dir", str(tmp_path / "broken")], capsys)
    assert code == 2 and "dhs_ohss_usbp.parquet" in err and "import" in err
    assert "Traceback" not in out + err
