"""Calendar facts the models need: Lunar New Year, public holidays in Taiwan and Japan, days per month.

No data files. Lunar New Year comes from `lunardate` (the Chinese lunisolar calendar, 1900–2099);
public holidays come from the `holidays` package (statutory rules plus the substitute days off
announced so far; later years carry the statutory rules only).

Lunar New Year window used as a regressor (`lunar_new_year_days`): New Year's Eve through the
3rd day of the first lunar month, 4 days. Why this and not Taiwan's official holiday block: these
4 days have been statutory holidays in Taiwan in every year from 1996 to 2035, so the regressor means
the same thing in the past and in the forecast. The official block is longer in some years (weekends,
bridging days announced by the DGPA a year ahead, the day before New Year's Eve added from 2026), is
unknown for far forecast years, and `holidays.Taiwan` does not cover years before 1998.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
from lunardate import LunarDate

COUNTRIES = ("TW", "JP")
LUNAR_NEW_YEAR_WINDOW = (-1, 2)  # days relative to the 1st day of the 1st lunar month: eve .. 3rd day
MIN_BREAK_DAYS = 3  # a "break" is a run of at least this many consecutive days off


def lunar_new_year(year: int) -> dt.date:
    """Gregorian date of the 1st day of the 1st lunar month (Lunar New Year's Day) in `year`."""
    return LunarDate(year, 1, 1).to_solar_date()


def lunar_new_year_window(year: int) -> pd.DatetimeIndex:
    """The 4 days New Year's Eve .. 3rd day of the first lunar month of the lunar year starting in `year`."""
    first = pd.Timestamp(lunar_new_year(year))
    start, end = LUNAR_NEW_YEAR_WINDOW
    return pd.date_range(first + pd.Timedelta(days=start), first + pd.Timedelta(days=end), freq="D")


def lunar_new_year_dates(start, end) -> pd.DatetimeIndex:
    """All dates between `start` and `end` (inclusive) inside a Lunar New Year window."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    windows = [lunar_new_year_window(y) for y in range(start.year, end.year + 1)]
    dates = windows[0].append(windows[1:]) if len(windows) > 1 else windows[0]
    return dates[(dates >= start) & (dates <= end)]


def lunar_new_year_days(months: pd.PeriodIndex) -> pd.Series:
    """Number of Lunar New Year window days (eve .. 3rd day, see module doc) falling in each month.

    Used as a regressor by the trend and forecast models: travel from Taiwan jumps in the month that
    holds the holiday, which moves between January and February.
    """
    months = pd.PeriodIndex(months, freq="M")
    dates = lunar_new_year_dates(months.min().start_time, months.max().end_time)
    counts = pd.Series(1, index=dates.to_period("M")).groupby(level=0).sum()
    values = counts.reindex(months, fill_value=0).to_numpy()
    return pd.Series(values, index=months, name="lunar_new_year_days", dtype="int64")


def days_in_month(months: pd.PeriodIndex) -> pd.Series:
    """Number of calendar days in each month."""
    months = pd.PeriodIndex(months, freq="M")
    return pd.Series(months.days_in_month, index=months, name="days_in_month", dtype="int64")


def _holiday_calendar(country: str):
    if country not in COUNTRIES:
        raise ValueError(f"country must be one of {COUNTRIES}, got {country!r}")
    return holidays.Taiwan if country == "TW" else holidays.Japan


def public_holidays(country: str, start, end) -> pd.Series:
    """Public holidays (and announced substitute days off) of `country` ("TW" or "JP") in [start, end].

    Returns a Series of holiday names indexed by date, sorted. Raises ValueError when the range
    starts before the first year the `holidays` package covers for that country (TW: 1998).
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    cls = _holiday_calendar(country)
    first_year = getattr(cls, "start_year", start.year)
    if start.year < first_year:
        raise ValueError(
            f"public holidays for {country} are known from {first_year}; asked from {start.date()}"
        )
    table = cls(years=range(start.year, end.year + 1))
    series = pd.Series(dict(table), dtype="object")
    series.index = pd.DatetimeIndex(series.index)
    series = series.sort_index()
    return series[(series.index >= start) & (series.index <= end)].rename(f"holiday_{country.lower()}")


def _break_starts(is_day_off: np.ndarray) -> np.ndarray:
    """True on the first day of each run of at least MIN_BREAK_DAYS consecutive days off."""
    padded = np.concatenate([[False], is_day_off, [False]]).astype(int)
    edges = np.diff(padded)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    flags = np.zeros(len(is_day_off), dtype=bool)
    flags[starts[(ends - starts) >= MIN_BREAK_DAYS]] = True
    return flags


def daily_calendar(start, end) -> pd.DataFrame:
    """One row per date in [start, end]: weekday and holiday flags for Taiwan and Japan.

    Columns: month (Period), weekday (0 = Monday), is_weekend, is_holiday_tw, is_holiday_jp,
    is_day_off_tw / _jp (weekend or public holiday), is_break_start_tw / _jp (first day of a run of
    at least 3 days off, when many travellers leave), is_lunar_new_year (eve .. 3rd day).
    Runs of days off are found within [start, end] only, so a break crossing the edge counts from it.
    """
    dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D", name="date")
    weekday = dates.day_of_week.to_numpy().astype("int64")
    frame = pd.DataFrame(
        {"month": dates.to_period("M"), "weekday": weekday, "is_weekend": weekday >= 5}, index=dates
    )
    for country in COUNTRIES:
        code = country.lower()
        frame[f"is_holiday_{code}"] = dates.isin(public_holidays(country, dates[0], dates[-1]).index)
        frame[f"is_day_off_{code}"] = frame["is_weekend"] | frame[f"is_holiday_{code}"]
        frame[f"is_break_start_{code}"] = _break_starts(frame[f"is_day_off_{code}"].to_numpy())
    frame["is_lunar_new_year"] = dates.isin(lunar_new_year_dates(dates[0], dates[-1]))
    return frame
