"""The dashboard: a FastAPI app serving one static page and a small JSON API.

Safety (see docs/dashboard.md): Host and Origin headers are checked against the bound
address (DNS rebinding), request bodies are capped, runs are bounded in scale and span,
scenarios are chosen by bundled id only (never a path), and every response carries a
Content-Security-Policy. Nothing is fetched from the network: plotly.js is served from the
installed plotly package.
"""

from __future__ import annotations

import json
import re
import threading
from importlib import resources
from pathlib import Path

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from borderflow.api import simulate
from borderflow.dashboard import controls
from borderflow.dashboard.figures import backtest_figure, figure_json, payload
from borderflow.dashboard.jobs import LRU, Busy, Jobs
from borderflow.data.observed import observed_total
from borderflow.ensemble.runner import SequentialExecutor
from borderflow.errors import InputError
from borderflow.progress import PARTICLE_COST, PhasedProgress, forecast_phases  # noqa: F401
from borderflow.report.calibration import metric_rows
from borderflow.report.forecast import band_figure, latent_figure
from borderflow.scenario import bundled_scenarios, load_scenario
from borderflow.scenario.calibrated import calibrated_document
from borderflow.scenario.model import FIRST_MONTH
from borderflow.validate.assimilate import DEFAULT_PARTICLES
from borderflow.validate.forecast import (
    ASSIMILATE_DEFAULT,
    ForecastSpec,
    RunSpec,
    first_unobserved_month,
    forecast,
    shipped_backtests,
)

MAX_BODY = 64 * 1024
SCALE_MIN, SCALE_MAX, SCALE_DEFAULT = 20, 5000, 100
MAX_MONTHS = 121
DEFAULT_SCENARIO = "historical"
FORECAST_MAX_MONTHS, FORECAST_MAX_RUNS = 24, 20
# plotly.js sets inline styles on the elements it creates and adds a <style> rule sheet
# (modebar, hover labels): without 'unsafe-inline' for styles those are blocked. Scripts
# stay 'self' only; no inline script anywhere. data: images for the modebar's PNG export.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")
_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


def _static_dir() -> Path:
    return Path(str(resources.files("borderflow.dashboard") / "static"))


def _plotly_js() -> Path:
    # lazy: plotly is a heavy import, needed only to draw
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


STATIC = {"app.js": "text/javascript", "app.css": "text/css", "favicon.svg": "image/svg+xml"}


def _scenarios() -> list[str]:
    return list(bundled_scenarios())


def _bundled_id(v: str) -> str:
    ids = _scenarios()
    if v not in ids:
        raise ValueError(f"'{v}' is not a bundled scenario id (the dashboard takes ids, "
                         f"never file paths); allowed: {', '.join(ids)}")
    return v


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field("historical", max_length=64, description="a bundled scenario id")
    levers: dict[str, float] = Field(default_factory=dict, description="control id -> value")
    scale: int = Field(SCALE_DEFAULT, ge=SCALE_MIN, le=SCALE_MAX, description="people per agent")
    seed: int = Field(0, ge=0, le=2**31 - 1)
    start: str | None = Field(None, pattern=_MONTH)
    end: str | None = Field(None, pattern=_MONTH)

    @field_validator("scenario")
    @classmethod
    def _bundled(cls, v: str) -> str:
        return _bundled_id(v)

    @field_validator("start")
    @classmethod
    def _after_first(cls, v: str | None) -> str | None:
        if v is not None and v < FIRST_MONTH:
            raise ValueError(f"start {v} is before the driver data; allowed: {FIRST_MONTH} "
                             "or later")
        return v

    @field_validator("levers")
    @classmethod
    def _few(cls, v: dict[str, float]) -> dict[str, float]:
        if len(v) > 200:
            raise ValueError("too many levers (at most 200)")
        return v


