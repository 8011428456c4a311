"""The registry's fit and sweep ranges: each sweep holds the value runs use, each fit the
default, inside the entry's bounds; calibrate's search space and the factors come from them."""

from borderflow.ensemble.factors import FACTORS
from borderflow.scenario.calibrated import calibrated_values
from borderflow.scenario.registry import (
    FIT_ONLY,
    LEVERS,
    PARAMETERS,
    entry,
    fitted_entries,
    fitted_numbers,
)

ENTRIES = [*LEVERS.values(), *PARAMETERS.values(), *FIT_ONLY.values()]


def _values(v) -> list[float]:
    return [float(x) for x in (v.values() if isinstance(v, dict) else [v])]


def test_every_sweep_range_holds_the_shipped_value():
    shipped = calibrated_values()
    swept = [e for e in ENTRIES if e.sweep is not None]
    assert swept
    for e in swept:
        lo, hi = e.sweep
        assert e.bounds[0] <= lo < hi <= e.bounds[1] and e.sweep_why, e.name
        for v in _values(shipped.get(e.name, e.default)):
            assert lo <= v <= hi, (e.name, v, e.sweep)


def test_every_fit_range_holds_the_default_inside_the_bounds():
    for e in fitted_entries():
        lo, hi, _ = e.fit
        assert e.bounds[0] <= lo < hi <= e.bounds[1], e.name
        assert all(lo <= v <= hi for v in _values(e.default)), e.name


def test_search_space_and_factors_come_from_the_registry():
    from borderflow.validate.calibrate import GROUPS, SPACE, full_parameters, n_fitted

    for name, lo, hi, log in SPACE:
        e = entry("departures_scale" if name.startswith("scale_") else name)
        assert e.fit == (lo, hi, log), name
    assert len(SPACE) == sum(len(GROUPS) if e.keys != "none" else 1 for e in fitted_entries())
    assert [(f.name, f.low, f.high) for f in FACTORS] == [
        (e.name, *e.sweep) for e in [*PARAMETERS.values(), *LEVERS.values()] if e.sweep]
    values = {n: (lo + hi) / 2 for n, lo, hi, _ in SPACE}
    nums = fitted_numbers(full_parameters(values, {}), {})
    assert len(nums) == n_fitted()
    for n, v in values.items():
        key = f"departures_scale[{n[6:]}]" if n.startswith("scale_") else n
        assert abs(nums[key] - v) <= 1e-5 * v, n
