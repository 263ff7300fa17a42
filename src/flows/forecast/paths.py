"""Sample paths into figures: history joined in front, sums across series, annual totals, quantiles, odds.

Every interval here is an empirical quantile of sample paths (months × paths, as drawn by
:func:`flows.forecast.engine.sample_paths`), so a month, a year, a direction and a total are read
from the same draws and agree with one another. Paths are summed path by path, never by adding
interval bounds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

LEVELS = (80, 95)


def with_history(paths: pd.DataFrame, observed: pd.Series, start: str | pd.Period) -> pd.DataFrame:
    """``paths`` extended back to ``start`` with the ``observed`` values (the same in every path).

    Raises when a month between ``start`` and the first forecast month is not observed.
    """
    start = pd.Period(start, "M")
    first = paths.index.min()
    if start >= first:
        return paths.loc[start:]
    before = observed.reindex(pd.period_range(start, first - 1, freq="M"))
    if before.isna().any():
        raise ValueError(f"{observed.name}: months {list(before[before.isna()].index.astype(str))} are "
                         "neither observed nor forecast")
    known = pd.DataFrame(np.repeat(before.to_numpy()[:, None], paths.shape[1], axis=1),
                         index=before.index, columns=paths.columns)
    return pd.concat([known, paths])


def sum_paths(paths: Mapping[str, pd.DataFrame], observed: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Total of several series, path by path, from the first month any of them is forecast.

    ``paths[name]`` and ``observed[name]`` per series; all paths must share their last month and
    number of paths. Before a series' own forecast starts its published values are used.
    """
    ends = {p.index.max() for p in paths.values()}
    widths = {p.shape[1] for p in paths.values()}
    if len(ends) != 1 or len(widths) != 1:
        raise ValueError(f"paths must share the last month and number of paths: {ends}, {widths}")
    start = min(p.index.min() for p in paths.values())
    total = None
    for name, p in paths.items():
        full = with_history(p, observed[name], start).to_numpy()
        total = full if total is None else total + full
    index = pd.period_range(start, ends.pop(), freq="M", name="month")
    return pd.DataFrame(total, index=index, columns=next(iter(paths.values())).columns)


def annual_paths(paths: pd.DataFrame, observed: pd.Series | None = None,
                 start: str | pd.Period | None = None) -> pd.DataFrame:
    """Calendar-year totals of each path (rows: year, columns: path).

    ``observed`` fills the published months from January of ``start``'s year (default: the first
    forecast month) up to the forecast, e.g. January–March of the first forecast year. Years
    without all 12 months are dropped.
    """
    start = pd.Period(start, "M") if start is not None else paths.index.min()
    if observed is not None:
        paths = with_history(paths, observed, pd.Period(f"{start.year}-01", "M"))
    years = pd.Index(paths.index.year, name="year")
    counts = pd.Series(1, index=years).groupby(level=0).size()
    sums = paths.groupby(years).sum()
    return sums.loc[counts[counts == 12].index]


def comonotone_sum(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Sum of two sets of annual path totals as if perfectly positively dependent: each year's
    draws sorted before adding (the widest total the two marginal distributions allow). A
    sensitivity bound for the independence assumption, not a forecast."""
    if not a.index.equals(b.index) or a.shape != b.shape:
        raise ValueError("annual paths must share years and number of paths")
    return pd.DataFrame(np.sort(a.to_numpy(), axis=1) + np.sort(b.to_numpy(), axis=1),
                        index=a.index, columns=a.columns)


def summarise_paths(paths: pd.DataFrame, levels: Sequence[int] = LEVELS) -> pd.DataFrame:
    """Per row of ``paths``: ``median``, ``mean`` and central ``lower_<L>`` / ``upper_<L>`` quantiles."""
    values = paths.to_numpy(dtype=float)
    out = {"median": np.median(values, axis=1), "mean": values.mean(axis=1)}
    for level in levels:
        a = (1 - level / 100) / 2
        out[f"lower_{level:g}"] = np.quantile(values, a, axis=1)
        out[f"upper_{level:g}"] = np.quantile(values, 1 - a, axis=1)
    return pd.DataFrame(out, index=paths.index)


def threshold_probabilities(annual: pd.DataFrame, thresholds: Sequence[float]) -> pd.DataFrame:
    """Share of paths whose annual total reaches each threshold (rows: year, columns: threshold)."""
    values = annual.to_numpy(dtype=float)
    return pd.DataFrame({t: (values >= t).mean(axis=1) for t in thresholds}, index=annual.index)


def first_year_likely(probabilities: pd.Series, level: float = 0.5) -> int | None:
    """The first year whose probability reaches ``level`` (None if none does)."""
    hit = probabilities[probabilities >= level]
    return int(hit.index.min()) if len(hit) else None
