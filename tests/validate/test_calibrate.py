"""Calibration: same trials for 1 and 2 workers; an interrupted study resumes."""

import json

import pytest

from borderflow.ensemble.runner import SequentialExecutor, make_executor
from borderflow.report.calibration import MARKER, write_markdown
from borderflow.scenario.registry import SECTORS
from borderflow.validate.calibrate import (
    SPACE,
    CalibrationSpec,
    RunSpec,
    calibrate,
    optimise,
)
from borderflow.validate.objective import load_targets

SPAN = ("2023-09", "2024-01")
RUN = RunSpec(scale=500, seed=3, executor=SequentialExecutor())


def _spec(budget: int, storage, **kw) -> CalibrationSpec:
    return CalibrationSpec(budget=budget, storage=storage, span=SPAN, batch=2,
                           **{"polish": 0, **kw})


def _trials(study):
    return [(t.number, t.state.name, t.value, tuple(sorted(t.params.items())))
            for t in study.trials]


@pytest.fixture(scope="module")
def targets():
    return load_targets(*SPAN)


@pytest.mark.slow
def test_one_and_two_workers_agree(tmp_path, targets):
    a = optimise(RUN, _spec(4, tmp_path / "a.db"), targets)
    with make_executor(2) as ex:
        b = optimise(RUN.on(ex), _spec(4, tmp_path / "b.db"), targets)
    assert _trials(a) == _trials(b)
    assert len(a.trials) == 4


def test_resume_reuses_trials(tmp_path, targets):
    db = tmp_path / "s.db"
    first = _trials(optimise(RUN, _spec(2, db), targets))
    assert len(first) == 2
    resumed = _trials(optimise(RUN, _spec(4, db), targets))
    assert len(resumed) == 4 and resumed[:2] == first
    straight = _trials(optimise(RUN, _spec(4, tmp_path / "t.db"), targets))
    assert resumed == straight   # interrupting changes nothing


def test_interrupted_trial_is_reevaluated(tmp_path, targets):
    import optuna

    from borderflow.validate.calibrate import _distributions

    db = tmp_path / "i.db"
    optimise(RUN, _spec(2, db), targets)
    study = optuna.load_study(study_name=f"borderflow-{SPAN[0]}-{SPAN[1]}-scale500-seed3-cmaes",
                              storage=f"sqlite:///{db}")
    study.ask(_distributions())          # asked, never told: an interrupted run
    s = optimise(RUN, _spec(3, db), targets)
    assert [t.state.name for t in s.trials] == ["COMPLETE"] * 3
    # the metrics of every trial are read back, the re-evaluated one's from the study
    from borderflow.validate.calibrate import trial_attrs

    assert s.trials[2].user_attrs == {} and "trial 2" in s.user_attrs
    for t in s.trials:
        assert trial_attrs(s, t)["objective"] == pytest.approx(t.value)


def test_calibrate_writes_files(tmp_path):
    doc = calibrate(RUN, _spec(2, tmp_path / "c.db", sector_steps=1),
                    tmp_path / "calibrated.json", tmp_path / "fit.json")
    write_markdown(doc, tmp_path / "calibration.md")
    saved = json.loads((tmp_path / "calibrated.json").read_text())
    assert saved["parameters"] == doc["parameters"]
    assert "latent" not in saved                     # no number per time window
    assert set(saved["parameters"]["base_departures"]) >= {"Mexico", "Other"}
    # every searched number and the free sector constants, by name
    assert saved["fitted_count"] == len(saved["numbers"]) == len(SPACE) + len(SECTORS) - 1
    assert saved["numbers"]["pull_elasticity"] == saved["parameters"]["pull_elasticity"]
    md = tmp_path / "calibration.md"
    assert "Before" in md.read_text() and "CMA-ES" in md.read_text()
    # what is written by hand below the marker survives a new calibration's report
    md.write_text(md.read_text() + "\n## Comparison of methods\n\nhand-written\n")
    write_markdown({**doc, "fit": {**doc["fit"], "method": "tpe"}}, md)
    text = md.read_text()
    assert text.count(MARKER) == 1 and text.endswith("hand-written\n")
    assert "optuna TPE" in text.split(MARKER)[0]


