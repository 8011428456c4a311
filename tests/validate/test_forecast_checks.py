"""The forecast's own checks: the gap to the last observed month and the flagged keys."""

from __future__ import annotations

import pandas as pd

from borderflow.validate.bands import COLUMNS, observed_breakdown
from borderflow.validate.checks import BAND_FLAG_MULTIPLE, forecast_checks
from borderflow.validate.objective import observed_total


def _table(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def test_gap_to_the_last_observed_month_and_flags():
    obs = observed_total()
    last = str(obs.index[-1])
    first = str(pd.Period(last, "M") + 1)
    top_mexico = float(observed_breakdown("citizenship", list(map(str, obs.index)),
                                          ["Mexico"])[:, 0].max())
    last_venezuela = float(observed_breakdown("citizenship", [last], ["Venezuela"])[0, 0])
    t = _table([
        (first, "total", "total", 0.5 * obs.iloc[-1], 1, 2, 0, 3),
        (first, "citizenship", "Mexico", 10.0, 1, 2, 0, BAND_FLAG_MULTIPLE * top_mexico + 1),
        (first, "citizenship", "Venezuela", 0.0, 0, 0, 0, 0),
        (first, "citizenship", "Guatemala", 100.0, 50, 150, 40, 200),
    ])
    c = forecast_checks(t, first)
    lo = c["last_observed"]
    assert (lo["month"], lo["observed"], lo["months_between"]) == (last, obs.iloc[-1], 1)
    assert lo["gap"] == -0.5
    flagged = {(f["key"], f["what"]) for f in c["flags"]}
    assert ("Mexico", "band") in flagged
    assert (("Venezuela", "median") in flagged) == (last_venezuela >= 1000)
    assert not any(f["key"] == "Guatemala" and f["what"] == "band" for f in c["flags"])


def test_checks_read_no_month_from_the_forecast_on():
    """From an origin inside the data, the last observed month is the one before it."""
    t = _table([("2023-06", "total", "total", 100.0, 1, 2, 0, 3)])
    c = forecast_checks(t, "2023-06")
    assert c["last_observed"]["month"] == "2023-05"


def test_a_forecast_without_from_starts_the_month_after_the_data(tmp_path):
    from typer.testing import CliRunner

    from borderflow.cli import _register, app
    from borderflow.data.build import OBSERVED_END
    from borderflow.validate.forecast import first_unobserved_month

    assert first_unobserved_month() == str(pd.Period(OBSERVED_END, "M") + 1) == "2024-12"
    _register()
    res = CliRunner().invoke(app, ["forecast", "--months", "1", "--runs", "2", "--scale",
                                   "800", "--warmup", "1", "--out", str(tmp_path / "fc")],
                             env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "2024-12:" in res.output and "drivers cut at 2024-11" in res.output


def test_other_is_read_as_the_model_counts_it_in_any_key_order():
    # "Other" is the total less the named citizenships; sorted keys put it before
    # Venezuela, and it must still be read as such (it once read 0 there, so that a band
    # of a few hundred people was flagged as beyond the record)
    obs = observed_total()
    months = [str(m) for m in obs.index]
    last = months[-1]
    first = str(pd.Period(last, "M") + 1)
    ordered = observed_breakdown("citizenship", months, ["Mexico", "Other"])
    shuffled = observed_breakdown("citizenship", months, ["Other", "Venezuela", "Mexico"])
    assert (shuffled[:, 0] == ordered[:, 1]).all() and (shuffled[:, 2] == ordered[:, 0]).all()
    top_other = float(ordered[:, 1].max())
    assert top_other > 10_000
    t = _table([(first, "total", "total", obs.iloc[-1], 1, 2, 0, 3),
                (first, "citizenship", "Other", 0.5 * top_other, 1, 2, 0, top_other)])
    assert not [f for f in forecast_checks(t, first)["flags"] if f["key"] == "Other"]
