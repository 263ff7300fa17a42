"""Annual calibration on the panel (flows.forecast.calibration) and the ceiling of Taiwan → Japan."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.forecast import calibration as cal
from flows.forecast import ceiling as ce


def panel_rows(sigma: float, n_series: int = 10, per: int = 40, seed: int = 1) -> pd.DataFrame:
    """Forecasts whose log errors are normal with sd ``sigma`` × years ahead, whatever their stated bounds."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n_series):
        for i in range(per):
            for k in range(1, 6):
                median = 1000.0 * 1.1**k
                rows.append({"series": f"S{s}", "origin": 1960 + i, "horizon": k, "year": 1960 + i + k,
                             "method": "engine", "median": median, "mean": median, "lower_80": median * 0.9,
                             "upper_80": median * 1.1, "lower_95": median * 0.8, "upper_95": median * 1.2,
                             "actual": median * np.exp(rng.standard_normal() * sigma * k), "last_year": 1000.0})
    return pd.DataFrame(rows)


def test_factors_are_percentiles_of_the_log_errors():
    table = cal.factors(panel_rows(0.1))
    k = np.arange(1, 6)
    assert table["q975"].to_numpy() == pytest.approx(0.1 * cal.Z95 * k, rel=0.15)
    assert table["q025"].to_numpy() == pytest.approx(-0.1 * cal.Z95 * k, rel=0.15)
    assert table["q90"].to_numpy() == pytest.approx(0.1 * cal.Z80 * k, rel=0.15)
    assert (table["n"] == 400).all()
    skewed = panel_rows(0.1).assign(actual=lambda r: r["actual"] * 1.5)  # outcomes land above: the bounds follow
    assert (cal.factors(skewed)["q10"].loc[1:3] == 0).all() and (cal.factors(skewed)["q90"] > table["q90"]).all()


def test_factors_leave_out_the_series_and_the_future():
    rows = panel_rows(0.1)
    rows.loc[rows["series"] == "S0", "actual"] *= 50  # one series wildly off
    assert cal.factors(rows)["q975"].iloc[0] > 1
    assert cal.factors(rows, exclude=["S0"])["q975"].to_numpy() == pytest.approx(0.1 * cal.Z95 * np.arange(1, 6), rel=0.15)
    early = cal.factors(rows, before=1964)  # targets up to 1963 only: 30 errors one year ahead, 10 three
    assert early.loc[1, "n"] > 0 and early.loc[5, "n"] == 0
    assert early.loc[5, "q975"] == early.loc[3, "q975"] == early.loc[2, "q975"]  # too few: the previous horizon's
    with pytest.raises(ValueError, match="fewer than 20 errors one year ahead"):
        cal.factors(rows, before=1962)


def test_damping_keeps_the_first_year_and_part_of_the_growth_after_it():
    rows = panel_rows(0.1)
    half = cal.damped(rows, 0.5)
    first = rows["median"].iloc[0]
    assert half["median"].iloc[:5].to_numpy() == pytest.approx(first * 1.1 ** (0.5 * np.arange(5)))
    assert (cal.damped(rows, 1.0)["median"] == rows["median"]).all()
    assert (half["actual"] == rows["actual"]).all()


def test_reach_is_increasing_and_passes_through_the_percentiles():
    q = {"q025": -0.5, "q10": -0.3, "q90": 0.6, "q975": 1.0}
    u = np.linspace(-4, 4, 161)
    assert np.all(np.diff(cal.reach(u, q)) > 0)
    knots = np.array([-cal.Z95, -cal.Z80, 0.0, cal.Z80, cal.Z95])
    assert cal.reach(knots, q) == pytest.approx([-0.5, -0.3, 0.0, 0.6, 1.0])


def test_calibrated_rows_reach_their_coverage_leaving_one_series_out():
    rows = panel_rows(0.3, seed=3)
    inside = lambda r, level: ((r["actual"] >= r[f"lower_{level}"]) & (r["actual"] <= r[f"upper_{level}"])).mean()  # noqa: E731
    out = cal.leave_one_out(rows)
    assert inside(rows, 95) < 0.6
    assert 0.93 <= inside(out, 95) <= 0.97 and 0.77 <= inside(out, 80) <= 0.83
    assert (out["median"] == rows["median"]).all()


