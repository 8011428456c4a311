import numpy as np
import pandas as pd
import pytest

from borderflow.ensemble.runner import SequentialExecutor
from borderflow.report.forecast import write_outputs
from borderflow.scenario.registry import NATIONALITIES, SECTORS
from borderflow.validate.assimilate import COUNTED_NUMBERS
from borderflow.validate.forecast import COLUMNS, ForecastSpec, RunSpec, forecast


def test_forecast_file_columns(tmp_path):
    table, meta = forecast(RunSpec(runs=2, scale=400, executor=SequentialExecutor()),
                           ForecastSpec("2024-02", 2, warmup=1))
    pq, html = write_outputs(table, meta, tmp_path)
    df = pd.read_parquet(pq)
    assert list(df.columns) == COLUMNS + ["raw_median"]
    assert set(df["month"]) == {"2024-02", "2024-03"}
    assert set(df["breakdown"]) == {"total", "sector", "citizenship"}
    assert set(df[df.breakdown == "sector"]["key"]) == set(SECTORS)
    assert set(df[df.breakdown == "citizenship"]["key"]) == set(NATIONALITIES)
    assert (df[df.breakdown == "total"]["key"] == "total").all()
    assert ((df.p025 <= df.p10) & (df.p10 <= df["median"]) & (df["median"] <= df.p90)
            & (df.p90 <= df.p975)).all()
    assert html.exists() and html.stat().st_size > 1000
    # in February-March 2024 the removal flights to Venezuela and Haiti stop and the
    # FY2024 appropriations fund more beds
    assert {e["lever"] for e in meta["events_in_window"]} == {"us_removal_flights",
                                                               "us_detention_beds"}
    inp = meta["inputs"]
    assert inp["origin"] == "2024-01" and inp["drivers_cut_at"] == "2024-01"
    # the shipped calibration is fitted to 2024-11, so it saw the forecast's months
    assert inp["projection"] == "persistence" and inp["in_sample"]
    assert "Drivers past their data are cut at the origin (2024-01)" in html.read_text()


@pytest.mark.parametrize("start", ["2024-03", "2025-01", "2026-01"])
def test_forecast_from_later_months_completes(start):
    table, meta = forecast(RunSpec(runs=2, scale=800, executor=SequentialExecutor()),
                           ForecastSpec(start, 1, warmup=1))
    tot = table[table.breakdown == "total"]
    assert list(tot["month"]) == [start] and np.isfinite(tot["median"]).all()
    assert meta["inputs"]["drivers_cut_at"] == str(pd.Period(start, "M") - 1)


def test_forecast_lists_the_events_it_runs_through(tmp_path):
    from borderflow.scenario import load_scenario
    from borderflow.validate.origin import events_after

    sc = load_scenario("historical")
    ev = events_after(sc, "2024-01", "2024-11")
    levers = {(e["date"], e["lever"], e["what"]) for e in ev}
    assert ("2024-06-05", "us_release_rate", "starts") in levers      # Proclamation 10773
    assert ("2024-05-06", "mx_visa_required", "starts") in levers     # Peru visas
    assert all("2024-02-01" <= e["date"] <= "2024-11-30" and e["source"] for e in ev)
    assert events_after(sc, "2024-12", "2025-01")                       # January 2025
    table, meta = forecast(RunSpec(runs=2, scale=400, executor=SequentialExecutor()),
                           ForecastSpec("2024-05", 2, warmup=1))
    assert [e["date"] for e in meta["events_in_window"]] == ["2024-05-06", "2024-06-05"]
    _, html = write_outputs(table, meta, tmp_path)
    text = html.read_text()
    assert "Dated events in the forecast window" in text and "Proclamation 10773" in text


def test_forecast_reports_the_raw_model_beside_the_corrected_one():
    """The default median is corrected by the run's errors before the origin; the raw
    model's median (members alone) sits beside it, the median of the same members with
    no error model."""
    run = RunSpec(runs=2, scale=800, executor=SequentialExecutor())
    corrected, _ = forecast(run, ForecastSpec("2024-02", 2, warmup=None))
    raw, _ = forecast(run, ForecastSpec("2024-02", 2, warmup=None, error_model="none"))
    assert np.allclose(corrected["raw_median"], raw["median"])
    assert np.allclose(raw["raw_median"], raw["median"])
    assert not np.allclose(corrected["median"], corrected["raw_median"])


def _members(base, cit=None):
    """A members x month dataset of the forecast's layout: the total ``base``, split evenly
    over the sectors and (unless ``cit`` is given) the citizenships."""
    import numpy as np
    import xarray as xr

    months = [str(p) for p in pd.period_range("2022-01", "2023-06", freq="M")]
    sec = np.repeat(base[:, :, None] / len(SECTORS), len(SECTORS), axis=2)
    if cit is None:
        cit = np.repeat(base[:, :, None] / len(NATIONALITIES), len(NATIONALITIES), axis=2)
    return months, xr.Dataset({
        "usbp_encounters": (("member", "month"), base),
        "usbp_by_sector": (("member", "month", "sector"), sec),
        "usbp_by_citizenship": (("member", "month", "citizenship"), cit)},
        coords={"month": months, "sector": list(SECTORS), "citizenship": list(NATIONALITIES)})


