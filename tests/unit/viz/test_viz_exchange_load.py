"""flows.viz.exchange_load: the figures of notebook 04 carry their units, the source line and the numbers
they were given."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows import ATTRIBUTION
from flows.exchange_load import hours as hrs
from flows.exchange_load import scenarios as scn
from flows.exchange_load import summaries as summ
from flows.viz import exchange_load as plots_border
from flows.viz.theme import source_text


@pytest.fixture(scope="module")
def base(a) -> scn.Scenario:
    months = pd.period_range("2026-01", "2027-12", freq="M")
    values = 500_000 * np.random.default_rng(5).lognormal(0.0, 0.1, size=(len(months), 12))
    return scn.baseline(pd.DataFrame(values, index=months), a)


@pytest.fixture(scope="module")
def hours(base, a) -> hrs.Hours:
    return hrs.hourly_pass(base, a)


def _y_titles(fig) -> list[str]:
    return [fig.layout[k].title.text for k in fig.layout.to_plotly_json() if k.startswith("yaxis")]


def _check(fig, unit: str) -> None:
    assert ATTRIBUTION in source_text(fig)
    assert fig.layout.title.text
    assert any(unit in (t or "") for t in _y_titles(fig)), _y_titles(fig)
    for trace in fig.data:
        if trace.hoverinfo != "skip":
            assert trace.hovertemplate, f"trace {trace.name!r} has no hover values"
    fig.to_json()  # serialises: no Period objects left


def test_load_fan_draws_the_median_band_and_published_months(base):
    monthly = summ.monthly_quantiles(base)
    observed = pd.Series([15_000.0, 16_000.0], index=pd.to_datetime(["2025-11-01", "2025-12-01"]))
    fig = plots_border.load_fan(monthly["mean_day"], monthly["peak_day"], observed, "fan")
    _check(fig, "records per day")
    median = next(t for t in fig.data if t.name == "average day, median path")
    np.testing.assert_allclose(median.y, monthly["mean_day"]["p50"])
    published = next(t for t in fig.data if t.name.startswith("published"))
    assert list(published.y) == [15_000.0, 16_000.0]
    band = next(t for t in fig.data if t.name == "average day, 90 % of paths")
    assert band.fill == "toself" and len(band.x) == 2 * len(monthly["mean_day"])


def test_calendar_has_one_row_per_year_and_a_cell_per_day(base, a):
    days = summ.day_table(base, a)
    fig = plots_border.busiest_days_calendar(days, "calendar")
    assert ATTRIBUTION in source_text(fig)
    heat = fig.data[0]
    assert list(heat.y) == ["2026", "2027"] and heat.z.shape == (2, 365)
    assert np.nanmax(heat.z) == pytest.approx(days["vs_ordinary"].max())


def test_capacity_curve_shows_each_year_and_the_system_size(hours, a):
    curves = {year: hrs.capacity_curve(hours, year) for year in (2026, 2027)}
    fig = plots_border.capacity_curve(curves, a.capacity_per_hour, "capacity")
    _check(fig, "records per hour")
    assert [t.name for t in fig.data][:2] == ["2026, median path", "2027, median path"]
    assert fig.data[1].x[-1] == "100 % (busiest hour)"
    size = fig.data[2]  # named in the legend, not written over the curves
    assert set(size.y) == {a.capacity_per_hour} and "system size" in size.name and not fig.layout.annotations


def test_scenario_chart_has_a_line_per_scenario(base, a):
    surge = scn.surge(base.monthly.astype(float), a, n=200_000, k=10, start="2026-07-01", base=base)
    peak = {"baseline": summ.monthly_quantiles(base)["peak_day"],
            "contingency surge": summ.monthly_quantiles(surge)["peak_day"]}
    fig = plots_border.scenario_chart(peak, "scenarios")
    _check(fig, "records per day")
    assert [t.name for t in fig.data] == ["baseline, 90 % of paths", "baseline", "contingency surge"]


def test_surge_chart_has_day_and_hour_panels(base, hours, a):
    effect = hrs.surge_effect(base, hours.peak_hour, a, ns=[0, 100_000], ks=[3, 10], start="2026-07-01")
    fig = plots_border.surge_chart(effect, a.capacity_per_hour, "surge")
    assert ATTRIBUTION in source_text(fig)
    titles = " ".join(t or "" for t in _y_titles(fig))
    assert "records per day" in titles and "records per hour" in titles and "2026" in titles
    assert len(fig.data) == 5  # (day, hour) x (K = 3, K = 10), and the system size
    assert sum(t.showlegend is not False for t in fig.data) == 3
    assert set(fig.data[-1].y) == {a.capacity_per_hour} and fig.data[-1].yaxis == "y2"


def test_shock_calibration_draws_both_in_percent():
    months = pd.period_range("2020-01", periods=6, freq="M")
    ratio = pd.Series([1.0, 0.5, 0.01, 0.01, 0.5, 1.0], index=months)
    factor = pd.Series([1.0, 0.01, 0.01, 0.5, 1.0, 1.0], index=months)
    fig = plots_border.shock_calibration(ratio, factor, "shock")
    _check(fig, "% of normal")
    assert list(fig.data[0].y) == [100.0, 50.0, 1.0, 1.0, 50.0, 100.0]
    assert fig.layout.yaxis.type == "log"


def test_load_by_choice_chart_has_a_panel_per_figure():
    rows = {(c, m): {"p05": 1.0 * k, "p25": 2.0 * k, "p50": 3.0 * k, "p75": 4.0 * k, "p95": 5.0 * k}
            for k, c in enumerate(["engine", "outlook", "third"], start=1)
            for m in ["records", "records_ordinary_day", "records_peak_day", "records_peak_hour"]}
    load = pd.DataFrame.from_dict(rows, orient="index").rename_axis(["choice", "metric"])
    fig = plots_border.load_by_choice_chart(load, 2030, "choices")
    _check(fig, "records per day")
    _check(fig, "records per hour")
    assert len(fig.data) == 9 and sum(bool(t.showlegend) for t in fig.data) == 3
    assert [t.y[0] for t in fig.data if t.name == "outlook"] == [6.0, 6.0, 6.0]
