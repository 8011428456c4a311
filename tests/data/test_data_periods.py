"""Fiscal-to-calendar month mapping and period parsing."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderflow.data import periods


@pytest.mark.parametrize("fy, fm, expected", [
    (2024, 1, (2023, 10)), (2024, 3, (2023, 12)), (2024, 4, (2024, 1)), (2024, 12, (2024, 9)),
    (2000, 1, (1999, 10)), (2020, 6, (2020, 3)),
])
def test_fiscal_to_calendar(fy, fm, expected):
    assert periods.fiscal_to_calendar(fy, fm) == expected


@given(st.integers(1990, 2100), st.integers(1, 12))
def test_fiscal_calendar_round_trip(year, month):
    fy, fm = periods.calendar_to_fiscal(year, month)
    assert periods.fiscal_to_calendar(fy, fm) == (year, month)
    assert fy in (year, year + 1) and 1 <= fm <= 12


@pytest.mark.parametrize("label, expected", [
    ("01 October", 1), ("04 January", 4), ("12 September", 12), ("4 Jan", 4),
    ("04 March", None), ("13 October", None), ("October", None), ("", None), ("00 October", None),
])
def test_parse_fiscal_month(label, expected):
    assert periods.parse_fiscal_month(label) == expected


def test_ohss_label_maps_to_calendar_month(tmp_path):
    from borderflow.data.importers import ohss_usbp

    path = tmp_path / "m.csv"
    path.write_text("Fiscal Year,Month,Quantity\n2024,01 October,10\n2024,04 January,20\n"
                    "2024,12 September,30\n")
    df = ohss_usbp.read(path)
    starts = [f"{d:%Y-%m-%d}" for d in df["period_start"]]
    ends = [f"{d:%Y-%m-%d}" for d in df["period_end"]]
    assert starts == ["2023-10-01", "2024-01-01", "2024-09-01"]
    assert ends == ["2023-10-31", "2024-01-31", "2024-09-30"]


def test_month_helpers_handle_leap_years():
    start = periods.month_starts([2024, 2023], [2, 2])
    assert list(periods.month_ends(start)) == [np.datetime64("2024-02-29"),
                                              np.datetime64("2023-02-28")]
    fy_start, fy_end = periods.fiscal_year_bounds(np.array([2024]))
    assert (fy_start[0], fy_end[0]) == (np.datetime64("2023-10-01"), np.datetime64("2024-09-30"))


@pytest.mark.parametrize("text, expected", [
    ("FY2021", (date(2020, 10, 1), date(2021, 9, 30), "FY")),
    ("CY2019 (published)", (date(2019, 1, 1), date(2019, 12, 31), "A")),
    ("2023-05", (date(2023, 5, 1), date(2023, 5, 31), "M")),
    ("2023-01..2023-06", (date(2023, 1, 1), date(2023, 6, 30), "P")),
    ("2022-01-01..2022-12-28", (date(2022, 1, 1), date(2022, 12, 28), "P")),
    ("FY2021 (to end of August)", (date(2020, 10, 1), date(2021, 8, 31), "P")),
    ("FY2023 (to ~Feb 2023)", (date(2022, 10, 1), date(2023, 2, 28), "P")),
    ("2023 (after May)", (date(2023, 6, 1), date(2023, 12, 31), "P")),
    ("2023 (to ~mid-Dec)", (date(2023, 1, 1), date(2023, 12, 15), "P")),
    ("soon", None), ("2023-13", None),
])
def test_parse_period(text, expected):
    assert periods.parse_period(text) == expected
