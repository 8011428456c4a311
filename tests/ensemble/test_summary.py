import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.ensemble.summary import DIMS, key_totals, summarise, summary_dataset
from borderflow.scenario.registry import NATIONALITIES, SECTORS


@pytest.fixture(scope="module")
def res(small_sc):
    return simulate(small_sc, scale=200, seed=np.random.SeedSequence(3, spawn_key=(0,)))


def test_summary_matches_tables(res):
    s = summarise(res)
    assert list(s["usbp_by_sector"].sector.values) == list(SECTORS)
    assert list(s["usbp_by_citizenship"].citizenship.values) == list(NATIONALITIES)
    assert list(s["usbp_encounters"].month.values) == res.months
    enc = res.encounters()
    assert s["usbp_encounters"].values.tolist() == enc["encounters"].tolist()
    for by in ("sector", "citizenship", "demographic", "authority"):
        assert (s[f"usbp_by_{by}"].sum(by) == s["usbp_encounters"]).all()
    mx = res.tables["mexico"]
    assert int(s["mexico"].sel(mx_measure="apprehended").sum()) == int(
        mx[mx.measure == "apprehended"].people.sum())
    assert int(s["deaths"].sum()) == int(res.tables["deaths"].deaths.sum())
    out = res.tables["outcomes"]
    assert int(s["gotaways"].sum()) == int(out[out.measure == "gotaways"].people.sum())
    assert all(v.dtype == np.int64 for v in s.values())
    assert set(DIMS) >= {"sector", "citizenship", "demographic", "authority"}


def test_summary_dataset_and_totals(res):
    ds = summary_dataset(res)
    tot = key_totals(ds)
    assert tot["USBP encounters"] == int(res.encounters()["encounters"].sum())
    assert int(ds["agents"]) == res.meta["agents"]
