"""The reference panel of travel flows and the long table of annual forecasts scored on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.forecast import metrics
from flows.forecast import panel as pn


def table(rows):
    return pd.DataFrame(rows, columns=["month", "origin", "destination", "measure", "value", "status", "source"]) \
        .assign(month=lambda t: pd.PeriodIndex(t["month"], freq="M"))


def monthly(origin, destination, start, end, value):
    return [(str(m), origin, destination, "visitor_arrivals", value, "final", "s")
            for m in pd.period_range(start, end, freq="M")]


def test_the_panel_holds_jnto_markets_from_2003_and_taiwan_markets_still_published():
    t = table(monthly("KR", "JP", "2003-01", "2020-12", 2000) + monthly("MN", "JP", "2016-01", "2020-12", 2000)
              + monthly("US", "TW", "2011-01", "2025-03", 5000) + monthly("AD", "TW", "2011-01", "2023-11", 5000)
              + monthly("FI", "JP", "2003-01", "2020-12", 10) + monthly("ALL", "JP", "2003-01", "2020-12", 9000))
    panel = pn.reference_panel(t)
    assert list(panel) == ["KR→JP", "US→TW"]  # MN starts 2016, AD is no longer published, FI too small
    assert panel["KR→JP"].index[0] == pd.Period("2003-01", "M")


def test_crps_of_an_ensemble():
    assert metrics.crps(np.array([5.0]), 3.0) == 2.0  # one draw: the absolute error
    assert metrics.crps(np.array([0.0, 2.0]), 1.0) == pytest.approx(1.0 - 0.5)
    assert metrics.crps(np.arange(101.0), 50.0) < metrics.crps(np.arange(101.0), 120.0)


def test_annual_backtest_rows_and_scores():
    months = pd.period_range("2003-01", "2019-12", freq="M")
    grow = pd.Series(1000 * 1.05 ** (np.arange(len(months)) / 12), index=months)
    rows = pn.annual_backtest({"A→JP": grow}, origins=[2012, 2016], years=5, n_paths=50, method="snaive")
    assert set(rows["method"]) == {"engine", "no change"}
    assert rows.groupby("origin")["year"].max().to_dict() == {2012: 2017, 2016: 2019}  # targets stop at 2019
    first = rows[(rows["origin"] == 2012) & (rows["horizon"] == 1) & (rows["method"] == "no change")].iloc[0]
    assert first["median"] == first["last_year"] == pytest.approx(grow.loc["2012"].sum())
    assert first["actual"] == pytest.approx(grow.loc["2013"].sum())
    scores = metrics.annual_scores(rows)
    assert scores.loc[("no change", 1), "mdape"] == pytest.approx(100 * (1 - 1 / 1.05))  # 5 % growth missed
    assert np.isnan(scores.loc[("no change", 1), "coverage_95"]) and scores.loc[("engine", 1), "n"] == 2


def test_interval_score_penalises_misses():
    assert metrics.winkler([100], [90], [110], 95)[0] == 20
    assert metrics.winkler([120], [90], [110], 95)[0] == pytest.approx(20 + 2 / 0.05 * 10)


def test_the_panel_backtest_file_is_reused_only_for_the_same_engine_and_history(tmp_path):
    from dataclasses import replace

    from flows.config import PANEL_BACKTEST
    from flows.forecast import panel_file
    from flows.forecast.spec import DEFAULT

    months = pd.period_range("2003-01", "2019-12", freq="M")
    panel = {"A→JP": pd.Series(1000 * 1.05 ** (np.arange(len(months)) / 12), index=months)}
    rows = pn.annual_backtest(panel, [2012], n_paths=20, method="snaive").assign(
        spec=DEFAULT.name, panel_input=panel_file.panel_input(panel))
    (tmp_path / PANEL_BACKTEST).write_text(panel_file.text(rows), encoding="utf-8")
    assert panel_file.reusable(tmp_path, panel) is not None
    assert panel_file.reusable(tmp_path, panel, replace(DEFAULT, name="other")) is None  # another engine
    revised = {"A→JP": panel["A→JP"].where(panel["A→JP"].index != pd.Period("2015-06", "M"), 1.0)}
    assert panel_file.reusable(tmp_path, revised) is None  # a revised month of the history
    later = {"A→JP": pd.concat([panel["A→JP"], pd.Series([5.0], index=pd.PeriodIndex(["2026-01"], freq="M"))])}
    assert panel_file.reusable(tmp_path, later) is not None  # a newly published month changes nothing
    (tmp_path / PANEL_BACKTEST).write_text("not,a\n\"broken", encoding="utf-8")
    assert panel_file.reusable(tmp_path, panel) is None


def test_five_year_growth_of_complete_years():
    months = pd.period_range("2003-01", "2019-06", freq="M")
    y = pd.Series(100.0 * 2 ** (np.arange(len(months)) // 12 / 5), index=months)  # doubles in five years
    growth = pn.five_year_growth({"A→JP": y})
    assert growth.index.get_level_values("year").tolist() == list(range(2003, 2014))  # 2019 is incomplete
    assert growth.to_numpy() == pytest.approx(2.0)