class ForecastRequest(BaseModel):
    """An ensemble forecast of USBP Southwest encounters (``borderflow forecast``)."""

    model_config = ConfigDict(extra="forbid")

    scenario: str = Field("historical", max_length=64, description="a bundled scenario id")
    start: str = Field(default_factory=lambda: _first_unobserved(), pattern=_MONTH,
                       description="first forecast month (default: the month after the "
                                   "observations)")
    months: int = Field(10, ge=1, le=FORECAST_MAX_MONTHS)
    runs: int = Field(10, ge=2, le=FORECAST_MAX_RUNS, description="ensemble members")
    scale: int = Field(SCALE_DEFAULT, ge=SCALE_MIN, le=SCALE_MAX, description="people per agent")
    seed: int = Field(0, ge=0, le=2**31 - 1)
    assimilate: bool = Field(ASSIMILATE_DEFAULT, description="start from the particle "
                             "filter over the observations up to the origin")
    particles: int = Field(DEFAULT_PARTICLES, ge=4, le=128, description="particles of the "
                           "filter (with assimilate)")

    @field_validator("scenario")
    @classmethod
    def _bundled(cls, v: str) -> str:
        return _bundled_id(v)


def _first_unobserved() -> str:
    return first_unobserved_month()


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:]) - int(a[5:]) + 1


def _add_months(month: str, n: int) -> str:
    k = int(month[:4]) * 12 + int(month[5:]) - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def check_forecast_span(req: ForecastRequest) -> None:
    """A forecast simulates from the scenario's start (its warm-up) to the last forecast
    month: that span obeys the same limit as every other run."""

    first = load_scenario(req.scenario).start
    last = _add_months(req.start, req.months - 1)
    if req.start < first:
        raise InputError(f"forecast start {req.start} is before the scenario's start {first}",
                         field="start", expected=f"a month from {first}")
    span = _months_between(first, last)
    if span > MAX_MONTHS:
        latest = _add_months(first, MAX_MONTHS - req.months)
        raise InputError(f"a forecast of {req.months} months from {req.start} simulates {first} "
                         f"to {last}, {span} months, longer than the {MAX_MONTHS}-month limit "
                         "of every dashboard run", field="start",
                         expected=f"a start of {latest} or earlier for {req.months} months")


def config_payload() -> dict:
    """What /api/config returns; built once per server (the bundled scenarios and controls do
    not change while it runs)."""

    scenarios = []
    for sid in _scenarios():
        sc = load_scenario(sid)
        scenarios.append({"id": sid, "title": sc.title, "question": sc.question,
                          "start": sc.start, "end": sc.end, "controls": controls.describe(sc)})
    ids = [s["id"] for s in scenarios]
    return {"scenarios": scenarios, "scale": {"min": SCALE_MIN, "max": SCALE_MAX,
                                              "default": SCALE_DEFAULT},
            "default_scenario": DEFAULT_SCENARIO if DEFAULT_SCENARIO in ids else ids[0],
            "max_months": MAX_MONTHS, "forecast_start": _first_unobserved()}


class Guard:
    """ASGI middleware: Host/Origin allow-list, body size cap, security headers."""

    def __init__(self, app, allowed_hosts: set[str], max_body: int = MAX_BODY):
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts}
        self.max_body = max_body

    async def _reject(self, scope, receive, send, status: int, message: str) -> None:
        await JSONResponse({"error": message}, status_code=status,
                           headers=_headers())(scope, receive, send)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host", "").lower()

        async def reject(status: int, message: str) -> None:
            await self._reject(scope, receive, send, status, message)

        too_big = f"request body over {self.max_body} bytes"
        if host not in self.allowed:
            return await reject(400, f"unknown Host header {host!r}; the dashboard answers only "
                                "on its own address")
        origin = headers.get("origin")
        if origin is not None and (not origin.lower().startswith("http://")
                                   or origin.lower()[7:] not in self.allowed):
            return await reject(400, f"cross-origin request from {origin!r} refused")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await reject(413, too_big)
        body = b""
        more = scope["method"] in ("POST", "PUT", "PATCH")
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body:
                return await reject(413, too_big)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = [(k.lower().encode(), v.encode()) for k, v in _headers().items()]
                names = {k for k, _ in extra}
                message["headers"] = [h for h in message.get("headers", [])
                                      if h[0].lower() not in names] + extra
            await send(message)

        await self.app(scope, replay, send_with_headers)


