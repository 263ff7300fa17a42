"""flows.trends: each statistic recovers a known answer on simulated or literal data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.analysis.calendar import lunar_new_year_days
from flows.analysis.trends import (
    SHOCKS,
    annual_growth,
    annual_share,
    asymmetry,
    cagr,
    first_month_at_or_above,
    growth,
    january_february,
    log_stl,
    lunar_new_year_effect,
    mirror,
    mirror_annual,
    profile_summary,
    recovery,
    seasonal_profile,
    share,
    shock_months,
    vs_base_year,
)
from flows.config import SHOCK_WINDOW

MONTHS = pd.period_range("2004-01", "2019-12", freq="M", name="month")
SEASON = np.array([-0.10, -0.05, 0.0, 0.12, 0.05, 0.10, 0.20, 0.05, -0.08, 0.03, -0.12, -0.20])


def simulated(per_day: float, seed: int = 1, months=MONTHS, noise: float = 0.03) -> pd.Series:
    """Visitors growing 5 % a year, a fixed seasonal pattern, and ``per_day`` log points per LNY day."""
    rng = np.random.default_rng(seed)
    t = np.arange(len(months)) / 12
    lny = lunar_new_year_days(months).to_numpy()
    log_daily = np.log(10_000) + 0.05 * t + SEASON[months.month - 1] + per_day * lny + rng.normal(0, noise, len(months))
    return pd.Series(np.round(np.exp(log_daily) * months.days_in_month).astype("int64"), index=months, name="sim")


@pytest.mark.parametrize("per_day", [0.05, 0.0, -0.03])
def test_lunar_new_year_effect_recovers_simulated_size(per_day):
    values = simulated(per_day)
    effect = lunar_new_year_effect(values, lunar_new_year_days(MONTHS))
    assert effect.per_day_low < per_day < effect.per_day_high
    true_pct = 100 * (np.exp(4 * per_day) - 1)
    assert effect.window_pct_low < true_pct < effect.window_pct_high
    assert effect.window_pct_high - effect.window_pct_low < 15  # informative, not just wide
    assert effect.n_months == len(MONTHS) - len(MONTHS.intersection(shock_months()))


def test_lunar_new_year_effect_interval_covers_in_most_simulations():
    hits = 0
    for seed in range(20):
        e = lunar_new_year_effect(simulated(0.05, seed=seed), lunar_new_year_days(MONTHS))
        hits += e.per_day_low < 0.05 < e.per_day_high
    assert hits >= 16  # nominal 95 %: allow for HAC small-sample error


def test_lunar_new_year_effect_needs_variation():
    months = pd.period_range("2019-03", "2019-12", freq="M")
    with pytest.raises(ValueError, match="does not vary"):
        lunar_new_year_effect(pd.Series(100, index=months, name="x"), lunar_new_year_days(months))


def test_log_stl_recovers_seasonal_pattern():
    values = simulated(0.0, noise=0.01)
    decomposition = log_stl(values)
    assert list(decomposition.columns) == ["observed", "trend", "seasonal", "resid", "weights"]
    profile = seasonal_profile(decomposition, {"all": ("2006-01", "2017-12")})["all"]
    # the simulated daily pattern plus the month-length effect, centred; compare shapes
    expected = SEASON + np.log(np.array([31, 28.25, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]))
    expected = 100 * (np.exp(expected - expected.mean()) - 1)
    assert np.abs(profile.to_numpy() - expected).max() < 2.0


def test_log_stl_rejects_gaps():
    values = simulated(0.0).drop(pd.Period("2010-05", "M"))
    with pytest.raises(ValueError, match="gaps"):
        log_stl(values)


def test_growth_and_annual_growth():
    months = pd.period_range("2018-01", "2019-12", freq="M")
    values = pd.Series([100] * 12 + [110] * 12, index=months, name="x")
    g = growth(values)
    assert g.loc[pd.Period("2019-03", "M"), "yoy_pct"] == pytest.approx(10.0)
    assert g.loc[pd.Period("2019-12", "M"), "rolling_12m"] == 1320
    a = annual_growth(values)
    assert a["total"].tolist() == [1200, 1320] and a.loc[2019, "growth_pct"] == pytest.approx(10.0)
    assert cagr(values, 2018, 2019) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        cagr(values, 2017, 2019)


def test_vs_base_year_and_recovery():
    months = pd.period_range("2019-01", "2020-12", freq="M")
    values = pd.Series(list(range(1, 13)) + [2 * m for m in range(1, 13)], index=months, name="x")
    assert (vs_base_year(values) == 200).all()
    r = recovery(values, "2020-06", months=6)
    assert (r["recent"], r["base"], r["pct_of_base"]) == (42, 21, 200.0)  # Jan–Jun 2020 vs Jan–Jun 2019


def test_asymmetry_quantifies_the_gap():
    months = pd.period_range("2019-01", "2024-12", freq="M")
    up = pd.Series(np.where(months.year == 2019, 400, 500), index=months, name="up")
    down = pd.Series(np.where(months.year == 2019, 200, 120), index=months, name="down")
    a = asymmetry(up, down)
    assert a.loc["tw_to_jp", "pct_of_base"] == pytest.approx(125.0)
    assert a.loc["jp_to_tw", "pct_of_base"] == pytest.approx(60.0)
    assert a.loc["jp_to_tw", "change"] == -80 * 12
    assert (a.loc["ratio", "base"], a.loc["ratio", "recent"]) == (pytest.approx(2.0), pytest.approx(500 / 120))
    assert a.attrs["end"] == "2024-12"


def test_january_february_combines_the_holiday_months():
    months = pd.period_range("2024-01", "2026-02", freq="M")
    values = pd.Series(100, index=months, name="x")
    values[pd.Period("2025-01", "M")] = 150  # LNY 2025 fell on 29 January
    values[pd.Period("2025-02", "M")] = 50
    jf = january_february(values, lunar_new_year_days(months))
    assert jf["jan_feb"].tolist() == [200, 200, 200]
    assert jf.loc[2025, "jan_yoy_pct"] == pytest.approx(50.0) and jf.loc[2025, "jan_feb_yoy_pct"] == 0
    assert jf["holiday_month"].tolist() == ["Feb", "Jan", "Feb"]


def test_share_and_mirror():
    months = pd.period_range("2019-01", "2019-12", freq="M")
    part = pd.Series(25, index=months, name="TW")
    total = pd.Series(100, index=months, name="ALL")
    assert (share(part, total) == 25).all()
    assert annual_share(part, total).to_dict() == {2019: 25.0}
    m = mirror(pd.Series(110, index=months, name="a"), pd.Series(100, index=months, name="b"))
    assert m["ratio"].iloc[0] == pytest.approx(1.1) and m["diff"].iloc[0] == 10
    assert m["diff_pct"].iloc[0] == pytest.approx(10.0)
    assert mirror_annual(m["a"], m["b"]).loc[2019, "diff"] == 120


def test_shocks_cover_the_events_named_in_the_issue():
    names = {s.name for s in SHOCKS}
    assert {"SARS", "visa waiver", "Tōhoku earthquake", "border closures", "reopening"} <= names
    assert pd.Period("2021-06", "M") in shock_months()
    covid = [s for s in SHOCKS if s.name in ("border closures", "reopening")]
    assert (covid[0].start, covid[-1].end) == SHOCK_WINDOW  # the one window forecasts and the load mask


def test_january_february_leaves_shock_years_blank():
    months = pd.period_range("2019-01", "2025-02", freq="M")
    jf = january_february(pd.Series(100, index=months, name="x"), lunar_new_year_days(months))
    # 2020-02 … 2022-12 is the shock window: growth into and out of 2020–2022 is blank, 2024 on 2023 is not
    assert jf["jan_feb_yoy_pct"].notna().tolist() == [False, False, False, False, False, True, True]


def test_profile_summary_and_first_month_back():
    profile = pd.DataFrame({"p": [-10.0, 5, 20] + [0.0] * 9}, index=pd.Index(range(1, 13), name="month_of_year"))
    row = profile_summary(profile).loc["p"]
    assert (row["peak_month"], row["low_month"], row["spread"]) == (3, 1, 30.0)
    months = pd.period_range("2022-09", "2023-02", freq="M")
    ratio = pd.Series([120.0, 50, 90, 101, 99, 130], index=months)
    assert first_month_at_or_above(ratio) == pd.Period("2022-12", "M")
    assert first_month_at_or_above(ratio, level=200) is None
