"""flows.forecast.longrun and annual_inputs: the anchored annual view, its parts, and how monthly paths follow it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flows.analysis import table as tb
from flows.errors import RawFileError
from flows.forecast import annual_inputs as ai
from flows.forecast import longrun as lr

PROCESSED = Path(__file__).resolve().parents[1] / "data" / "processed"


def by_year(values, start: int) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.Index(range(start, start + len(values)), name="year"))


def months(start: str, n: int) -> pd.PeriodIndex:
    return pd.period_range(start, periods=n, freq="M", name="month")


@pytest.fixture(scope="module")
def tables():
    return tb.load_table(PROCESSED), tb.load_annual(PROCESSED)


# --- the parts, from the published figures ------------------------------------------------------

def test_parts_are_taiwans_published_departures_and_japans_share(tables):
    table, annual = tables
    f = ai.taiwan_factors(table, annual, "2026-02")
    # Tourism Administration: departures of nationals 2002, 2019 and 2024, all and to Japan (annual file, Table 2-2).
    assert f.loc[2002, ["departures", "departures_to_japan"]].tolist() == [7_319_466, 797_460]
    assert f.loc[2019, ["departures", "departures_to_japan"]].tolist() == [17_101_335, 4_911_681]
    assert f.loc[2024, ["departures", "departures_to_japan"]].tolist() == [16_849_683, 6_006_116]
    assert f.loc[2024, "share"] == pytest.approx(6_006_116 / 16_849_683)
    assert f.loc[2024, "population"] == 23_400_220  # Ministry of the Interior, end of 2024
    assert f.loc[2024, "per_resident"] == pytest.approx(16_849_683 / 23_400_220)
    assert f.loc[2024, "mirror"] == pytest.approx(f.loc[2024, "arrivals_in_japan"] / 6_006_116)
    # 2025: JNTO's year is complete, Taiwan's departures reach only March.
    assert np.isnan(f.loc[2025, "departures"]) and f.loc[2025, "arrivals_in_japan"] > 0


def test_an_annual_figure_counts_only_once_its_year_is_over(tables):
    table, annual = tables
    assert ai.taiwan_factors(table, annual, "2017-11")["departures"].last_valid_index() == 2016
    assert ai.taiwan_factors(table, annual, "2017-12")["departures"].last_valid_index() == 2017


def test_population_file_is_one_value_per_consecutive_year():
    pop = ai.population()
    assert pop.index.min() == 2002 and (np.diff(pop.index) == 1).all()
    assert 22_000_000 < pop.min() and pop.max() < 24_000_000


def test_a_damaged_population_file_is_refused(monkeypatch, tmp_path):
    bad = tmp_path / "taiwan_population.csv"
    bad.write_text("year,population,note\n2002,22520776,\n2004,22689122,\n", encoding="utf-8")
    monkeypatch.setattr(ai, "_data_file", lambda name: bad)
    with pytest.raises(RawFileError, match="years consecutive"):
        ai.population()


def test_the_published_target_is_read_with_its_source():
    t = ai.published_targets()
    row = t[(t["origin"] == "JP") & (t["destination"] == "TW")].iloc[0]
    assert (row["year"], row["value"]) == (2026, 1_700_000) and row["url"].startswith("https://")
    assert ai.target("JP", "TW").loc[2026] == 1_700_000


# --- the damped drift -----------------------------------------------------------------------------

def test_drift_is_the_median_change_between_consecutive_published_years():
    values = by_year(np.exp([0.0, 0.1, 0.3, 0.4, 5.0, 5.0, 5.0, 5.0, 0.6]), 2016)  # 2020–2023 masked
    fit = lr.fit_part(values, lr.Part("x", "log", True))
    assert fit.last_year == 2024 and fit.level == pytest.approx(0.6)
    # Changes 2017, 2018, 2019 only: 2024 has no published year before it.
    assert list(fit.changes.index) == [2017, 2018, 2019]
    assert fit.drift == pytest.approx(0.1)


def test_growth_shrinks_by_phi_each_year_and_a_share_stays_below_one():
    steady = by_year(np.exp(0.05 * np.arange(10)), 2010)  # exactly 5 % a year: no shocks
    share = by_year(np.linspace(0.5, 0.95, 10), 2010)  # fast-rising share
    fits = (lr.fit_part(steady, lr.Part("per_resident", "log", True)),
            lr.fit_part(share, lr.Part("share", "logit", True)))
    paths = lr.simulate(fits, 2060, n_paths=200, seed=1, phi=0.8)
    growth = np.log(paths["per_resident"].iloc[:, 0]).diff().dropna()
    np.testing.assert_allclose(growth.to_numpy(), 0.05 * 0.8 ** np.arange(2, 42), rtol=1e-9)
    total = np.log(paths["per_resident"].iloc[-1, 0] / steady.iloc[-1])
    assert total == pytest.approx(0.05 * 0.8 / 0.2, rel=1e-3)  # converges: growth adds up to φ/(1−φ) years
    assert (paths["share"].to_numpy() < 1).all() and (paths["share"].to_numpy() > 0).all()


def test_a_share_of_one_or_more_is_refused():
    with pytest.raises(ValueError, match="shares below 1"):
        lr.fit_part(by_year([0.5, 1.0, 1.2], 2010), lr.Part("share", "logit", True))


def steady_factors(last: int = 2024, published_after: dict[int, float] | None = None) -> pd.DataFrame:
    years = range(2010, last + 1)
    n = len(years)
    f = pd.DataFrame({"population": 1e7, "per_resident": 0.5 * 1.04 ** np.arange(n),
                      "share": np.full(n, 0.3), "mirror": np.full(n, 1.0)}, index=pd.Index(years, name="year"))
    f["arrivals_in_japan"] = f["population"] * f["per_resident"] * f["share"] * f["mirror"]
    for year, value in (published_after or {}).items():
        f.loc[year] = np.nan
        f.loc[year, "arrivals_in_japan"] = value
    return f


def test_trips_are_population_times_departures_per_resident_times_share_times_mirror():
    f = steady_factors()
    view = lr.taiwan_to_japan(f, 2027, n_paths=50, seed=0, phi=0.9)
    last = f.loc[2024, "arrivals_in_japan"]
    expected = last * np.exp(np.log(1.04) * np.cumsum(0.9 ** np.arange(1, 4)))
    np.testing.assert_allclose(view.trips.iloc[:, 0].to_numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(view.parts["departures"].iloc[:, 3], view.trips.iloc[:, 3] / 0.3, rtol=1e-9)


def test_a_later_year_published_only_by_jnto_fixes_the_level():
    f = steady_factors(published_after={2025: 2_000_000.0})
    view = lr.taiwan_to_japan(f, 2027, n_paths=20, seed=0, phi=0.9)
    assert list(view.trips.index) == [2026, 2027]
    # Growth from 2025 on as the parts forecast it (2025 is their first year ahead, 2026 the second).
    np.testing.assert_allclose(view.trips.loc[2026], 2_000_000 * 1.04 ** (0.9 ** 2), rtol=1e-6)


# --- monthly paths following annual ones ---------------------------------------------------------

def test_benchmarked_paths_add_up_to_the_annual_paths_and_keep_published_months():
    rng = np.random.default_rng(0)
    paths = pd.DataFrame(rng.uniform(50, 150, (22, 4)), index=months("2025-03", 22))  # 2025-03 … 2026-12
    observed = pd.Series(100.0, index=months("2024-01", 14))  # published to 2025-02
    annual = pd.DataFrame([[1500.0, 1600, 1700, 1800], [2000, 2100, 2200, 2300]], index=[2025, 2026])
    out = lr.benchmark_paths(paths, observed, annual)
    np.testing.assert_allclose(out.loc["2025"].sum() + 200.0, annual.loc[2025])  # Jan–Feb published
    np.testing.assert_allclose(out.loc["2026"].sum(), annual.loc[2026])
    shape = out.loc["2026"] / out.loc["2026"].sum()
    np.testing.assert_allclose(shape, paths.loc["2026"] / paths.loc["2026"].sum())  # seasons kept


def test_the_year_in_progress_is_the_engines_and_the_view_keeps_its_growth_after_it():
    rng = np.random.default_rng(1)
    paths = pd.DataFrame(rng.uniform(80, 120, (22, 3)), index=months("2026-03", 22))  # 2026-03 … 2027-12
    observed = pd.Series(150.0, index=months("2025-01", 14))  # published to 2026-02, a strong start
    view = pd.DataFrame([[1000.0, 1100, 1200], [1050, 1210, 1260]], index=[2026, 2027])
    out = lr.year_in_progress(view, paths, observed)
    engine_2026 = paths.loc["2026"].sum() + 300.0  # January–February published
    np.testing.assert_allclose(out.loc[2026], engine_2026)
    np.testing.assert_allclose(out.loc[2027] / out.loc[2026], view.loc[2027] / view.loc[2026])  # growth kept
    # The long-run choices follow it: in the year in progress the annual view's paths are the engine's.
    chosen = lr.choices(paths, observed, lr.AnnualView(view, {}, (), pd.DataFrame()), {"engine": 0.5, "annual view": 0.5})
    np.testing.assert_allclose(chosen["annual view"].loc["2026"], paths.loc["2026"])
    np.testing.assert_allclose(chosen["combination"].loc["2026"], paths.loc["2026"])
    # Monthly paths that start in January have no year in progress: the view is left as it is.
    january = pd.DataFrame(np.ones((24, 3)), index=months("2026-01", 24))
    assert lr.year_in_progress(view, january, observed.loc[:"2025-12"]).equals(view)


def test_years_without_an_annual_path_are_left_alone():
    paths = pd.DataFrame(np.ones((18, 2)), index=months("2026-01", 18))  # 2027 incomplete
    annual = pd.DataFrame([[24.0, 36.0], [50.0, 50.0]], index=[2026, 2027])
    out = lr.benchmark_paths(paths, pd.Series(dtype=float, index=months("2025-01", 0)), annual)
    assert out.loc["2026"].sum().tolist() == [24.0, 36.0]
    assert (out.loc["2027"] == 1.0).all().all()


def test_a_mixture_takes_whole_paths_in_proportion_to_the_weights():
    a = pd.DataFrame(np.zeros((3, 10)), index=months("2026-01", 3))
    b = pd.DataFrame(np.ones((3, 10)), index=months("2026-01", 3))
    mixed = lr.mixture({"a": a, "b": b}, {"a": 0.3, "b": 0.7})
    assert (mixed.iloc[:, :3] == 0).all().all() and (mixed.iloc[:, 3:] == 1).all().all()
    assert lr.mixture({"a": a, "b": b}, {"a": 1.0, "b": 0.0}).equals(a)
    with pytest.raises(ValueError, match="non-negative"):
        lr.mixture({"a": a, "b": b}, {"a": -0.1, "b": 1.1})
    with pytest.raises(ValueError, match="share months"):
        lr.mixture({"a": a, "b": b.iloc[:2]}, {"a": 0.5, "b": 0.5})


# --- what each choice implies -----------------------------------------------------------------------

def test_each_choice_implies_departures_through_its_own_share():
    from flows.forecast import longrun_summary as ls

    f = steady_factors()
    view = lr.taiwan_to_japan(f, 2027, n_paths=10, seed=0, phi=0.9)
    engine = view.trips * 1.5
    weights = {lr.ENGINE: 0.4, lr.ANNUAL_VIEW: 0.6}
    annual = {lr.ENGINE: engine, lr.ANNUAL_VIEW: view.trips,
              lr.COMBINATION: lr.pool({lr.ENGINE: engine, lr.ANNUAL_VIEW: view.trips}, weights)}
    q = ls.implied(annual, view, weights)
    # The annual view's departures are its own; the engine's hold the last share (0.3) and mirror (1).
    pd.testing.assert_frame_equal(q[lr.ANNUAL_VIEW]["departures"], view.parts["departures"], check_names=False)
    np.testing.assert_allclose(q[lr.ENGINE]["departures"], engine / 0.3)
    # The combination's first 4 paths are the engine's, the rest the view's, for trips and share alike.
    np.testing.assert_allclose(q[lr.COMBINATION]["departures"].iloc[:, :4], q[lr.ENGINE]["departures"].iloc[:, :4])
    np.testing.assert_allclose(q[lr.COMBINATION]["departures"].iloc[:, 4:], q[lr.ANNUAL_VIEW]["departures"].iloc[:, 4:])
    np.testing.assert_allclose(q[lr.ENGINE]["trips_per_resident"], engine / 1e7)
    year = ls.in_year(q, 2027)
    assert list(year.columns) == ["mean", "p10", "p90"]
    assert year.loc[(lr.ENGINE, "share"), "mean"] == pytest.approx(0.3)


def test_the_comparison_table_shows_published_years_and_each_choice():
    from flows.forecast import longrun_summary as ls

    f = steady_factors().assign(departures=lambda d: d["population"] * d["per_resident"],
                                trips_to_japan_per_resident=lambda d: d["arrivals_in_japan"] / d["population"])
    history = ls.history(f, leave_out=[2020])
    assert np.isnan(history.loc[2020, "share"]) and history.loc[2019, "share"] == pytest.approx(0.3)
    idx = pd.MultiIndex.from_product([["engine"], list(ls.MEASURES)], names=["choice", "measure"])
    at = pd.DataFrame({"mean": [12e6, 0.5, 0.36, 33e6, 1.4], "p10": [9e6, 0.4, 0.36, 25e6, 1.0],
                       "p90": [15e6, 0.6, 0.36, 43e6, 1.8]}, index=idx)
    table = ls.comparison(history, at, (2019,), 2030)
    assert table.loc["2030 engine", "trips to Japan (M)"] == "12.0 (9.0–15.0)"
    assert table.loc["2030 engine", "Japan's share of departures"] == "36 % (held)"
    assert table.loc["2019 published", "Japan's share of departures"] == "30 %"
