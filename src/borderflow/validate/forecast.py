"""Ensemble forecasts of USBP Southwest encounters with 80% and 95% intervals.

The scenario (default: historical, whose timeline holds the events announced after
January 2024) runs from ``warmup`` months before the first forecast month to the
last one; drivers past their data are projected by persistence (the scenario layer's
rule).  Member i uses ``SeedSequence(seed, spawn_key=(i,))`` (borderflow.ensemble).
Observations never enter the run: they are drawn on the chart only.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from borderflow.errors import InputError

COLUMNS = ["month", "breakdown", "key", "median", "p10", "p90", "p025", "p975"]
QUANTILES = {"median": 0.5, "p10": 0.1, "p90": 0.9, "p025": 0.025, "p975": 0.975}
VARS = {"total": ("usbp_encounters", None), "sector": ("usbp_by_sector", "sector"),
        "citizenship": ("usbp_by_citizenship", "citizenship")}
DEFAULT_SCALE = 50
DEFAULT_WARMUP = 12


def parse_month(text: str, field: str = "--from") -> pd.Period:
    try:
        return pd.Period(str(text), "M")
    except Exception:  # noqa: BLE001
        raise InputError(f"not a month: {text!r}", field=field, expected="YYYY-MM") from None


def run_members(sc, runs: int, *, seed: int, scale: int, executor: Executor | None = None,
                workers: int | None = None, scheduler: str | None = None, progress=None):
    """The ensemble dataset (member x month x breakdown) of ``sc``."""
    from borderflow.ensemble.runner import run_ensemble

    return run_ensemble(sc, runs, seed=seed, scale=scale, executor=executor, workers=workers,
                        scheduler=scheduler, progress=progress)


def quantile_table(ds, months: list[str]) -> pd.DataFrame:
    """Quantiles over members for ``months``: the forecast.parquet layout."""
    frames = []
    for breakdown, (var, dim) in VARS.items():
        da = ds[var].sel(month=months)
        qs = {k: da.quantile(q, dim="member") for k, q in QUANTILES.items()}
        if dim is None:
            df = pd.DataFrame({"month": months, "breakdown": "total", "key": "total",
                               **{k: v.values for k, v in qs.items()}})
        else:
            parts = []
            for key in da[dim].values:
                parts.append(pd.DataFrame({"month": months, "breakdown": breakdown,
                                           "key": str(key),
                                           **{k: v.sel({dim: key}).values
                                              for k, v in qs.items()}}))
            df = pd.concat(parts, ignore_index=True)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    for k in QUANTILES:
        out[k] = out[k].astype(float)
    return out


def forecast(start: str, months: int, *, runs: int = 20, scenario: str = "historical",
             scale: int = DEFAULT_SCALE, seed: int = 0, warmup: int = DEFAULT_WARMUP,
             executor: Executor | None = None, workers: int | None = None,
             scheduler: str | None = None, progress=None) -> tuple[pd.DataFrame, dict]:
    """Forecast table for ``months`` months from ``start`` and run metadata."""
    from borderflow.scenario import load_scenario

    if months < 1:
        raise InputError(f"months must be >= 1, got {months}", field="--months")
    if warmup < 0:
        raise InputError(f"warm-up must be >= 0, got {warmup}", field="--warmup")
    first = parse_month(start)
    last = first + (months - 1)
    sc = load_scenario(scenario).with_span(str(first - warmup), str(last))
    t0 = time.perf_counter()
    ds = run_members(sc, runs, seed=seed, scale=scale, executor=executor, workers=workers,
                     scheduler=scheduler, progress=progress)
    fmonths = [str(first + k) for k in range(months)]
    table = quantile_table(ds, fmonths)
    meta = {"scenario": sc.id, "from": str(first), "months": months, "runs": runs,
            "scale": scale, "seed": seed, "warmup_months": warmup,
            "span": [sc.start, sc.end], "wall_seconds": round(time.perf_counter() - t0, 1)}
    return table, meta


def band_figure(table: pd.DataFrame, observed: pd.Series | None, title: str,
                key: str = "total", breakdown: str = "total"):
    import plotly.graph_objects as go

    t = table[(table["breakdown"] == breakdown) & (table["key"] == key)]
    x = list(t["month"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x + x[::-1], y=list(t["p975"]) + list(t["p025"])[::-1],
                             fill="toself", fillcolor="rgba(31,119,180,0.15)",
                             line=dict(width=0), name="95% interval"))
    fig.add_trace(go.Scatter(x=x + x[::-1], y=list(t["p90"]) + list(t["p10"])[::-1],
                             fill="toself", fillcolor="rgba(31,119,180,0.3)",
                             line=dict(width=0), name="80% interval"))
    fig.add_trace(go.Scatter(x=x, y=t["median"], mode="lines+markers", name="median",
                             line=dict(color="rgb(31,119,180)")))
    if observed is not None and len(observed):
        fig.add_trace(go.Scatter(x=list(observed.index), y=observed.values, mode="lines",
                                 name="observed (USBP SW)", line=dict(color="black")))
    fig.update_layout(title=title, yaxis_title="encounters per month")
    return fig


def write_outputs(table: pd.DataFrame, meta: dict, out_dir: str | Path) -> tuple[Path, Path]:
    import json

    from borderflow.atomic import atomic_path
    from borderflow.report.html import page
    from borderflow.validate.objective import observed_total

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pq = out_dir / "forecast.parquet"
    with atomic_path(pq) as tmp:
        table.to_parquet(tmp, index=False)
    obs = observed_total(start="2019-01")
    sections = [("USBP Southwest encounters", band_figure(
        table, obs, f"{meta['scenario']}: forecast from {meta['from']}, {meta['runs']} runs"))]
    last = table["month"].max()
    for breakdown in ("sector", "citizenship"):
        t = table[(table["breakdown"] == breakdown) & (table["month"] == last)]
        t = t.sort_values("median", ascending=False)
        rows = "".join(f"<tr><td>{r.key}</td><td>{r.median:,.0f}</td><td>{r.p10:,.0f} - "
                       f"{r.p90:,.0f}</td><td>{r.p025:,.0f} - {r.p975:,.0f}</td></tr>"
                       for r in t.itertuples())
        sections.append((f"By {breakdown}, {last}",
                         "<table><tr><th>key</th><th>median</th><th>80%</th><th>95%</th></tr>"
                         f"{rows}</table>"))
    sections.append(("Run", "<pre>" + json.dumps(meta, indent=1) + "</pre>"
                     "<p>Intervals are quantiles over ensemble members (stochastic "
                     "uncertainty at fixed calibrated parameters); drivers past their data "
                     "are projected by persistence; events after January 2024 come from "
                     "the scenario's dated timeline.</p>"))
    html = out_dir / "forecast.html"
    page(f"borderflow forecast from {meta['from']}", sections, html)
    with atomic_path(out_dir / "forecast.json") as tmp:
        Path(tmp).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return pq, html
