"""ensemble.nc follows the CF conventions: a datetime time axis beside the month labels,
units, long_name and cell_methods on every variable."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from borderflow.ensemble.runner import RunSpec, SequentialExecutor, run_ensemble


@pytest.fixture(scope="module")
def written(small_sc, tmp_path_factory):
    out = tmp_path_factory.mktemp("cf")
    ds = run_ensemble(RunSpec(small_sc, runs=2, seed=3, scale=400, executor=SequentialExecutor()), out)
    return ds, out / "ensemble.nc"


def test_xarray_opens_a_datetime_time_axis(written):
    _, path = written
    with xr.open_dataset(path) as ds:
        assert np.issubdtype(ds["time"].dtype, np.datetime64)
        assert ds["time"].dims == ("month",)
        assert [str(t)[:10] for t in ds["time"].values] == ["2019-01-01", "2019-02-01",
                                                            "2019-03-01"]
        assert ds["time"].attrs["standard_name"] == "time" and ds["time"].attrs["axis"] == "T"
        bounds = ds[ds["time"].attrs["bounds"]]
        assert np.issubdtype(bounds.dtype, np.datetime64)
        assert str(bounds.values[-1, 1])[:10] == "2019-04-01"
        assert list(ds["month"].values) == ["2019-01", "2019-02", "2019-03"]  # kept
        assert ds.attrs["Conventions"].startswith("CF-")
        # a reader can select by date
        assert float(ds["usbp_encounters"].swap_dims(month="time").sel(
            time="2019-02").sum()) == float(ds["usbp_encounters"].sel(month="2019-02").sum())


def test_raw_file_has_cf_units(written):
    import netCDF4

    _, path = written
    with netCDF4.Dataset(path) as nc:
        units = nc.variables["time"].units
        assert units.split(" since ")[0] in ("days", "hours", "seconds", "minutes")
        assert nc.variables["time"].calendar
        assert nc.getncattr("Conventions").startswith("CF-")


def test_every_variable_has_units_long_name_and_cell_methods(written):
    _, path = written
    with xr.open_dataset(path) as ds:
        for name, var in ds.data_vars.items():
            assert var.attrs.get("units") == "1", name
            assert var.attrs.get("long_name"), name
            if "month" in var.dims:
                assert var.attrs.get("cell_methods") == "time: sum", name
        for dim in ("sector", "citizenship", "member"):
            assert ds[dim].attrs.get("long_name")


def test_in_memory_dataset_matches_the_file(written):
    ds, path = written
    with xr.open_dataset(path) as back:
        xr.testing.assert_identical(back.load(), ds)
