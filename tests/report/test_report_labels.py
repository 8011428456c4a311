"""The run report speaks in words and labels months one way: measures named, every month
axis "Jan 2019" (one helper), deaths shown with their rate per 100,000 crossings."""

from __future__ import annotations

import pandas as pd
import pytest

from borderflow.report.labels import measure_name
from borderflow.report.months import MONTH_FORMAT, month_axes, month_step


def test_measures_in_words():
    assert measure_name("transferred_south") == "transferred to southern Mexico"
    assert measure_name("deported") == "deported"
    assert measure_name("some_new_measure") == "some new measure"


@pytest.mark.parametrize("first,last,ticks,step", [
    ("2023-01", "2023-02", 8, 1), ("2023-01", "2023-12", 8, 2), ("2019-01", "2024-11", 8, 12),
    ("2023-01", "2023-12", 3, 4), ("2019-01", "2028-12", 8, 24)])
def test_month_step(first, last, ticks, step):
    assert month_step(first, last, ticks) == step


def test_month_axes_only_touch_month_axes():
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2)
    fig.add_scatter(x=["2023-01", "2023-02", "2023-03"], y=[1, 2, 3], row=1, col=1)
    fig.add_bar(x=["Tucson, AZ", "Yuma, AZ"], y=[1, 2], row=1, col=2)
    month_axes(fig)
    assert fig.layout.xaxis.tickformat == MONTH_FORMAT and fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.tickangle == 0 and fig.layout.xaxis.dtick == "M1"
    assert fig.layout.xaxis2.tickformat is None and fig.layout.xaxis2.type is None
    fig.layout.xaxis.dtick = "M6"  # a figure's own choice is kept
    month_axes(fig)
    assert fig.layout.xaxis.dtick == "M6"


@pytest.fixture(scope="module")
def res():
    from borderflow.api import simulate
    from borderflow.scenario import load_scenario

    return simulate(load_scenario("historical"), seed=0, scale=400, start="2023-01",
                    end="2023-06")


def test_report_names_measures_and_shows_the_death_rate(res, tmp_path):
    from borderflow.compare import metrics
    from borderflow.report.run_report import DEATH_RATE, _mexico_figure, write_run_report

    names = {t.name for t in _mexico_figure(res).data}
    assert "transferred to southern Mexico" in names and "transferred_south" not in names
    out = tmp_path / "report.html"
    write_run_report(res, out)
    text = out.read_text(encoding="utf-8")
    rate = metrics(res)[DEATH_RATE]
    assert f"{DEATH_RATE} between ports</th><td>{rate:.1f}</td>" in text
    assert "transferred_south" not in text.split("<h2>Mexico</h2>")[1].split("<h2>")[0]
    # every month axis of the report has the same ticks ("Jan 2023"), fees included
    compact = text.replace(" ", "")
    assert '"tickformat":"%b%Y"' in compact and '"type":"category"' not in compact


def test_every_report_chart_labels_months_the_same_way(res):
    from borderflow.report.run_report import EXTRA_TABLES, _deaths_figure, _total_figure, table_figure

    figs = [_total_figure(res), _deaths_figure(res)]
    figs += [table_figure(res.tables[name], title) for name, title in EXTRA_TABLES.items()
             if name in res.tables]
    for fig in figs:
        month_axes(fig)
        axes = [fig.layout[k] for k in fig.layout.to_plotly_json() if k.startswith("xaxis")]
        assert axes and all(a.tickformat == MONTH_FORMAT and a.type == "date" for a in axes)
    assert len(figs) >= 4


def test_dashboard_mexico_names(res):
    from borderflow.dashboard.figures import mexico_figure, totals

    names = {t.name for t in mexico_figure(res, res).data}
    assert "transferred to southern Mexico" in names
    assert any(r["measure"] == "Mexico: transferred to southern Mexico"
               for r in totals(res, res))
    assert not pd.isna(next(r for r in totals(res, res)
                            if r["measure"].startswith("expected deaths per"))["run"])
