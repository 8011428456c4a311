import pytest

from borderflow.scenario import load_scenario


@pytest.fixture(scope="session")
def historical():
    return load_scenario("historical")


@pytest.fixture(scope="session")
def short(historical):
    """Six months of 2019 (a quick run)."""
    return historical.with_span("2019-01", "2019-06")