def monthly_paths(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.period_range("2026-01", "2028-12", freq="M")
    level = np.cumsum(rng.standard_normal((3, n)) * 0.1 + 0.1, axis=0)  # 10 % growth a year, shocks carried on
    z = np.repeat(level, 12, axis=0) + rng.standard_normal((36, n)) * 0.02
    return pd.DataFrame(1000 * np.exp(z), index=months)


def test_calibrated_paths_take_the_panels_spread_and_the_damped_median():
    paths = monthly_paths()
    observed = pd.Series(1000.0, index=pd.period_range("2024-01", "2025-12", freq="M"))
    table = pd.DataFrame({"q025": [-0.3, -0.4, -0.5, -0.6, -0.7], "q10": [-0.2, -0.3, -0.4, -0.5, -0.6],
                          "q90": [0.2, 0.3, 0.4, 0.5, 0.6], "q975": [0.4, 0.6, 0.8, 1.0, 1.2]},
                         index=pd.RangeIndex(1, 6, name="horizon"))
    out = cal.calibrate_paths(paths, observed, table, pd.Period("2025-12", "M"), d=0.5)
    old = {y: paths[paths.index.year == y].sum() for y in (2026, 2027, 2028)}
    new = {y: np.log(out[out.index.year == y].sum()) for y in (2026, 2027, 2028)}
    for k, year in enumerate((2026, 2027, 2028), start=1):
        median = np.median(old[2026]) * (np.median(old[year]) / np.median(old[2026])) ** 0.5
        assert np.exp(np.median(new[year])) == pytest.approx(median, rel=1e-3)
        low, high = np.quantile(new[year] - np.log(median), [0.025, 0.975])
        assert (low, high) == pytest.approx((table.loc[k, "q025"], table.loc[k, "q975"]), abs=0.01)
    ratio = out / paths  # the months of a year move together: the seasonal shape within a path is kept
    assert ratio[ratio.index.year == 2027].std().max() < 1e-9
    assert cal.at(table, 0.5)["q975"] == pytest.approx(0.2) and cal.at(table, 7)["q025"] == pytest.approx(-0.7)


def test_a_year_in_progress_counts_its_published_months():
    paths = monthly_paths().loc["2026-03":]
    observed = pd.Series(1000.0, index=pd.period_range("2024-01", "2026-02", freq="M"))
    table = pd.DataFrame({"q025": [-0.4] * 5, "q10": [-0.2] * 5, "q90": [0.2] * 5, "q975": [0.4] * 5},
                         index=pd.RangeIndex(1, 6, name="horizon"))
    out = cal.calibrate_paths(paths, observed, table, pd.Period("2026-02", "M"), d=1.0)
    total = out.loc["2026-03":"2026-12"].sum() + 2000.0
    low, high = np.quantile(np.log(total / np.median(total)), [0.025, 0.975])
    q = cal.at(table, 10 / 12)
    assert (low, high) == pytest.approx((q["q025"], q["q975"]), abs=0.01)


def test_ceiling_reads_taiwans_largest_five_year_moves():
    from flows.analysis import table as tb
    from flows.config import DEFAULT_PROCESSED
    from flows.forecast import annual_inputs as ai

    factors = ai.taiwan_factors(tb.load_table(DEFAULT_PROCESSED), tb.load_annual(DEFAULT_PROCESSED), "2026-02")
    moves = ce.largest_moves(factors)
    assert moves.per_resident == pytest.approx(1.51, abs=0.005) and moves.per_resident_years == (2012, 2017)
    assert moves.share == pytest.approx(0.86, abs=0.005) and moves.share_years == (2010, 2015)
    caps = ce.ceilings(factors, 2025, range(2026, 2031))
    assert caps.loc[2030] == pytest.approx(16.26e6, rel=0.01)  # "about 16 M" (issue 17)
    assert caps.is_monotonic_increasing
    one_year = ce.largest_moves(factors, 1)  # a single year may move further than a fifth of five
    base = factors.loc[2025, "arrivals_in_japan"]
    assert caps.loc[2026] > base * (caps.loc[2030] / base) ** 0.2
    assert one_year.span == 1 and one_year.per_resident > 1.51 ** 0.2


def test_cap_paths_keeps_every_year_under_its_ceiling_published_months_included():
    paths = monthly_paths().loc["2026-03":]
    observed = pd.Series(1000.0, index=pd.period_range("2024-01", "2026-02", freq="M"))
    caps = pd.Series({2026: 14_000.0, 2027: 15_000.0})
    out, share = ce.cap_paths(paths, observed, caps)
    assert (out.loc["2026-03":"2026-12"].sum() + 2000.0).max() == pytest.approx(14_000.0)
    assert out[out.index.year == 2027].sum().max() <= 15_000.0 * (1 + 1e-12)
    assert 0 < share.loc[2026] < 1 and 0 < share.loc[2027] < 1
    assert (out.loc["2028-01":] == paths.loc["2028-01":]).all().all()