def test_empirical_errors_widen_not_shift():
    import numpy as np

    from borderflow.validate.forecast import quantile_table

    rng = np.random.default_rng(0)
    months, ds = _members(150_000 * np.exp(rng.normal(0, 0.01, (5, 18))))
    fut = months[-6:]
    plain = quantile_table(ds, fut)
    wide = quantile_table(ds, fut, months[:-6])
    assert list(wide.columns) == COLUMNS and len(wide) == len(plain)
    t0, t1 = (x[x.breakdown == "total"].reset_index() for x in (plain, wide))
    assert ((t1.p90 - t1.p10) > 3 * (t0.p90 - t0.p10)).all()
    assert np.allclose(t1["median"], t0["median"], rtol=0.1)
    # the drift widens the band more the further ahead, same median
    drifted = quantile_table(ds, fut, months[:-6], drift=0.1)
    t2 = drifted[drifted.breakdown == "total"].reset_index()
    width = lambda t: np.log(t.p90 / t.p10).to_numpy()       # noqa: E731
    assert (width(t2) > width(t1)).all() and np.all(np.diff(width(t2) - width(t1)) > 0)
    assert np.allclose(t2["median"], t1["median"], rtol=0.1)


def test_drift_sigma():
    import xarray as xr

    from borderflow.validate.forecast import drift_sigma
    from borderflow.validate.objective import observed_total

    months = [str(p) for p in pd.period_range("2020-01", "2023-12", freq="M")]
    obs = observed_total().reindex(months).to_numpy(float)

    def ds(sim):
        return xr.Dataset({"usbp_encounters": (("member", "month"), np.stack([sim, sim]))},
                          coords={"month": months})

    # a constant misfit does not drift; a log error growing by 0.02 a month does
    assert drift_sigma(ds(0.5 * obs), months) < 1e-3
    assert drift_sigma(ds(obs), []) == 0.0 and drift_sigma(ds(obs), months[:12]) == 0.0
    k = np.arange(len(months))
    walk = (obs + 1.0) * np.exp(-0.02 * k) - 1.0
    assert abs(drift_sigma(ds(walk), months) - 1.4826 * 0.24 / np.sqrt(12)) < 1e-6


def test_interval_scale_uses_only_earlier_errors():
    from borderflow.validate.forecast import INTERVAL_MIN_ERRORS, Z80, interval_scale

    z = np.linspace(-2.0, 2.0, 21)                      # |z| 0.8 quantile: 1.6
    rows = [{"origin": "2021-06", "month": f"2021-{7 + k % 6:02d}", "method": "model_corrected",
             "z": float(v)} for k, v in enumerate(z)]
    c, n = interval_scale(rows, "2022-01")
    assert n == 21 and abs(c - np.quantile(np.abs(z), 0.8) / Z80) < 1e-12
    # months from the first forecast month on, later origins and the other method do not count
    late = [{**r, "month": "2022-01", "z": 50.0} for r in rows]
    other = [{**r, "method": "model", "z": 50.0} for r in rows]
    later = [{**r, "origin": "2022-01", "month": "2021-12", "z": 50.0} for r in rows]
    assert interval_scale(rows + late + other + later, "2022-01") == (c, 21)
    # too few errors: the drift is not rescaled
    assert interval_scale(rows[:INTERVAL_MIN_ERRORS - 1], "2022-01") == (1.0, INTERVAL_MIN_ERRORS - 1)
    assert interval_scale(None, "2022-01") == (1.0, 0)


def test_forecast_scales_the_drift_with_the_shipped_backtest_errors():
    from borderflow.validate.bands import discrepancy_sd
    from borderflow.validate.forecast import interval_scale, shipped_interval_errors

    rows, source = shipped_interval_errors()
    assert rows is not None, source                     # computed with the shipped calibration
    # the shipped validation ran the mechanisms and the assimilated variant
    assert {r["method"] for r in rows} == {"model", "model_corrected", "assimilated"}
    # an assimilated forecast from 2025-01 widens its band by the discrepancy its
    # earlier errors call for (the filter's own spread covered too few of them)
    s, n_asm = discrepancy_sd(rows, "2025-01", "assimilated")
    assert n_asm >= 60 and 0.05 < s < 2
    assert all(r["origin"] < r["month"] for r in rows)
    c, n = interval_scale(rows, "2024-02")
    assert n >= 60 and 0.05 < c < 5
    _, meta = forecast(RunSpec(runs=2, scale=800, executor=SequentialExecutor()),
                       ForecastSpec("2024-02", 1, warmup=1))
    assert meta["interval_scale"] == round(c, 4) and meta["interval_errors_n"] == n
    cr, nr = interval_scale(rows, "2024-02", "model")
    assert nr >= 60 and cr != c                         # each variant its own errors


