"""The bundled snapshot: schema, headline values, breakdowns that add up, drivers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import borderflow.data as bd
from borderflow.data import build, catalog, names, schema
from borderflow.data.storage import bundled_dir

DRIVERS = Path(bd.__file__).resolve().parents[1] / "scenario" / "drivers"


@pytest.fixture(autouse=True)
def _no_user_overlay(tmp_path, monkeypatch):
    monkeypatch.setenv("BORDERFLOW_DATA_DIR", str(tmp_path / "empty"))


def test_schema_and_dtypes():
    df = bd.store()
    assert list(df.columns) == schema.COLUMNS
    for col in schema.TEXT_COLUMNS:
        assert not df[col].isna().any(), col
    assert str(df["period_start"].dtype) == schema.DATE_DTYPE
    assert df["value"].dtype == np.float64 and np.isfinite(df["value"]).all()
    assert (df["period_end"] >= df["period_start"]).all()
    assert not df.duplicated(schema.KEY).any()
    assert df["period_end"].max() == pd.Timestamp(build.CUTOFF)


def test_store_returns_a_copy():
    a = bd.store()
    a.loc[0, "value"] = -1.0
    assert bd.store().loc[0, "value"] != -1.0


def test_every_series_is_catalogued():
    for series in bd.store()["series"].unique():
        info = catalog.info(series)
        assert info.layout in ("margins", "cells", "records")


def test_headline_sw_totals():
    m = bd.monthly("usbp_sw_encounters", start="2023-12", end="2024-01")
    assert m["month"].tolist() == ["2023-12", "2024-01"]
    assert m["value"].tolist() == [249_740.0, 124_220.0]


# OHSS rounds every published cell to the nearest 10, so a breakdown of k groups can differ
# from the separately rounded total by up to 5 * (k + 1). Citizenship rows that round to 0 are
# left out of the sheet, so that breakdown can fall a little further short. Stated tolerances
# (observed maxima over 302 months in brackets): sector 5(k+1) [30], family status 5(k+1) [10],
# citizenship 100 encounters [90]; all within 0.5 % of the total [0.26 %].
@pytest.mark.parametrize("by", ["sector", "citizenship", "demographic"])
def test_breakdowns_sum_to_totals(by):
    total = bd.monthly("usbp_sw_encounters").set_index("month")["value"]
    parts = bd.monthly("usbp_sw_encounters", by=by)
    sums = parts.groupby("month")["value"].sum()
    groups = parts.groupby("month").size()
    diff = (sums - total.loc[sums.index]).abs()
    assert len(sums) == len(total) == 302  # 1999-10 .. 2024-11
    bound = 100 if by == "citizenship" else 5 * (groups + 1)
    assert (diff <= bound).all(), diff.max()
    assert (diff / total.loc[sums.index]).max() <= 0.005


def test_sector_breakdown_has_the_nine_sectors():
    sectors = set(bd.monthly("usbp_sw_encounters", by="sector")["sector"])
    assert sectors == set(names.SW_SECTORS)


def test_regions_add_to_nationwide():
    nat = bd.monthly("usbp_nationwide_encounters").set_index("month")["value"]
    regions = sum(bd.monthly(s).set_index("month")["value"] for s in
                  ("usbp_sw_encounters", "usbp_northern_encounters", "usbp_coastal_encounters"))
    assert (regions - nat).abs().max() <= 15


def test_monthly_frames_are_well_formed():
    for by in (None, "sector", "citizenship", "demographic"):
        df = bd.monthly("usbp_sw_encounters", by=by)
        assert list(df.columns) == ["month"] + ([by] if by else []) + ["value"]
        assert df["value"].dtype == np.float64
        assert df["month"].str.fullmatch(r"\d{4}-\d\d").all()
        assert df["month"].is_monotonic_increasing


def test_deaths_series_by_month():
    iom = bd.monthly("iom_deaths_us_mexico")
    assert iom["month"].iloc[0] == "2014-01" and iom["month"].iloc[-1] == "2022-02"
    assert iom.loc[iom["month"].str.startswith("2021"), "value"].sum() == 727
    bbox = bd.monthly("iom_deaths_us_mexico_bbox")
    assert bbox["month"].iloc[-1] == "2023-11"
    assert bd.monthly("pima_remains", by="corridor")["corridor"].str.len().gt(0).all()


def test_cells_layout_totals_and_levels():
    state = bd.monthly("cbp_nationwide_encounters_state", by="state", start="2023-09",
                       end="2023-09")
    total = bd.monthly("cbp_nationwide_encounters_state", start="2023-09", end="2023-09")
    assert state["value"].sum() == total["value"].iloc[0]
    assert "TX" in set(state["state"])


def test_unknown_by_is_an_input_error():
    from borderflow.errors import InputError

    with pytest.raises(InputError, match="no 'state' breakdown"):
        bd.monthly("usbp_sw_encounters", by="state")
    with pytest.raises(InputError, match="unknown series"):
        bd.observations("usbp_sw_encounter")


def test_manifests_describe_each_parquet():
    for parquet in sorted(bundled_dir().glob("*.parquet")):
        manifest = json.loads(parquet.with_suffix(".json").read_text())
        assert manifest["source"] == parquet.stem
        assert manifest["rows"] == len(pd.read_parquet(parquet))
        assert manifest["files"] and all(len(f["sha256"]) == 64 for f in manifest["files"])
        assert manifest["coverage"]["first"] <= manifest["coverage"]["last"] <= build.CUTOFF
    size = sum(p.stat().st_size for p in bundled_dir().iterdir())
    assert size < 10e6


def test_driver_tables():
    annual = pd.read_csv(DRIVERS / "drivers_annual.csv")
    assert list(annual.columns) == ["country", "year", "indicator", "value", "unit", "source"]
    from borderflow.data.drivers import DRIVER_COUNTRIES

    assert set(annual["country"]) == set(DRIVER_COUNTRIES)
    assert set(annual["country"]) <= set(names.OHSS_COUNTRIES)
    assert set(annual["indicator"]) == {"gdp_per_capita_usd", "gdp_per_capita_ppp",
                                        "homicide_rate_per_100k", "population"}
    assert annual["year"].between(2000, 2023).all() and annual["value"].notna().all()
    assert annual.query("indicator == 'homicide_rate_per_100k'")["year"].max() == 2019
    mex = annual.query("country == 'Mexico' and year == 2019").set_index("indicator")["value"]
    assert 20 < mex["homicide_rate_per_100k"] < 35 and 9000 < mex["gdp_per_capita_usd"] < 11000
    rem = pd.read_csv(DRIVERS / "remittances_mexico_monthly.csv")
    assert list(rem.columns) == ["month", "value_usd", "source"]
    assert rem["month"].iloc[-1] == build.CUTOFF[:7] and rem["month"].is_unique
