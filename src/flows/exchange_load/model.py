"""Load on the Taiwan–Japan border information-sharing arrangement (issue 5).

The memorandum signed 2024-12-18 by the Taiwan–Japan Relations Association and the Japan–Taiwan
Exchange Association has Japan receive information on foreign nationals travelling from Taiwan to
Japan. One record = one traveller who is not a Japanese national departing Taiwan for Japan
(direction "TW->JP"); the reciprocal direction "JP->TW" counts travellers who are not Taiwanese
nationals departing Japan for Taiwan.

From monthly sample paths (`flows.forecast.sample_paths`: PeriodIndex of months x path columns):
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

import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from flows.analysis.calendar import daily_calendar

DIRECTIONS = {"TW->JP": ("tw", "jp"), "JP->TW": ("jp", "tw")}  # direction -> (origin, destination)
QUANTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
STAT_COLUMNS = ["mean", *QUANTILES]
CAPACITY_COVERAGE = 0.99  # capacity = records per hour not exceeded in 99 % of a year's hours
PATH_BLOCK = 250  # paths processed together when splitting into hours (bounds memory)


# --- assumptions ----------------------------------------------------------------------------


class AssumptionError(ValueError):
    """An assumption outside its documented range, of the wrong shape, or unknown."""


@dataclass(frozen=True)
class Assumption:
    """One documented assumption: value, unit, allowed range [min, max], source or reasoning."""

    name: str
    value: Any
    unit: str
    range: tuple
    source: str

    def check(self) -> None:
        """Raise AssumptionError unless every element of the value lies inside the range."""
        low, high = self.range
        for item in np.atleast_1d(np.asarray(self.value, dtype=object)):
            if not _within(item, low, high):
                raise AssumptionError(
                    f"assumption {self.name!r} = {self.value!r} is outside its allowed range "
                    f"[{low}, {high}] ({self.unit})"
                )


def _within(item, low, high) -> bool:
    if isinstance(low, str):  # months "YYYY-MM" or dates "YYYY-MM-DD": ISO text orders like time
        text = str(item)
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text) or len(text) != len(low):
            return False
        try:
            pd.Timestamp(text)
        except ValueError:
            return False
        return low <= text <= high
    try:
        return bool(low <= float(item) <= high)
    except (TypeError, ValueError):
        return False


PROFILE_LENGTHS = {"weekday_weights": 7, "hourly_profile": 24, "surge_hourly_profile": 24}
PERCENT_PROFILES = ("hourly_profile", "surge_hourly_profile")
REQUIRED = (
    "third_country_share_tw_jp", "third_country_share_jp_tw", "weekday_weights", "break_start_multiplier",
    "origin_holiday_multiplier", "destination_holiday_multiplier", "lunar_new_year_multiplier",
    "hourly_profile", "surge_hourly_profile", "high_growth_quantile", "shock_start", "shock_floor",
    "shock_months_at_floor", "shock_recovery_months", "surge_extra_departures", "surge_days",
    "surge_start", "capacity_per_hour",
)
FIELDS = ("value", "unit", "range", "source")
WHOLE_NUMBERS = ("shock_months_at_floor", "shock_recovery_months", "surge_extra_departures", "surge_days")


class Assumptions:
    """All assumptions of the model, read from YAML; attribute access gives the value (`a.surge_days`)."""

    def __init__(self, entries: dict[str, Assumption]):
        missing = sorted(set(REQUIRED) - set(entries))
        if missing:
            raise AssumptionError(f"missing assumption(s) {missing}")
        self._entries = dict(entries)
        for entry in self._entries.values():
            entry.check()
        self._check_shapes()

    def _check_shapes(self) -> None:
        for name, length in PROFILE_LENGTHS.items():
            value = self._entries[name].value
            if np.ndim(value) != 1 or len(value) != length:
                raise AssumptionError(f"assumption {name!r} needs a list of {length} values, got {value!r}")
        for name in WHOLE_NUMBERS:
            value = self._entries[name].value
            if float(value) != int(value):
                raise AssumptionError(f"assumption {name!r} = {value!r} must be a whole number")
        for name in PERCENT_PROFILES:
            total = float(np.sum(self._entries[name].value))
            if abs(total - 100) > 0.5:
                raise AssumptionError(f"assumption {name!r} must sum to 100 (percent), sums to {total:g}")

    def __getattr__(self, name: str):
        entries = self.__dict__.get("_entries", {})
        if name not in entries:
            raise AttributeError(name)
        return entries[name].value

    def __iter__(self):
        return iter(self._entries.values())

    def replace(self, **overrides) -> Assumptions:
        """A copy with some values changed; unknown names and out-of-range values are refused."""
        unknown = sorted(set(overrides) - set(self._entries))
        if unknown:
            raise AssumptionError(f"unknown assumption(s) {unknown}; known: {sorted(self._entries)}")
        entries = {k: replace(e, value=overrides.get(k, e.value)) for k, e in self._entries.items()}
        return Assumptions(entries)

    def table(self) -> pd.DataFrame:
        """One row per assumption (name, value, unit, min, max, source), for display in a notebook."""
        rows = [(e.name, e.value, e.unit, e.range[0], e.range[1], e.source) for e in self]
        return pd.DataFrame(rows, columns=["name", "value", "unit", "min", "max", "source"])


def load_assumptions(path: str | Path | None = None, **overrides) -> Assumptions:
    """Read the assumptions (default: the package's `data/border_assumptions.yaml`), apply overrides."""
    if path is None:
        text = resources.files("flows").joinpath("data/border_assumptions.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    for name, spec in raw.items():
        lacking = [f for f in FIELDS if f not in (spec or {})]
        if lacking:
            raise AssumptionError(f"assumption {name!r} lacks {lacking}: each needs {list(FIELDS)}")
    entries = {
        name: Assumption(name, spec["value"], spec["unit"], tuple(spec["range"]), spec["source"])
        for name, spec in raw.items()
    }
    return Assumptions(entries).replace(**overrides)


# --- inputs ---------------------------------------------------------------------------------


def check_paths(paths: pd.DataFrame) -> None:
    """Raise ValueError unless `paths` honours the sample-path contract.

    Contract (as returned by `flows.forecast.sample_paths`): a DataFrame indexed by consecutive
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


def _check_direction(direction: str) -> tuple[str, str]:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {sorted(DIRECTIONS)}, got {direction!r}")
    return DIRECTIONS[direction]


# --- months -> days -> hours ----------------------------------------------------------------


def monthly_records(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> pd.DataFrame:
    """Whole records per month and path: travellers on the paths plus third-country travellers."""
    check_paths(paths)
    origin, destination = _check_direction(direction)
    share = getattr(a, f"third_country_share_{origin}_{destination}")
    records = np.rint(paths.to_numpy(dtype=float) * (1.0 + share)).astype(np.int64)
    return pd.DataFrame(records, index=paths.index.copy(), columns=paths.columns.copy())


def day_weights(months: pd.PeriodIndex, a: Assumptions, direction: str = "TW->JP") -> pd.DataFrame:
    """Daily profile over the months: calendar flags, a relative weight, its share of the month.

    weight = weekday weight x break-start factor (first day of >= 3 days off at the origin)
             x origin-holiday factor x destination-holiday factor x Lunar New Year factor (TW->JP);
    share  = weight / sum of the weights of its month (shares of a month sum to 1).
    Holidays from the `holidays` package, breaks and Lunar New Year from `flows.calendar`.
    """
    origin, destination = _check_direction(direction)
    months = pd.PeriodIndex(months, freq="M")
    cal = daily_calendar(months[0].start_time, months[-1].end_time.normalize())
    weight = np.asarray(a.weekday_weights, dtype=float)[cal["weekday"].to_numpy()]
    weight = weight * np.where(cal[f"is_break_start_{origin}"], a.break_start_multiplier, 1.0)
    weight = weight * np.where(cal[f"is_holiday_{origin}"], a.origin_holiday_multiplier, 1.0)
    weight = weight * np.where(cal[f"is_holiday_{destination}"], a.destination_holiday_multiplier, 1.0)
    if direction == "TW->JP":
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


def daily_records(monthly: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> pd.DataFrame:
    """Whole records per day and path from whole records per month (`monthly_records`); each
    month's days sum exactly to the month."""
    values = monthly.to_numpy(dtype=float)
    if not np.array_equal(values, np.rint(values)):
        raise ValueError("monthly records must be whole numbers: pass the output of monthly_records")
    profile = day_weights(monthly.index, a, direction)
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


# --- scenarios ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """Records of one scenario: whole records per month and per day (dates x paths), and the
    contingency's extra records per day (`extra`, zero outside a surge) kept apart because they
    follow their own hourly profile."""

    name: str
    direction: str
    monthly: pd.DataFrame
    daily: pd.DataFrame
    extra: pd.DataFrame

    @property
    def total_daily(self) -> pd.DataFrame:
        """Normal plus extra records per day."""
        return self.daily + self.extra


def _scenario(name: str, paths: pd.DataFrame, a: Assumptions, direction: str) -> Scenario:
    monthly = monthly_records(paths, a, direction)
    daily = daily_records(monthly, a, direction)
    return Scenario(name, direction, monthly, daily, daily * 0)


def baseline(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> Scenario:
    """Every forecast path as it is."""
    return _scenario("baseline", paths, a, direction)


def high_growth(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> Scenario:
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


def shock(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> Scenario:
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


def surge(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP", n: int | None = None,
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


def run_scenarios(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> dict[str, Scenario]:
    """The four scenarios with the assumptions as they are: baseline, high growth, shock, surge."""
    return {s.name: s for s in (baseline(paths, a, direction), high_growth(paths, a, direction),
                                shock(paths, a, direction), surge(paths, a, direction))}


# --- hours, peaks and capacity ----------------------------------------------------------------


def hourly_metrics(s: Scenario, a: Assumptions, days: pd.DatetimeIndex | None = None,
                   capacity: bool = False) -> dict[str, pd.DataFrame]:
    """Per day and path: the busiest hour's records ("peak_hour"); with `capacity`, per year and
    path: the records per hour not exceeded in 99 % of the year's hours ("capacity_99"). Over
    `days` (default all), in blocks of years and paths so memory stays small."""
    days = s.daily.index if days is None else days
    peak, yearly = [], []
    for year, dates in pd.Series(days, index=days).groupby(days.year):
        block_peak, block_cap = [], []
        for first in range(0, s.daily.shape[1], PATH_BLOCK):
            cols = s.daily.columns[first:first + PATH_BLOCK]
            hours = hourly_records(s.daily.loc[dates.index, cols], a, s.extra.loc[dates.index, cols])
            block_peak.append(hours.max(axis=1))
            if capacity:
                flat = hours.reshape(-1, hours.shape[2])
                block_cap.append(np.quantile(flat, CAPACITY_COVERAGE, axis=0, method="inverted_cdf"))
        peak.append(pd.DataFrame(np.hstack(block_peak), index=dates.index, columns=s.daily.columns))
        if capacity:
            yearly.append(pd.Series(np.concatenate(block_cap), index=s.daily.columns, name=year))
    result = {"peak_hour": pd.concat(peak)}
    if capacity:
        result["capacity_99"] = pd.DataFrame(yearly)
    return result


def _stats(values: np.ndarray) -> np.ndarray:
    """mean, p50, p95, p99 across paths (last axis) for each row."""
    values = np.asarray(values, dtype=float)
    return np.column_stack([values.mean(axis=-1), *np.quantile(values, list(QUANTILES.values()), axis=-1)])


def _tidy(s: Scenario, key: str, index, metrics: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long frame: scenario, direction, <key>, metric, mean, p50, p95, p99 (one row per key and metric)."""
    parts = []
    for metric, values in metrics.items():
        part = pd.DataFrame(_stats(values), columns=STAT_COLUMNS)
        part.insert(0, "metric", metric)
        part.insert(0, key, list(index))
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "direction", s.direction)
    frame.insert(0, "scenario", s.name)
    return frame


def summarise_days(s: Scenario) -> pd.DataFrame:
    """Records per day (normal + extra): mean, p50, p95, p99 across paths, one row per date."""
    return _tidy(s, "date", s.daily.index, {"records": s.total_daily.to_numpy()})


def summarise_months(s: Scenario) -> pd.DataFrame:
    """Per month: total records and the busiest day's records, stats across paths. `month` is the
    month's first day (a Timestamp, so plotly draws a time axis)."""
    total = s.total_daily
    by_month = total.groupby(total.index.to_period("M"))
    return _tidy(s, "month", by_month.sum().index.to_timestamp(),
                 {"records": by_month.sum().to_numpy(), "records_peak_day": by_month.max().to_numpy()})


def summarise_years(s: Scenario, a: Assumptions) -> pd.DataFrame:
    """Per year, stats across paths of: total records; mean, ordinary (median) and peak day; peak
    hour; capacity covering 99 % of hours; days with an hour above `capacity_per_hour`."""
    total = s.total_daily
    hourly = hourly_metrics(s, a, capacity=True)
    by_year = total.groupby(total.index.year)
    peak_hour = hourly["peak_hour"].groupby(total.index.year)
    metrics = {
        "records": by_year.sum(),
        "records_mean_day": by_year.mean(),
        "records_ordinary_day": by_year.median(),
        "records_peak_day": by_year.max(),
        "records_peak_hour": peak_hour.max(),
        "capacity_99pct_hours": hourly["capacity_99"],
        "days_above_capacity": (hourly["peak_hour"] > a.capacity_per_hour).groupby(total.index.year).sum(),
    }
    return _tidy(s, "year", by_year.sum().index, {k: v.to_numpy() for k, v in metrics.items()})


def peak_summary(s: Scenario, a: Assumptions, peak_hour: pd.DataFrame | None = None) -> pd.DataFrame:
    """Over the whole horizon, stats across paths of: peak day, peak hour, days with an hour above
    `capacity_per_hour` (pass `peak_hour` from `hourly_metrics` to skip recomputing it)."""
    peak_hour = hourly_metrics(s, a)["peak_hour"] if peak_hour is None else peak_hour
    metrics = {
        "records_peak_day": s.total_daily.max().to_numpy()[None, :],
        "records_peak_hour": peak_hour.max().to_numpy()[None, :],
        "days_above_capacity": (peak_hour > a.capacity_per_hour).sum().to_numpy()[None, :],
    }
    frame = _tidy(s, "capacity_per_hour", [a.capacity_per_hour], metrics)
    return frame


def compare_scenarios(paths: pd.DataFrame, a: Assumptions, direction: str = "TW->JP") -> pd.DataFrame:
    """Peak day, peak hour and days above capacity for each scenario, one tidy frame."""
    return pd.concat([peak_summary(s, a) for s in run_scenarios(paths, a, direction).values()],
                     ignore_index=True)


def surge_grid(paths: pd.DataFrame, a: Assumptions, ns, ks, direction: str = "TW->JP") -> pd.DataFrame:
    """Peak load and days above capacity for contingency surges of every n in `ns` within every k
    in `ks` (from `surge_start`). Baseline days and hours are computed once; only surge days are redone."""
    base = baseline(paths, a, direction)
    base_peak = hourly_metrics(base, a)["peak_hour"]
    frames = []
    for n in ns:
        for k in ks:
            s = surge(paths, a, direction, n=int(n), k=int(k), base=base)
            window = s.daily.index[(s.extra > 0).any(axis=1).to_numpy()]
            peak = base_peak.copy()
            if len(window):
                peak.loc[window] = hourly_metrics(s, a, days=window)["peak_hour"]
            frame = peak_summary(s, a, peak_hour=peak)
            frame.insert(2, "surge_days", int(k))
            frame.insert(2, "surge_extra_departures", int(n))
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)
