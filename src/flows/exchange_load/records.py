"""Months → days → hours: whole records of the border information-sharing arrangement from sample paths.

The memorandum signed 2024-12-18 by the Taiwan–Japan Relations Association and the Japan–Taiwan
Exchange Association has Japan receive information on foreign nationals travelling from Taiwan to
Japan. One record = one traveller who is not a Japanese national departing Taiwan for Japan
(direction ``tw_to_jp``); the reciprocal direction ``jp_to_tw`` counts travellers who are not Taiwanese
nationals departing Japan for Taiwan.

From monthly sample paths (`flows.forecast.engine.sample_paths`: PeriodIndex of months x path columns):
  months  = round(paths x (1 + third-country share))             whole records
  days    = months split by a weekday/holiday profile            sum exactly to their month
  hours   = days split by an hourly departure profile             sum exactly to their day
Every assumption (value, unit, range, source) lives in `data/border_assumptions.yaml`; values
outside their range are refused with `AssumptionError`.

Whole records are split by cumulative rounding: part i = round(T x C_i) - round(T x C_(i-1)), where
C is the cumulative share and ends at exactly 1. The parts are whole, non-negative, within one
record of T x share, and sum exactly to T, with no sorting (fast on 1,000 paths).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.analysis.calendar import daily_calendar
from flows.exchange_load.assumptions import Assumptions
from flows.vocabulary import TW_TO_JP, Direction
from flows.vocabulary import direction as as_direction

PATH_BLOCK = 250  # paths processed together when splitting into hours (bounds memory)


def check_paths(paths: pd.DataFrame) -> None:
    """Raise ValueError unless `paths` honours the sample-path contract.

    Contract (as returned by `flows.forecast.engine.sample_paths`): a DataFrame indexed by consecutive
    months (PeriodIndex, freq M), one column per path, finite non-negative numbers.
    """
    if not isinstance(paths, pd.DataFrame) or not isinstance(paths.index, pd.PeriodIndex):
        raise ValueError("sample paths must be a DataFrame indexed by a monthly PeriodIndex")
    if paths.index.freqstr != "M" or len(paths) == 0:
        raise ValueError(f"sample paths need a non-empty monthly index (freq M), got {paths.index.freqstr!r}")
    expected = pd.period_range(paths.index[0], periods=len(paths), freq="M")
    if not paths.index.equals(expected):
        raise ValueError("sample path months must be consecutive, sorted and unique")
    values = paths.to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("sample paths must be finite and non-negative")


def monthly_records(paths: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP) -> pd.DataFrame:
    """Whole records per month and path: travellers on the paths plus third-country travellers."""
    check_paths(paths)
    d = as_direction(direction)
    share = getattr(a, f"third_country_share_{d.origin.lower()}_{d.destination.lower()}")
    records = np.rint(paths.to_numpy(dtype=float) * (1.0 + share)).astype(np.int64)
    return pd.DataFrame(records, index=paths.index.copy(), columns=paths.columns.copy())


def day_weights(months: pd.PeriodIndex, a: Assumptions, direction: Direction | str = TW_TO_JP) -> pd.DataFrame:
    """Daily profile over the months: calendar flags, a relative weight, its share of the month.

    weight = weekday weight x break-start factor (first day of >= 3 days off at the origin)
             x origin-holiday factor x destination-holiday factor x Lunar New Year factor (tw_to_jp);
    share  = weight / sum of the weights of its month (shares of a month sum to 1).
    Holidays from the `holidays` package, breaks and Lunar New Year from `flows.analysis.calendar`.
    """
    d = as_direction(direction)
    origin, destination = d.origin.lower(), d.destination.lower()
    months = pd.PeriodIndex(months, freq="M")
    cal = daily_calendar(months[0].start_time, months[-1].end_time.normalize())
    weight = np.asarray(a.weekday_weights, dtype=float)[cal["weekday"].to_numpy()]
    weight = weight * np.where(cal[f"is_break_start_{origin}"], a.break_start_multiplier, 1.0)
    weight = weight * np.where(cal[f"is_holiday_{origin}"], a.origin_holiday_multiplier, 1.0)
    weight = weight * np.where(cal[f"is_holiday_{destination}"], a.destination_holiday_multiplier, 1.0)
    if d == TW_TO_JP:
        weight = weight * np.where(cal["is_lunar_new_year"], a.lunar_new_year_multiplier, 1.0)
    cal["weight"] = weight
    cal["share"] = weight / cal.groupby("month")["weight"].transform("sum").to_numpy()
    return cal


def _cumulative_shares(weights: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Cumulative share of each part within its group (groups contiguous), ending at exactly 1."""
    cum = pd.Series(weights).groupby(group).cumsum().to_numpy() / np.bincount(group, weights)[group]
    cum[np.r_[group[1:] != group[:-1], True]] = 1.0
    return cum


