"""Glue for notebook 04: from the processed table to the load on the border information-sharing
arrangement, with intervals, to the end of the forecast horizon.

What it adds to :mod:`flows.border` (the load model) and :mod:`flows.forecast` (sample paths):

* the travellers the load rests on — Taiwan's Table 2-2 departures of nationals to Japan, and
  JNTO's arrivals of Taiwanese nationals (the mirror, longer and more recent) scaled to Table 2-2
  by their median ratio (:func:`load_basis`);
* one call to :func:`flows.forecast.sample_paths` with the options written down
  (:func:`forecast_departures`), and the observed months joined in front so every year is whole
  (:func:`with_observed`);
* the 2020–2023 collapse and recovery measured on Table 2-2 (:func:`calibrate_shock`);
* per-path yearly figures (ordinary day, busiest day, peak hour, …) and intervals across paths
  with lower quantiles too (:func:`yearly_per_path`, :func:`intervals`), the busiest days, the
  capacity curve, and the checks of the made-up peak defaults.

Everything here computes; nothing draws (charts: :mod:`flows.plots_border`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flows.exchange_load import model as border

from flows.forecast import engine as forecast
from flows.analysis import table as tb
from flows.analysis.calendar import lunar_new_year_days

MASK = ("2020-02", "2022-12")  # border closures and reopening: left out of the forecast fit
INTERVAL = (0.05, 0.95)  # the interval reported everywhere: 90 % of paths
FLOOR_BELOW = 0.10  # a month below this share of the same month of 2019 is "at the floor" (calibrate_shock)
QUANTILES = (0.05, 0.25, 0.50, 0.75, 0.95)
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def qname(q: float) -> str:
    """Column name of a quantile: 0.05 -> "p05", 0.5 -> "p50"."""
    return f"p{round(100 * q):02d}"


# --- the travellers the load rests on ----------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """Travellers per month that the load of one direction rests on.

    ``observed``: the published series (for TW->JP, Table 2-2 where published, then JNTO's
    arrivals x ``ratio``, rounded, for later months); ``source``: where each month comes from;
    ``forecast_input``: the series given to the forecaster; ``ratio``/``ratios``: the scaling of a
    mirror to the base series and its monthly values (ratio 1 and empty when there is no mirror);
    ``calibration``: the series the 2020–2023 shock is measured on.
    """

    direction: str
    label: str
    observed: pd.Series
    source: pd.Series
    forecast_input: pd.Series
    ratio: float
    ratios: pd.Series
    calibration: pd.Series


def load_basis(table: pd.DataFrame, direction: str = "TW->JP", mask: tuple[str, str] = MASK) -> Basis:
    """The travellers behind the load of ``direction``.

    TW->JP: Taiwan's Table 2-2 departures of nationals to Japan by first destination — the natural
    base for "passengers leaving Taiwanese airports for Japan" — joined with JNTO's arrivals of
    Taiwanese nationals (its mirror by nationality: longer, and published later), scaled by the
    median Table 2-2 / JNTO ratio of the open-border months both hold. The forecast is made on the
    scaled JNTO series (1996 on); the shock is measured on Table 2-2.
    JP->TW: Taiwan's arrivals of residents of Japan (no mirror is used).
    """
    if direction == "JP->TW":
        y = tb.series(table, *tb.JP_TO_TW_TAIWAN).astype(float)
        source = pd.Series(tb.series_label(*tb.JP_TO_TW_TAIWAN), index=y.index, name="source")
        return Basis(direction, "arrivals of residents of Japan in Taiwan", y, source, y, 1.0,
                     pd.Series(dtype=float, name="ratio"), y)
    if direction != "TW->JP":
        raise ValueError(f"direction must be one of {sorted(border.DIRECTIONS)}, got {direction!r}")
    t22 = tb.series(table, *tb.TW_TO_JP_TAIWAN).astype(float)
    jnto = tb.series(table, *tb.TW_TO_JP_JNTO).astype(float)
    both = pd.concat({"t22": t22, "jnto": jnto}, axis=1, join="inner")
    closed = (both.index >= pd.Period(mask[0], "M")) & (both.index <= pd.Period(mask[1], "M"))
    both = both[~closed]
    if both.empty:
        raise ValueError("Table 2-2 and JNTO share no open-border month: cannot scale one to the other")
    ratios = (both["t22"] / both["jnto"]).rename("Table 2-2 / JNTO")
    ratio = float(ratios.median())
    scaled = (jnto * ratio).rename(f"JNTO arrivals of Taiwanese nationals x {ratio:.3f}")
    later = scaled[scaled.index > t22.index.max()].round()
    observed = pd.concat([t22, later]).rename("Taiwanese departures to Japan (Table 2-2 basis)")
    source = pd.Series(np.where(observed.index <= t22.index.max(), "Table 2-2", "JNTO x ratio"),
                       index=observed.index, name="source")
    return Basis(direction, "Taiwanese departures to Japan", observed, source, scaled, ratio, ratios, t22)


# --- one forecast ------------------------------------------------------------------------------------


def forecast_departures(y: pd.Series, horizon_end, n_paths: int = 1000, seed: int = 0,
                        mask: tuple[str, str] = MASK, lunar_new_year: bool = True,
                        **options) -> tuple[pd.DataFrame, dict]:
    """Sample paths of ``y`` from the month after its last to ``horizon_end``: one call to
    :func:`flows.forecast.sample_paths` with ``mask`` as an intervention (months set to NaN before
    fitting) and, by default, Lunar New Year holiday days per month as a regressor. Returns the
    paths and the options used (to print beside the result)."""
    last = y.index.max()
    h = (pd.Period(horizon_end, "M") - last).n
    if h < 1:
        raise ValueError(f"horizon_end {horizon_end} is not after the last observed month {last}")
    options = {"interventions": [tuple(mask)], **options}
    if lunar_new_year:
        future = pd.period_range(last + 1, periods=h, freq="M")
        options["exog"] = lunar_new_year_days(y.index).to_frame()
        options["future_exog"] = lunar_new_year_days(future).to_frame()
    paths = forecast.sample_paths(y, h, n_paths=n_paths, seed=seed, **options)
    used = {"series": y.name, "history": f"{y.index.min()} … {last}", "months ahead": h,
            "paths": n_paths, "seed": seed, "method": options.get("method", "combo (ETS + SARIMA)"),
            "masked months": f"{mask[0]} … {mask[1]}",
            "regressor": "Lunar New Year holiday days per month" if lunar_new_year else "none"}
    return paths, used


def with_observed(paths: pd.DataFrame, observed: pd.Series, start) -> pd.DataFrame:
    """The observed months from ``start`` up to the paths' first month, the same on every path,
    followed by the paths: so the first years of the horizon are whole."""
    start = pd.Period(start, "M")
    first = paths.index[0]
    months = pd.period_range(start, first - 1, freq="M")
    if len(months) == 0:
        return paths
    known = observed.reindex(months)
    if known.isna().any():
        raise ValueError(f"observed months missing before the paths: {list(map(str, known[known.isna()].index))}")
    head = pd.DataFrame(np.repeat(known.to_numpy(dtype=float)[:, None], paths.shape[1], axis=1),
                        index=months, columns=paths.columns)
    return pd.concat([head, paths])


# --- the shock, measured ------------------------------------------------------------------------------


def calibrate_shock(y: pd.Series, base_year: int = 2019, floor_below: float = FLOOR_BELOW,
                    recovered_at: float = 1.0) -> tuple[dict, pd.Series]:
    """The 2020–2023 collapse and recovery as the shock scenario's three numbers.

    Ratio = each month after ``base_year`` / the same calendar month of ``base_year``. The floor is
    the longest run of months with a ratio below ``floor_below``: ``shock_months_at_floor`` is its
    length and ``shock_floor`` the median ratio in it; ``shock_recovery_months`` counts the months
    from the end of the floor to the first month at or above ``recovered_at`` (inclusive) — or, for a
    series that levelled off below it (Japan -> Taiwan), at or above its level of the last 12 months.
    Returns the three values (ready for ``Assumptions.replace``) and the ratio series.
    """
    base = y[y.index.year == base_year]
    if len(base) != 12:
        raise ValueError(f"{y.name}: {base_year} is not a complete year")
    after = y[y.index.year > base_year]
    ratio = pd.Series(after.to_numpy() / base.to_numpy()[after.index.month - 1], index=after.index,
                      name=f"share of the same month of {base_year}")
    below = (ratio < floor_below).to_numpy()
    runs, start = [], None
    for i, flag in enumerate(np.r_[below, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))  # [start, end)
            start = None
    if not runs:
        raise ValueError(f"no month below {floor_below:.0%} of {base_year}: nothing to calibrate")
    first, end = max(runs, key=lambda r: r[1] - r[0])
    target = min(recovered_at, float(ratio.iloc[-12:].median()))
    back = np.flatnonzero(ratio.to_numpy()[end:] >= target)
    if len(back) == 0 or target <= floor_below:
        raise ValueError(f"the series has not recovered from the floor (last 12 months at {target:.0%} of {base_year})")
    values = {"shock_floor": float(ratio.iloc[first:end].median()),
              "shock_months_at_floor": int(end - first),
              "shock_recovery_months": int(back[0] + 1)}
    ratio.attrs.update(floor_first=ratio.index[first], floor_last=ratio.index[end - 1],
                       recovered=ratio.index[end + back[0]], recovery_target=target)
    return values, ratio


# --- hours, per-path figures and intervals ------------------------------------------------------------

COVERAGES = (0.5, 0.75, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0)


@dataclass(frozen=True)
class Hours:
    """From one pass over every hour of a scenario: the busiest hour of each day and path
    (``peak_hour``, dates x paths) and, per year, the records per hour not exceeded in a share
    ``coverage`` of the year's hours (``capacity``: rows (year, coverage) x paths; coverage 1 is
    the busiest hour; 0.99 equals :func:`flows.border.hourly_metrics`' ``capacity_99``)."""

    peak_hour: pd.DataFrame
    capacity: pd.DataFrame


