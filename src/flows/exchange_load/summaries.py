"""Per-path figures of a scenario and their intervals across paths: per year, per month, per day.

The one summary API of the load: :func:`yearly_per_path` then :func:`intervals` (quantiles across
paths, lower ones too); :func:`monthly_quantiles` for the fan chart; the busiest days and the
checks of the made-up peak defaults. Everything here computes; nothing draws (charts:
:mod:`flows.viz.exchange_load`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.exchange_load.assumptions import Assumptions
from flows.exchange_load.hours import Hours
from flows.exchange_load.quantiles import INTERVAL, QUANTILES, qname  # noqa: F401 (the summary API's names)
from flows.exchange_load.records import day_weights
from flows.exchange_load.scenarios import Scenario
from flows.vocabulary import TW_TO_JP, Direction
from flows.vocabulary import direction as as_direction

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def yearly_per_path(s: Scenario, peak_hour: pd.DataFrame, hours: Hours | None = None) -> dict[str, pd.DataFrame]:
    """Per year (rows) and path (columns): records in the year, on an ordinary day (the year's
    median day), on the busiest day, in the busiest hour (``peak_hour``: dates x paths, from
    :func:`hourly_pass` or :func:`peak_hour_patched`) and, given ``hours``, the capacity that
    covers 99 % of the year's hours."""
    total = s.total_daily
    by_year = total.groupby(total.index.year)
    out = {
        "records": by_year.sum(),
        "records_ordinary_day": by_year.median(),
        "records_peak_day": by_year.max(),
        "records_peak_hour": peak_hour.groupby(peak_hour.index.year).max(),
    }
    if hours is not None:
        capacity = hours.capacity.xs(0.99, level="coverage")[total.columns]
        out["capacity_99pct_hours"] = capacity.reindex(out["records"].index)
    return out


def intervals(per_path: dict[str, pd.DataFrame], quantiles=QUANTILES) -> pd.DataFrame:
    """Quantiles across paths of each metric: rows (metric, year), columns ``p05`` … ``p95``."""
    frames = {name: frame.quantile(list(quantiles), axis=1).T.set_axis([qname(q) for q in quantiles], axis=1)
              for name, frame in per_path.items()}
    out = pd.concat(frames, names=["metric"])
    out.index = out.index.set_names(["metric", "year"])
    return out


def monthly_quantiles(s: Scenario, quantiles=QUANTILES) -> dict[str, pd.DataFrame]:
    """Per month, quantiles across paths of the average day (``mean_day``: records / days of the
    month) and of the busiest day (``peak_day``); index = the month's first day."""
    total = s.total_daily
    by_month = total.groupby(total.index.to_period("M"))
    days = by_month.size().to_numpy()[:, None]
    out = {}
    for name, frame in {"mean_day": by_month.sum() / days, "peak_day": by_month.max()}.items():
        q = frame.quantile(list(quantiles), axis=1).T.set_axis([qname(x) for x in quantiles], axis=1)
        q.index = q.index.to_timestamp()
        out[name] = q
    return out


def day_reasons(profile: pd.DataFrame, direction: Direction | str = TW_TO_JP) -> pd.Series:
    """Why a day is heavy, in words, from :func:`flows.exchange_load.records.day_weights` flags."""
    d = as_direction(direction)
    origin, destination = d.origin.lower(), d.destination.lower()
    parts = {
        "Lunar New Year": profile["is_lunar_new_year"] if d == TW_TO_JP else False,
        f"start of a break ({origin.upper()})": profile[f"is_break_start_{origin}"],
        f"holiday ({origin.upper()})": profile[f"is_holiday_{origin}"],
        f"holiday ({destination.upper()})": profile[f"is_holiday_{destination}"],
    }
    words = pd.Series("", index=profile.index)
    for label, flag in parts.items():
        flag = pd.Series(flag, index=profile.index).astype(bool)
        words = words.where(~flag, words + np.where(words == "", "", ", ") + label)
    return words.replace("", "weekday pattern only").rename("why")


def day_table(s: Scenario, a: Assumptions) -> pd.DataFrame:
    """One row per date: records p05 / p50 / p95 across paths, ``vs_ordinary`` (the median path's
    day over the median path's ordinary day of that year), weekday and why the day is heavy."""
    total = s.total_daily
    q = total.quantile([INTERVAL[0], 0.5, INTERVAL[1]], axis=1).T
    q.columns = [qname(INTERVAL[0]), "p50", qname(INTERVAL[1])]
    q["vs_ordinary"] = q["p50"] / q["p50"].groupby(q.index.year).transform("median")
    q["weekday"] = [WEEKDAYS[d] for d in q.index.day_of_week]
    profile = day_weights(pd.period_range(total.index[0], total.index[-1], freq="M"), a, s.direction)
    q["why"] = day_reasons(profile.loc[q.index], s.direction)
    return q.rename_axis("date")


def busiest_days(days: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` busiest days of each year on the median path (``days``: :func:`day_table`), ties
    broken by date: year, date, weekday, records p05 / p50 / p95, ratio to the ordinary day, why."""
    frame = days.reset_index()
    frame.insert(0, "year", frame["date"].dt.year)
    frame = frame.sort_values(["year", "p50", "date"], ascending=[True, False, True], kind="mergesort")
    return frame.groupby("year", sort=True).head(n).reset_index(drop=True)


def monthly_peaking(observed: pd.Series, years) -> pd.DataFrame:
    """Seen in the data: for each complete year, the busiest month's average day against the
    median month's average day (monthly seasonality, the part of the peak-day ratio the monthly
    statistics can show)."""
    rows = {}
    for year in years:
        months = observed[observed.index.year == year]
        if len(months) != 12 or months.isna().any():
            continue
        per_day = months / months.index.days_in_month
        rows[year] = {"busiest month": str(per_day.idxmax()), "busiest month per day": per_day.max(),
                      "median month per day": per_day.median(), "ratio": per_day.max() / per_day.median()}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")


def peak_ratios(s: Scenario, per_path: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per year, medians across paths of: busiest day / ordinary day, split into its monthly part
    (average day of the busiest day's month / ordinary day) and its within-month part (busiest
    day / average day of its month, from the weekday and holiday factors), and the busiest hour
    over the ordinary and the busiest day."""
    total = s.total_daily
    month_mean = total.groupby(total.index.to_period("M")).transform("mean").to_numpy()
    values = total.to_numpy()
    rows = {}
    for year in np.unique(total.index.year):
        rows_of_year = np.flatnonzero(total.index.year == year)
        at_peak = rows_of_year[values[rows_of_year].argmax(axis=0)]
        peak_month_mean = month_mean[at_peak, np.arange(values.shape[1])]
        ordinary = per_path["records_ordinary_day"].loc[year].to_numpy(dtype=float)
        peak = per_path["records_peak_day"].loc[year].to_numpy(dtype=float)
        hour = per_path["records_peak_hour"].loc[year].to_numpy(dtype=float)
        rows[int(year)] = {"peak day / ordinary day": np.median(peak / ordinary),
                           "monthly part": np.median(peak_month_mean / ordinary),
                           "within-month part": np.median(peak / peak_month_mean),
                           "peak hour / ordinary day": np.median(hour / ordinary),
                           "peak hour / peak day": np.median(hour / peak)}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("year")


def days_above(peak_hour: pd.DataFrame, capacity_per_hour: float) -> pd.DataFrame:
    """Per year and path: days whose busiest hour carries more than ``capacity_per_hour`` records."""
    return (peak_hour > capacity_per_hour).groupby(peak_hour.index.year).sum()
