"""flows.viz.audit: the audit figures carry their title, units, exact hover values and the source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.viz import audit
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


def test_coverage_heatmap_of_many_series_stays_light():
    months = pd.period_range("2019-01", "2019-12", freq="M")
    coverage = pd.DataFrame({"series": np.repeat([f"S{i}" for i in range(50)], 12), "month": list(months) * 50,
                             "value": pd.array(np.arange(600), dtype="Int64"), "status": "final"})
    fig = audit.coverage_heatmap(coverage, title="All")
    assert_house_style(fig, "All", "series", "month")
    assert np.asarray(fig.data[0].customdata).dtype == np.float32 and np.asarray(fig.data[0].z).dtype == np.uint8
    assert "{customdata:,.0f} persons" in fig.data[0].hovertemplate


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