def _start_doc() -> dict:
    from borderflow.validate.calibrate import default_values

    return {"about": "test", "starts": [{"id": "t", "source": "a test start",
                                         "values": {**default_values(), "pull_elasticity": 2.0}}]}


def test_start_points_are_the_trials_after_the_defaults(tmp_path, targets):
    from borderflow.validate.calibrate import default_values, load_starts

    bundled = load_starts()     # earlier points; the last is the previous shipped calibration
    assert [st["id"] for st in bundled] == ["calibrated-2019-01-2024-11",
                                            "network-start-2019-01-2024-11",
                                            "calibrated-cmaes-2.111",
                                            "calibrated-cmaes-1.975",
                                            "calibrated-cmaes-1.979",
                                            "calibrated-cmaes-1.835",
                                            "calibrated-cmaes-1.788",
                                            "calibrated-cmaes-1.778",
                                            "calibrated-cmaes-1.798"]
    assert all(set(st["values"]) == set(default_values()) for st in bundled)
    (tmp_path / "s.json").write_text(json.dumps(_start_doc()))
    starts = load_starts(tmp_path / "s.json")
    assert starts and all(st["id"] and st["source"] for st in starts)
    s = optimise(RUN, _spec(3, tmp_path / "w.db", starts=tuple(starts)), targets)
    assert s.trials[0].params == pytest.approx(default_values())
    assert s.trials[1].params == pytest.approx(starts[0]["values"])
    assert s.trials[2].params != s.trials[1].params        # then the sampler's own
    plain = optimise(RUN, _spec(2, tmp_path / "p.db"), targets)
    assert plain.trials[1].params != pytest.approx(starts[0]["values"])


def test_the_point_found_replaces_the_incumbent_only_if_it_beats_it_at_other_seeds(
        tmp_path, targets):
    """With a start point (the incumbent), the search's point and the incumbent, both
    after the sector steps, run at the confirmation's seeds and the lower mean is kept;
    without a start there is nothing to confirm."""
    from borderflow.validate.calibrate import load_starts
    from borderflow.validate.confirm import confirm_seeds
    from borderflow.validate.trial import run_and_score

    # an incumbent far off (every multiplier at the top of its range), so that the search
    # finds another point and the two are compared
    start = _start_doc()
    start["starts"][0]["values"].update({n: hi for n, lo, hi, _ in SPACE
                                         if n.startswith("scale_")})
    (tmp_path / "s.json").write_text(json.dumps(start))
    starts = tuple(load_starts(tmp_path / "s.json"))
    doc = calibrate(RUN, _spec(4, tmp_path / "c.db", starts=starts, sector_steps=1,
                               confirm_seeds=2))
    rec = doc["fit"]["confirm"]
    assert rec is not None and rec["search_trial"] != 1
    seeds = confirm_seeds(RUN.seed, 2)
    assert rec["seeds"] == [seeds[0], seeds[-1]] and RUN.seed not in seeds
    assert rec["incumbent_trial"] == 1
    kept, other = (("incumbent_mean", "search_mean") if rec["kept"] == "incumbent"
                   else ("search_mean", "incumbent_mean"))
    assert rec[kept] <= rec[other]
    assert doc["fit"]["best_trial"] == rec[f"{rec['kept']}_trial"]
    # what the document ships is the kept point: it scores the kept mean at those seeds
    again = run_and_score(doc["parameters"], targets, SPAN, RUN.scale, seeds)
    assert again["objective"] == pytest.approx(rec[kept], abs=1e-5)
    plain = calibrate(RUN, _spec(2, tmp_path / "p.db", sector_steps=1, confirm_seeds=2))
    assert plain["fit"]["confirm"] is None


