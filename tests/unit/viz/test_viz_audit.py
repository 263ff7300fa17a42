"""flows.viz.audit: the audit figures carry their title, units, exact hover values and the source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.analysis.audit import coverage, coverage_groups
from flows.viz import audit
from flows.vocabulary import TABLE_COLUMNS
from house_style import MONTHS, assert_house_style


def test_coverage_heatmap_colours_status_and_hovers_values():
    coverage = pd.DataFrame({
        "series": ["A→JP visitor_arrivals"] * 2 + ["B→JP visitor_arrivals"] * 2,
        "month": list(MONTHS[:2]) * 2,
        "value": pd.array([1200, None, 5, 7], dtype="Int64"),
        "status": ["final", "missing", "estimate", "provisional"],
    })
    fig = audit.coverage_heatmap(coverage, title="Coverage")
    assert_house_style(fig, "Coverage", "series", "month")
    heat = fig.data[0]
    assert np.asarray(heat.z).tolist() == [[3, 0], [1, 2]]
    assert heat.customdata[0][0][0] == "1,200 persons" and heat.customdata[0][1][0] == "not published"


def test_coverage_of_many_series_is_grouped_by_where_they_are_counted():
    months = [pd.Period("2019-01", "M"), pd.Period("2019-02", "M")]
    rows = [(m, f"X{i}", "JP", "visitor_arrivals", 10, "final", "s") for i in range(45) for m in months]
    rows += [(months[1], "TW", f"D{i}", "national_departures", 5, "provisional", "s") for i in range(3)]
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    fig = audit.coverage_group_chart(coverage_groups(coverage(table)), title="All")  # 48 series: too many to label
    assert_house_style(fig, "All", "series")
    assert fig.layout.xaxis2.title.text == "month"
    assert [fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text] == [
        "departures from Taiwan<br>(series, of 3)", "arrivals in Japan<br>(series, of 45)"]
    by_panel = {(t.yaxis, t.name): list(t.y) for t in fig.data}
    assert by_panel[("y", "provisional")] == [0, 3] and by_panel[("y", "final")] == [0, 0]
    assert by_panel[("y2", "final")] == [45, 45]
    assert [t.name for t in fig.data if t.showlegend] == ["final", "provisional", "estimate"]


def test_headline_bars_label_totals():
    totals = pd.DataFrame({"tw_to_jp": [6006116, 6044316], "jp_to_tw": [1319592, 1319592]},
                          index=["Taiwan", "JNTO + Taiwan"])
    fig = audit.headline_bars(totals, 2024)
    assert_house_style(fig, "Two-way visits between Taiwan and Japan, 2024", "persons")
    assert list(fig.data[2].text) == ["7,325,708", "7,363,908"]


def test_mirror_chart():
    m = pd.DataFrame({"a": [110, 120], "b": [100, 100]}, index=MONTHS[:2])
    m["ratio"] = m["a"] / m["b"]
    fig = audit.mirror_chart(m, "JNTO arrivals", "Taiwan departures", "Mirror")
    assert_house_style(fig, "Mirror", "persons", None)
    assert "ratio" in fig.layout.yaxis2.title.text
