"""flows.viz.forecast: every figure has its title, units on the value axis and the source line."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows import ATTRIBUTION
from flows.forecast import paths as fp
from flows.viz import forecast as pf
from flows.viz import theme as plots


def _monthly_summary():
    idx = pd.period_range("2026-03", periods=10, freq="M")
    rng = np.random.default_rng(0)
    return fp.summarise_paths(pd.DataFrame(rng.uniform(1e5, 2e5, (10, 100)), index=idx))


def _history():
    return pd.Series(np.arange(1.0, 25.0), index=pd.period_range("2024-03", periods=24, freq="M"))


def test_fan_chart():
    fig = pf.fan_chart(_history(), _monthly_summary(), "Fan", color=plots.COLORS["tw_to_jp"])
    assert fig.layout.title.text == "Fan"
    assert "persons" in fig.layout.yaxis.title.text
    assert fig.layout.xaxis.title.text == "month"
    assert ATTRIBUTION in plots.source_text(fig)
    names = [t.name for t in fig.data]
    assert {"observed", "forecast mean", "80 % interval", "95 % interval"} <= set(names)


def test_annual_outlook_chart():
    years = pd.Index(range(2026, 2031), name="year")
    rng = np.random.default_rng(1)
    summary = fp.summarise_paths(pd.DataFrame(rng.uniform(8e6, 1.2e7, (5, 200)), index=years))
    observed = pd.Series([7e6, 7.5e6], index=[2024, 2025])
    fig = pf.annual_outlook_chart(observed, summary, "Annual", thresholds=(8e6, 1e7),
                                  reference={"seasonal naive": pd.Series(7.5e6, index=years)})
    assert fig.layout.title.text == "Annual"
    assert fig.layout.yaxis.title.text == "visits per year (persons)"
    assert fig.layout.xaxis.title.text == "year"
    assert ATTRIBUTION in plots.source_text(fig)
    [lines] = [t for t in fig.data if t.name == "8 and 10 million"]  # named in the legend, not on the lines
    assert list(lines.y) == [8e6, 8e6, None, 1e7, 1e7, None] and lines.x[:2] == ("2024", "2030")


def test_threshold_chart():
    prob = pd.DataFrame({8e6: [0.5, 0.9], 9e6: [0.2, 0.6]}, index=[2029, 2030])
    fig = pf.threshold_chart(prob, "Odds", sensitivity=prob * 0.9)
    assert fig.layout.title.text == "Odds"
    assert "(%)" in fig.layout.yaxis.title.text
    assert ATTRIBUTION in plots.source_text(fig)
    assert list(fig.data[0].y) == [50.0, 90.0]
    assert len(fig.data) == 4


def test_backtest_chart():
    rows = []
    for regime in ("before 2020", "after reopening"):
        for method in ("combo", "snaive"):
            for h in (1, 2, 3):
                rows.append({"regime": regime, "method": method, "horizon": h, "n": 4, "mase": 0.5 * h})
    fig = pf.backtest_chart(pd.DataFrame(rows), "Backtest")
    assert fig.layout.title.text == "Backtest"
    assert "MASE" in fig.layout.yaxis.title.text
    assert fig.layout.xaxis.title.text == "months ahead"
    assert ATTRIBUTION in plots.source_text(fig)
    assert len(fig.data) == 4 and sum(t.showlegend is not False for t in fig.data) == 2


def test_calibration_chart_draws_each_variant_against_the_nominal_levels():
    rows = pd.DataFrame([{"variant": v, "horizon": h, "coverage_80": c - 0.1, "coverage_95": c}
                         for v, c in (("engine as drawn", 0.7), ("calibrated", 0.95)) for h in (1, 2, 3, 4, 5)])
    fig = pf.calibration_chart(rows, "Calibration")
    assert fig.layout.title.text == "Calibration" and ATTRIBUTION in plots.source_text(fig)
    assert len(fig.data) == 4 and list(fig.data[0].y) == [70.0] * 5 and list(fig.data[3].y) == [85.0] * 5
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [80, 95]


def test_choices_chart_marks_the_target():
    years = pd.Index(range(2026, 2031), name="year")
    rng = np.random.default_rng(2)
    summaries = {c: fp.summarise_paths(pd.DataFrame(rng.uniform(8e6, 1.2e7, (5, 100)), index=years))
                 for c in ("engine", "outlook")}
    fig = pf.choices_chart(pd.Series([6e6, 6.7e6], index=[2024, 2025]), summaries, "Choices",
                           reference={"target": pd.Series([1.7e6], index=[2026])})
    assert fig.layout.yaxis.title.text == "visits per year (persons)" and fig.layout.xaxis.title.text == "year"
    assert ATTRIBUTION in plots.source_text(fig)
    assert [t.name for t in fig.data] == ["published", pf.CHOICE_LABELS["engine"], pf.CHOICE_LABELS["outlook"], "target"]


def test_vintages_chart_draws_a_line_per_vintage():
    actual = pd.Series(np.arange(1.0, 13.0), index=pd.period_range("2025-01", periods=12, freq="M"))
    rows = pd.DataFrame({"as_of": ["2024-12"] * 3 + ["2025-06"] * 3, "method_version": "v1",
                         "backfilled": ["true"] * 3 + ["false"] * 3,
                         "month": ["2025-01", "2025-02", "2025-03", "2025-07", "2025-08", "2025-09"],
                         "mean": [1.0, 2.0, 3.0, 7.0, 8.0, 9.0]})
    fig = pf.vintages_chart(actual, rows, "Vintages", start="2025-01")
    assert "persons" in fig.layout.yaxis.title.text and ATTRIBUTION in plots.source_text(fig)
    assert [t.name for t in fig.data] == ["published", "as of 2024-12 (backfilled)", "as of 2025-06"]