def hourly_pass(s: border.Scenario, a: border.Assumptions, capacity_years=None, coverages=COVERAGES) -> Hours:
    """Split every day of ``s`` into hours once (:func:`flows.border.hourly_records`, by year and
    in blocks of paths so memory stays small) and keep the busiest hour per day and, for the years
    in ``capacity_years`` (default all; sorting a year's hours is the slow part), the capacity at
    each coverage."""
    days = s.daily.index
    years = np.unique(days.year)
    capacity_years = set(years if capacity_years is None else capacity_years)
    peaks, capacity = [], {}
    for year in years:
        dates = days[days.year == year]
        block_peak, block_cap = [], []
        for first in range(0, s.daily.shape[1], border.PATH_BLOCK):
            cols = s.daily.columns[first:first + border.PATH_BLOCK]
            hours = border.hourly_records(s.daily.loc[dates, cols], a, s.extra.loc[dates, cols])
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


def peak_hour_patched(base: border.Scenario, base_peak: pd.DataFrame, s: border.Scenario,
                      a: border.Assumptions) -> pd.DataFrame:
    """The busiest hour of each day and path of scenario ``s``, recomputing hours only on the days
    where ``s`` differs from ``base`` (a shock from its start, a surge in its window). ``s`` must
    hold the same paths as ``base`` or a subset of them."""
    cols = s.daily.columns
    changed = (s.total_daily != base.total_daily[cols]).any(axis=1).to_numpy()
    peak = base_peak[cols].copy()
    if changed.any():
        days = s.daily.index[changed]
        peak.loc[days] = border.hourly_metrics(s, a, days=days)["peak_hour"]
    return peak


