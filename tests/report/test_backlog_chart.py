"""The run report's table charts: each column with its own unit gets its own axis."""

from __future__ import annotations

import pandas as pd

from borderflow.report.run_report import table_figure

MONTHS = [f"2023-{m:02d}" for m in range(1, 13)]


def _backlog() -> pd.DataFrame:
    return pd.DataFrame({"month": MONTHS,
                         "pending_cases": [3_000_000 + 50_000 * k for k in range(12)],
                         "expected_wait_years": [4.1 + 0.05 * k for k in range(12)],
                         "mx_enforcement_effort": [1.0 + 0.02 * k for k in range(12)]})


def test_backlog_puts_cases_years_and_index_on_separate_axes():
    fig = table_figure(_backlog(), "U.S. immigration court backlog")
    axes = {t.yaxis for t in fig.data}
    assert len(fig.data) == 3 and len(axes) == 3  # never years on the axis of millions
    titles = {fig.layout[a.replace("y", "yaxis")].title.text.replace("<br>", " ")
              for a in axes}
    assert titles == {"pending cases", "expected wait [years]",
                      "Mexican enforcement effort [x baseline]"}
    # a long title is broken into lines, and the axes push the margin out: nothing cut
    assert all(len(line) <= 22 for a in axes
               for line in fig.layout[a.replace("y", "yaxis")].title.text.split("<br>"))
    assert all(fig.layout[a.replace("y", "yaxis")].automargin for a in axes)
    cases = next(t for t in fig.data if t.name == "pending cases")
    ax = fig.layout[cases.yaxis.replace("y", "yaxis")]
    assert ax.tickformat == ",.0f"  # 3,500,000, not 3.5M or 3.5e6
    small = next(t for t in fig.data if t.name == "expected wait [years]")
    assert fig.layout[small.yaxis.replace("y", "yaxis")].tickformat is None
    assert fig.layout.yaxis.title.text != "value"
    # months are dates labelled "Jan 2023" like every other chart's, never "2023-01"
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%b %Y"


def test_one_column_table_keeps_one_axis():
    df = pd.DataFrame({"month": MONTHS * 2, "sector": ["Tucson, AZ"] * 12 + ["Yuma, AZ"] * 12,
                       "fee_usd": [7000.0] * 24})
    fig = table_figure(df, "Smuggling fees")
    assert {t.yaxis or "y" for t in fig.data} == {"y"}
    assert fig.layout.yaxis.title.text == "smuggling fee [USD]"
    assert {t.name for t in fig.data} == {"Tucson, AZ", "Yuma, AZ"}
