"""What-if: notebook 04's load figures for one year under changed assumptions, fast enough to follow a control.

The figures (:data:`FIGURES`) are those of notebook 04's chain — :func:`full_per_path` runs it whole:
``scenarios.baseline`` → ``hours.hourly_pass`` → ``summaries.yearly_per_path``, plus
``summaries.days_above`` a capacity. :class:`Explorer` gives the same numbers, path for path, by the
same functions, but splits only the chosen year's months into days and hours and redoes only the
stages a changed assumption touches:

* days (third-country share, weekday and holiday factors): that year's records per day;
* hours (+ ``hourly_profile``): the busiest hour of each day and the capacity for 99 % of hours;
* days above capacity (+ ``capacity_per_hour``) and the quantile across paths: a count and a quantile.

:func:`sensitivity` ranks the scalar assumptions by how far they move a figure across their YAML range
(it chooses the report's grid, :func:`grid`).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict

import numpy as np
import pandas as pd

from flows.analysis import table as tb
from flows.exchange_load.assumptions import Assumptions
from flows.exchange_load.basis import outlook_travellers, traveller_basis
from flows.exchange_load.hours import hourly_pass
from flows.exchange_load.records import check_paths, daily_records, day_weights, monthly_records
from flows.exchange_load.scenarios import Scenario, baseline
from flows.exchange_load.summaries import QUANTILES, days_above, intervals, qname, yearly_per_path
from flows.forecast.paths import with_history
from flows.vocabulary import TW_TO_JP, Direction
from flows.vocabulary import direction as as_direction

FIGURES = {  # name -> (label, unit)
    "records_ordinary_day": ("ordinary day", "records per day"),
    "records_peak_day": ("busiest day", "records per day"),
    "records_peak_hour": ("busiest hour", "records per hour"),
    "capacity_99pct_hours": ("capacity that covers 99 % of hours", "records per hour"),
    "days_above_capacity": ("days with an hour above capacity", "days"),
}
COVERAGE = 0.99  # the capacity figure: records per hour not exceeded in 99 % of the year's hours
DAY_FACTORS = ("weekday_weights", "break_start_multiplier", "origin_holiday_multiplier",
               "destination_holiday_multiplier", "lunar_new_year_multiplier")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CACHE_SIZE = 8  # stages kept per explorer (a year's days of 1,000 paths: about 6 MB)


def share_name(direction: Direction | str) -> str:
    """The third-country share of ``direction`` (``third_country_share_tw_jp`` …)."""
    d = as_direction(direction)
    return f"third_country_share_{d.origin.lower()}_{d.destination.lower()}"


def controlled(direction: Direction | str = TW_TO_JP) -> tuple[str, ...]:
    """The assumptions that move the baseline load of ``direction`` (the explorer's controls):
    the Lunar New Year factor acts on Taiwan → Japan only. The scenarios' assumptions (shock, surge,
    high growth) act on notebook 04's scenarios, not on the baseline."""
    factors = DAY_FACTORS if as_direction(direction) == TW_TO_JP else DAY_FACTORS[:-1]
    return (share_name(direction), *factors, "hourly_profile", "capacity_per_hour")


def full_per_path(travellers: pd.DataFrame, a: Assumptions, direction: Direction | str = TW_TO_JP,
                  ) -> dict[str, pd.DataFrame]:
    """Notebook 04's baseline run over every month of ``travellers``: per figure of :data:`FIGURES`,
    years x paths."""
    base = baseline(travellers, a, direction)
    hours = hourly_pass(base, a)
    per_path = yearly_per_path(base, hours.peak_hour, hours)
    per_path["days_above_capacity"] = days_above(hours.peak_hour, a.capacity_per_hour)
    return {name: per_path[name] for name in FIGURES}


def at_quantile(per_path: dict[str, pd.DataFrame], q: float) -> pd.DataFrame:
    """The ``q`` quantile across paths of each figure (:func:`summaries.intervals`): years x figures."""
    if q not in QUANTILES:
        raise ValueError(f"quantile {q} is not one of the outlook's {list(QUANTILES)}")
    return intervals(per_path, quantiles=(q,))[qname(q)].unstack("metric")[list(FIGURES)]


