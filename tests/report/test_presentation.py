"""Tables and pages in plain number formats that fit 80 columns, intervals that say when
they rest on fewer than 5 runs, and expected deaths where drawn deaths are too few."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from borderflow.report.numbers import DASH, interval, interval_label, number

METRICS = ["USBP encounters", "encounters San Diego, CA", "remote crossing share",
           "deaths and missing", "expected deaths and missing",
           "expected deaths per 100,000 crossings", "Mexican effort: months above 1.2x",
           "mean smuggling fee (USD)"]


def _summary() -> pd.DataFrame:
    return pd.DataFrame({
        "metric": METRICS,
        "a_median": [1234567.0, 23456, 0.43, 300, 212.3, 12.5, 3, np.nan],
        "b_median": [1197567, 22000, 0.41, 200, 230.1, 13.1, 0, 7000],
        "diff_median": [-37000, -1456, -0.02, -100, 17.8, 0.6, -3, np.nan],
        "diff_p10": [-37950, -1500, -0.03, -200, 10.1, 0.1, -3, np.nan],
        "diff_p90": [-36750, -1400, -0.01, 0, 20.2, 1.1, -3, np.nan],
        "pct_change": [-3.0, -6.2, -4.6, -33.3, 8.4, 4.8, -100, np.nan]})


def _render(renderable, width=80) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def _fits(text: str, width=80) -> None:
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in text  # nothing cut


@given(st.floats(allow_nan=True, allow_infinity=True, width=64), st.booleans())
def test_numbers_are_plain(v, signed):
    s = number(v, signed)
    if not math.isfinite(v):
        assert s == DASH
        return
    assert "e" not in s.lower() and "nan" not in s.lower()
    if abs(v) >= 10:
        assert float(s.replace(",", "")) == pytest.approx(round(v), abs=1)
        digits = s.lstrip("+-").split(".")[0]
        assert all(len(g) == 3 for g in digits.split(",")[1:])
    if signed and v > 0:
        assert s.startswith("+")


def test_interval_format():
    assert interval(-37950, -36750, signed=True) == "-37,950 .. -36,750"
    assert interval(float("nan"), 1) == DASH
    assert "2 runs" in interval_label(2) and interval_label(5) == "10-90% interval"


def test_compare_table_fits_80_columns_and_says_few_runs():
    from borderflow.cli_compare import compare_table, notes

    text = _render(compare_table(_summary(), "historical", "mexico_surge", "2019-01..2024-01",
                                 2, 100))
    _fits(text)
    assert "-37,950 .." in text and "e+0" not in text and "nan" not in text.lower()
    assert "2 runs" in text and "10-90% interval" not in text
    assert DASH in text
    flat = " ".join(text.split())
    for m in METRICS:  # names fold, they are never cut
        assert all(word in flat for word in m.split())
    msgs = notes(_summary(), 2, 100)
    assert any("fewer than 5" in n for n in msgs)
    assert any("expected deaths and missing" in n for n in msgs)
    assert notes(_summary(), 50, 1) == []
    wide = _render(compare_table(_summary(), "historical", "mexico_surge", "x", 50, 1))
    assert "10-90%" in wide and "runs!" not in wide


def test_compare_html_table_has_no_scientific_notation_or_nan():
    from borderflow.cli_compare import html_table

    page = html_table(_summary(), 2)
    assert "e+0" not in page and "NaN" not in page and "nan" not in page
    assert "1,234,567" in page and DASH in page and "only 2 runs" in page


def test_sensitivity_table_fits_80_columns():
    from borderflow.ensemble.factors import FACTORS
    from borderflow.ensemble.sensitivity import OUTCOMES, _table

    rng = np.random.default_rng(0)
    rows = [dict(outcome=o, factor=f.name, index=i, value=float(rng.uniform(-0.1, 0.9)),
                 conf=0.1) for o in OUTCOMES for f in FACTORS for i in ("S1", "ST")]
    text = _render(_table(pd.DataFrame(rows), "sobol"))
    _fits(text)
    for f in FACTORS:
        assert f.name in text  # on one line, not folded
    for o in OUTCOMES.values():
        assert o.split(",")[0] in " ".join(text.split())


def test_data_list_fits_80_columns():
    from borderflow.data.cli import list_table
    from borderflow.data.userstore import list_series

    df = list_series()
    text = _render(list_table(df))
    _fits(text)
    for name in df["series"]:
        if len(name) <= 40:
            assert name in text  # whole, on one line
    for source in df["source"].unique():
        assert source in text


def test_compare_metrics_report_expected_deaths():
    from borderflow.api import simulate
    from borderflow.compare import metrics
    from borderflow.scenario import load_scenario

    res = simulate(load_scenario("historical").with_span("2021-05", "2021-06"), scale=2000,
                   seed=1)
    m = metrics(res)
    expected = res.tables["crossings"]["expected_deaths"].sum()
    assert m["expected deaths and missing"] == pytest.approx(expected)
    assert m["expected deaths and missing"] > 0