def _headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-store"}


def allowed_hosts(host: str, port: int) -> set[str]:
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    bound = f"[{host}]" if ":" in host and not host.startswith("[") else host
    if bound not in ("0.0.0.0", "[::]"):
        hosts.add(f"{bound}:{port}")
    return hosts


def make_compute(max_cached: int = 8):
    """The job function: the run with the levers, and the cached baseline."""
    baselines = LRU(max_cached)

    def compute(req: dict, progress) -> dict:
        if req.get("kind") == "forecast":
            return forecast_payload(req, progress)

        sc = load_scenario(req["scenario"])
        if req.get("start") or req.get("end"):
            sc = sc.with_span(req.get("start"), req.get("end"))
        levers = controls.levers_from(sc, req.get("levers", {}))
        changed = sc.with_levers(**levers) if levers else sc
        key = (req["scenario"], sc.start, sc.end, req["scale"], req["seed"])
        base = baselines.get(key)
        share = 0.0 if base is not None else 0.5

        def tick(phase, lo, width):  # the simulations fill 0-97%, the figures the rest
            return lambda day, days: progress(phase, 0.97 * (lo + width * day / max(days, 1)))

        if base is None:
            base = simulate(sc, seed=req["seed"], scale=req["scale"],
                            progress=tick("baseline", 0.0, share))
            baselines.put(key, base)
        res = base if not levers else simulate(changed, seed=req["seed"], scale=req["scale"],
                                               progress=tick("run", share, 1 - share))
        progress("figures", 0.99)
        out = payload(res, base)
        out["levers"] = {k: v for k, v in req.get("levers", {}).items()}
        out["changed_levers"] = sorted(levers)
        return out

    return compute


def forecast_payload(req: dict, progress) -> dict:
    """The forecast job: members in this process, the band figure and the total's table."""

    assimilate = req.get("assimilate", ASSIMILATE_DEFAULT)
    particles = req.get("particles", DEFAULT_PARTICLES)
    # members, then (assimilated) the particle filter: one 0-1 scale over both phases
    phases = forecast_phases(req["runs"], particles if assimilate else None)
    table, meta = forecast(RunSpec(req["scenario"], runs=req["runs"], scale=req["scale"],
                                   seed=req["seed"], executor=SequentialExecutor()),
                           ForecastSpec(req["start"], req["months"], assimilate=assimilate,
                                        particles=particles),
                           PhasedProgress(phases, progress, end=0.98))
    progress("figures", 0.99)

    recent = str(pd.Period(req["start"], "M") - 36)
    how = (f"assimilated, {meta['particles']} particles" if assimilate
           else f"{req['runs']} runs")
    fig = band_figure(table, observed_total(start=recent), f"Forecast of USBP Southwest encounters "
                      f"from {req['start']} ({how}, 80% and 95% bands)",
                      events=meta.get("events_in_window"))
    fig.update_layout(template="plotly_white", height=420, margin=dict(l=60, r=15, t=50, b=40))
    figures = {"forecast": figure_json(fig)}
    if meta.get("latent"):

        lat = latent_figure(pd.DataFrame(meta["latent"]))
        lat.update_layout(template="plotly_white", height=360,
                          margin=dict(l=60, r=15, t=50, b=40))
        figures["latent"] = figure_json(lat)
    meta = {k: v for k, v in meta.items() if k != "latent"}
    total = table[table["breakdown"] == "total"]
    return {"kind": "forecast", "figures": figures,
            "rows": total[["month", "median", "p10", "p90", "p025", "p975"]]
            .to_dict("records"), "meta": meta}


