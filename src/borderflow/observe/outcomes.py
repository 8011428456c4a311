"""Scalar outcomes of one run (totals over its months) from its tidy tables: what
``borderflow compare``, the run report and the dashboard show."""

from __future__ import annotations

import numpy as np

URBAN_SECTOR = "San Diego, CA"


def metrics(res) -> dict[str, float]:
    """Scalar outcomes of one run that a comparison reports."""
    enc = res.tables["encounters"]
    usbp = enc[enc["component"] == "USBP"]
    by_sector = usbp.groupby("sector")["encounters"].sum()
    mx = res.tables["mexico"].groupby("measure")["people"].sum()
    out = res.tables["outcomes"].groupby("measure")["people"].sum()
    cr = res.tables["crossings"]
    between = cr[cr["kind"] != "port"]["people"].sum()
    remote = cr[cr["kind"] == "remote"]["people"].sum()
    deaths = res.tables["deaths"]["deaths"].sum()
    exp_deaths = cr[cr["kind"] != "port"]["expected_deaths"].sum()
    fees = res.tables["fees"]["fee_usd"].mean() if len(res.tables["fees"]) else np.nan
    waiting = res.tables["waiting"].groupby("month")["people"].sum().mean()
    backlog = res.tables["backlog"]["pending_cases"].iloc[-1]
    effort = res.tables["backlog"]["mx_enforcement_effort"].to_numpy()
    return {
        "USBP encounters": float(usbp["encounters"].sum()),
        f"encounters {URBAN_SECTOR}": float(by_sector.get(URBAN_SECTOR, 0)),
        "encounters other sectors": float(by_sector.drop(URBAN_SECTOR, errors="ignore").sum()),
        "OFO encounters": float(enc[enc["component"] == "OFO"]["encounters"].sum()),
        "gotaways": float(out.get("gotaways", 0)),
        "remote crossing share": float(remote / between) if between else np.nan,
        "Mexico apprehended": float(mx.get("apprehended", 0)),
        "Mexico detained": float(mx.get("detained", 0)),
        "Mexico deported": float(mx.get("deported", 0)),
        "Mexico released": float(mx.get("released", 0)),
        "Mexico transferred south": float(mx.get("transferred_south", 0)),
        "deaths and missing": float(deaths),
        "expected deaths and missing": float(cr["expected_deaths"].sum()),
        "deaths per 100,000 crossings": float(deaths / between * 1e5) if between else np.nan,
        "expected deaths per 100,000 crossings": float(exp_deaths / between * 1e5)
        if between else np.nan,
        "mean smuggling fee (USD)": float(fees),
        "waiting in border cities (mean)": float(waiting) if not np.isnan(waiting) else 0.0,
        "court backlog at end": float(backlog),
        "Mexican effort: peak (x)": float(effort.max()),
        "Mexican effort: months to peak": float(effort.argmax()),
        "Mexican effort: months above 1.2x": float((effort > 1.2).sum()),
    }
