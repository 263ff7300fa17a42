"""The 2030 outlook: three monthly series, their sample paths, annual totals, threshold odds, the file.

Statistics only (no plots, no model fitting of its own): the forecasts come from
:func:`flows.forecast.sample_paths`; this module decides *which* series are forecast, turns
sample paths into intervals, annual totals and probabilities, and writes
``data/processed/forecasts.csv``.

- Taiwan→Japan is JNTO's count of Taiwanese arrivals in Japan (``TW→JP visitor_arrivals``): the
  longest history (from 1996) and the newest months. Taiwan's own count of departures to Japan
  (used by the project's 2024 headline) is its mirror; the two are never added.
- Japan→Taiwan is Taiwan's count of arrivals of residents of Japan (``JP→TW visitor_arrivals``).
- The two-way total is Taiwan→Japan + Japan→Taiwan, made by adding the two directions' sample paths
  path by path (never by adding interval bounds). Each direction's paths are drawn with its own
  seed, i.e. the two directions are treated as **independent**. Months in which one direction is
  already published and the other is not use the published value for the first.

Every interval here is an empirical quantile of the sample paths, so a month, a year, a direction
and the total are read from the same draws and agree with one another.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from flows.forecast import engine as fc
from flows.analysis import table as tb

# Months set to NaN before fitting: border closures and reopening, 2020-02 → 2022-12.
MASK = (("2020-02", "2022-12"),)
LEVELS = (80, 95)
PARTS = ("tw_to_jp", "jp_to_tw")
KEYS = {"tw_to_jp": tb.TW_TO_JP_JNTO, "jp_to_tw": tb.JP_TO_TW_TAIWAN}
# Names in forecasts.csv (what flows.report shows in its outlook table).
SERIES_NAMES = {
    "tw_to_jp": tb.series_label(*tb.TW_TO_JP_JNTO),
    "jp_to_tw": tb.series_label(*tb.JP_TO_TW_TAIWAN),
    "two_way": "TW↔JP two-way (TW→JP visitor_arrivals + JP→TW visitor_arrivals)",
}
SEEDS = {"tw_to_jp": 20240101, "jp_to_tw": 20240102}  # distinct seeds: independent draws
COLUMNS = ["series", "month", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "model", "as_of"]
FORECASTS = "forecasts.csv"


def build_series(table: pd.DataFrame, as_of: str | pd.Period | None = None) -> dict[str, pd.Series]:
    """The three monthly series up to ``as_of`` (None: the table's latest month), as floats.

    ``tw_to_jp`` and ``jp_to_tw`` (see the module doc) and ``two_way``, their sum over the months
    both are published (:func:`flows.table.two_way_total`, perspective ``jnto``).
    """
    end = tb.latest_month(table, as_of)
    table = table[table["month"] <= end]
    parts = {name: tb.series(table, *key).astype(float) for name, key in KEYS.items()}
    two_way = tb.two_way_total(table, "jnto")["two_way"].astype(float).rename("two_way")
    return {**parts, "two_way": two_way}


def horizon(y: pd.Series, horizon_end: str | pd.Period) -> int:
    """Months from the month after ``y``'s last observation through ``horizon_end``."""
    h = (pd.Period(horizon_end, "M") - y.index.max()).n
    if h < 1:
        raise ValueError(f"horizon_end {horizon_end} is not after the last month of {y.name} "
                         f"({y.index.max()})")
    return h


def draw_paths(y: pd.Series, horizon_end: str | pd.Period, *, n_paths: int = 1000, seed: int = 0,
               method: str = "combo", mask: Iterable[tuple[str, str]] = MASK, **options) -> pd.DataFrame:
    """Sample paths of ``y`` from its month after the last through ``horizon_end``
    (:func:`flows.forecast.sample_paths`, with the ``mask`` months set aside)."""
    return fc.sample_paths(y, horizon(y, horizon_end), n_paths=n_paths, seed=seed, method=method,
                           interventions=tuple(mask), **options)


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
    """Per row of ``paths``: ``mean`` and central ``lower_<L>`` / ``upper_<L>`` quantiles."""
    values = paths.to_numpy(dtype=float)
    out = {"mean": values.mean(axis=1)}
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


def forecast_table(summaries: Mapping[str, pd.DataFrame], models: Mapping[str, str] | str,
                   as_of: str | pd.Period, decimals: int = 0) -> pd.DataFrame:
    """The tidy table written to ``forecasts.csv``: one row per series and month, columns
    :data:`COLUMNS`, sorted by series and month, values rounded to ``decimals`` (persons).

    ``summaries``: name → :func:`summarise_paths` of monthly paths; names are mapped through
    :data:`SERIES_NAMES` when listed there. ``as_of``: last month of the data used.
    """
    frames = []
    for name, summary in summaries.items():
        frame = summary[COLUMNS[2:7]].round(decimals).reset_index(names="month")
        frame["month"] = frame["month"].astype(str)
        frame.insert(0, "series", SERIES_NAMES.get(name, name))
        frame["model"] = models if isinstance(models, str) else models[name]
        frame["as_of"] = str(pd.Period(as_of, "M"))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    out = out.sort_values(["series", "month"], kind="mergesort").reset_index(drop=True)
    if decimals == 0:
        out[COLUMNS[2:7]] = out[COLUMNS[2:7]].astype("int64")
    return out


def to_csv_text(frame: pd.DataFrame, decimals: int = 0) -> str:
    """CSV text of a forecasts table with a fixed number format, ``\\n`` line ends."""
    fmt = None if decimals == 0 else f"%.{decimals}f"
    return frame.to_csv(index=False, lineterminator="\n", float_format=fmt)


def write_forecasts(frame: pd.DataFrame, processed_dir: str | Path, decimals: int = 0) -> Path:
    """Write ``forecasts.csv`` atomically (temporary file in the same folder, then rename).
    Same table → same bytes: no timestamps, fixed order and number format."""
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"forecasts table lacks columns {sorted(missing)}")
    out = Path(processed_dir)
    out.mkdir(parents=True, exist_ok=True)
    final = out / FORECASTS
    text = to_csv_text(frame[COLUMNS], decimals)
    fd, tmp = tempfile.mkstemp(prefix=f".{FORECASTS}.", dir=out)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return final


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def masked(y: pd.Series, mask: Iterable[tuple[str, str]] = MASK) -> pd.Series:
    """A copy of ``y`` with the ``mask`` months set to NaN (neither fitted nor scored)."""
    y = y.copy()
    for first, last in mask:
        y.loc[pd.Period(first, "M"):pd.Period(last, "M")] = np.nan
    return y