def _key(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


class Explorer:
    """The figures of one year of ``travellers`` (months x paths, published months included) under
    any assumptions, each stage kept for the next change (:mod:`flows.exchange_load.whatif`)."""

    def __init__(self, travellers: pd.DataFrame, direction: Direction | str = TW_TO_JP):
        check_paths(travellers)
        self.travellers = travellers
        self.direction = as_direction(direction)
        self.years = [int(y) for y in np.unique(travellers.index.year)]
        self._cache: OrderedDict = OrderedDict()

    def _memo(self, key, compute):
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        value = self._cache[key] = compute()
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return value

    def _days(self, a: Assumptions, year: int) -> Scenario:
        """Records per month and day of ``year``; the day profile is made over every month, as the
        full run makes it (a break crossing New Year counts from its first day)."""
        months = self.travellers.index[self.travellers.index.year == year]
        monthly = monthly_records(self.travellers.loc[months], a, self.direction)
        profile = day_weights(self.travellers.index, a, self.direction)
        daily = daily_records(monthly, a, self.direction, profile=profile[profile.index.year == year])
        return Scenario("baseline", self.direction, monthly, daily, daily * 0)

    def per_path(self, a: Assumptions, year: int) -> dict[str, pd.DataFrame]:
        """Per figure of :data:`FIGURES`: a one-row frame (``year``) x paths."""
        if year not in self.years:
            raise ValueError(f"{year} is outside the outlook's years {self.years[0]}–{self.years[-1]}")
        days_key = ("days", year, *(_key(getattr(a, n)) for n in controlled(self.direction)[:-2]))
        s = self._memo(days_key, lambda: self._days(a, year))
        hours = self._memo(("hours", *days_key[1:], _key(a.hourly_profile)),
                           lambda: hourly_pass(s, a, capacity_years=[year], coverages=(COVERAGE,)))
        per_path = yearly_per_path(s, hours.peak_hour, hours)
        per_path["days_above_capacity"] = days_above(hours.peak_hour, a.capacity_per_hour)
        return {name: per_path[name] for name in FIGURES}

    def figures(self, a: Assumptions, year: int, q: float = 0.5) -> pd.Series:
        """The figures of ``year`` at quantile ``q`` across paths (0.5: the median path)."""
        return at_quantile(self.per_path(a, year), q).loc[year]

    def days_above_levels(self, a: Assumptions, year: int, capacities) -> pd.DataFrame:
        """Days of ``year`` with an hour above each of ``capacities``: rows capacity, columns the
        outlook's quantiles across paths."""
        self.per_path(a, year)  # fills the cache
        days_key = (year, *(_key(getattr(a, n)) for n in controlled(self.direction)[:-2]))
        peak = self._cache[("hours", *days_key, _key(a.hourly_profile))].peak_hour
        counts = pd.concat([days_above(peak, c) for c in capacities], keys=[int(c) for c in capacities],
                           names=["capacity_per_hour", "year"]).xs(year, level="year")
        return intervals({"days": counts}).xs("days", level="metric").rename_axis("capacity_per_hour")


def yaml_snippet(a: Assumptions, names, original: Assumptions | None = None) -> str:
    """The values of ``names`` as lines to paste over the ``value:`` lines of
    ``border_assumptions.yaml`` (with the file's value in a comment where it differs)."""
    lines = []
    for name in names:
        value = getattr(a, name)
        text = ("[" + ", ".join(f"{v:g}" for v in value) + "]" if isinstance(value, (list, tuple))
                else f"{value:g}" if isinstance(value, float) else str(value))
        was = getattr(original, name) if original is not None else value
        note = "" if was == value else f"  # in the YAML: {_short(was)}"
        lines += [f"{name}:", f"  value: {text}{note}"]
    return "\n".join(lines)


def _short(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f"{v:g}" for v in value) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


def scalar_controls(a: Assumptions, direction: Direction | str = TW_TO_JP) -> list[str]:
    """The controlled assumptions that are one number and move the load (capacity only counts days)."""
    return [n for n in controlled(direction)[:-1] if not isinstance(getattr(a, n), (list, tuple))]


def sensitivity(explorer: Explorer, a: Assumptions, year: int, figure: str = "records_peak_hour",
                q: float = 0.5) -> pd.DataFrame:
    """For each one-number assumption of :func:`scalar_controls`: ``figure`` of ``year`` at quantile
    ``q`` with the assumption at the low end of its YAML range, at its value, at the high end (the others
    as in ``a``), and the swing (high − low) as a share of the figure at the value; largest swing first."""
    at_value = explorer.figures(a, year, q)[figure]
    rows = []
    for name in scalar_controls(a, explorer.direction):
        entry = next(e for e in a if e.name == name)
        low, high = (explorer.figures(a.replace(**{name: v}), year, q)[figure] for v in entry.range)
        rows.append({"assumption": name, "low end": entry.range[0], "value": entry.value,
                     "high end": entry.range[1], "figure at low end": low, "figure at value": at_value,
                     "figure at high end": high, "swing": abs(high - low) / at_value})
    return pd.DataFrame(rows).sort_values("swing", ascending=False, kind="mergesort").reset_index(drop=True)


def grid_values(a: Assumptions, name: str, points: int = 3) -> list[float]:
    """The settings of ``name`` in the report's grid: ``points`` evenly over its YAML range, and its value."""
    low, high = next(e for e in a if e.name == name).range
    values = set(np.round(np.linspace(float(low), float(high), points), 6).tolist()) | {float(getattr(a, name))}
    return sorted(values)


def grid(explorer: Explorer, a: Assumptions, names, capacities, points: int = 3) -> dict:
    """Every figure for every combination of the :func:`grid_values` of ``names`` (the others as in
    ``a``), every year and every quantile of the outlook, and the days above each of ``capacities``:
    plain lists, ready for JSON. ``results[i]`` belongs to ``settings[i]``; figures are
    ``[year][figure][quantile]``, days above ``[year][capacity][quantile]``."""
    values = {name: grid_values(a, name, points) for name in names}
    settings, results = [], []
    for combo in itertools.product(*values.values()):
        changed = a.replace(**dict(zip(names, combo)))
        settings.append(list(combo))
        figures, above = [], []
        for year in explorer.years:
            per_path = explorer.per_path(changed, year)
            table = intervals(per_path)  # rows (figure, year), columns the quantiles
            figures.append([[float(table.loc[(f, year), qname(q)]) for q in QUANTILES] for f in FIGURES])
            levels = explorer.days_above_levels(changed, year, capacities)
            above.append([[float(levels.loc[c, qname(q)]) for q in QUANTILES] for c in capacities])
        results.append({"figures": figures, "days_above": above})
    return {"names": list(names), "values": values, "years": explorer.years,
            "quantiles": list(QUANTILES), "figures": list(FIGURES), "capacities": [int(c) for c in capacities],
            "settings": settings, "results": results}


def outlook_travellers_from(processed_dir, as_of: str | None = None, direction: Direction | str = TW_TO_JP,
                            ) -> pd.DataFrame:
    """Notebook 04's travellers: the outlook's paths (:func:`flows.exchange_load.basis.outlook_travellers`)
    after the published months of the last complete year."""
    table = tb.load_table(processed_dir)
    as_of = tb.latest_month(table, as_of)
    basis = traveller_basis(table[table["month"] <= as_of], direction)
    paths, _, _ = outlook_travellers(processed_dir, basis, as_of)
    first_year = tb.last_complete_year(basis.observed)
    return with_history(paths, basis.observed, f"{first_year}-01")


def outlook_explorer(processed_dir, as_of: str | None = None, direction: Direction | str = TW_TO_JP) -> Explorer:
    """An :class:`Explorer` over notebook 04's travellers (:func:`outlook_travellers_from`)."""
    return Explorer(outlook_travellers_from(processed_dir, as_of, direction), direction)
