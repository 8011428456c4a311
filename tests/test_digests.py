"""Pinned digests: a run, an ensemble and a forecast, small and seeded, hash to the values
below (sha256 over every table, array and the metadata without wall times; see
``tests/digests.py``).  A change of the model's results changes them on purpose: re-pin
with ``PYTHONPATH=src python tests/digests.py`` (add ``--validation`` for the reduced
validation's files, pinned in ``tests/validate/test_validate_reduced.py``) and paste
the new value into the constant of the test.  A refactor must leave them as they are."""

import digests

#: ``simulate("historical", seed=1, scale=200)``: every table and meta.json
RUN = "5e88e0e65ec57f5418b1627833f77c989af14f29354900fa7aef14d7be0a7947"
#: ``run_ensemble(RunSpec("historical", runs=2, seed=1, scale=200))``: the dataset
ENSEMBLE = "7d73dd10da3d2b8c3d1c40931df6b5d9be6efaa348d6df3ecea6a992a0c20f7a"
#: ``forecast(RunSpec(runs=2, scale=800), ForecastSpec("2024-02", 2, warmup=1))``: the
#: table and its metadata
FORECAST = "89b24e6a373df58113c2228dde1507d3f9e1e8bf0dff396463d55419df0e1f4d"


def test_run_digest():
    assert digests.run_digest() == RUN


def test_ensemble_digest():
    assert digests.ensemble_digest() == ENSEMBLE


def test_forecast_digest():
    assert digests.forecast_digest() == FORECAST


def test_digests_see_a_changed_value():
    """The digest is of the values: one changed number changes it."""
    import pandas as pd

    a = pd.DataFrame({"month": ["2019-01", "2019-02"], "people": [1, 2]})
    b = a.assign(people=[1, 3])
    assert digests.frame_digest(a) == digests.frame_digest(a.copy())
    assert digests.frame_digest(a) != digests.frame_digest(b)
