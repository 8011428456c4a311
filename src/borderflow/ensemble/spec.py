"""What an ensemble is, as one value passed through ensemble/, validate/ and the commands."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, replace

from borderflow.scenario.calibrated import ParameterSet
from borderflow.scenario.model import Scenario


@dataclass(frozen=True)
class RunSpec:
    """An ensemble's specification: the scenario (object, bundled id or YAML path), the
    number of members, people per agent, the root seed (member i uses
    ``SeedSequence(seed, spawn_key=(i,))``) and where the members run (an ``executor``, or
    ``workers`` processes / a Dask ``scheduler`` to make one for the call).  ``draws``:
    parameter sets the members draw from (``ensemble.runner.member_draw``; empty: every
    member runs the scenario as it is).  ``parameters``: the fitted set the members read for
    what their scenario does not set (None: the package's shipped calibration, which
    :func:`borderflow.api.simulate` loads); its sha256 is in the ensemble's hash."""

    scenario: Scenario | str = "historical"
    runs: int = 20
    scale: int = 50
    seed: int = 0
    executor: Executor | None = None
    workers: int | None = None
    scheduler: str | None = None
    draws: tuple[dict, ...] = ()
    parameters: ParameterSet | None = None

    def on(self, executor: Executor) -> RunSpec:
        """The same ensemble run on ``executor``."""
        return replace(self, executor=executor)
