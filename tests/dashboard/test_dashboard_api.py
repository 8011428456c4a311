"""The dashboard's JSON API and its safety rules (FastAPI TestClient, no browser)."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from borderflow.dashboard.app import CSP, MAX_BODY, create_app
from borderflow.dashboard.controls import CONTROLS, available_controls, levers_from
from borderflow.scenario import load_scenario, registry

BASE = "http://127.0.0.1:8050"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app("127.0.0.1", 8050), base_url=BASE) as c:
        yield c


def _wait(client, job_id, timeout=180):
    t0 = time.time()
    while time.time() - t0 < timeout:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "error"):
            return job
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_page_and_csp(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "script-src 'self';" in CSP
    assert "<script>" not in r.text and "style=" not in r.text and "<style" not in r.text
    assert "http://" not in r.text and "https://" not in r.text
    for name in ("app.js", "app.css", "plotly.min.js", "favicon.svg"):
        s = client.get(f"/static/{name}")
        assert s.status_code == 200 and s.headers["content-security-policy"] == CSP
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/index.html").status_code == 404


def test_favicon(client):
    page = client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    for url in ("/static/favicon.svg", "/favicon.ico"):  # linked, and the browsers' default
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
        assert r.text.lstrip().startswith("<svg") and "<script" not in r.text
        assert r.headers["content-security-policy"] == CSP


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8050", "127.0.0.1:9999",
                                  "localhost", ""])
def test_unknown_host_rejected(client, host):
    r = client.get("/api/config", headers={"Host": host})
    assert r.status_code == 400
    assert "Host" in r.json()["error"]
    assert r.headers["content-security-policy"] == CSP


@pytest.mark.parametrize("host", ["127.0.0.1:8050", "localhost:8050", "[::1]:8050"])
def test_loopback_hosts_accepted(client, host):
    assert client.get("/api/config", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("origin", ["http://attacker.example", "null", "https://127.0.0.1:8050",
                                    "http://127.0.0.1:8050.attacker.example"])
def test_foreign_origin_rejected(client, origin):
    r = client.post("/api/run", json={"scenario": "historical"}, headers={"Origin": origin})
    assert r.status_code == 400
    assert "origin" in r.json()["error"]


def test_oversized_body_413(client):
    r = client.post("/api/run", content=b"{" + b" " * (MAX_BODY + 10) + b"}",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_oversized_chunked_body_413(client):
    def chunks():
        for _ in range(20):
            yield b" " * 8192

    r = client.post("/api/run", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("bad", ["../x.yaml", "/etc/passwd", "scenarios/historical.yaml",
                                 "C:\\x.yaml", "historical/../../x"])
def test_path_as_scenario_is_a_clear_error(client, bad):
    r = client.post("/api/run", json={"scenario": bad})
    assert r.status_code == 422
    body = r.json()
    assert body["errors"][0]["field"] == "scenario"
    assert "historical" in body["error"] and "never file paths" in body["error"]


@pytest.mark.parametrize("payload,field", [
    ({"scale": 1}, "scale"), ({"scale": 10**9}, "scale"), ({"start": "2019"}, "start"),
    ({"levers": {"nope": 1}}, "levers.nope"), ({"levers": {"mx_staff_south": 99}},
                                               "levers.mx_staff_south"),
    ({"levers": {"mx_visa_venezuela": 0.5}}, "levers.mx_visa_venezuela"),
    ({"start": "2019-01", "end": "2035-01"}, "start/end"), ({"extra": 1}, "extra"),
    ({"start": "2010-01"}, "start"),                 # before the driver data
    ({"start": "2020-01", "end": "2019-01"}, "end"),
])
def test_validation_errors_name_the_field(client, payload, field):
    r = client.post("/api/run", json={"scenario": "historical", **payload})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field
    assert r.json()["error"]


def test_unknown_job(client):
    assert client.get("/api/jobs/../../etc/passwd").status_code == 404
    assert client.get("/api/jobs/" + "0" * 32).status_code == 404


def test_config_lists_controls(client):
    cfg = client.get("/api/config").json()
    ids = [s["id"] for s in cfg["scenarios"]]
    assert "historical" in ids
    controls = cfg["scenarios"][ids.index("historical")]["controls"]
    levers = {c["lever"] for c in controls}
    assert {"mx_checkpoint_staff", "mx_detention_limit_days", "mx_repatriation_flights",
            "mx_visa_required", "us_bp_posture", "us_port_daily_cap"} <= levers
    assert levers <= set(registry.LEVERS)  # controls for missing levers never appear


def test_controls_skip_missing_levers():
    shown = {c.lever for c in available_controls()}
    declared = {c.lever for c in CONTROLS}
    assert {lv for lv in declared if lv not in registry.LEVERS}.isdisjoint(shown)


def test_levers_from_sets_region_only():
    sc = load_scenario("historical")
    lv = levers_from(sc, {"mx_staff_north": 2.0, "us_bp_tucson": 3.0})
    assert lv["mx_checkpoint_staff"]["Sonora"] == 2.0
    assert lv["mx_checkpoint_staff"]["Chiapas"] == 1.0
    assert lv["us_bp_posture"]["Tucson, AZ"] == 3.0 and lv["us_bp_posture"]["Yuma, AZ"] == 1.0
    sc.with_levers(**lv)  # the scenario accepts them
    assert levers_from(sc, {"mx_staff_north": 1.0}) == {}  # unchanged value: no override


def test_valid_run_returns_results_and_one_job_at_a_time(client):
    req = {"scenario": "historical", "scale": 400, "start": "2023-01", "end": "2023-06",
           "levers": {"mx_staff_south": 3.0}}
    r = client.post("/api/run", json=req)
    assert r.status_code == 202, r.text
    job_id = r.json()["job"]
    second = client.post("/api/run", json=req)
    assert second.status_code in (202, 409)
    if second.status_code == 409:
        assert "already in progress" in second.json()["error"]
    job = _wait(client, job_id)
    if second.status_code == 202:
        _wait(client, second.json()["job"])
    assert job["status"] == "done", job
    res = job["result"]
    assert set(res["figures"]) == {"encounters", "sectors", "mexico", "deaths", "map"}
    assert res["changed_levers"] == ["mx_checkpoint_staff"]
    names = {t.get("name") for t in res["figures"]["encounters"]["data"]}
    assert {"baseline scenario", "with your levers"} <= names
    totals = {t["measure"]: t for t in res["totals"]}
    assert "U.S. Border Patrol encounters" in totals


def test_run_compares_deaths_per_100000_crossings(client):
    """Beside the counts, the comparison gives the expected deaths per 100,000 crossings
    of both runs, as ``borderflow compare`` computes them (compare.metrics)."""
    from importlib import resources

    from borderflow.api import simulate
    from borderflow.compare import metrics

    req = {"scenario": "historical", "scale": 400, "start": "2023-01", "end": "2023-06",
           "levers": {"mx_staff_south": 3.0}}
    r = client.post("/api/run", json=req)
    assert r.status_code == 202, r.text
    job = _wait(client, r.json()["job"])
    assert job["status"] == "done", job
    rows = [t["measure"] for t in job["result"]["totals"]]
    rate = next(t for t in job["result"]["totals"]
                if t["measure"] == "expected deaths per 100,000 crossings (between ports)")
    dead = next(k for k, m in enumerate(rows) if m.startswith("dead"))
    assert rows.index(rate["measure"]) == dead + 1  # right below the deaths
    sc = load_scenario("historical").with_span("2023-01", "2023-06")
    base = simulate(sc, seed=0, scale=400)
    run = simulate(sc.with_levers(**levers_from(sc, req["levers"])), seed=0, scale=400)
    key = "expected deaths per 100,000 crossings"
    want_run, want_base = metrics(run)[key], metrics(base)[key]
    assert rate["run"] == pytest.approx(want_run)
    assert rate["baseline"] == pytest.approx(want_base)
    assert rate["digits"] == 1
    assert rate["percent"] == round(100 * (rate["run"] - rate["baseline"]) / rate["baseline"], 1)
    title = job["result"]["figures"]["deaths"]["layout"]["title"]["text"]
    assert f"{want_run:.1f} with your levers, {want_base:.1f} baseline" in title
    js = (resources.files("borderflow.dashboard") / "static" / "app.js").read_text()
    assert "number(row.run, row.digits)" in js  # the page shows the rate with its decimal


def test_busy_server_answers_409():
    import threading

    gate = threading.Event()

    def slow(req, progress):
        gate.wait(10)
        return {"figures": {}, "totals": [], "meta": {}, "changed_levers": []}

    with TestClient(create_app("127.0.0.1", 8050, compute=slow), base_url=BASE) as c:
        first = c.post("/api/run", json={"scenario": "historical"})
        assert first.status_code == 202
        second = c.post("/api/run", json={"scenario": "historical"})
        assert second.status_code == 409 and "already in progress" in second.json()["error"]
        gate.set()
        assert _wait(c, first.json()["job"])["status"] == "done"
        assert c.post("/api/run", json={"scenario": "historical"}).status_code == 202
        gate.set()


def test_non_loopback_bind_warns(capsys, monkeypatch):
    import uvicorn

    from borderflow.dashboard import server

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    server.serve("0.0.0.0", 8050)
    assert "warning" in capsys.readouterr().err
    server.serve("127.0.0.1", 8050)
    assert "warning" not in capsys.readouterr().err


def test_serve_command_registered():
    from typer.testing import CliRunner

    from borderflow.cli import _register, app

    _register()
    out = CliRunner().invoke(app, ["serve", "--help"])
    assert out.exit_code == 0 and "--host" in out.output and "--port" in out.output


@pytest.mark.parametrize("body,field", [
    ({"months": 0}, "months"), ({"months": 25}, "months"), ({"runs": 1}, "runs"),
    ({"runs": 500}, "runs"), ({"start": "2024-13"}, "start"),
    ({"scenario": "../etc/passwd"}, "scenario"), ({"colour": "red"}, "colour"),
    ({"particles": 2}, "particles")])
def test_forecast_request_errors_name_the_field(client, body, field):
    r = client.post("/api/forecast", json=body)
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["errors"]}


def test_forecast_job(client):
    r = client.post("/api/forecast", json={"start": "2024-02", "months": 2, "runs": 2,
                                           "scale": 2000})
    assert r.status_code == 202
    job = _wait(client, r.json()["job"])
    assert job["status"] == "done", job.get("error")
    res = job["result"]
    assert res["kind"] == "forecast" and [x["month"] for x in res["rows"]] == ["2024-02",
                                                                               "2024-03"]
    assert all(x["p025"] <= x["p10"] <= x["median"] <= x["p90"] <= x["p975"]
               for x in res["rows"])
    names = [t.get("name") for t in res["figures"]["forecast"]["data"]]
    assert "median" in names and "observed (USBP SW)" in names


def test_assimilated_forecast_job_draws_the_filtered_latent(client):
    r = client.post("/api/forecast", json={"start": "2024-02", "months": 1, "runs": 2,
                                           "scale": 2000, "assimilate": True, "particles": 4})
    assert r.status_code == 202
    seen, t0 = [], time.time()   # members, then the filter: one scale, never back
    while time.time() - t0 < 180:
        job = client.get(f"/api/jobs/{r.json()['job']}").json()
        seen.append((job["phase"], job["progress"]))
        if job["status"] not in ("queued", "running"):
            break
        time.sleep(0.02)
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions), seen
    assert "filter" in {p for p, _ in seen}, seen
    assert job["status"] == "done", job.get("error")
    res = job["result"]
    assert res["meta"]["error_model"] == "assimilated" and "latent" not in res["meta"]
    groups = {t.get("name") for t in res["figures"]["latent"]["data"]} - {None}
    assert {"mexico", "south_america"} <= groups
    assert "assimilated, 4 particles" in res["figures"]["forecast"]["layout"]["title"]["text"]


def test_calibration_reports_the_shipped_fit(client):
    from borderflow.scenario.calibrated import calibrated_document

    r = client.get("/api/calibration")
    assert r.status_code == 200
    c = r.json()
    fit = calibrated_document()["fit"]
    assert c["available"] and c["span"] == fit["span"] and c["trials"] == fit["trials"]
    mape = next(m for m in c["metrics"] if m["metric"] == "USBP SW monthly total MAPE")
    assert mape["after"] == f"{fit['after']['total_mape'] * 100:.1f}%"
    obj = next(m for m in c["metrics"] if m["metric"] == "Objective (weighted sum)")
    assert float(obj["before"]) > float(obj["after"])       # calibration lowered it
    assert "beta_apprehension" in c["fitted"]
    assert c["fitted_count"] == len(c["fitted"]) == calibrated_document()["fitted_count"]


def test_backtests_show_the_shipped_backtests(client):
    from borderflow.validate.backtest import EPISODES, ORIGINS

    b = client.get("/api/backtests").json()
    assert b["available"], b
    origins = sorted(set(ORIGINS) | set(EPISODES))             # rolling and episode origins
    assert b["origins"] == origins
    mase = {(r["method"], r["horizon"]): r["mase"] for r in b["summary"]}
    assert {("model_corrected", 6), ("model_corrected", 12), ("ets", 6)} <= set(mase)
    layout = b["figure"]["layout"]
    titles = [a["text"] for a in layout["annotations"]]
    assert titles == [f"from {o}" for o in origins]            # one panel per origin
    # one y-axis for every panel, cut so that one wild band does not flatten the rest,
    # and the chart says so; month ticks few and unrotated
    ys = {k: v for k, v in layout.items() if k.startswith("yaxis")}
    assert all(v.get("range") == ys["yaxis"]["range"] for v in ys.values())
    assert ys["yaxis"]["range"][1] < 1_000_000
    assert f"cut at {ys['yaxis']['range'][1]:,.0f}" in layout["title"]["text"]
    used = {"xaxis" + t.get("xaxis", "x")[1:] for t in b["figure"]["data"]}
    assert len(used) == len(origins)
    assert all(layout[x]["tickangle"] == 0 and layout[x]["tickformat"] == "%b %Y"
               for x in used)
    names = {t.get("name") for t in b["figure"]["data"]}
    assert {"observed (USBP SW)", "model 80% band", "ETS", "SARIMA"} <= names


def test_backtests_of_another_calibration_are_not_shown(client, monkeypatch):
    import borderflow.validate.forecast as fc

    monkeypatch.setattr(fc, "calibration_stamp", lambda: "another calibration")
    b = client.get("/api/backtests").json()
    assert not b["available"] and "another calibrated.json" in b["reason"]
