"""Two runs of the forecast are the same outlook when every figure is within its tolerance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.forecast import tolerance as tl


def forecasts(scale_point: float = 1.0, scale_bound: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({
        "direction": ["tw_to_jp"] * 2, "origin": "TW", "destination": "JP", "measure": "visitor_arrivals",
        "month": ["2026-03", "2026-04"],
        "median": np.array([600_000, 650_000]) * scale_point, "mean": np.array([605_000, 660_000]) * scale_point,
        "lower_80": np.array([550_000, 590_000]) * scale_bound, "upper_80": np.array([650_000, 720_000]) * scale_bound,
        "lower_95": np.array([520_000, 560_000]) * scale_bound, "upper_95": np.array([690_000, 770_000]) * scale_bound,
        "as_of": "2026-02", "method_version": "v1",
    })


def test_figures_within_their_tolerances_are_the_same_outlook():
    assert tl.differences(forecasts(1.009, 0.981), forecasts(), tl.FORECASTS) == []


def test_a_point_beyond_one_percent_or_a_bound_beyond_two_percent_is_a_change():
    assert tl.differences(forecasts(1.011), forecasts(), tl.FORECASTS) == [
        "row 2: median 600000 → 606600", "row 3: median 650000 → 657150"]
    assert tl.differences(forecasts(1.0, 1.021), forecasts(), tl.FORECASTS)[0] == "row 2: lower_80 550000 → 561550"


def test_keys_and_the_method_are_compared_exactly():
    other = forecasts().assign(method_version="v2")
    assert tl.differences(other, forecasts(), tl.FORECASTS) == ["row 2: keys differ", "row 3: keys differ"]
    assert tl.differences(forecasts().iloc[:1], forecasts(), tl.FORECASTS) == ["2 rows → 1 rows"]


def panel_rows(**change) -> pd.DataFrame:
    row = {"series": "KR→JP", "origin": 2010, "horizon": 3, "year": 2013, "method": "engine", "median": 2_000_000.0,
           "mean": 2_050_000.0, "lower_80": 1_500_000.0, "upper_80": 2_500_000.0, "lower_95": 1_300_000.0,
           "upper_95": 2_900_000.0, "crps": 150_000.0, "actual": 2_456_000.0, "last_year": 1_700_000.0}
    return pd.DataFrame([{**row, **change}])


def test_the_panel_backtest_allows_a_hair_and_no_more():
    assert tl.differences(panel_rows(crps=152_000.0, upper_95=2_950_000.0), panel_rows(), tl.PANEL_BACKTEST) == []
    assert tl.differences(panel_rows(crps=160_000.0), panel_rows(), tl.PANEL_BACKTEST) == ["row 2: crps 150000 → 160000"]
    assert tl.differences(panel_rows(actual=2_456_001.0), panel_rows(), tl.PANEL_BACKTEST) == ["row 2: keys differ"]
