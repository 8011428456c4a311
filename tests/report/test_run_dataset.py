"""A run's counters as one labelled dataset: the tables, the ensemble summaries and the
objective's simulated side are views of it, on the observations' coordinates."""

import numpy as np
import pytest

from borderflow.api import simulate
from borderflow.data.observed import USBP_SW, observed
from borderflow.ensemble.summary import summarise
from borderflow.observe import TABLES, run_dataset, tidy
from borderflow.scenario import load_scenario
from borderflow.validate.objective import BREAKDOWNS, simulated


@pytest.fixture(scope="module")
def res():
    sc = load_scenario("historical").with_span("2023-10", "2024-01")
    return simulate(sc, seed=5, scale=500)


def test_the_dataset_is_dense_in_people_with_units(res):
    ds = res.dataset
    assert list(ds["month"].values) == res.months == ["2023-10", "2023-11", "2023-12", "2024-01"]
    enc = ds["encounters"]
    assert enc.dims == ("month", "component", "sector", "citizenship", "demographic",
                        "authority")
    assert enc.dtype == np.int64 and (enc.values % 500 == 0).all()   # agents x scale
    for name, var in ds.data_vars.items():
        assert var.attrs["units"] and var.attrs["long_name"], name
    # OFO encounters are Title 8 only
    assert int(enc.sel(component="OFO", authority="Title 42").sum()) == 0
    # the counters of the spin-up months are not in it
    raw = res.raw
    assert int(enc.sel(component="USBP").sum()) < int(raw.counters.enc.sum()) * raw.scale
    assert run_dataset(raw).identical(ds)


def test_every_table_is_the_dataset_in_long_form(res):
    ds, t = res.dataset, res.tables
    assert set(t) == set(TABLES)
    enc = t["encounters"]
    for comp in ("USBP", "OFO"):
        assert enc.loc[enc["component"] == comp, "encounters"].sum() == int(
            ds["encounters"].sel(component=comp).sum())
    assert t["mexico"]["people"].sum() == int(ds["mexico"].sum())
    assert t["deaths"]["deaths"].sum() == int(ds["deaths"].sum())
    assert t["outcomes"]["people"].sum() == int(ds["outcomes"].sum())
    assert (t["encounters"]["encounters"] > 0).all()          # zeros dropped
    long = tidy(ds["mexico"], "people")
    assert list(long.columns) == ["month", "mx_measure", "citizenship", "people"]
    assert len(tidy(ds["mexico"], "people", keep_zero=True)) == ds["mexico"].size


def test_summaries_and_the_objective_read_the_dataset_on_the_observed_coordinates(res):
    ds, months = res.dataset, res.months
    s = summarise(res)
    usbp = ds["encounters"].sel(component="USBP")
    assert np.array_equal(s["usbp_by_citizenship"].values,
                          usbp.sum(["sector", "demographic", "authority"]).values)
    sim = simulated(res.dataset, months)
    for by, keys in BREAKDOWNS.items():
        obs = observed(USBP_SW, by, span=(months[0], months[-1]))
        # the same keys, in the same order, on both sides
        assert list(obs[by].values) == list(keys) == list(ds[by].values)
        other = [d for d in usbp.dims if d not in ("month", by)]
        assert np.array_equal(sim[by], usbp.sum(other).values.astype(float))
    assert np.array_equal(sim["total"], usbp.sum(usbp.dims[1:]).values.astype(float))
    # a month outside the run is simulated as zero, not dropped
    wider = simulated(res.dataset, ["2023-09", *months])
    assert wider["total"][0] == 0 and np.array_equal(wider["total"][1:], sim["total"])
