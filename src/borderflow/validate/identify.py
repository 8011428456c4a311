"""What the data identify: the plausible range of each searched number, from the trials a
calibration evaluated (docs/calibration.md, "Identification").

A trial is plausible when its objective lies within ``k`` standard deviations of the
simulation noise of the best one (the objective's spread over seeds at the best point).
For each searched number the plausible range is the least and greatest value among the
plausible trials, with their count and the pairwise correlations; a number whose range
covers most of its search range is not identified by these data.  The trials are the
optimiser's, concentrated near its optimum, so the ranges are where it looked and found
nothing better, not a posterior."""

from __future__ import annotations

import numpy as np

#: plausible: objective <= best + K_NOISE x its standard deviation over seeds
K_NOISE = 3.0


def _completed(trials: list[dict], space) -> list[dict]:
    done = [t for t in trials if t.get("value") is not None and np.isfinite(t["value"])
            and all(n in t["params"] for n, *_ in space)]
    if not done:
        raise ValueError("no completed trial holds every searched number")
    return done


def plausible_trials(trials: list[dict], noise_sd: float, space, k: float = K_NOISE
                     ) -> list[dict]:
    """The plausible trials (objective <= best + ``k`` x ``noise_sd``), best first (ties:
    the earlier trial)."""
    done = _completed(trials, space)
    cut = min(t["value"] for t in done) + k * max(noise_sd, 0.0)
    keep = [t for t in done if t["value"] <= cut]
    return sorted(keep, key=lambda t: (t["value"], t.get("number", 0)))


def plausible_set(trials: list[dict], noise_sd: float, space, k: float = K_NOISE) -> dict:
    """Ranges and correlations of the searched numbers over the plausible trials.

    ``trials``: completed trials ({"value": objective, "params": {number: value}});
    ``space``: (name, low, high, log) of each searched number (``calibrate.SPACE``)."""
    done = _completed(trials, space)
    best = min(t["value"] for t in done)
    cut = best + k * max(noise_sd, 0.0)
    keep = plausible_trials(trials, noise_sd, space, k)
    names = [n for n, *_ in space]
    x = np.array([[t["params"][n] for n in names] for t in keep], float)
    ranges = {}
    for j, (n, lo, hi, log) in enumerate(space):
        a, b = float(x[:, j].min()), float(x[:, j].max())
        width = (np.log(b / a) / np.log(hi / lo)) if log else (b - a) / (hi - lo)
        ranges[n] = {"low": a, "high": b, "share_of_search_range": float(width),
                     "identified": bool(width < 0.5)}
    corr = {}
    if len(keep) > 2:
        c = np.corrcoef(x, rowvar=False)
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                if np.isfinite(c[i, j]) and abs(c[i, j]) >= 0.5:
                    corr[f"{names[i]} ~ {names[j]}"] = round(float(c[i, j]), 3)
    return {"rule": f"objective <= best + {k:g} x its standard deviation over seeds",
            "best": best, "noise_sd": noise_sd, "threshold": cut,
            "trials": len(done), "plausible_trials": len(keep),
            "ranges": ranges, "correlations": corr}


def markdown(doc: dict) -> str:
    """The identification table (Markdown)."""
    lines = ["## Identification", "",
             f"Plausible trials: {doc['plausible_trials']} of {doc['trials']} "
             f"({doc['rule']}; best {doc['best']:.3f}, noise s.d. {doc['noise_sd']:.3f}, "
             f"threshold {doc['threshold']:.3f}).  A number whose plausible values span half "
             "its search range or more is marked not identified.", "",
             "| Number | Plausible low | Plausible high | Share of search range | Identified |",
             "|---|---:|---:|---:|---|"]
    for n, r in doc["ranges"].items():
        lines.append(f"| `{n}` | {r['low']:.4g} | {r['high']:.4g} | "
                     f"{r['share_of_search_range']:.2f} | {'yes' if r['identified'] else 'no'} |")
    if doc["correlations"]:
        lines += ["", "Correlations of at least 0.5 in absolute value among the plausible trials:",
                  ""] + [f"- {k}: {v:+.2f}" for k, v in doc["correlations"].items()]
    return "\n".join(lines) + "\n"