def test_stale_backtest_errors_leave_the_drift_unscaled(monkeypatch):
    import borderflow.validate.forecast as fc

    monkeypatch.setattr(fc, "calibration_stamp", lambda: "another calibration")
    rows, source = fc.shipped_interval_errors()
    assert rows is None and "another calibrated.json" in source
    assert fc.interval_scale(rows, "2024-02") == (1.0, 0)


def test_forecast_command_reports_the_interval_scale(tmp_path):
    from typer.testing import CliRunner

    from borderflow.cli import _register, app

    _register()
    res = CliRunner().invoke(app, ["forecast", "--from", "2024-02", "--months", "1", "--runs",
                                   "2", "--scale", "800", "--warmup", "1", "--out",
                                   str(tmp_path / "fc[/x]")], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output                # a folder name is not markup
    assert "2024-02:" in res.output and "earlier backtest errors" in res.output
    assert "raw model" in res.output
    assert "drivers cut at 2024-01" in res.output and "fc[/x]" in res.output
    assert (tmp_path / "fc[/x]" / "forecast.parquet").exists()


def test_assimilated_forecast_files_and_latent(tmp_path):
    """--assimilate: the filter over the observed months of the run up to the origin, the
    forecast from the filtered particles, the filtered latent written and drawn."""
    table, meta = forecast(RunSpec(runs=2, scale=800, executor=SequentialExecutor()),
                           ForecastSpec("2024-02", 2, warmup=3, assimilate=True, particles=4))
    assert list(table.columns) == COLUMNS
    tot = table[table.breakdown == "total"]
    assert list(tot["month"]) == ["2024-02", "2024-03"]
    assert ((tot.p025 <= tot.p10) & (tot.p10 <= tot["median"]) & (tot["median"] <= tot.p90)
            & (tot.p90 <= tot.p975)).all()
    assert meta["error_model"] == "assimilated" and meta["particles"] == 4
    assert meta["observed_months"] == ["2023-11", "2024-01"]
    assert len(meta["noise"]["sigma"]) == 5 and meta["noise"]["counted_numbers"] == COUNTED_NUMBERS
    pq, html = write_outputs(table, meta, tmp_path)
    latent = pd.read_parquet(tmp_path / "latent.parquet")
    assert set(latent["month"]) == {"2023-11", "2023-12", "2024-01"}
    assert (latent["p10"] <= latent["p90"]).all()
    text = html.read_text()
    assert "Filtered latent push" in text and "tempered particle filter of 4 members" in text


def test_forecast_command_assimilate(tmp_path):
    from typer.testing import CliRunner

    from borderflow.cli import _register, app

    _register()
    res = CliRunner().invoke(app, ["forecast", "--from", "2024-02", "--months", "1", "--runs",
                                   "2", "--scale", "800", "--warmup", "2", "--assimilate",
                                   "--particles", "3", "--out", str(tmp_path / "fc")],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "assimilated (tempered): 3 members over 2023-12..2024-01" in res.output
    assert (tmp_path / "fc" / "latent.parquet").exists()
    # one monotone progress over the members and then the filter: no restart from 0
    import re

    steps = re.findall(r"^forecast: (ensemble members|particle filter) (\d+)%$", res.output,
                       flags=re.M)
    shares = [int(p) for _, p in steps]
    assert shares == sorted(shares) and shares[-1] == 100, res.output
    assert [phase for phase, _ in steps][-1] == "particle filter"
    assert steps[0][0] == "ensemble members" and len(shares) == len(set(shares))


def test_a_key_of_one_agent_or_none_is_not_read_as_a_huge_error():
    # a citizenship the members count at one agent (the scale, 50 people) or none, whose
    # observed months run in the thousands: with the errors read on +1, the months of
    # none and of one agent differ by a factor of 51 and the band reaches far above
    # anything observed; read on + the scale, it stays within a few agents' worth
    import numpy as np

    from borderflow.validate.forecast import quantile_table

    base = np.full((5, 18), 150_000.0)
    cit = np.repeat(base[:, :, None] / len(NATIONALITIES), len(NATIONALITIES), axis=2)
    china = NATIONALITIES.index("China, People's Republic")
    cit[:, :, china] = 0.0
    cit[:3, ::2, china] = 50.0                       # median one agent, every other month
    months, ds = _members(base, cit)
    fut = months[-6:]

    def top(floor):
        t = quantile_table(ds, fut, months[:-6], floor=floor)
        return t[(t.breakdown == "citizenship") & (t.key == NATIONALITIES[china])].p90.max()

    assert top(50.0) < 10 * 50.0 < top(1.0), (top(50.0), top(1.0))
