"""flows.viz.trends: the trend figures carry their title, units, exact hover values and the source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.analysis.trends import SHOCKS, HolidayEffect
from flows.viz import theme, trends
from flows.viz.theme import shock_names
from house_style import MONTHS, assert_house_style


def test_monthly_lines_with_shocks():
    frame = pd.DataFrame({"tw_to_jp": [1, 2, 3, 4, 5, 6], "jp_to_tw": [6, 5, 4, 3, 2, 1]}, index=MONTHS)
    fig = trends.monthly_lines(frame, "Visits", shocks=SHOCKS)
    assert_house_style(fig, "Visits", "persons", "month")
    assert [t.name for t in fig.data] == ["Taiwan → Japan", "Japan → Taiwan"]
    assert "{y:,.0f} persons" in fig.data[0].hovertemplate
    assert list(fig.data[0].y) == [1, 2, 3, 4, 5, 6]
    assert shock_names(fig) == []  # every shock is outside the chart's months


def test_monthly_lines_names_shocks_along_the_top_not_over_the_data():
    months = pd.period_range("2019-06", "2023-06", freq="M")
    fig = trends.monthly_lines(pd.DataFrame({"x": 1}, index=months), "t", shocks=SHOCKS)
    assert shock_names(fig) == ["border closures", "reopening"]
    assert not fig.layout.annotations  # no text inside the plot
    top = fig.layout.xaxis2
    assert top.side == "top" and top.overlaying == "x" and top.matches == "x"
    assert top.tickvals == ("2020-02-01", "2022-10-01")
    hover = fig.data[-1]  # the shocks' descriptions, on hover along the top edge
    assert hover.xaxis == "x2" and "COVID-19" in hover.customdata[0][1] and hover.marker.opacity == 0


def test_log_axes_are_labelled_in_whole_numbers():
    months = pd.period_range("2019-01", periods=4, freq="M")
    frame = pd.DataFrame({"tw_to_jp": [480_000, 600_000, 1_500, 900]}, index=months)
    fig = trends.monthly_lines(frame, "Visits", log_y=True)
    axis = fig.layout.yaxis
    assert axis.type == "log"
    assert list(axis.ticktext) == [f"{v:,.0f}" for v in axis.tickvals]
    assert "300" in axis.ticktext and "1,000,000" in axis.ticktext and "2" not in axis.ticktext


def test_log_ticks_read_as_the_values_they_mark():
    for values in ([1, 7], [0.04, 1.3], [900, 600_000], [3, 5e7]):
        ticks, labels = theme.log_ticks(values)
        assert [float(t.replace(",", "")) for t in labels] == ticks
    assert theme.log_ticks([1, 7])[1][:3] == ["1", "1.5", "2"]


def test_stl_chart_units():
    d = pd.DataFrame({"observed": np.log([100.0, 110, 120]), "trend": np.log([105.0, 110, 115]),
                      "seasonal": [0.0, 0.01, -0.01], "resid": [0.0, 0.0, 0.0], "weights": 1.0}, index=MONTHS[:3])
    fig = trends.stl_chart(d, "STL")
    assert_house_style(fig, "STL", "persons")
    assert fig.data[0].y[1] == pytest.approx(110)
    assert "%" in fig.layout.yaxis2.title.text
    assert fig.layout.xaxis3.title.text == "month" and not fig.layout.xaxis.title.text


def test_seasonal_profile_chart():
    profile = pd.DataFrame({"2012–2019": np.arange(12.0)}, index=pd.Index(range(1, 13), name="month_of_year"))
    fig = trends.seasonal_profile_chart(profile, "Seasonal")
    assert_house_style(fig, "Seasonal", "%", "calendar month")
    assert fig.data[0].x[0] == "Jan"


def test_holiday_effect_chart_shows_interval():
    e = HolidayEffect("TW→JP", 0.05, 0.03, 0.07, 4, 22.1, 12.7, 32.3, 0.95, 100,
                      pd.Period("2012-01", "M"), pd.Period("2019-12", "M"))
    fig = trends.holiday_effect_chart(pd.DataFrame([e.as_row()]), "LNY")
    assert_house_style(fig, "LNY", None, None)
    assert "%" in fig.layout.xaxis.title.text
    assert fig.data[0].error_x.array[0] == pytest.approx(32.3 - 22.1)


def test_january_february_chart_hatches_the_month_holding_the_holiday():
    jf = pd.DataFrame({"jan_yoy_pct": [20.0, 3.0], "feb_yoy_pct": [-10.0, 4.0], "jan_feb_yoy_pct": [5.0, 3.5],
                       "holiday_month": ["Jan", "Feb"]}, index=pd.Index([2025, 2026], name="year"))
    fig = trends.january_february_chart(jf, "Jan+Feb")
    assert_house_style(fig, "Jan+Feb", "%", "year (hatched: the month holding the Lunar New Year holiday)")
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert list(bars["January"].x) == [2025, 2026]  # short year labels, nothing to rotate
    shown = {name: [None if np.isnan(v) else v for v in t.y] for name, t in bars.items()}
    assert shown["January, holding the holiday"] == [20.0, None] and shown["January"] == [None, 3.0]
    assert shown["February, holding the holiday"] == [None, 4.0] and shown["February"] == [-10.0, None]
    assert bars["January, holding the holiday"].marker.pattern.shape == "/" and not bars["January"].marker.pattern.shape
    assert bars["January"].offsetgroup == bars["January, holding the holiday"].offsetgroup  # one slot per month


def test_january_february_chart_leaves_years_without_growth_empty():
    jf = pd.DataFrame({"jan_yoy_pct": [1.0, 2.0], "feb_yoy_pct": [1.0, 2.0], "jan_feb_yoy_pct": [1.0, 2.0],
                       "holiday_month": ["Jan", "Feb"]}, index=pd.Index([2019, 2024], name="year"))
    line = trends.january_february_chart(jf, "t").data[-1]
    assert list(line.x) == [2019, 2020, 2021, 2022, 2023, 2024] and np.isnan(line.y[1])  # no line across


def test_recovery_bars_and_annual_bars():
    a = pd.DataFrame({"recent": [500, 120], "base": [400, 200], "pct_of_base": [125.0, 60.0],
                      "change": [100, -80]}, index=["tw_to_jp", "jp_to_tw"])
    a.attrs["base_year"] = 2019
    fig = trends.recovery_bars(a, "Recovery")
    assert_house_style(fig, "Recovery", "2019", "direction")
    years = pd.DataFrame({"tw_to_jp": [1, 2], "jp_to_tw": [3, 4]}, index=pd.Index([2023, 2024], name="year"))
    assert_house_style(trends.annual_bars(years, "Annual"), "Annual", "persons", "year")
