"""The dashboard sends no lever nobody moved, opens on the historical scenario, caches its
configuration, bounds forecasts like every other run, can cancel a job, and shows expected
deaths where too few agents died for drawn counts to mean much."""

from __future__ import annotations

import threading
import time
from importlib import resources

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from borderflow.dashboard import controls as ctl
from borderflow.dashboard.app import MAX_MONTHS, create_app
from borderflow.scenario import bundled_scenarios, load_scenario

BASE = "http://127.0.0.1:8050"


def _idle(req, progress):
    return {"figures": {}, "totals": [], "meta": {}, "changed_levers": []}


def _wait(c, job_id, timeout=30):
    t0 = time.time()
    while time.time() - t0 < timeout:
        job = c.get(f"/api/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return job
        time.sleep(0.02)
    raise AssertionError("job did not finish")


@pytest.fixture(scope="module")
def historical():
    return load_scenario("historical")


# --- (b) a control at its default sends nothing ----------------------------------------------

def test_release_rate_slider_position_is_its_default(historical):
    c = next(c for c in ctl.available_controls() if c.id == "us_release_rate")
    value = ctl.control_value(historical, c)
    assert abs(value - 0.3) < 1e-6 and c.step == 0.05
    assert ctl.snap(c, value) == 0.3
    assert ctl.levers_from(historical, {"us_release_rate": 0.3}) == {}
    assert ctl.levers_from(historical, {"us_release_rate": value}) == {}
    assert "us_release_rate" in ctl.levers_from(historical, {"us_release_rate": 0.7})


@pytest.mark.parametrize("sid", list(bundled_scenarios()))
def test_every_untouched_control_sends_no_lever(sid):
    sc = load_scenario(sid)
    shown = {d["id"]: d for d in ctl.describe(sc)}
    positions = {cid: d["position"] for cid, d in shown.items()}
    assert ctl.levers_from(sc, positions) == {}
    for d in shown.values():  # the position is where a browser's range input puts it
        assert d["min"] <= d["position"] <= d["max"]
        assert abs(d["position"] - d["value"]) <= d["step"] / 2 + 1e-9


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_moved_control_sends_its_lever(data, historical):
    c = data.draw(st.sampled_from([c for c in ctl.available_controls() if c.kind == "slider"]))
    steps = round((c.max - c.min) / c.step)
    v = ctl.snap(c, c.min + data.draw(st.integers(0, steps)) * c.step)
    out = ctl.levers_from(historical, {c.id: v})
    if ctl.at_default(historical, c, v):
        assert out == {}
    else:
        assert c.lever in out


def test_page_sends_only_moved_controls():
    js = (resources.files("borderflow.dashboard") / "static" / "app.js").read_text()
    assert "dataset.touched" in js and "if (moved(input)) levers" in js
    # the comparison is with the value the browser snapped to, never the raw default
    assert "input.dataset.initial = String(controlValue(input))" in js
    assert "String(c.value)" not in js


# --- (c) opens on historical; (d) config cached ----------------------------------------------

def test_config_names_historical_as_default_and_page_opens_on_it():
    with TestClient(create_app("127.0.0.1", 8050, compute=_idle), base_url=BASE) as c:
        cfg = c.get("/api/config").json()
    ids = [s["id"] for s in cfg["scenarios"]]
    assert cfg["default_scenario"] == "historical" and ids[0] != "historical"
    js = (resources.files("borderflow.dashboard") / "static" / "app.js").read_text()
    assert "config.default_scenario" in js and "chooseScenario(config.scenarios[0].id)" not in js


def test_config_is_built_once(monkeypatch):
    calls = []
    real = ctl.describe
    monkeypatch.setattr(ctl, "describe", lambda sc: calls.append(sc.id) or real(sc))
    with TestClient(create_app("127.0.0.1", 8050, compute=_idle), base_url=BASE) as c:
        first = c.get("/api/config")
        n = len(calls)
        assert n == len(list(bundled_scenarios()))
        t0 = time.process_time()
        again = [c.get("/api/config") for _ in range(5)]
        assert time.process_time() - t0 < 0.5
    assert len(calls) == n  # no recomputation
    assert all(r.json() == first.json() for r in again)


# --- (a) forecast obeys the run-length limit; cancel ---------------------------------------

def test_long_forecast_is_refused_like_any_long_run():
    with TestClient(create_app("127.0.0.1", 8050, compute=_idle), base_url=BASE) as c:
        r = c.post("/api/forecast", json={"start": "2068-01", "months": 24, "runs": 20,
                                          "scale": 20})
        assert r.status_code == 422, r.text
        msg = r.json()["error"]
        assert f"{MAX_MONTHS}-month limit" in msg and "start" in msg and "2019-01" in msg
        assert r.json()["errors"][0]["field"] == "start"
        ok = c.post("/api/forecast", json={"start": "2024-02", "months": 10})
        assert ok.status_code == 202
        _wait(c, ok.json()["job"])


@settings(max_examples=25, deadline=None)
@given(year=st.integers(2019, 2100), month=st.integers(1, 12), months=st.integers(1, 24))
def test_generated_forecast_spans(year, month, months):
    from borderflow.dashboard.app import ForecastRequest, check_forecast_span
    from borderflow.errors import InputError

    req = ForecastRequest(start=f"{year}-{month:02d}", months=months)
    span = (year - 2019) * 12 + month - 1 + months  # months simulated from 2019-01
    if span <= MAX_MONTHS:
        check_forecast_span(req)
    else:
        with pytest.raises(InputError, match="limit"):
            check_forecast_span(req)


def test_cancel_stops_a_running_job():
    started = threading.Event()

    def endless(req, progress):
        started.set()
        for day in range(100_000):
            progress("run", day / 100_000)
            time.sleep(0.005)
        return _idle(req, progress)

    with TestClient(create_app("127.0.0.1", 8050, compute=endless), base_url=BASE) as c:
        job = c.post("/api/run", json={"scenario": "historical"}).json()["job"]
        assert started.wait(10)
        assert c.post("/api/run", json={"scenario": "historical"}).status_code == 409
        r = c.post(f"/api/jobs/{job}/cancel")
        assert r.status_code == 202
        done = _wait(c, job)
        assert done["status"] == "cancelled" and "cancelled" in done["error"]
        assert c.post("/api/jobs/" + "0" * 32 + "/cancel").status_code == 404
        nxt = c.post("/api/run", json={"scenario": "historical"})  # the server is free again
        assert nxt.status_code == 202
        c.post(f"/api/jobs/{nxt.json()['job']}/cancel")
        _wait(c, nxt.json()["job"])


# --- deaths: expected where too few draws ---------------------------------------------------

class _Run:
    def __init__(self, drawn: float, chances: float, scale: int):
        self.meta = {"scale": scale}
        self.months = ["2023-01"]
        self.tables = {"crossings": pd.DataFrame({"month": ["2023-01"],
                                                  "expected_deaths": [chances]})}
        self._deaths = pd.DataFrame({"month": ["2023-01"], "deaths": [drawn]})

    def deaths(self):
        return self._deaths

    def encounters(self):
        return pd.DataFrame({"month": ["2023-01"], "encounters": [1000]})

    def mexico(self):
        return pd.DataFrame({"month": [], "measure": [], "people": []})


def test_few_drawn_deaths_show_expected_deaths():
    from borderflow.dashboard import figures

    few = _Run(drawn=300, chances=212.4, scale=100)     # 3 agents died: blocks of 100
    base = _Run(drawn=200, chances=230.0, scale=100)
    rows = {r["measure"]: r for r in figures.totals(few, base)}
    assert rows["dead and missing (expected)"]["run"] == pytest.approx(212.4)
    assert "dead and missing" not in rows
    many = _Run(drawn=30_000, chances=29_000, scale=100)
    rows = {r["measure"]: r for r in figures.totals(many, many)}
    assert rows["dead and missing"]["run"] == 30_000


# --- progress: one monotone scale over the whole job ----------------------------------------

def test_phased_progress_is_monotone_over_members_then_filter():
    from borderflow.dashboard.app import forecast_phases
    from borderflow.dashboard.jobs import PhasedProgress

    seen = []
    p = PhasedProgress(forecast_phases(10, 64), lambda phase, f: seen.append((phase, f)))
    for done in range(11):           # members: done of 10
        p(done, 10)
    for done in range(0, 64 * 70 + 1, 64):   # the filter: particle-months of a new total
        p(done, 64 * 70)
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert {phase for phase, _ in seen} == {"forecast", "filter"}
    members_end = fractions[10]
    assert 0 < members_end < 0.5 and seen[10][0] == "forecast" and seen[11][0] == "filter"
    # without assimilation: one phase, done / runs
    one = []
    q = PhasedProgress(forecast_phases(4, None), lambda phase, f: one.append(f))
    for done in range(5):
        q(done, 4)
    assert one == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_job_progress_never_goes_back():
    reports = [0.2, 0.9, 1.0, 0.05, 0.5]   # a phase restarting its own count

    def jumpy(req, progress):
        for f in reports:
            progress("forecast", f)
            time.sleep(0.05)
        return _idle(req, progress)

    from borderflow.dashboard.jobs import Jobs

    seen = []
    jobs = Jobs(jumpy)
    job = jobs.submit({})
    while job.status in ("queued", "running"):
        seen.append(job.progress)
        time.sleep(0.01)
    assert seen == sorted(seen) and job.progress == 1.0


def test_page_progress_bar_only_moves_forward():
    js = (resources.files("borderflow.dashboard") / "static" / "app.js").read_text()
    assert "shown = Math.max(shown, job.progress)" in js
