"""Pinned digests: a run, an ensemble and a forecast, small and seeded, hash to the values
below (sha256 over every table, array and the metadata without wall times; see
``tests/digests.py``).  A change of the model's results changes them on purpose: re-pin
with ``PYTHONPATH=src python tests/digests.py`` (add ``--validation`` for the reduced
validation's files, pinned in ``tests/validate/test_validate_reduced.py``) and paste
the new value into the constant of the test.  A refactor must leave them as they are."""

import digests

#: ``simulate("historical", seed=1, scale=200)``: every table and meta.json
RUN = "ead95181a3f092ce55dc05fb90b65347815ee34d3d3c1ebbac44cd4954b5e3a4"
#: ``run_ensemble(RunSpec("historical", runs=2, seed=1, scale=200))``: the dataset
ENSEMBLE = "924140164e97882bb8df1a17ef1346d1f8fb9a2829c9b84f332176859558f85e"
#: ``forecast(RunSpec(runs=2, scale=800), ForecastSpec("2024-02", 2, warmup=1))``: the
#: table and its metadata
FORECAST = "aa039ba677dd2705c8df12109fd2160d3020fef509a67635e27e524d7a6006d7"


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
