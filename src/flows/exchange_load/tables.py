"""Notebook 04's tables: the assumptions as used, headline figures as "median (90 % interval)",
scenarios side by side, the surge figures the conclusion quotes, the shock laid over history, and
one year's load under each long-run choice of the forecast."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.exchange_load.assumptions import Assumptions
from flows.exchange_load.basis import Basis
from flows.exchange_load.hours import hourly_pass
from flows.exchange_load.records import monthly_records
from flows.exchange_load.scenarios import baseline, shock_factor
from flows.exchange_load.summaries import intervals, yearly_per_path


def _short(value) -> str:
    """An assumption's value in a few characters: lists as their length and span."""
    if isinstance(value, (list, tuple)):
        values = np.asarray(value, dtype=float)
        return f"{len(values)} values, {values.min():g}–{values.max():g}"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def assumption_table(yaml_assumptions: Assumptions, used: Assumptions) -> pd.DataFrame:
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


def observed_per_day(basis: Basis, a: Assumptions, start) -> pd.Series:
    """Records per day in the published months from ``start``: travellers x (1 + third-country
    share) / days of the month; index = the month's first day (for the fan chart)."""
    months = basis.observed.loc[pd.Period(start, "M"):]
    records = monthly_records(months.to_frame(), a, basis.direction).iloc[:, 0]
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


def shock_overlay(ratio: pd.Series, a: Assumptions, before: int = 1, after: int = 3) -> pd.Series:
    """The shock scenario's factor (:func:`flows.shock_factor`) laid over the historical
    months of the collapse measured by :func:`calibrate_shock` (``ratio``), from ``before`` months
    before the floor to ``after`` months after the recovery."""
    first = ratio.attrs["floor_first"]
    months = pd.period_range(first - before, ratio.attrs["recovered"] + after, freq="M")
    shift = (pd.Period(a.shock_start, "M") - first).n
    factor = shock_factor(months + shift, a)
    return pd.Series(factor.to_numpy(), index=months, name="shock factor (scenario)")


LOAD_METRICS = {"records": "records in the year", "records_ordinary_day": "ordinary day",
                "records_peak_day": "busiest day", "records_peak_hour": "busiest hour"}


def load_by_choice(travellers: dict[str, pd.DataFrame], a: Assumptions, direction, year: int) -> pd.DataFrame:
    """The baseline load of ``year`` for each set of monthly traveller paths (a long-run choice of the
    forecast, published months included): rows (choice, metric of :data:`LOAD_METRICS`), columns
    ``p05`` … ``p95`` across paths. Hours are split for that year only."""
    frames = {}
    for choice, paths in travellers.items():
        base = baseline(paths, a, direction)
        days = base.daily.index[base.daily.index.year == year]
        per_path = yearly_per_path(base, hourly_pass(base, a, capacity_years=[], days=days).peak_hour)
        frames[choice] = intervals({m: per_path[m] for m in LOAD_METRICS}).xs(year, level="year")
    return pd.concat(frames, names=["choice", "metric"])


def choice_table(load: pd.DataFrame, day_step: int = 100, hour_step: int = 10) -> pd.DataFrame:
    """Per long-run choice: ordinary day, busiest day and busiest hour as "median (90 % interval)",
    rounded (``load``: :func:`load_by_choice`)."""
    columns = {"records_ordinary_day": ("ordinary day", day_step), "records_peak_day": ("busiest day", day_step),
               "records_peak_hour": ("busiest hour", hour_step)}
    out = {label: load.xs(metric, level="metric").apply(_cell, axis=1, step=step)
           for metric, (label, step) in columns.items()}
    return pd.DataFrame(out).rename_axis("long run")
