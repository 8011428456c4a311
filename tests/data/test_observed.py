"""``data.observed``: the one reader of monthly observations (a dense DataArray cut at an
origin), against the bundled store and against the long rows of ``data.monthly`` that the
analysis used to pivot itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import borderflow.data.query as query
from borderflow.data import monthly, observed
from borderflow.data.observed import USBP_SW, observed_total
from borderflow.errors import InputError
from borderflow.scenario.registry import DEMOGRAPHICS, NATIONALITIES, SECTORS
from borderflow.validate.bands import observed_breakdown
from borderflow.validate.objective import load_targets, month_range


def _pivot(df: pd.DataFrame, col: str, value: str, months, keys) -> np.ndarray:
    """The tidy rows of ``monthly`` as months x keys (missing = 0): the reference the
    dense reader is checked against."""
    p = df.pivot_table(index="month", columns=col, values=value, aggfunc="sum")
    return np.array(p.reindex(index=list(months), columns=list(keys)).fillna(0.0), dtype=float)


def test_dims_coords_and_attrs():
    da = observed(USBP_SW, "sector", span=("2022-11", "2023-02"))
    assert da.dims == ("month", "sector")
    assert da["month"].values.tolist() == ["2022-11", "2022-12", "2023-01", "2023-02"]
    assert da["sector"].values.tolist() == list(SECTORS)
    assert da.attrs["units"] == "encounters" and da.attrs["series"] == USBP_SW
    assert observed(USBP_SW, "citizenship").coords["citizenship"].values.tolist() == list(
        NATIONALITIES)
    assert observed(USBP_SW, "demographic").coords["demographic"].values.tolist() == list(
        DEMOGRAPHICS)
    nationwide = observed("usbp_encounters_by_sector_fy2000_2020", "sector")["sector"].values
    assert nationwide.tolist()[:len(SECTORS)] == list(SECTORS)   # then the others, sorted
    assert "Blaine, WA" in nationwide.tolist()[len(SECTORS):]
    total = observed(USBP_SW)
    assert total.dims == ("month",)
    months = total["month"].values.tolist()
    assert months == month_range(months[0], months[-1])      # every month, none twice


def test_known_value_from_the_bundled_store():
    assert float(observed(USBP_SW).sel(month="2023-12")) == 249740.0
    assert float(observed(USBP_SW, "sector", span=("2023-12", "2023-12")).sum()) == 249740.0


def test_span_beyond_the_store_is_nan():
    da = observed(USBP_SW, span=("2024-10", "2025-02"))
    assert da["month"].values.tolist() == month_range("2024-10", "2025-02")
    assert np.isfinite(da.values).tolist() == [True, True, False, False, False]


def test_citizenship_other_is_the_total_minus_the_named():
    span = ("2021-01", "2023-12")
    cit, tot = observed(USBP_SW, "citizenship", span=span), observed(USBP_SW, span=span)
    named = cit.sel(citizenship=list(NATIONALITIES[:-1])).fillna(0).sum("citizenship")
    np.testing.assert_array_equal(cit.sel(citizenship="Other").values,
                                  np.maximum(tot.values - named.values, 0))
    np.testing.assert_allclose(cit.fillna(0).sum("citizenship").values, tot.values)


def test_nothing_after_the_origin_is_read(monkeypatch):
    """Values after ``until`` are made absurd in the store: the result does not change,
    and no month after the cut is returned with a value."""
    clean = observed(USBP_SW, "citizenship", span=("2020-01", "2021-12"), until="2021-06")
    rows = query.observations

    def poisoned(*a, **k):
        df = rows(*a, **k).copy()
        late = df["period_start"] > pd.Timestamp("2021-06-30")
        df.loc[late, "value"] = 1e12
        return df

    monkeypatch.setattr(query, "observations", poisoned)
    cut = observed(USBP_SW, "citizenship", span=("2020-01", "2021-12"), until="2021-06")
    np.testing.assert_array_equal(cut.values, clean.values)
    assert cut.attrs["until"] == "2021-06"
    late = cut.sel(month=[mo for mo in cut["month"].values if mo > "2021-06"])
    assert late.sizes["month"] == 6 and bool(late.isnull().all())
    assert observed(USBP_SW, until="2021-06")["month"].values[-1] == "2021-06"
    assert observed_total(until="2021-06").index[-1] == "2021-06"
    assert observed(USBP_SW, span=("2021-08", "2021-09"), until="2021-06").isnull().all()


@pytest.mark.parametrize("args, allowed", [
    (("usbp_sw_encounter",), "usbp_sw_encounters"),
    (("no_such_series",), "iom_deaths_us_mexico_bbox"),
    ((USBP_SW, "colour"), "citizenship"),
])
def test_unknown_series_or_breakdown_names_the_allowed(args, allowed):
    with pytest.raises(InputError, match=allowed):
        observed(*args)


def test_unreadable_month_is_an_input_error():
    with pytest.raises(InputError, match="YYYY-MM"):
        observed(USBP_SW, until="June 2021")
    with pytest.raises(InputError, match="empty"):
        observed(USBP_SW, span=("2022-05", "2022-01"))


# --- the pivots of the long rows the call sites made before they read through observed ---

def _old_total(series, start=None, end=None):
    return monthly(series, start=start, end=end).set_index("month")["value"].astype(float)


@pytest.mark.parametrize("series", [USBP_SW, "iom_deaths_us_mexico_bbox",
                                    "usbp_bookouts_usbp_releases"])
def test_totals_as_the_long_rows(series):
    new = observed(series).to_series().dropna()
    pd.testing.assert_series_equal(new.rename("value"), _old_total(series))
    part = observed(series, span=("2019-01", "2020-06")).to_series().dropna()
    pd.testing.assert_series_equal(part.rename("value"), _old_total(series, "2019-01",
                                                                    "2020-06"))


def test_targets_as_the_long_rows():
    start, end = "2019-01", "2023-12"
    months = month_range(start, end)
    t = load_targets(start, end)
    tot = _old_total(USBP_SW, start, end).reindex(months)
    np.testing.assert_array_equal(t.total, tot.to_numpy())
    for by, keys, got in (("sector", SECTORS, t.sector), ("demographic", DEMOGRAPHICS,
                                                          t.demographic)):
        old = _pivot(monthly(USBP_SW, by=by, start=start, end=end), by, "value", months,
                      keys)
        np.testing.assert_array_equal(got, old)
    cit = _pivot(monthly(USBP_SW, by="citizenship", start=start, end=end), "citizenship",
                  "value", months, NATIONALITIES)
    cit[:, -1] = np.maximum(tot.to_numpy() - cit[:, :-1].sum(axis=1), 0.0)
    np.testing.assert_array_equal(t.citizenship, cit)


def test_observed_breakdown_as_the_long_rows():
    months = month_range("2024-06", "2025-01")          # the last months are not observed
    tot = _old_total(USBP_SW).reindex(months)
    ok = tot.notna().to_numpy()
    for by, keys in (("sector", list(SECTORS)), ("citizenship", list(NATIONALITIES))):
        lo, hi = np.array(months)[ok][[0, -1]]
        arr = _pivot(monthly(USBP_SW, by=by, start=lo, end=hi), by, "value", months, keys)
        if by == "citizenship":
            arr[:, -1] = np.maximum(tot.fillna(0).to_numpy() - arr[:, :-1].sum(axis=1), 0)
        arr[~ok] = np.nan
        np.testing.assert_array_equal(observed_breakdown(by, months, keys), arr)
