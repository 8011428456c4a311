import pytest

from borderflow.scenario import load_scenario


@pytest.fixture(scope="session")
def small_sc():
    """A short span at coarse scale: members take a fraction of a second."""
    return load_scenario("historical").with_span("2019-01", "2019-03")