def test_confirm_keeps_the_lower_mean_either_way():
    from types import SimpleNamespace

    import optuna

    from borderflow.validate import confirm as c

    done = optuna.trial.TrialState.COMPLETE
    trials = [SimpleNamespace(number=k, state=done, params={"x": float(k)}) for k in range(4)]
    study = SimpleNamespace(trials=trials)
    found = ({"x": 3.0}, {}, {"objective": 1.0}, trials[3])

    def refine_point(p):
        return dict(p), {}, {"objective": 2.0}

    for means, kept in (([1.5, 1.6], "search"), ([1.6, 1.5], "incumbent"),
                        ([1.5, 1.5], "search")):
        point, rec = c.confirm(study, found, refine_point, lambda p, s, m=means: list(m),
                               n_starts=1, seeds=(7, 8))
        assert rec["kept"] == kept and rec["incumbent_trial"] == 1
        assert point[3] is (trials[1] if kept == "incumbent" else trials[3])
        assert point[0] == ({"x": 1.0} if kept == "incumbent" else {"x": 3.0})
    # nothing to compare: no seeds, no start, or the search kept the incumbent itself
    def never(points, seeds):
        raise AssertionError("nothing to compare")

    assert c.confirm(study, found, refine_point, never, n_starts=1, seeds=())[1] is None
    assert c.confirm(study, found, refine_point, never, n_starts=0, seeds=(7,))[1] is None
    at_start = ({"x": 1.0}, {}, {"objective": 1.0}, trials[1])
    assert c.confirm(study, at_start, refine_point, never, n_starts=1,
                     seeds=(7,)) == (at_start, None)


@pytest.mark.parametrize("edit, field", [
    (lambda d: d.pop("starts"), "starts"),
    (lambda d: d["starts"][0].pop("source"), "starts[0].source"),
    (lambda d: d["starts"][0]["values"].pop("pull_elasticity"),
     "starts[0].values.pull_elasticity"),
    (lambda d: d["starts"][0]["values"].update(wobble=1.0), "starts[0].values.wobble"),
    (lambda d: d["starts"][0]["values"].update(network_elasticity=0.95),
     "starts[0].values.network_elasticity"),
])
def test_bad_start_file_names_file_and_field(tmp_path, edit, field):
    from borderflow.errors import InputError
    from borderflow.validate.calibrate import load_starts

    doc = _start_doc()
    edit(doc)
    bad = tmp_path / "starts.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(InputError) as err:
        load_starts(bad)
    assert str(bad) in str(err.value) and f"field '{field}'" in str(err.value)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(InputError, match="not valid JSON"):
        load_starts(tmp_path / "broken.json")


def test_calibrate_command_rejects_a_bad_start_file_before_any_trial(tmp_path, capsys):
    from borderflow.cli import main

    missing = tmp_path / "nope.json"
    with pytest.raises(SystemExit) as code:
        main(["calibrate", "--budget", "1", "--starts", str(missing), "--storage",
              str(tmp_path / "s.db"), "--out", str(tmp_path / "c.json"), "--docs",
              str(tmp_path / "c.md")])
    assert code.value.code == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert str(missing) in err and "not found" in err
    assert not (tmp_path / "s.db").exists() and not (tmp_path / "c.json").exists()


def test_cmaes_resumes_into_the_same_generations(tmp_path, targets):
    """CMA-ES (a generation of two batches) interrupted after three batches and resumed
    asks the same trials as a straight run, and moves away from its start point."""
    cma = {"method": "cmaes"}
    db = tmp_path / "c.db"
    optimise(RUN, _spec(6, db, **cma), targets)
    resumed = _trials(optimise(RUN, _spec(10, db, **cma), targets))
    straight = _trials(optimise(RUN, _spec(10, tmp_path / "d.db", **cma), targets))
    assert resumed == straight and len(straight) == 10
    points = {p for *_, p in straight[1:]}
    assert len(points) == 9          # every CMA-ES draw is a new point