def create_app(host: str = "127.0.0.1", port: int = 8050, *, compute=None,
               extra_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The dashboard app, answering only to ``host:port`` (and the loopback names)."""
    app = FastAPI(title="borderflow dashboard", docs_url=None, redoc_url=None,
                  openapi_url=None)
    jobs = Jobs(compute or make_compute())
    app.state.jobs = jobs

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = []
        for e in exc.errors():
            loc = [str(p) for p in e.get("loc", ()) if p != "body"]
            errors.append({"field": ".".join(loc) or "body",
                           "message": str(e.get("msg", "")).removeprefix("Value error, ")})
        text = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return JSONResponse({"error": f"invalid request: {text}", "errors": errors},
                            status_code=422)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError):
        return JSONResponse({"error": str(exc), "errors": [
            {"field": exc.field or "body", "message": str(exc)}]}, status_code=422)

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(_static_dir() / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():  # asked for by browsers that do not read the page's <link rel="icon">
        return FileResponse(_static_dir() / "favicon.svg", media_type="image/svg+xml")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str):
        if name == "plotly.min.js":
            return FileResponse(_plotly_js(), media_type="text/javascript")
        if name not in STATIC:
            return JSONResponse({"error": "not found"}, status_code=404)
        return FileResponse(_static_dir() / name, media_type=STATIC[name])

    config_cache: dict[str, bytes] = {}
    config_lock = threading.Lock()

    @app.get("/api/config")
    def config():
        with config_lock:  # built once; concurrent first requests wait for the one build
            if "body" not in config_cache:
                config_cache["body"] = json.dumps(config_payload()).encode()
        return Response(config_cache["body"], media_type="application/json")

    @app.get("/api/calibration")
    def calibration():
        """The shipped calibration's fit against the official statistics (read from the
        package's calibrated.json; nothing is run)."""

        doc = calibrated_document()
        fit = doc.get("fit") or {}
        if not fit:
            return {"available": False}
        return {"available": True, "span": fit.get("span"), "trials": fit.get("trials"),
                "seed": doc.get("seed"), "metrics": metric_rows(fit),
                "fitted": doc.get("numbers", {}), "fitted_count": doc.get("fitted_count")}

    @app.get("/api/backtests")
    def backtests():
        """The shipped backtests (``backtests.json`` beside calibrated.json, written by
        ``borderflow validate`` with the same calibration; nothing is run): mean scores
        per method and horizon, coverage, and a figure with one panel per origin."""

        doc, source = shipped_backtests()
        if doc is None:
            return {"available": False, "reason": source}
        return {"available": True, "source": source, "origins": doc["origins"],
                "summary": doc["summary"], "coverage": doc["coverage"],
                "figure": figure_json(backtest_figure(doc))}

    def submit(request: dict):
        """Queue a job; 409 while another runs."""
        try:
            job = jobs.submit(request)
        except Busy as exc:
            return JSONResponse({"error": "a run is already in progress; wait for it to finish "
                                 "and try again", "job": str(exc)}, status_code=409)
        return {"job": job.id, "status": job.status}

    @app.post("/api/run", status_code=202)
    def run(req: RunRequest):
        sc = load_scenario(req.scenario)
        start, end = req.start or sc.start, req.end or sc.end
        if end < start:
            raise InputError(f"end {end} is before start {start}", field="end")
        if _months_between(start, end) > MAX_MONTHS:
            raise InputError(f"{start} to {end} is longer than {MAX_MONTHS} months",
                             field="start/end", expected=f"a span of at most {MAX_MONTHS} months")
        controls.levers_from(sc, req.levers)  # validate before queueing: errors come back now
        return submit(req.model_dump())

    @app.post("/api/forecast", status_code=202)
    def forecast_job(req: ForecastRequest):
        check_forecast_span(req)
        return submit({"kind": "forecast", **req.model_dump()})

    @app.post("/api/jobs/{job_id}/cancel", status_code=202)
    def cancel(job_id: str):
        found = jobs.get(job_id) if _JOB_ID.match(job_id) else None
        if found is None:
            return JSONResponse({"error": f"no job {job_id[:40]!r}"}, status_code=404)
        jobs.cancel(job_id)
        return found.public()

    @app.get("/api/jobs/{job_id}")
    def job(job_id: str):
        found = jobs.get(job_id) if _JOB_ID.match(job_id) else None
        if found is None:
            return JSONResponse({"error": f"no job {job_id[:40]!r}"}, status_code=404)
        return found.public()

    hosts = allowed_hosts(host, port) | {h.lower() for h in extra_hosts}
    app.add_middleware(Guard, allowed_hosts=hosts)
    return app
