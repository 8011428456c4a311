"""Results of a run: tidy tables, metadata, and writing them atomically."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from borderflow.atomic import atomic_dir
from borderflow.engine.simulate import RawRun
from borderflow.observe import TABLES, run_dataset
from borderflow.scenario.calibrated import calibration_sha256
from borderflow.scenario.load import scenario_hash
from borderflow.version import __version__

BREAKDOWNS = ("sector", "citizenship", "demographic", "authority", "component")


@dataclass
class Results:
    """One run: its labelled ``dataset`` (:func:`borderflow.observe.run_dataset`), the
    tables derived from it (``encounters``, ``mexico``, ``deaths``, ``ledger``,
    ``outcomes``, ``crossings``, ``fees``, ``waiting`` and ``backlog`` as pandas
    DataFrames), and ``meta``."""

    raw: RawRun = field(repr=False)

    def __post_init__(self) -> None:
        self.dataset = run_dataset(self.raw)
        self.tables: dict[str, pd.DataFrame] = {name: table(self.dataset)
                                                for name, table in TABLES.items()}
        sc = self.raw.scenario
        self.meta = {
            "version": __version__, "scenario": sc.id,
            "scenario_hash": scenario_hash(sc, self.raw.parameters),
            "calibration_sha256": (calibration_sha256() if self.raw.parameters is None
                                   else self.raw.parameters.sha256),
            "seed": self.raw.seed, "scale": self.raw.scale, "agents": int(self.raw.agents),
            "agent_steps": int(self.raw.agent_steps),
            "wall_seconds": round(self.raw.wall_seconds, 3),
            "start": sc.start, "end": sc.end,
        }

    def encounters(self, by: str | None = None, component: str = "USBP") -> pd.DataFrame:
        """Monthly encounters of one component, in total or by a breakdown column."""
        df = self.tables["encounters"]
        df = df[df["component"] == component]
        keys = ["month"] + ([by] if by else [])
        if by is not None and by not in BREAKDOWNS:
            raise ValueError(f"by must be one of {BREAKDOWNS}")
        months = pd.DataFrame({"month": self.months})
        out = df.groupby(keys, as_index=False)["encounters"].sum()
        if by is None:
            out = months.merge(out, on="month", how="left").fillna({"encounters": 0})
            out["encounters"] = out["encounters"].astype("int64")
        return out

    @property
    def months(self) -> list[str]:
        cal = self.raw.calendar
        return [m for m in cal.months if self.raw.scenario.start <= m <= self.raw.scenario.end]

    def mexico(self, measure: str | None = None) -> pd.DataFrame:
        df = self.tables["mexico"]
        return df if measure is None else df[df["measure"] == measure]

    def deaths(self) -> pd.DataFrame:
        return self.tables["deaths"]

    def ledger(self) -> pd.DataFrame:
        return self.tables["ledger"]

    def write(self, out_dir: str | Path,
              report: Callable[[Results, Path], None] | None = None) -> Path:
        """Write every table as Parquet and ``meta.json`` into ``out_dir``, and with
        ``report`` (e.g. :func:`borderflow.report.run_report.write_run_report`)
        ``report.html``; atomically: the directory appears complete or not at all."""
        out_dir = Path(out_dir)
        with atomic_dir(out_dir) as tmp:
            for name, df in self.tables.items():
                df.to_parquet(tmp / f"{name}.parquet", index=False, engine="pyarrow",
                              compression="zstd")
            (tmp / "meta.json").write_text(json.dumps(self.meta, indent=2) + "\n",
                                           encoding="utf-8")
            if report:
                report(self, tmp / "report.html")
        return out_dir