def split_exactly(totals: np.ndarray, cum_shares: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Split whole totals (groups x paths) into whole parts (parts x paths) that sum exactly.

    `group[i]` is the row of `totals` that part i belongs to (contiguous runs); `cum_shares[i]` is
    its cumulative share within the group (1 on the group's last part). Cumulative rounding.
    """
    upto = np.rint(totals[group] * cum_shares[:, None])
    before = np.empty_like(upto)
    before[0] = 0
    before[1:] = upto[:-1]
    before[np.r_[True, group[1:] != group[:-1]]] = 0
    return (upto - before).astype(np.int64)


def daily_records(monthly: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP,
                  profile: pd.DataFrame | None = None) -> pd.DataFrame:
    """Whole records per day and path from whole records per month (`monthly_records`); each
    month's days sum exactly to the month. ``profile``: the days of exactly these months from
    :func:`day_weights` computed over a longer span (default: over these months; breaks are found
    within the span, so a part of a longer run uses the whole run's profile to give its numbers)."""
    values = monthly.to_numpy(dtype=float)
    if not np.array_equal(values, np.rint(values)):
        raise ValueError("monthly records must be whole numbers: pass the output of monthly_records")
    if profile is None:
        profile = day_weights(monthly.index, a, direction)
    elif not pd.PeriodIndex(profile["month"]).unique().equals(monthly.index):
        raise ValueError("the day profile must cover exactly the months of the monthly records")
    group = monthly.index.get_indexer(pd.PeriodIndex(profile["month"]))
    cum = _cumulative_shares(profile["weight"].to_numpy(), group)
    days = split_exactly(monthly.to_numpy(dtype=np.int64), cum, group)
    return pd.DataFrame(days, index=profile.index, columns=monthly.columns.copy())


def _hour_split(days: np.ndarray, percent: list[float]) -> np.ndarray:
    """Whole records per hour, shape (days, 24, paths), each day's hours summing to the day
    (cumulative rounding, as `split_exactly`, with the 24 hours broadcast over days and paths)."""
    hourly_cum = np.cumsum(np.asarray(percent, dtype=float))
    hourly_cum = hourly_cum / hourly_cum[-1]
    hourly_cum[-1] = 1.0
    upto = np.rint(days[:, None, :] * hourly_cum[None, :, None])
    return np.diff(upto, axis=1, prepend=0.0).astype(np.int64)


def hourly_records(daily: pd.DataFrame, a: Assumptions, extra: pd.DataFrame | None = None) -> np.ndarray:
    """Whole records per hour, array (days, 24, paths): normal traffic by `hourly_profile`, plus any
    contingency `extra` (same shape as `daily`) by `surge_hourly_profile`. Keep `daily` short
    (a year at most): 1,000 paths x 366 days x 24 hours is 70 MB."""
    hours = _hour_split(daily.to_numpy(dtype=np.int64), a.hourly_profile)
    if extra is not None and extra.to_numpy().any():
        hours = hours + _hour_split(extra.to_numpy(dtype=np.int64), a.surge_hourly_profile)
    return hours
