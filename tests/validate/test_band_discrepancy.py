"""The assimilated band's model discrepancy (validate.bands.discrepancy_sd, widen_band):
added in quadrature, calibrated on earlier errors only, and bounded where the band is
already wide, so a filter whose spread collapsed at earlier origins cannot blow a later
band up."""

import numpy as np
import pandas as pd
import pytest

from borderflow.validate.bands import BAND_Z, Z80, discrepancy_sd, widen_band


def _rows(e, sd, origin="2021-01", method="assimilated"):
    return [{"origin": origin, "month": "2021-06", "method": method, "log_error": float(a),
             "sd": float(b), "z": float(a / b)} for a, b in zip(e, sd, strict=True)]


def test_the_discrepancy_makes_the_earlier_bands_cover_80_percent():
    rng = np.random.default_rng(0)
    e = rng.normal(0.0, 0.6, 400)                 # errors far larger than the bands said
    sd = rng.uniform(0.01, 0.1, 400)
    s, n = discrepancy_sd(_rows(e, sd), "2022-01", "assimilated")
    assert n == 400 and 0.5 < s < 0.9
    cover = np.mean(np.abs(e) <= Z80 * np.sqrt(sd ** 2 + s ** 2))
    assert cover == pytest.approx(0.8, abs=0.01)


def test_bands_that_already_cover_get_no_discrepancy_and_later_errors_do_not_count():
    e = np.full(50, 0.05)
    assert discrepancy_sd(_rows(e, np.full(50, 0.2)), "2022-01", "assimilated") == (0.0, 50)
    late = _rows(np.full(50, 3.0), np.full(50, 0.01), origin="2022-03")
    assert discrepancy_sd(late, "2022-01", "assimilated") == (0.0, 0)
    assert discrepancy_sd(_rows(e, np.full(50, 0.01)), "2022-01", "model")[1] == 0
    assert discrepancy_sd(_rows(e[:5], np.full(5, 0.01)), "2022-01", "assimilated")[0] == 0.0


def test_a_wide_band_is_widened_little_and_a_collapsed_one_gets_the_discrepancy():
    s = 0.7
    med = 50_000.0
    wide = 2.0                                     # log sd of an already wide band
    rows = []
    for sd in (0.0, wide):
        q = {k: med * np.exp(z * sd) - 1.0 for k, z in BAND_Z.items()}
        rows.append({"month": "2025-01", "breakdown": "total", "key": "total",
                     "median": med - 1.0, **q})
    out = widen_band(pd.DataFrame(rows), s)
    for i, sd in enumerate((0.0, wide)):
        for k, z in BAND_Z.items():
            got = np.log((out.loc[i, k] + 1.0) / med)
            assert got == pytest.approx(z * np.sqrt(sd ** 2 + s ** 2), rel=1e-9)
    # the multiplicative factor that would give the collapsed band the same 80% width is
    # unbounded; in quadrature the wide band's p90 moves by less than 6% of its offset
    assert np.log((out.loc[1, "p90"] + 1) / med) < 1.06 * Z80 * wide
    df = pd.DataFrame(rows)
    assert widen_band(df, 0.0).equals(df)          # no discrepancy: the band as it was