def yearly_per_path(s: border.Scenario, peak_hour: pd.DataFrame, hours: Hours | None = None) -> dict[str, pd.DataFrame]:
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


def monthly_quantiles(s: border.Scenario, quantiles=QUANTILES) -> dict[str, pd.DataFrame]:
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


def capacity_curve(hours: Hours, year: int, quantiles=(INTERVAL[0], 0.5, INTERVAL[1])) -> pd.DataFrame:
    """Records per hour a system must carry to keep up in a share ``coverage`` of ``year``'s hours
    (1 = every hour), as quantiles across paths: rows coverage, columns ``p05``, ``p50``, ``p95``."""
    if year not in hours.capacity.index.get_level_values("year"):
        raise ValueError(f"{year} is outside the scenario's years")
    per_path = hours.capacity.xs(year, level="year")
    return per_path.quantile(list(quantiles), axis=1).T.set_axis([qname(q) for q in quantiles], axis=1)


# --- a contingency surge -------------------------------------------------------------------------------


def surge_effect(base: border.Scenario, base_peak: pd.DataFrame, a: border.Assumptions, ns, ks,
                 start=None, quantiles=(INTERVAL[0], 0.5, INTERVAL[1])) -> pd.DataFrame:
    """What a contingency of ``n`` extra departures within ``k`` days from ``start`` (default
    ``surge_start``) does to the surge's year, for every n in ``ns`` and k in ``ks``: busiest day and
    hour of the year, busiest day and hour of the k surge days (``records_surge_day``/``_hour``;
    with n = 0, those days' normal traffic) and days with an hour above ``capacity_per_hour``, as
    quantiles across paths.

    Same records as :func:`flows.border.surge` (extra records spread evenly over the days and by
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
            extra = border.surge_extra(dates, int(n), int(k), start)
            window = extra.index[(extra > 0).to_numpy() & (extra.index.year == year)]
            day, hour = base_day.copy(), base_hour.copy()
            if len(window):
                more = pd.DataFrame(np.repeat(extra[window].to_numpy()[:, None], day.shape[1], axis=1),
                                    index=window, columns=day.columns)
                normal = base.daily.loc[window]
                day.loc[window] = normal + more
                hour.loc[window] = border.hourly_records(normal, a, more).max(axis=1)
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


# --- the busiest days ---------------------------------------------------------------------------------


def day_reasons(profile: pd.DataFrame, direction: str = "TW->JP") -> pd.Series:
    """Why a day is heavy, in words, from :func:`flows.border.day_weights` flags."""
    origin, destination = border.DIRECTIONS[direction]
    parts = {
        "Lunar New Year": profile["is_lunar_new_year"] if direction == "TW->JP" else False,
        f"start of a break ({origin.upper()})": profile[f"is_break_start_{origin}"],
        f"holiday ({origin.upper()})": profile[f"is_holiday_{origin}"],
        f"holiday ({destination.upper()})": profile[f"is_holiday_{destination}"],
    }
    words = pd.Series("", index=profile.index)
    for label, flag in parts.items():
        flag = pd.Series(flag, index=profile.index).astype(bool)
        words = words.where(~flag, words + np.where(words == "", "", ", ") + label)
    return words.replace("", "weekday pattern only").rename("why")


def day_table(s: border.Scenario, a: border.Assumptions) -> pd.DataFrame:
    """One row per date: records p05 / p50 / p95 across paths, ``vs_ordinary`` (the median path's
    day over the median path's ordinary day of that year), weekday and why the day is heavy."""
    total = s.total_daily
    q = total.quantile([INTERVAL[0], 0.5, INTERVAL[1]], axis=1).T
    q.columns = [qname(INTERVAL[0]), "p50", qname(INTERVAL[1])]
    q["vs_ordinary"] = q["p50"] / q["p50"].groupby(q.index.year).transform("median")
    q["weekday"] = [WEEKDAYS[d] for d in q.index.day_of_week]
    profile = border.day_weights(pd.period_range(total.index[0], total.index[-1], freq="M"), a, s.direction)
    q["why"] = day_reasons(profile.loc[q.index], s.direction)
    return q.rename_axis("date")


def busiest_days(days: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` busiest days of each year on the median path (``days``: :func:`day_table`), ties
    broken by date: year, date, weekday, records p05 / p50 / p95, ratio to the ordinary day, why."""
    frame = days.reset_index()
    frame.insert(0, "year", frame["date"].dt.year)
    frame = frame.sort_values(["year", "p50", "date"], ascending=[True, False, True], kind="mergesort")
    return frame.groupby("year", sort=True).head(n).reset_index(drop=True)


# --- checks of the made-up peak defaults --------------------------------------------------------------


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


def peak_ratios(s: border.Scenario, per_path: dict[str, pd.DataFrame]) -> pd.DataFrame:
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


# --- tables for the notebook --------------------------------------------------------------------------


def _short(value) -> str:
    """An assumption's value in a few characters: lists as their length and span."""
    if isinstance(value, (list, tuple)):
        values = np.asarray(value, dtype=float)
        return f"{len(values)} values, {values.min():g}–{values.max():g}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def assumption_table(yaml_assumptions: border.Assumptions, used: border.Assumptions) -> pd.DataFrame:
    """Every assumption as used here: name, value, the YAML value where this notebook replaced it,
    unit, allowed range and basis ("measured here" when replaced, else "assumption" or "cited",
    from the first word of its source)."""
    rows = []
    for entry in used:
        original = getattr(yaml_assumptions, entry.name)
        changed = original != entry.value
        basis = "measured here" if changed else (
            "assumption" if entry.source.strip().lower().startswith("assumption") else "cited")
        rows.append({"name": entry.name, "value": _short(entry.value),
                     "YAML value": _short(original) if changed else "", "unit": entry.unit,
                     "range": f"{entry.range[0]} … {entry.range[1]}", "basis": basis,
                     "source": entry.source})
    return pd.DataFrame(rows)


def observed_per_day(basis: Basis, a: border.Assumptions, start) -> pd.Series:
    """Records per day in the published months from ``start``: travellers x (1 + third-country
    share) / days of the month; index = the month's first day (for the fan chart)."""
    months = basis.observed.loc[pd.Period(start, "M"):]
    records = border.monthly_records(months.to_frame(), a, basis.direction).iloc[:, 0]
    per_day = records / months.index.days_in_month
    per_day.index = months.index.to_timestamp()
    return per_day.rename("records per day (published months)")


def _cell(row: pd.Series, step: int) -> str:
    def r(v):
        return f"{int(round(v / step) * step):,}"
    if row["p05"] == row["p95"]:
        return f"{r(row['p50'])} (published)"
    return f"{r(row['p50'])} ({r(row['p05'])}–{r(row['p95'])})"


def figure_text(yearly: pd.DataFrame, metric: str, year: int, step: int) -> str:
    """One figure of :func:`intervals` as "median (p05–p95)", rounded to ``step`` (the median
    alone when every path agrees: a year of published months)."""
    row = yearly.loc[(metric, year)]
    text = _cell(row, step)
    return text.replace(" (published)", "")


def headline_table(yearly: pd.DataFrame, day_step: int = 100, hour_step: int = 10) -> pd.DataFrame:
    """Per year: ordinary day, busiest day and busiest hour as "median (90 % interval)", rounded
    (``yearly``: :func:`intervals`)."""
    columns = {"records_ordinary_day": ("ordinary day", day_step), "records_peak_day": ("busiest day", day_step),
               "records_peak_hour": ("busiest hour", hour_step)}
    out = {label: yearly.loc[metric].apply(_cell, axis=1, step=step) for metric, (label, step) in columns.items()}
    return pd.DataFrame(out).rename_axis("year")


def scenario_table(scenarios: dict, metrics=("records_ordinary_day", "records_peak_day", "records_peak_hour"),
                   ) -> pd.DataFrame:
    """Per scenario and year: the headline figures (:func:`headline_table`) of each scenario.
    ``scenarios``: name -> (Scenario, its busiest hour per day and path)."""
    frames = {name: headline_table(intervals(yearly_per_path(s, peak))) for name, (s, peak) in scenarios.items()}
    return pd.concat(frames, names=["scenario"])  # scenarios in the order given


def days_above(peak_hour: pd.DataFrame, capacity_per_hour: float) -> pd.DataFrame:
    """Per year and path: days whose busiest hour carries more than ``capacity_per_hour`` records."""
    return (peak_hour > capacity_per_hour).groupby(peak_hour.index.year).sum()


def surge_summary(effect: pd.DataFrame, n: int, k: int) -> dict:
    """The figures the conclusion quotes from :func:`surge_effect` (median path) for ``n`` extra
    departures within ``k`` days: the surge days' busiest day and hour without and with the surge,
    the year's busiest day and hour, and the extra records per day from which a surge of ``k``
    days lifts the year's busiest day (``lifts_day_from``: the year's busiest day minus the surge
    days' busiest normal day) and, roughly, its busiest hour (the hour gap over the largest share of
    the surge's hourly profile, ``surge_hour_share``, a column attribute set by the caller or 1/24)."""
    p50 = effect.set_index(["surge_extra_departures", "surge_days", "metric"])["p50"]
    if (0, k, "records_peak_day") not in p50.index or (n, k, "records_peak_day") not in p50.index:
        raise ValueError(f"the surge grid needs N = 0 and N = {n} within K = {k} days")
    normal = {m: p50[(0, k, m)] for m in ("records_peak_day", "records_peak_hour", "records_surge_day",
                                          "records_surge_hour")}
    share = effect.attrs.get("surge_hour_share", 1 / 24)
    return {"year": int(effect["year"].iloc[0]), "n": n, "k": k, "extra_per_day": n / k,
            "year_peak_day": normal["records_peak_day"], "year_peak_hour": normal["records_peak_hour"],
            "normal_surge_day": normal["records_surge_day"], "normal_surge_hour": normal["records_surge_hour"],
            "surge_day": p50[(n, k, "records_surge_day")], "surge_hour": p50[(n, k, "records_surge_hour")],
            "surge_year_peak_day": p50[(n, k, "records_peak_day")],
            "surge_year_peak_hour": p50[(n, k, "records_peak_hour")],
            "lifts_day_from": normal["records_peak_day"] - normal["records_surge_day"],
            "lifts_hour_from": (normal["records_peak_hour"] - normal["records_surge_hour"]) / share}


def shock_overlay(ratio: pd.Series, a: border.Assumptions, before: int = 1, after: int = 3) -> pd.Series:
    """The shock scenario's factor (:func:`flows.border.shock_factor`) laid over the historical
    months of the collapse measured by :func:`calibrate_shock` (``ratio``), from ``before`` months
    before the floor to ``after`` months after the recovery."""
    first = ratio.attrs["floor_first"]
    months = pd.period_range(first - before, ratio.attrs["recovered"] + after, freq="M")
    shift = (pd.Period(a.shock_start, "M") - first).n
    factor = border.shock_factor(months + shift, a)
    return pd.Series(factor.to_numpy(), index=months, name="shock factor (scenario)")
