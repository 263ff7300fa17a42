"""flows.exchange_load (basis, hours, summaries, tables): from the processed table and sample paths to the figures of notebook 04.

Paths are synthetic (the contract of flows.forecast.engine.sample_paths), near Taiwan's level of about
500,000 departures to Japan a month; tables are tiny literal frames shaped like flows.analysis.table.load_table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from departure_paths import departure_paths
from flows.analysis.table import load_table
from flows.exchange_load import assumptions as asm
from flows.exchange_load import basis as bas
from flows.exchange_load import hours as hrs
from flows.exchange_load import records as rec
from flows.exchange_load import scenarios as scn
from flows.exchange_load import summaries as summ
from flows.exchange_load import tables as tbl
from flows.forecast.outlook_files import read_annual, read_paths
from flows.forecast.paths import with_history

PROCESSED = Path(__file__).resolve().parents[3] / "data" / "processed"


@pytest.fixture(scope="module")
def hours(base, a) -> hrs.Hours:
    return hrs.hourly_pass(base, a)


@pytest.fixture(scope="module")
def paths() -> pd.DataFrame:
    return departure_paths(seed=3, n_paths=24)


def _table(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["month", "origin", "destination", "measure", "value"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["status"], frame["source"] = "final", "test"
    return frame


def _monthly_rows(origin, destination, measure, start, values):
    months = pd.period_range(start, periods=len(values), freq="M")
    return [(str(m), origin, destination, measure, v) for m, v in zip(months, values)]


def test_basis_scales_jnto_to_table_2_2_by_the_median_open_border_ratio():
    t22 = [102, 204, 306, 5, 5]  # 2019-11 .. 2020-03; 2020-02 and 2020-03 fall in the mask
    jnto = [100, 200, 300, 100, 100, 400, 500]  # 2019-11 .. 2020-05
    table = _table(_monthly_rows("TW", "JP", "national_departures", "2019-11", t22)
                   + _monthly_rows("TW", "JP", "visitor_arrivals", "2019-11", jnto))
    basis = bas.traveller_basis(table, "tw_to_jp", mask=("2020-02", "2022-12"))
    assert basis.ratio == pytest.approx(1.02)  # the closure months' 0.05 are left out
    assert list(basis.ratios.index.astype(str)) == ["2019-11", "2019-12", "2020-01"]
    assert basis.observed.loc["2020-03"] == 5  # Table 2-2 wherever it is published
    assert basis.observed.loc["2020-04"] == 408 and basis.observed.loc["2020-05"] == 510
    assert list(basis.source.loc["2020-03":]) == ["Table 2-2", "JNTO x ratio", "JNTO x ratio"]
    assert basis.forecast_input.index[0] == pd.Period("2019-11", "M")
    assert basis.calibration.index[-1] == pd.Period("2020-03", "M")


def test_basis_of_the_reciprocal_direction_and_unknown_directions():
    table = _table(_monthly_rows("JP", "TW", "visitor_arrivals", "2019-01", [10, 20, 30]))
    basis = bas.traveller_basis(table, "jp_to_tw")
    assert basis.ratio == 1.0 and list(basis.observed) == [10, 20, 30]
    with pytest.raises(ValueError, match="direction"):
        bas.traveller_basis(table, "tw_to_kr")


def test_the_travellers_are_the_outlooks_paths_on_the_basis_scale():
    """The load never forecasts: its travellers are forecast_paths.csv × the Table 2-2 / JNTO ratio."""
    table = load_table(PROCESSED)
    as_of = str(table["month"].max())
    basis = bas.traveller_basis(table, "tw_to_jp")
    paths, choices, about = bas.outlook_travellers(PROCESSED, basis, as_of)
    outlook = read_paths(PROCESSED, "tw_to_jp")
    pd.testing.assert_frame_equal(paths, outlook * basis.ratio)
    assert set(choices) == {"engine", "outlook"} and choices["outlook"] is paths
    assert paths.index[0] == basis.forecast_input.index[-1] + 1 and paths.shape[1] == about["paths"] == 1000
    # The annual outlook's median for the last year is the same paths' (published months included).
    year = paths.index.max().year
    totals = with_history(outlook, basis.forecast_input / basis.ratio, f"{year}-01").loc[str(year)].sum()
    annual = read_annual(PROCESSED).set_index(["direction", "year"]).loc[("tw_to_jp", year)]
    assert abs(totals.median() - annual["median"]) <= 1
    jp_paths, jp_choices, _ = bas.outlook_travellers(PROCESSED, bas.traveller_basis(table, "jp_to_tw"), as_of)
    pd.testing.assert_frame_equal(jp_paths, read_paths(PROCESSED, "jp_to_tw"))
    assert list(jp_choices) == ["engine", "outlook"] and jp_choices["outlook"] is jp_paths


def test_an_outlook_of_another_month_is_refused():
    table = load_table(PROCESSED)
    basis = bas.traveller_basis(table, "tw_to_jp")
    with pytest.raises(ValueError, match="run `flows forecast --as-of 2025-06` first"):
        bas.outlook_travellers(PROCESSED, basis, "2025-06")


def test_observed_months_are_joined_in_front_of_every_path(paths):
    observed = pd.Series(np.arange(1, 15, dtype=float), index=pd.period_range("2024-11", periods=14, freq="M"))
    joined = with_history(paths, observed, "2025-01")
    assert joined.index[0] == pd.Period("2025-01", "M") and joined.index[12] == paths.index[0]
    assert (joined.loc["2025-12"] == 14).all()
    pd.testing.assert_frame_equal(joined.loc[paths.index], paths)
    with pytest.raises(ValueError, match="neither observed nor forecast"):
        with_history(paths, observed, "2024-01")


def test_shock_is_measured_as_floor_length_and_recovery():
    months = pd.period_range("2019-01", "2021-12", freq="M")
    values = np.full(len(months), 100.0)
    values[14:20] = [1, 2, 1, 3, 1, 2]  # 2020-03 .. 2020-08 below 10 % of 2019
    values[20:24] = [30, 60, 90, 100]  # 2020-09 .. 2020-12: back at 2019 in the 4th month
    values[24:] = 110
    y = pd.Series(values, index=months, name="y")
    shock, ratio = bas.calibrate_shock(y)
    assert shock == {"shock_floor": pytest.approx(0.015), "shock_months_at_floor": 6, "shock_recovery_months": 4}
    assert ratio.attrs["floor_first"] == pd.Period("2020-03", "M")
    assert ratio.attrs["recovered"] == pd.Period("2020-12", "M")
    with pytest.raises(ValueError, match="not a complete year"):
        bas.calibrate_shock(y, base_year=2018)
    levelled = y.copy()
    levelled.loc["2020-11":] = 60.0  # levels off at 60 % of 2019, first reached in 2020-10
    shock, ratio = bas.calibrate_shock(levelled)
    assert shock["shock_recovery_months"] == 2 and ratio.attrs["recovery_target"] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="not recovered"):
        bas.calibrate_shock(y.where(y.index < pd.Period("2020-03", "M"), 1.0))


def test_calibrated_shock_is_accepted_and_overlaid_on_the_measured_months(a):
    months = pd.period_range("2019-01", "2021-12", freq="M")
    values = np.r_[np.full(14, 100.0), np.full(6, 1.0), [30, 60, 90, 100], np.full(12, 110.0)]
    shock, ratio = bas.calibrate_shock(pd.Series(values, index=months))
    overlay = tbl.shock_overlay(ratio, a.replace(**shock))
    assert overlay.loc["2020-02"] == 1.0
    assert (overlay.loc["2020-03":"2020-08"] == shock["shock_floor"]).all()
    assert overlay.loc["2020-12"] == 1.0


def every_hour(s):
    """Every hour of every day and path at once (days x 24 x paths): the reference for one pass by blocks."""
    return rec.hourly_records(s.daily, asm.read_assumptions(), s.extra)


def test_one_hourly_pass_agrees_with_every_hour_at_once(base, a, hours):
    all_hours = every_hour(base)
    expected_peak = pd.DataFrame(all_hours.max(axis=1), index=base.daily.index, columns=base.daily.columns)
    pd.testing.assert_frame_equal(hours.peak_hour, expected_peak)
    in_2027 = (base.daily.index.year == 2027)
    flat = all_hours[in_2027].reshape(-1, all_hours.shape[2])
    np.testing.assert_array_equal(hours.capacity.loc[(2027, 0.99)].to_numpy(),
                                  np.quantile(flat, 0.99, axis=0, method="inverted_cdf"))
    curve = hrs.capacity_curve(hours, 2027)
    assert curve["p50"].is_monotonic_increasing
    assert curve.loc[1.0, "p50"] == pytest.approx(np.median(hours.peak_hour.loc["2027"].max()))


def test_capacity_only_for_the_years_asked(base, a):
    some = hrs.hourly_pass(base, a, capacity_years=[2027])
    assert set(some.capacity.index.get_level_values("year")) == {2027}
    with pytest.raises(ValueError, match="outside"):
        hrs.capacity_curve(some, 2026)


@pytest.mark.parametrize("make", [
    lambda p, a, base: scn.shock(p, a.replace(shock_start="2027-03", shock_months_at_floor=3)),
    lambda p, a, base: scn.surge(p, a, n=300_000, k=5, start="2026-08-01", base=base),
    lambda p, a, base: scn.high_growth(p, a),
])
def test_patched_peak_hours_equal_a_full_recomputation(paths, a, base, hours, make):
    s = make(paths, a, base)
    patched = hrs.peak_hour_patched(base, hours.peak_hour, s, a)
    expected = pd.DataFrame(every_hour(s).max(axis=1), index=s.daily.index, columns=s.daily.columns)
    pd.testing.assert_frame_equal(patched, expected)


def test_yearly_intervals_are_quantiles_of_each_paths_year(base, a, hours):
    yearly = summ.intervals(summ.yearly_per_path(base, hours.peak_hour, hours))
    daily = base.total_daily
    for year in (2026, 2027):
        days = daily.loc[str(year)]
        expected = {"records": days.sum(), "records_ordinary_day": days.median(), "records_peak_day": days.max(),
                    "records_peak_hour": hours.peak_hour.loc[str(year)].max(),
                    "capacity_99pct_hours": hours.capacity.loc[(year, 0.99)]}
        for metric, per_path in expected.items():
            assert yearly.loc[(metric, year), "p50"] == pytest.approx(per_path.median())
            assert yearly.loc[(metric, year), "p95"] == pytest.approx(per_path.quantile(0.95))
    assert (yearly["p05"] <= yearly["p50"]).all() and (yearly["p50"] <= yearly["p95"]).all()


def test_surge_effect_equals_the_model_surge(paths, a, base, hours):
    effect = hrs.surge_effect(base, hours.peak_hour, a, ns=[0, 400_000], ks=[4], start="2026-08-01")
    s = scn.surge(paths, a, n=400_000, k=4, start="2026-08-01")
    peak = hrs.hourly_pass(s, a, capacity_years=()).peak_hour.loc["2026"]
    got = effect[effect["surge_extra_departures"] == 400_000].set_index("metric")
    assert got.loc["records_peak_day", "p50"] == pytest.approx(np.median(s.total_daily.loc["2026"].max()))
    assert got.loc["records_peak_hour", "p50"] == pytest.approx(np.median(peak.max()))
    window = pd.date_range("2026-08-01", periods=4)
    assert got.loc["records_surge_day", "p50"] == pytest.approx(np.median(s.total_daily.loc[window].max()))
    summary = tbl.surge_summary(effect, 400_000, 4)
    assert summary["extra_per_day"] == 100_000
    assert summary["surge_day"] > summary["normal_surge_day"]
    with pytest.raises(ValueError, match="N = 0"):
        tbl.surge_summary(effect[effect["surge_extra_departures"] > 0], 400_000, 4)


def test_busiest_days_are_the_top_days_of_each_year(base, a):
    days = summ.day_table(base, a)
    assert len(days) == len(base.daily)
    top = summ.busiest_days(days, n=2)
    assert list(top["year"]) == [2026, 2026, 2027, 2027]
    for year, rows in top.groupby("year"):
        assert rows["p50"].iloc[0] == days.loc[str(year), "p50"].max()
    assert set(top["weekday"]) <= set(summ.WEEKDAYS)
    assert (top["why"] != "").all()


def test_peak_ratios_split_into_monthly_and_within_month_parts(base, hours):
    ratios = summ.peak_ratios(base, summ.yearly_per_path(base, hours.peak_hour))
    assert list(ratios.index) == [2026, 2027]
    assert (ratios["peak day / ordinary day"] > 1).all()
    assert ratios["peak hour / peak day"].round(2).eq(0.09).all()  # the largest entry of hourly_profile


def test_monthly_peaking_skips_incomplete_years():
    months = pd.period_range("2024-01", periods=17, freq="M")
    per_day = np.r_[np.full(11, 10.0), 20.0, np.full(5, 1.0)]
    y = pd.Series(per_day * months.days_in_month, index=months)
    seen = summ.monthly_peaking(y, [2024, 2025])
    assert list(seen.index) == [2024]
    assert seen.loc[2024, "busiest month"] == "2024-12" and seen.loc[2024, "ratio"] == pytest.approx(2.0)


def test_assumption_table_marks_what_this_notebook_measured(a):
    used = a.replace(shock_floor=0.004)
    frame = tbl.assumption_table(a, used)
    assert len(frame) == len(list(a))
    row = frame.set_index("name").loc["shock_floor"]
    assert row["basis"] == "measured here" and row["YAML value"] == "0.05" and row["value"] == "0.004"
    assert set(frame["basis"]) <= {"measured here", "assumption", "cited"}


def test_headline_figures_are_rounded_medians_with_intervals():
    yearly = pd.DataFrame({"p05": [10_040.0, 10_000], "p25": 0, "p50": [12_345.0, 10_000], "p75": 0,
                           "p95": [15_678.0, 10_000]},
                          index=pd.MultiIndex.from_tuples([("records_ordinary_day", 2030),
                                                           ("records_ordinary_day", 2025)]))
    assert tbl.figure_text(yearly, "records_ordinary_day", 2030, 100) == "12,300 (10,000–15,700)"
    assert tbl.figure_text(yearly, "records_ordinary_day", 2025, 100) == "10,000"


def test_observed_records_per_day_add_third_country_travellers(a):
    table = _table(_monthly_rows("JP", "TW", "visitor_arrivals", "2024-02", [2_900, 3_100]))
    per_day = tbl.observed_per_day(bas.traveller_basis(table, "jp_to_tw"), a, "2024-02")
    assert per_day.iloc[0] == pytest.approx(round(2_900 * (1 + a.third_country_share_jp_tw)) / 29)
    assert per_day.index[1] == pd.Timestamp("2024-03-01")