def test_optimiser_seed_keeps_the_simulations(tmp_path, targets):
    """Another optimiser seed gives other trials, scored with the same simulation seed:
    the registry defaults (trial 0) score the same in both studies."""
    a = optimise(RUN, _spec(3, tmp_path / "a.db", optimiser_seed=1), targets)
    b = optimise(RUN, _spec(3, tmp_path / "b.db", optimiser_seed=2), targets)
    assert a.trials[0].value == b.trials[0].value
    assert a.trials[0].params == b.trials[0].params
    assert a.trials[2].params != b.trials[2].params
    assert a.study_name.endswith("-opt1") and b.study_name.endswith("-opt2")


def test_unknown_method_is_refused(tmp_path, targets):
    from borderflow.errors import InputError

    with pytest.raises(InputError, match="--method.*expected tpe or cmaes"):
        optimise(RUN, _spec(2, tmp_path / "x.db", method="grid"), targets)


def test_several_seeds_per_point_score_their_mean(targets):
    """A point run at two seeds scores the mean of its two single-seed scores."""
    from borderflow.validate.calibrate import default_values, full_parameters
    from borderflow.validate.trial import run_and_score

    params = full_parameters(default_values())
    one, two = (run_and_score(params, targets, SPAN, 500, s) for s in (3, 4))
    both = run_and_score(params, targets, SPAN, 500, (3, 4))
    assert both["objective"] == pytest.approx((one["objective"] + two["objective"]) / 2)
    assert both["sector_totals"] == pytest.approx(
        [(a + b) / 2 for a, b in zip(one["sector_totals"], two["sector_totals"], strict=True)])
    assert run_and_score(params, targets, SPAN, 500, (3,)) == one


def test_a_study_with_two_seeds_per_point_scores_the_defaults_at_both(tmp_path, targets):
    from borderflow.validate.calibrate import default_values, full_parameters
    from borderflow.validate.trial import run_and_score

    study = optimise(RUN, _spec(1, tmp_path / "s.db", seeds_per_point=2), targets)
    assert study.study_name.endswith("-x2seeds")
    want = run_and_score(full_parameters(default_values()), targets, SPAN, 500, (3, 4))
    assert study.trials[0].value == pytest.approx(want["objective"])


def test_polish_points_move_one_number_across_its_range():
    from borderflow.validate.calibrate import default_values
    from borderflow.validate.polish import polish_points

    best = default_values()
    for name, lo, hi, _ in SPACE[:3] + SPACE[-3:]:
        pts = polish_points(best, name)
        vals = sorted(p[name] for p in pts)
        assert 5 <= len(pts) <= 9
        assert all(lo <= v <= hi for v in vals)
        assert vals[0] == pytest.approx(lo) or best[name] == pytest.approx(lo)
        assert vals[-1] == pytest.approx(hi) or best[name] == pytest.approx(hi)
        assert all(v != best[name] for v in vals)
        assert all({k for k in p if p[k] != best[k]} == {name} for p in pts)


class _Stop(Exception):
    pass


@pytest.mark.slow
def test_polish_resumes_and_keeps_the_best(tmp_path, targets):
    """The polish adds its trials after the budget; interrupted after two numbers and run
    again it gives the same trials as a run never interrupted; its best is no worse than
    the search's."""
    straight = optimise(RUN, _spec(3, tmp_path / "p.db", polish=1), targets)

    def stop(done, total, what="trials"):
        if what != "trials" and done == 2:
            raise _Stop

    with pytest.raises(_Stop):
        optimise(RUN, _spec(3, tmp_path / "q.db", polish=1), targets, stop)
    resumed = optimise(RUN, _spec(3, tmp_path / "q.db", polish=1), targets)
    assert _trials(resumed) == _trials(straight)
    assert len(straight.trials) > 3 + 4 * len(SPACE)
    assert straight.best_value <= min(t.value for t in straight.trials[:3])
