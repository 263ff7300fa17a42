"""flows.exchange_load (assumptions, records, scenarios): records for the border information-sharing arrangement,
from monthly sample paths.

Paths are synthetic (the contract of flows.forecast.engine.sample_paths: PeriodIndex of months x path
columns), near Taiwan's 2024 level of about 500,000 departures to Japan a month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from departure_paths import departure_paths
from flows.exchange_load import assumptions as asm
from flows.exchange_load import hours as hrs
from flows.exchange_load import records as rec
from flows.exchange_load import scenarios as scn
from flows.exchange_load import summaries as summ
from flows.exchange_load import tables as tbl


@pytest.fixture(scope="module")
def paths() -> pd.DataFrame:
    return departure_paths(seed=1, n_paths=20)


def test_days_sum_exactly_to_their_month(base):
    by_month = base.daily.groupby(base.daily.index.to_period("M")).sum()
    pd.testing.assert_frame_equal(by_month, base.monthly, check_names=False)
    assert (base.daily.to_numpy() >= 0).all()


def test_hours_sum_exactly_to_their_day(base, a):
    days = base.daily.loc["2026-02"]
    hours = rec.hourly_records(days, a)
    assert hours.shape == (len(days), 24, days.shape[1])
    np.testing.assert_array_equal(hours.sum(axis=1), days.to_numpy())
    assert (hours >= 0).all()


def test_hours_with_surge_sum_to_normal_plus_extra(paths, a):
    s = scn.surge(paths, a, n=100_001, k=9, start="2026-07-01")
    window = s.daily.loc["2026-07-01":"2026-07-15"]
    hours = rec.hourly_records(window, a, s.extra.loc[window.index])
    np.testing.assert_array_equal(hours.sum(axis=1), s.total_daily.loc[window.index].to_numpy())


def test_monthly_records_add_third_country_travellers(paths, a):
    monthly = rec.monthly_records(paths, a)
    expected = np.rint(paths.to_numpy() * (1 + a.third_country_share_tw_jp))
    np.testing.assert_array_equal(monthly.to_numpy(), expected)


def test_load_scales_linearly_with_volume(paths, a):
    once = scn.baseline(paths, a).daily.to_numpy()
    twice = scn.baseline(paths * 2, a).daily.to_numpy()
    # whole records: rounding the month (1) and the day split (1 + 2) leave at most 4 records
    assert np.abs(twice - 2 * once).max() <= 4
    zero = scn.baseline(paths * 0, a).daily.to_numpy()
    assert (zero == 0).all()


def test_intervals_are_monotone(base, a):
    yearly = summ.intervals(summ.yearly_per_path(base, hrs.hourly_pass(base, a).peak_hour))
    monthly = summ.monthly_quantiles(base)
    for frame in (yearly, monthly["mean_day"], monthly["peak_day"]):
        assert list(frame.columns) == ["p05", "p25", "p50", "p75", "p95"]
        assert (frame.diff(axis=1).iloc[:, 1:] >= 0).all().all()


def test_yearly_figures_are_consistent(base, a):
    hours = hrs.hourly_pass(base, a)
    yearly = summ.intervals(summ.yearly_per_path(base, hours.peak_hour, hours))
    for year in (2026, 2027):
        p50 = yearly.xs(year, level="year")["p50"]
        assert p50["records_ordinary_day"] <= p50["records_peak_day"]
        assert p50["capacity_99pct_hours"] <= p50["records_peak_hour"] <= p50["records_peak_day"]
    total = base.daily.loc["2026"].sum()
    assert yearly.loc[("records", 2026), "p50"] == pytest.approx(total.median())


@pytest.mark.parametrize("n, k", [(100_000, 14), (1001, 7), (5, 10), (0, 3)])
def test_surge_adds_exactly_n_records_over_k_days(paths, a, base, n, k):
    s = scn.surge(paths, a, n=n, k=k, start="2026-07-01")
    added = s.total_daily - base.daily
    window = pd.date_range("2026-07-01", periods=k, freq="D")
    assert (added.sum() == n).all()
    assert (added.drop(window) == 0).all().all()
    assert added.loc[window].max().max() - added.loc[window].min().min() <= 1  # evenly spread


def test_surge_outside_the_horizon_is_refused(paths, a):
    with pytest.raises(ValueError, match="outside 2026-01-01..2027-12-31"):
        scn.surge(paths, a, k=30, start="2027-12-15")


def test_shock_collapses_then_recovers(paths, a):
    a = a.replace(shock_start="2026-03", shock_months_at_floor=4, shock_recovery_months=5, shock_floor=0.1)
    factor = scn.shock_factor(paths.index, a)
    assert (factor[:"2026-02"] == 1).all()
    assert (factor["2026-03":"2026-06"] == 0.1).all()
    assert factor["2026-07":"2026-11"].is_monotonic_increasing and factor["2026-11"] == 1
    assert (factor["2026-11":] == 1).all()


def test_high_growth_keeps_the_upper_paths(paths, a):
    s = scn.high_growth(paths, a)
    kept = paths.sum()[s.monthly.columns]
    dropped = paths.sum().drop(s.monthly.columns)
    assert kept.min() >= dropped.max()
    assert len(kept) == 4  # top 20 % of 20 paths


def test_scenarios_give_peak_load(paths, a, base):
    base_peak = hrs.hourly_pass(base, a).peak_hour
    scenarios = {"baseline": (base, base_peak)}
    for s in (scn.high_growth(paths, a), scn.shock(paths, a), scn.surge(paths, a, base=base)):
        scenarios[s.name] = (s, hrs.peak_hour_patched(base, base_peak, s, a))
    table = tbl.scenario_table(scenarios)
    assert list(table.index.get_level_values("scenario").unique()) == [
        "baseline", "high growth", "shock and recovery", "contingency surge"]
    peak = {name: summ.yearly_per_path(s, peak)["records_peak_hour"].median(axis=1).max()
            for name, (s, peak) in scenarios.items()}
    assert peak["contingency surge"] >= peak["baseline"] and peak["high growth"] >= peak["baseline"]


def test_days_above_capacity_grow_with_the_surge(base, a):
    effect = hrs.surge_effect(base, hrs.hourly_pass(base, a).peak_hour, a, ns=[0, 200_000, 800_000], ks=[10],
                              start="2026-07-01")
    above = effect[effect["metric"] == "days_above_capacity"].sort_values("surge_extra_departures")
    assert above["p50"].is_monotonic_increasing
    assert above["p95"].iloc[-1] > above["p95"].iloc[0]


def test_reciprocal_direction(paths, a):
    s = scn.baseline(paths, a, direction="jp_to_tw")
    expected = np.rint(paths.to_numpy() * (1 + a.third_country_share_jp_tw))
    np.testing.assert_array_equal(s.monthly.to_numpy(), expected)
    with pytest.raises(ValueError, match="direction"):
        scn.baseline(paths, a, direction="tw_to_kr")


@pytest.mark.parametrize(
    "override, message",
    [
        ({"third_country_share_tw_jp": 1.5},
         r"'third_country_share_tw_jp' = 1\.5 is outside its allowed range \[0\.0, 1\.0\]"),
        ({"weekday_weights": [1, 1, 1, 1, 1, 1, 9]},
         r"'weekday_weights' = .* is outside its allowed range \[0\.25, 4\.0\]"),
        ({"surge_days": 0}, r"'surge_days' = 0 is outside its allowed range \[1, 180\]"),
        ({"shock_start": "2040-01"},
         r"'shock_start' = '2040-01' is outside its allowed range \[2025-01, 2035-12\]"),
        ({"hourly_profile": [4] * 24}, r"'hourly_profile' must sum to 100"),
        ({"surge_days": 2.5}, r"'surge_days' = 2\.5 must be a whole number"),
        ({"surge_start": "2027-02-30"}, r"'surge_start' = '2027-02-30' is outside its allowed range"),
        ({"weekday_weights": 1.0}, r"'weekday_weights' needs a list of 7 values"),
        ({"no_such_thing": 1}, r"unknown assumption"),
    ],
)
def test_out_of_range_assumptions_are_refused(override, message):
    with pytest.raises(asm.AssumptionError, match=message):
        asm.read_assumptions(**override)


def test_assumption_files_need_every_field(tmp_path):
    path = tmp_path / "assumptions.yaml"
    path.write_text("surge_days:\n  value: 14\n  unit: days\n  range: [1, 180]\n", encoding="utf-8")
    with pytest.raises(asm.AssumptionError, match=r"'surge_days' lacks \['source'\]"):
        asm.read_assumptions(path)


def test_surge_arguments_are_checked_against_their_ranges(paths, a):
    with pytest.raises(asm.AssumptionError, match="surge_extra_departures"):
        scn.surge(paths, a, n=-5)


def test_every_assumption_is_documented(a):
    table = a.table()
    assert table["name"].is_unique
    for column in ("unit", "source"):
        assert (table[column].str.len() > 10).all(), column
    assert table["source"].str.startswith("assumption").any()


@pytest.mark.parametrize(
    "bad, message",
    [
        (lambda p: p.set_axis(p.index.to_timestamp()), "PeriodIndex"),
        (lambda p: p * -1, "non-negative"),
        (lambda p: p.drop(p.index[3]), "consecutive"),
    ],
)
def test_paths_outside_the_contract_are_refused(paths, a, bad, message):
    with pytest.raises(ValueError, match=message):
        scn.baseline(bad(paths), a)


def test_load_by_choice_gives_each_choice_its_own_year(paths, a):
    load = tbl.load_by_choice({"one": paths, "same": paths.copy(), "double": paths * 2}, a, "tw_to_jp", 2027)
    assert set(load.index.get_level_values("metric")) == set(tbl.LOAD_METRICS)
    pd.testing.assert_frame_equal(load.loc["one"], load.loc["same"])
    # Twice the travellers, twice the records (whole records: a few of rounding per day).
    np.testing.assert_allclose(load.loc[("double", "records")], 2 * load.loc[("one", "records")], rtol=1e-4)
    np.testing.assert_allclose(load.loc[("double", "records_peak_hour")], 2 * load.loc[("one", "records_peak_hour")],
                               atol=3)
    assert (load["p05"] <= load["p50"]).all() and (load["p50"] <= load["p95"]).all()


def test_choice_table_rounds_days_to_100_and_hours_to_10():
    idx = pd.MultiIndex.from_product([["engine"], list(tbl.LOAD_METRICS)], names=["choice", "metric"])
    load = pd.DataFrame({"p05": [1e6, 24_149.0, 45_251.0, 4_074.0], "p50": [2e6, 31_649.0, 60_351.0, 5_434.0],
                         "p95": [3e6, 41_151.0, 79_349.0, 7_136.0]}, index=idx)
    row = tbl.choice_table(load).loc["engine"]
    assert row.tolist() == ["31,600 (24,100–41,200)", "60,400 (45,300–79,300)", "5,430 (4,070–7,140)"]
