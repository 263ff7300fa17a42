"""Two runs of the forecast are the same outlook when every figure is within its tolerance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.forecast import tolerance as tl


def forecasts(scale_point: float = 1.0, scale_bound: float = 1.0) -> pd.DataFrame:
    return pd.DataFrame({
        "series": ["TW→JP visitor_arrivals"] * 2, "month": ["2026-03", "2026-04"],
        "median": np.array([600_000, 650_000]) * scale_point, "mean": np.array([605_000, 660_000]) * scale_point,
        "lower_80": np.array([550_000, 590_000]) * scale_bound, "upper_80": np.array([650_000, 720_000]) * scale_bound,
        "lower_95": np.array([520_000, 560_000]) * scale_bound, "upper_95": np.array([690_000, 770_000]) * scale_bound,
        "model": "combo", "as_of": "2026-02",
    })


def test_figures_within_their_tolerances_are_the_same_outlook():
    assert tl.differences(forecasts(1.009, 0.981), forecasts(), tl.FORECASTS) == []


def test_a_point_beyond_one_percent_or_a_bound_beyond_two_percent_is_a_change():
    assert tl.differences(forecasts(1.011), forecasts(), tl.FORECASTS) == [
        "row 2: median 600000 → 606600", "row 3: median 650000 → 657150"]
    assert tl.differences(forecasts(1.0, 1.021), forecasts(), tl.FORECASTS)[0] == "row 2: lower_80 550000 → 561550"


def test_keys_and_labels_are_compared_exactly():
    other = forecasts().assign(model="combo v2")
    assert tl.differences(other, forecasts(), tl.FORECASTS) == ["row 2: keys differ", "row 3: keys differ"]
    assert tl.differences(forecasts().iloc[:1], forecasts(), tl.FORECASTS) == ["2 rows → 1 rows"]


def backtest(**change) -> pd.DataFrame:
    row = {"direction": "tw_to_jp", "origin": 2010, "method": "engine", "horizon": 3, "year": 2013,
           "mean": 2_000_000, "median": 1_950_000, "lower_80": 1_500_000, "upper_80": 2_205_000,
           "lower_95": 1_300_000, "upper_95": 2_600_000, "actual": 2_210_821, "pe": -9.53, "pe_median": -11.8,
           "crps_pct": 8.1, "covered_80": 0.0, "covered_95": 1.0}
    return pd.DataFrame([{**row, **change}, {**row, "method": "no change", "lower_80": np.nan, "upper_80": np.nan,
                                             "lower_95": np.nan, "upper_95": np.nan, "covered_80": np.nan,
                                             "covered_95": np.nan}])


def test_a_coverage_flag_may_flip_only_where_the_actual_sits_on_the_bound():
    # upper_80 2,205,000 is within 2 % of the actual 2,210,821: another CPU may put it either side.
    assert tl.differences(backtest(upper_80=2_215_000, covered_80=1.0), backtest(), tl.LONGRUN_BACKTEST) == []
    assert tl.differences(backtest(covered_95=0.0), backtest(), tl.LONGRUN_BACKTEST) == ["row 2: covered_95 changed"]


def test_percentages_are_compared_in_points():
    assert tl.differences(backtest(pe=-9.9), backtest(), tl.LONGRUN_BACKTEST) == []
    assert tl.differences(backtest(pe=-10.1), backtest(), tl.LONGRUN_BACKTEST) == ["row 2: pe -9.53 → -10.1"]
