#!/usr/bin/env python
"""What the book-out and detention data show: the figures and numbers of docs/data.md,
section "What the new data show".

    python scripts/release_share_figures.py [--out docs/figures]

Reads the bundled observations only (``borderflow.data``) and writes three PNG figures
(matplotlib, from the ``analysis`` extra) and ``release_share.csv`` into ``--out``; prints
the numbers the docs quote.  Nothing is fitted.

- the monthly share of USBP Southwest encounters released into the United States (USBP
  releases: notice to appear on own recognizance, notice to report, parole with or without
  ATD) by citizenship, for the largest nationalities;
- that share against the month's encounters, by regime (before Title 42, Title 42, Title 8
  from 12 May 2023 to 4 June 2024, the Securing the Border rule from 5 June 2024);
- ICE detention (average daily population, all and initially arrested by CBP) against the
  detention capacity Congress funded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import borderflow.data as bd  # noqa: E402

NATS = ("Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela", "Cuba", "Colombia",
        "Ecuador")
#: regime -> (first month, last month): the book-out months are grouped by the rules in force
#: for most of the month (Title 42 from 2020-03-20 to 2023-05-11; the Securing the Border rule
#: from 2024-06-05)
REGIMES = {"before Title 42": ("2019-01", "2020-03"), "Title 42": ("2020-04", "2023-04"),
           "Title 8, May 2023 - May 2024": ("2023-06", "2024-05"),
           "Securing the Border rule": ("2024-06", "2024-12")}
EVENTS = (("2020-03", "Title 42"), ("2022-10", "Title 42 for Venezuelans"),
          ("2023-05", "end of Title 42"), ("2024-06", "June 2024 rule"))


def _series(name: str, by: str | None = None, start: str = "2019-01") -> pd.DataFrame:
    return bd.monthly(name, by=by, start=start)


def release_shares() -> pd.DataFrame:
    """month x (total, nationalities): USBP releases over USBP Southwest encounters."""
    rel = _series("usbp_bookouts_usbp_releases").set_index("month")["value"]
    enc = _series("usbp_bookouts_total_encounters").set_index("month")["value"]
    out = pd.DataFrame({"total": rel / enc, "encounters": enc})
    by_rel = _series("cbp_bookouts_usbp_releases", by="citizenship").pivot(
        index="month", columns="citizenship", values="value")
    by_enc = _series("usbp_sw_encounters", by="citizenship").pivot(
        index="month", columns="citizenship", values="value")
    for nat in NATS:
        out[nat] = by_rel[nat] / by_enc[nat].reindex(by_rel.index)
    return out.dropna(subset=["total"])


def regime_of(month: str) -> str | None:
    for name, (a, b) in REGIMES.items():
        if a <= month <= b:
            return name
    return None


def regime_table(sh: pd.DataFrame) -> pd.DataFrame:
    """Per regime: months, mean share, and the slope of the share on log encounters (OLS,
    statsmodels) with its 95% interval."""
    import statsmodels.api as sm

    rows = []
    sh = sh.assign(regime=[regime_of(m) for m in sh.index]).dropna(subset=["regime"])
    for name, g in sh.groupby("regime", sort=False):
        x = sm.add_constant(np.log(g["encounters"].to_numpy(float)))
        fit = sm.OLS(g["total"].to_numpy(float), x).fit()
        lo, hi = fit.conf_int()[1]
        rows.append({"regime": name, "months": len(g), "first": g.index[0], "last": g.index[-1],
                     "mean_share": g["total"].mean(), "min_share": g["total"].min(),
                     "max_share": g["total"].max(),
                     "encounters_mean": g["encounters"].mean(),
                     "slope_per_log": fit.params[1], "slope_lo": lo, "slope_hi": hi,
                     "corr": float(np.corrcoef(np.log(g["encounters"]), g["total"])[0, 1])})
    return pd.DataFrame(rows)


def detention() -> pd.DataFrame:
    adp = _series("ice_detention_adp").set_index("month")["value"].rename("adp_all")
    cbp = _series("ice_detention_adp_cbp").set_index("month")["value"].rename("adp_cbp")
    rec = bd.observations("ice_detention_alos", start="2019-01")   # records: never summed
    rec = rec[(rec["demographic"] == "") & (rec["geography"] == "")]
    alos = pd.Series(rec["value"].to_numpy(float), name="alos_all",
                     index=rec["period_start"].dt.strftime("%Y-%m").to_numpy())
    beds = bd.observations("ice_funded_detention_beds")
    out = pd.concat([adp, cbp, alos], axis=1)
    out["funded_beds"] = np.nan
    for r in beds.itertuples():
        months = pd.period_range(r.period_start, r.period_end, freq="M").astype(str)
        out.loc[out.index.isin(months), "funded_beds"] = r.value
    return out


def _mark_events(ax) -> None:
    for month, label in EVENTS:
        ax.axvline(pd.Period(month, "M").to_timestamp(), color="0.6", lw=0.8, ls="--")
        ax.text(pd.Period(month, "M").to_timestamp(), 0.98, " " + label, rotation=90,
                fontsize=7, va="top", ha="right", color="0.35",
                transform=ax.get_xaxis_transform())


def figures(sh: pd.DataFrame, det: pd.DataFrame, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    t = pd.PeriodIndex(sh.index, freq="M").to_timestamp()
    fig, ax = plt.subplots(figsize=(9, 4.6), constrained_layout=True)
    ax.plot(t, sh["total"], color="black", lw=2.2, label="all citizenships")
    for nat in NATS:
        ax.plot(t, sh[nat], lw=1.0, label=nat)
    ax.set_ylim(0, 1)
    ax.set_ylabel("released into the U.S. / USBP encounters")
    ax.set_title("USBP Southwest encounters released into the United States, by month of "
                 "encounter", fontsize=10)
    _mark_events(ax)
    ax.legend(ncol=5, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    paths.append(out / "release_share_by_citizenship.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4.6), constrained_layout=True)
    for name in REGIMES:
        g = sh[[regime_of(m) == name for m in sh.index]]
        ax.scatter(g["encounters"] / 1000, g["total"], s=18, label=f"{name} ({len(g)} months)")
    ax.set_xlabel("USBP Southwest encounters in the month (thousands)")
    ax.set_ylabel("share released into the U.S.")
    ax.set_ylim(0, 1)
    ax.set_title("Release share against encounters, by the rules in force", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    paths.append(out / "release_share_vs_encounters.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    td = pd.PeriodIndex(det.index, freq="M").to_timestamp()
    fig, ax = plt.subplots(figsize=(9, 4.2), constrained_layout=True)
    ax.plot(td, det["adp_all"] / 1000, color="black", lw=2, label="ICE detention, all")
    ax.plot(td, det["adp_cbp"] / 1000, color="tab:blue", lw=1.2,
            label="of which initially arrested by CBP (border)")
    ax.step(td, det["funded_beds"] / 1000, where="post", color="tab:red", lw=1.5,
            label="funded beds (appropriations, fiscal year)")
    ax.set_ylabel("thousand persons (average daily population)")
    ax.set_ylim(0, None)
    ax.set_title("ICE detention against the capacity Congress funded", fontsize=10)
    _mark_events(ax)
    ax.legend(fontsize=7, loc="lower left")
    paths.append(out / "ice_detention_vs_funded_beds.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "figures")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    sh = release_shares()
    det = detention()
    sh.round(4).to_csv(args.out / "release_share.csv", index_label="month")
    pd.set_option("display.width", 160)
    print(sh.round(2).to_string())
    print(regime_table(sh).round(3).to_string(index=False))
    print(det.round(0).to_string())
    for p in figures(sh, det, args.out):
        print("wrote", p.relative_to(REPO) if p.is_relative_to(REPO) else p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
