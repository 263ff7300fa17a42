"""Hours of a scenario: the busiest hour of each day, the capacity that covers a share of a year's
hours, and what a contingency surge does to them — one pass over the hours, by year and block of paths."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flows.exchange_load.assumptions import Assumptions
from flows.exchange_load.quantiles import INTERVAL, qname
from flows.exchange_load.records import PATH_BLOCK, hourly_records
from flows.exchange_load.scenarios import Scenario, surge_extra

COVERAGES = (0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0)


@dataclass(frozen=True)
class Hours:
    """From one pass over the hours of a scenario: the busiest hour of each day and path
    (``peak_hour``, dates x paths) and, per year, the records per hour not exceeded in a share
    ``coverage`` of the year's hours (``capacity``: rows (year, coverage) x paths; coverage 1 is
    the busiest hour)."""

    peak_hour: pd.DataFrame
    capacity: pd.DataFrame


def hourly_pass(s: Scenario, a: Assumptions, capacity_years=None, coverages=COVERAGES,
                days: pd.DatetimeIndex | None = None) -> Hours:
    """Split the days of ``s`` (default all, else ``days``) into hours once
    (:func:`flows.exchange_load.records.hourly_records`, by year and in blocks of paths so memory
    stays small) and keep the busiest hour per day and, for the years in ``capacity_years``
    (default all; sorting a year's hours is the slow part), the capacity at each coverage."""
    days = s.daily.index if days is None else days
    years = np.unique(days.year)
    capacity_years = set(years if capacity_years is None else capacity_years)
    peaks, capacity = [], {}
    for year in years:
        dates = days[days.year == year]
        block_peak, block_cap = [], []
        for first in range(0, s.daily.shape[1], PATH_BLOCK):
            cols = s.daily.columns[first:first + PATH_BLOCK]
            hours = hourly_records(s.daily.loc[dates, cols], a, s.extra.loc[dates, cols])
            block_peak.append(hours.max(axis=1))
            if year in capacity_years:
                flat = hours.reshape(-1, hours.shape[2])
                block_cap.append(np.quantile(flat, list(coverages), axis=0, method="inverted_cdf"))
        peaks.append(pd.DataFrame(np.hstack(block_peak), index=dates, columns=s.daily.columns))
        if block_cap:
            for coverage, row in zip(coverages, np.hstack(block_cap)):
                capacity[(int(year), coverage)] = row
    index = pd.MultiIndex.from_tuples(list(capacity), names=["year", "coverage"])
    cap = pd.DataFrame(np.array(list(capacity.values())).reshape(len(capacity), s.daily.shape[1]),
                       index=index, columns=s.daily.columns)
    return Hours(pd.concat(peaks), cap)


def peak_hour_patched(base: Scenario, base_peak: pd.DataFrame, s: Scenario, a: Assumptions) -> pd.DataFrame:
    """The busiest hour of each day and path of scenario ``s``, recomputing hours only on the days
    where ``s`` differs from ``base`` (a shock from its start, a surge in its window). ``s`` must
    hold the same paths as ``base`` or a subset of them."""
    cols = s.daily.columns
    changed = (s.total_daily != base.total_daily[cols]).any(axis=1).to_numpy()
    peak = base_peak[cols].copy()
    if changed.any():
        days = s.daily.index[changed]
        peak.loc[days] = hourly_pass(s, a, capacity_years=(), days=days).peak_hour
    return peak


def capacity_curve(hours: Hours, year: int, quantiles=(INTERVAL[0], 0.5, INTERVAL[1])) -> pd.DataFrame:
    """Records per hour a system must carry to keep up in a share ``coverage`` of ``year``'s hours
    (1 = every hour), as quantiles across paths: rows coverage, columns ``p05``, ``p50``, ``p95``."""
    if year not in hours.capacity.index.get_level_values("year"):
        raise ValueError(f"{year} is outside the scenario's years")
    per_path = hours.capacity.xs(year, level="year")
    return per_path.quantile(list(quantiles), axis=1).T.set_axis([qname(q) for q in quantiles], axis=1)


def surge_effect(base: Scenario, base_peak: pd.DataFrame, a: Assumptions, ns, ks,
                 start=None, quantiles=(INTERVAL[0], 0.5, INTERVAL[1])) -> pd.DataFrame:
    """What a contingency of ``n`` extra departures within ``k`` days from ``start`` (default
    ``surge_start``) does to the surge's year, for every n in ``ns`` and k in ``ks``: busiest day and
    hour of the year, busiest day and hour of the k surge days (``records_surge_day``/``_hour``;
    with n = 0, those days' normal traffic) and days with an hour above ``capacity_per_hour``, as
    quantiles across paths.

    Same records as :func:`flows.exchange_load.surge` (extra records spread evenly over the days and by
    ``surge_hourly_profile`` over the hours, on top of normal traffic), computed on the surge days
    only. Rows: n, k, extra per day, metric; columns: the quantiles.
    """
    start = pd.Timestamp(a.surge_start if start is None else start)
    year = start.year
    dates = base.daily.index
    in_year = dates.year == year
    base_day, base_hour = base.total_daily[in_year], base_peak[in_year]
    rows = []
    for n in ns:
        for k in ks:
            a.replace(surge_extra_departures=int(n), surge_days=int(k))  # checks both against their ranges
            extra = surge_extra(dates, int(n), int(k), start)
            window = extra.index[(extra > 0).to_numpy() & (extra.index.year == year)]
            day, hour = base_day.copy(), base_hour.copy()
            if len(window):
                more = pd.DataFrame(np.repeat(extra[window].to_numpy()[:, None], day.shape[1], axis=1),
                                    index=window, columns=day.columns)
                normal = base.daily.loc[window]
                day.loc[window] = normal + more
                hour.loc[window] = hourly_records(normal, a, more).max(axis=1)
            surge_days = pd.date_range(start, periods=int(k), freq="D")
            surge_days = surge_days[surge_days.year == year]
            metrics = {"records_peak_day": day.max(), "records_peak_hour": hour.max(),
                       "records_surge_day": day.loc[surge_days].max(), "records_surge_hour": hour.loc[surge_days].max(),
                       "days_above_capacity": (hour > a.capacity_per_hour).sum()}
            for metric, values in metrics.items():
                row = {"surge_extra_departures": int(n), "surge_days": int(k),
                       "extra_per_day": int(n) / int(k), "year": year, "metric": metric}
                row.update({qname(q): float(np.quantile(values.to_numpy(dtype=float), q)) for q in quantiles})
                rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["surge_hour_share"] = max(a.surge_hourly_profile) / sum(a.surge_hourly_profile)
    return out