def run_backtests(series: Mapping[str, pd.Series], origins: Mapping[str, Sequence], h: int,
                  methods: Sequence[str] = ("combo", "ets", "arima", "snaive"),
                  mask: Iterable[tuple[str, str]] = MASK) -> pd.DataFrame:
    """Rolling-origin backtests (:func:`flows.forecast.backtest`, per-forecast rows) of each
    series, with the ``mask`` months set to NaN.

    ``origins``: regime label → origin months. Returns the rows of ``backtest(detail=True)`` with
    ``series`` and ``regime`` columns in front; an origin whose forecasts have no actual yet
    contributes no rows.
    """
    frames = []
    for name, y in series.items():
        y = masked(y, mask)
        for regime, months in origins.items():
            rows = fc.backtest(y, months, h, tuple(methods), progress=False, detail=True)
            rows.insert(0, "regime", regime)
            rows.insert(0, "series", name)
            frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def backtest_summary(rows: pd.DataFrame, by: Sequence[str] = ("series", "regime", "method")) -> pd.DataFrame:
    """Mean scores of :func:`run_backtests` rows per ``by`` (``n`` counts scored forecasts), with
    ``mase_vs_snaive``: each row's MASE over the seasonal naive's in the same group."""
    from flows.forecast import metrics

    out = metrics.summarise(rows, by=list(by))
    keys = [k for k in by if k != "method"]
    if "method" in by and (out["method"] == "snaive").any():
        base = out[out["method"] == "snaive"].set_index(keys)["mase"] if keys else \
            out.loc[out["method"] == "snaive", "mase"].iloc[0]
        if keys:
            out["mase_vs_snaive"] = out["mase"].to_numpy() / base.reindex(
                pd.MultiIndex.from_frame(out[keys]) if len(keys) > 1 else out[keys[0]]).to_numpy()
        else:
            out["mase_vs_snaive"] = out["mase"] / base
    return out
