"""flows.calendar: Lunar New Year, public holidays of Taiwan and Japan, days per month."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from flows.analysis import calendar


@pytest.mark.parametrize(
    "year, expected",
    [(1996, dt.date(1996, 2, 19)), (2003, dt.date(2003, 2, 1)), (2024, dt.date(2024, 2, 10)),
     (2025, dt.date(2025, 1, 29)), (2035, dt.date(2035, 2, 8))],
)
def test_lunar_new_year_date(year, expected):
    assert calendar.lunar_new_year(year) == expected


def test_window_is_eve_through_third_day():
    window = calendar.lunar_new_year_window(2024)
    assert list(window.strftime("%Y-%m-%d")) == ["2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12"]


def test_lunar_new_year_days_has_four_days_every_year_1996_2035():
    months = pd.period_range("1996-01", "2035-12", freq="M")
    days = calendar.lunar_new_year_days(months)
    assert days.index.equals(months)
    assert (days.groupby(days.index.year).sum() == 4).all()
    assert set(days[days > 0].index.month) <= {1, 2}


def test_lunar_new_year_days_split_across_january_and_february():
    # 2003: New Year's Day 1 February, so the eve (31 January) falls in January.
    days = calendar.lunar_new_year_days(pd.period_range("2002-12", "2003-03", freq="M"))
    assert days.tolist() == [0, 1, 3, 0]


def test_days_in_month():
    months = pd.PeriodIndex(["2024-02", "2025-02", "2025-07"], freq="M")
    assert calendar.days_in_month(months).tolist() == [29, 28, 31]


def test_public_holidays_of_taiwan_and_japan():
    tw = calendar.public_holidays("TW", "2024-01-01", "2024-12-31")
    jp = calendar.public_holidays("JP", "2025-01-01", "2025-12-31")
    assert pd.Timestamp("2024-10-10") in tw.index  # National Day
    assert pd.Timestamp("2024-02-10") in tw.index  # Lunar New Year
    assert pd.Timestamp("2025-05-05") in jp.index  # Children's Day
    assert pd.Timestamp("2025-02-10") not in jp.index  # Japan has no Lunar New Year holiday
    assert tw.index.is_monotonic_increasing


def test_public_holidays_refuse_unknown_country_and_uncovered_years():
    with pytest.raises(ValueError, match="country"):
        calendar.public_holidays("KR", "2024-01-01", "2024-12-31")
    with pytest.raises(ValueError, match="TW are known from 1998"):
        calendar.public_holidays("TW", "1996-01-01", "1996-12-31")


def test_daily_calendar_flags():
    cal = calendar.daily_calendar("2024-01-01", "2024-12-31")
    assert len(cal) == 366
    day = cal.loc["2024-02-10"]
    assert day["weekday"] == 5 and day["is_weekend"] and day["is_lunar_new_year"]
    # Taiwan's 2024 Lunar New Year break ran 8-14 February; travellers leave on its first day.
    assert cal.loc["2024-02-08", "is_break_start_tw"]
    assert not cal.loc["2024-02-09", "is_break_start_tw"]
    assert cal.loc["2024-05-03", "is_break_start_jp"]  # Golden Week 3-6 May
    assert cal["is_day_off_tw"].sum() > cal["is_weekend"].sum()
    assert cal["month"].iloc[0] == pd.Period("2024-01", freq="M")
