"""flows.forecast.longrun_backtest: scores, weights, and a backtest that sees only what was known at each origin."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flows.analysis import table as tb
from flows.forecast import longrun as lr
from flows.forecast import longrun_backtest as lb

PROCESSED = Path(__file__).resolve().parents[1] / "data" / "processed"


def test_crps_is_the_absolute_error_of_a_point_and_rewards_a_sharp_centred_sample():
    assert lb.crps(np.array([7.0]), 10.0) == pytest.approx(3.0)
    # Two equally likely values a < b around y: E|X−y| − ½E|X−X'| = (|a−y| + |b−y|)/2 − (b−a)/4.
    assert lb.crps(np.array([8.0, 12.0]), 10.0) == pytest.approx(2.0 - 1.0)
    rng = np.random.default_rng(0)
    wide, sharp = rng.normal(10, 5, 4000), rng.normal(10, 1, 4000)
    assert lb.crps(sharp, 10.0) < lb.crps(wide, 10.0)
    assert lb.crps(sharp, 10.0) == pytest.approx(1 * (np.sqrt(2) - 1) / np.sqrt(np.pi), rel=0.05)  # N(0,1) at its mean


def test_weights_are_inverse_to_the_crps():
    scores = pd.DataFrame({"crps_pct": [20.0, 40.0]}, index=[lb.ANNUAL_VIEW, lb.ENGINE])
    w = lb.weights(scores)
    assert w[lb.ANNUAL_VIEW] == pytest.approx(2 / 3) and w[lb.ENGINE] == pytest.approx(1 / 3)


def test_skill_summarises_the_long_horizons():
    rows = pd.DataFrame({"method": ["a"] * 4, "horizon": [1, 3, 4, 5], "pe": [50.0, -10.0, 20.0, -30.0],
                         "pe_median": [0.0] * 4, "crps_pct": [1.0, 2.0, 3.0, 4.0],
                         "covered_80": [0.0, 1.0, 0.0, 1.0], "covered_95": [1.0] * 4})
    s = lb.skill(rows).loc["a"]
    assert s["n"] == 3 and s["mape"] == pytest.approx(20.0) and s["bias"] == pytest.approx(-20 / 3)
    assert s["rmspe"] == pytest.approx(np.sqrt((100 + 400 + 900) / 3)) and s["crps_pct"] == pytest.approx(3.0)
    assert s["coverage_80"] == pytest.approx(2 / 3)


def test_a_backtest_sees_nothing_after_its_origin():
    table, annual = tb.load_table(PROCESSED), tb.load_annual(PROCESSED)
    bt = lb.backtest(table, annual, origins=[2012], n_paths=200)
    rows = bt.rows.set_index(["method", "year"])
    assert sorted(set(bt.rows["year"])) == [2013, 2014, 2015, 2016, 2017]
    assert rows.loc[("no change", 2015), "mean"] == 1_465_753  # JNTO, Taiwanese arrivals 2012
    # Damage every figure after the origin: the forecasts must not move, the actuals must.
    later = table["month"] > pd.Period("2012-12", "M")
    damaged = table.assign(value=table["value"].where(~later, table["value"] * 3))
    damaged_annual = annual.assign(value=annual["value"].where(annual["year"] <= 2012, annual["value"] * 3))
    again = lb.backtest(damaged, damaged_annual, origins=[2012], n_paths=200).rows.set_index(["method", "year"])
    forecast_cols = ["mean", "median", "lower_80", "upper_80", "lower_95", "upper_95"]
    pd.testing.assert_frame_equal(again[forecast_cols], rows[forecast_cols])
    np.testing.assert_allclose(again["actual"], 3 * rows["actual"])


def test_years_of_the_border_closures_are_never_scored():
    table, annual = tb.load_table(PROCESSED), tb.load_annual(PROCESSED)
    rows = lb.backtest(table, annual, origins=[2016], n_paths=100).rows
    assert rows["year"].max() == 2019 and set(rows["horizon"]) == {1, 2, 3}


def test_the_backtest_file_gives_back_the_weights_it_was_made_with(tmp_path):
    table, annual = tb.load_table(PROCESSED), tb.load_annual(PROCESSED)
    bt = lb.backtest(table, annual, origins=[2010, 2013], n_paths=100)
    w = lb.weights_from(lb.tidy(bt.rows))
    rows = lb.tidy(pd.concat([bt.rows, lb.pooled(bt, w)], ignore_index=True))
    path = lb.write_backtest(rows, tmp_path)
    again = lb.read_backtest(tmp_path)
    assert list(again.columns) == lb.COLUMNS and len(again) == len(rows)
    assert lb.weights_from(again) == w
    first = path.read_bytes()
    lb.write_backtest(again, tmp_path)
    assert path.read_bytes() == first  # same rows, same bytes
    # The pool's rows: its paths are the two methods' paths, so its CRPS lies within theirs or below.
    s = lb.skill(again, horizons=range(1, 6))
    assert s.loc[lr.COMBINATION, "crps_pct"] <= max(s.loc[lr.ENGINE, "crps_pct"], s.loc[lr.ANNUAL_VIEW, "crps_pct"])
    assert set(again["method"]) == {lr.ENGINE, lr.ANNUAL_VIEW, lr.COMBINATION, lb.NO_CHANGE}


def test_a_missing_backtest_file_says_which_command_writes_it(tmp_path):
    from flows.errors import RawFileError

    with pytest.raises(RawFileError, match="run `flows forecast`"):
        lb.read_backtest(tmp_path)
