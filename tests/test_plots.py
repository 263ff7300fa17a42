"""flows.plots: every figure has its title, units on the value axis, exact hover values and the source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from flows import ATTRIBUTION
from flows.viz import theme as plots
from flows.analysis.trends import SHOCKS, HolidayEffect

MONTHS = pd.period_range("2019-01", "2019-06", freq="M", name="month")


def assert_house_style(fig, title, y_unit=None, x_title=None):
    assert fig.layout.title.text == title
    if y_unit is not None:
        assert y_unit in fig.layout.yaxis.title.text
    if x_title is not None:
        assert fig.layout.xaxis.title.text == x_title
    assert ATTRIBUTION in plots.source_text(fig)
    for trace in fig.data:
        if trace.hoverinfo != "skip" and getattr(trace, "mode", None) != "text":
            assert trace.hovertemplate, f"trace {trace.name!r} has no hover template"
    fig.to_json()  # serialises (no Period objects left)


def test_monthly_lines_with_shocks():
    frame = pd.DataFrame({"tw_to_jp": [1, 2, 3, 4, 5, 6], "jp_to_tw": [6, 5, 4, 3, 2, 1]}, index=MONTHS)
    fig = plots.monthly_lines(frame, "Visits", shocks=SHOCKS)
    assert_house_style(fig, "Visits", "persons", "month")
    assert [t.name for t in fig.data] == ["Taiwan → Japan", "Japan → Taiwan"]
    assert "{y:,.0f} persons" in fig.data[0].hovertemplate
    assert list(fig.data[0].y) == [1, 2, 3, 4, 5, 6]
    assert not [a for a in fig.layout.annotations if a.text == "SARS"]  # outside the chart's months


def test_monthly_lines_marks_shocks_inside_range():
    months = pd.period_range("2019-06", "2023-06", freq="M")
    fig = plots.monthly_lines(pd.DataFrame({"x": 1}, index=months), "t", shocks=SHOCKS)
    labels = {a.text for a in fig.layout.annotations}
    assert {"border closures", "reopening"} <= labels and "SARS" not in labels


def test_coverage_heatmap_colours_status_and_hovers_values():
    coverage = pd.DataFrame({
        "series": ["A→JP visitor_arrivals"] * 2 + ["B→JP visitor_arrivals"] * 2,
        "month": list(MONTHS[:2]) * 2,
        "value": pd.array([1200, None, 5, 7], dtype="Int64"),
        "status": ["final", "missing", "estimate", "provisional"],
    })
    fig = plots.coverage_heatmap(coverage, title="Coverage")
    assert_house_style(fig, "Coverage", "series", "month")
    heat = fig.data[0]
    assert np.asarray(heat.z).tolist() == [[3, 0], [1, 2]]
    assert heat.customdata[0][0][0] == "1,200 persons" and heat.customdata[0][1][0] == "not published"


def test_headline_bars_label_totals():
    totals = pd.DataFrame({"tw_to_jp": [6006116, 6044316], "jp_to_tw": [1319592, 1319592]},
                          index=["Taiwan", "JNTO + Taiwan"])
    fig = plots.headline_bars(totals, 2024)
    assert_house_style(fig, "Two-way visits between Taiwan and Japan, 2024", "persons")
    assert list(fig.data[2].text) == ["7,325,708", "7,363,908"]


def test_mirror_chart():
    m = pd.DataFrame({"a": [110, 120], "b": [100, 100]}, index=MONTHS[:2])
    m["ratio"] = m["a"] / m["b"]
    fig = plots.mirror_chart(m, "JNTO arrivals", "Taiwan departures", "Mirror")
    assert_house_style(fig, "Mirror", "persons", None)
    assert "ratio" in fig.layout.yaxis2.title.text


def test_stl_chart_units():
    d = pd.DataFrame({"observed": np.log([100.0, 110, 120]), "trend": np.log([105.0, 110, 115]),
                      "seasonal": [0.0, 0.01, -0.01], "resid": [0.0, 0.0, 0.0], "weights": 1.0}, index=MONTHS[:3])
    fig = plots.stl_chart(d, "STL")
    assert_house_style(fig, "STL", "persons")
    assert fig.data[0].y[1] == pytest.approx(110)
    assert "%" in fig.layout.yaxis2.title.text
    assert fig.layout.xaxis3.title.text == "month" and not fig.layout.xaxis.title.text


def test_seasonal_profile_chart():
    profile = pd.DataFrame({"2012–2019": np.arange(12.0)}, index=pd.Index(range(1, 13), name="month_of_year"))
    fig = plots.seasonal_profile_chart(profile, "Seasonal")
    assert_house_style(fig, "Seasonal", "%", "calendar month")
    assert fig.data[0].x[0] == "Jan"


def test_holiday_effect_chart_shows_interval():
    e = HolidayEffect("TW→JP", 0.05, 0.03, 0.07, 4, 22.1, 12.7, 32.3, 0.95, 100,
                      pd.Period("2012-01", "M"), pd.Period("2019-12", "M"))
    fig = plots.holiday_effect_chart(pd.DataFrame([e.as_row()]), "LNY")
    assert_house_style(fig, "LNY", None, None)
    assert "%" in fig.layout.xaxis.title.text
    assert fig.data[0].error_x.array[0] == pytest.approx(32.3 - 22.1)


def test_january_february_chart():
    jf = pd.DataFrame({"jan_yoy_pct": [20.0], "feb_yoy_pct": [-10.0], "jan_feb_yoy_pct": [5.0],
                       "holiday_month": ["Jan"]}, index=pd.Index([2025], name="year"))
    fig = plots.january_february_chart(jf, "Jan+Feb")
    assert_house_style(fig, "Jan+Feb", "%", "year and the month holding the Lunar New Year holiday")
    assert fig.data[0].x[0] == "2025<br>LNY Jan"


def test_recovery_bars_and_annual_bars():
    a = pd.DataFrame({"recent": [500, 120], "base": [400, 200], "pct_of_base": [125.0, 60.0],
                      "change": [100, -80]}, index=["tw_to_jp", "jp_to_tw"])
    a.attrs["base_year"] = 2019
    fig = plots.recovery_bars(a, "Recovery")
    assert_house_style(fig, "Recovery", "2019", "direction")
    years = pd.DataFrame({"tw_to_jp": [1, 2], "jp_to_tw": [3, 4]}, index=pd.Index([2023, 2024], name="year"))
    assert_house_style(plots.annual_bars(years, "Annual"), "Annual", "persons", "year")


def test_notebook_renderer_embeds_plotlyjs_and_has_stable_ids():
    renderer = plots.StableNotebookRenderer()
    fig = plots.monthly_lines(pd.DataFrame({"x": [1, 2]}, index=MONTHS[:2]), "t").to_dict()
    first = renderer.to_mimebundle(fig)["text/html"]
    again = plots.StableNotebookRenderer().to_mimebundle(fig)["text/html"]
    assert first == again and "flows-figure-1-" in first
    assert "cdn" not in first.lower()
    assert renderer.connected is False  # plotly.js is embedded when the renderer activates
    plots.setup_notebook()
    assert pio.renderers.default == plots.RENDERER and pio.templates.default == plots.TEMPLATE_NAME


def test_coverage_heatmap_of_many_series_stays_light():
    months = pd.period_range("2019-01", "2019-12", freq="M")
    coverage = pd.DataFrame({"series": np.repeat([f"S{i}" for i in range(50)], 12), "month": list(months) * 50,
                             "value": pd.array(np.arange(600), dtype="Int64"), "status": "final"})
    fig = plots.coverage_heatmap(coverage, title="All")
    assert_house_style(fig, "All", "series", "month")
    assert np.asarray(fig.data[0].customdata).dtype == np.float32 and np.asarray(fig.data[0].z).dtype == np.uint8
    assert "{customdata:,.0f} persons" in fig.data[0].hovertemplate
