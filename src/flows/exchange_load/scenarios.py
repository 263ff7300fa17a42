"""Scenarios of the load: baseline, high growth, a 2020-like shock and recovery, a contingency surge.

Each turns monthly sample paths into a :class:`Scenario` (records per month and per day, with a
surge's extra records kept apart because they follow their own hourly profile).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from flows.exchange_load.assumptions import Assumptions
from flows.exchange_load.records import check_paths, daily_records, monthly_records, split_exactly
from flows.vocabulary import TW_TO_JP, Direction
from flows.vocabulary import direction as as_direction


@dataclass(frozen=True)
class Scenario:
    """Records of one scenario: whole records per month and per day (dates x paths), and the
    contingency's extra records per day (`extra`, zero outside a surge) kept apart because they
    follow their own hourly profile."""

    name: str
    direction: Direction
    monthly: pd.DataFrame
    daily: pd.DataFrame
    extra: pd.DataFrame

    @property
    def total_daily(self) -> pd.DataFrame:
        """Normal plus extra records per day."""
        return self.daily + self.extra


def _scenario(name: str, paths: pd.DataFrame, a: Assumptions, direction: Direction | str) -> Scenario:
    direction = as_direction(direction)
    monthly = monthly_records(paths, a, direction)
    daily = daily_records(monthly, a, direction)
    return Scenario(name, direction, monthly, daily, daily * 0)


def baseline(paths: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP) -> Scenario:
    """Every forecast path as it is."""
    return _scenario("baseline", paths, a, direction)


def high_growth(paths: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP) -> Scenario:
    """The upper forecast paths: those whose total over the horizon is at or above the
    `high_growth_quantile` of all paths' totals."""
    check_paths(paths)
    totals = paths.sum()
    upper = paths.loc[:, totals >= totals.quantile(a.high_growth_quantile)]
    return _scenario("high growth", upper, a, direction)


def shock_factor(months: pd.PeriodIndex, a: Assumptions) -> pd.Series:
    """Share of baseline traffic left in each month in a 2020-like shock: 1 before `shock_start`,
    `shock_floor` for `shock_months_at_floor` months, then a straight line back to 1 over
    `shock_recovery_months` months."""
    months = pd.PeriodIndex(months, freq="M")
    start = pd.Period(a.shock_start, freq="M")
    since = np.asarray((months.year - start.year) * 12 + (months.month - start.month))
    recovering = (since - a.shock_months_at_floor + 1) / a.shock_recovery_months
    factor = np.where(since < a.shock_months_at_floor, a.shock_floor,
                      a.shock_floor + (1 - a.shock_floor) * np.clip(recovering, 0, 1))
    return pd.Series(np.where(since < 0, 1.0, factor), index=months, name="shock_factor")


def shock(paths: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP) -> Scenario:
    """Every path scaled by `shock_factor`: a collapse like 2020, then recovery to the path."""
    check_paths(paths)
    scaled = paths.mul(shock_factor(paths.index, a), axis=0)
    return _scenario("shock and recovery", scaled, a, direction)


def surge_extra(dates: pd.DatetimeIndex, n: int, k: int, start) -> pd.Series:
    """Extra whole records per date: `n` spread evenly over `k` days from `start`, summing to n."""
    window = pd.date_range(pd.Timestamp(start), periods=k, freq="D")
    if not window.isin(dates).all():
        raise ValueError(
            f"surge of {k} days from {window[0].date()} falls outside {dates[0].date()}..{dates[-1].date()}"
        )
    per_day = split_exactly(np.array([[n]]), np.arange(1, k + 1) / k, np.zeros(k, dtype=int))[:, 0]
    return pd.Series(per_day, index=window).reindex(dates, fill_value=0)


def surge(paths: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP, n: int | None = None,
          k: int | None = None, start=None, base: Scenario | None = None) -> Scenario:
    """Normal traffic plus a contingency: `n` extra departures within `k` days from `start`
    (defaults: surge_extra_departures, surge_days, surge_start; all checked against their ranges).
    `base`: the baseline of the same paths and direction, when already computed (saves redoing it)."""
    a = a.replace(**{name: value for name, value in
                     {"surge_extra_departures": n, "surge_days": k, "surge_start": start}.items()
                     if value is not None})
    base = baseline(paths, a, direction) if base is None else base
    extra = surge_extra(base.daily.index, int(a.surge_extra_departures), int(a.surge_days), a.surge_start)
    extra_frame = pd.DataFrame(np.repeat(extra.to_numpy()[:, None], base.daily.shape[1], axis=1),
                               index=base.daily.index, columns=base.daily.columns)
    return replace(base, name="contingency surge", extra=extra_frame)
