"""A reference panel of travel flows and the evaluation of annual totals on it, as one long table.

The outlook's long run is a statement about annual totals three to five years ahead. One series
(Taiwan → Japan) cannot say whether such intervals hold: its five-year windows all end in one boom.
The panel can: every JNTO country market into Japan with monthly counts from 2003 (by nationality)
and every Taiwan inbound market still published in the newest table (by residence, from 2011), each
large enough to forecast (at least :data:`MIN_YEAR` visits in 2019).

:func:`annual_backtest` forecasts each series from December origins and writes one row per series,
origin, years ahead and method — ``median`` (the point), ``mean``, 80 % / 95 % bounds, ``crps`` (from
the paths), ``actual`` and ``last_year`` (the origin year's published total, the scale of the
scores) — which :func:`flows.forecast.metrics.annual_scores` summarises per method and horizon:
coverage, median absolute percentage error, the 95 % interval score over ``last_year``, CRPS over
``last_year`` and how wide the 95 % intervals are (upper / lower). Monthly backtests of several series
are :func:`flows.forecast.evaluation.run_backtests`. Targets stop at 2019: the closures are not a forecast error
the panel can calibrate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from flows.analysis import table as tb
from flows.forecast import calibration as cal
from flows.forecast import engine, keys, metrics
from flows.forecast.paths import annual_paths, summarise_paths

MIN_YEAR = 10_000  # visits in 2019: smaller markets are mostly rounding
LAST_TARGET = 2019
NO_CHANGE = "no change"
ENGINE = "engine"


def reference_panel(table: pd.DataFrame, min_year: int = MIN_YEAR) -> dict[str, pd.Series]:
    """``"XX→JP"`` / ``"XX→TW"`` → monthly visitor arrivals (floats, ``PeriodIndex``), see the module doc."""
    arrivals = table[(table["measure"] == "visitor_arrivals") & table["origin"].str.fullmatch(r"[A-Z]{2}")]
    newest_tw = arrivals.loc[arrivals["destination"] == "TW", "month"].max()
    panel = {}
    for (origin, destination), rows in arrivals.groupby(["origin", "destination"], sort=True):
        first, last = rows["month"].min(), rows["month"].max()
        if destination == "JP" and first > pd.Period("2003-01", "M"):
            continue
        if destination == "TW" and last != newest_tw:
            continue
        if destination not in ("JP", "TW"):
            continue
        y = tb.series(table, origin, destination, "visitor_arrivals").astype(float)
        if y[y.index.year == 2019].sum() >= min_year:
            name = keys.panel_name(origin, destination)
            panel[name] = y.rename(name)
    return panel


def annual_backtest(panel: Mapping[str, pd.Series], origins: Iterable[int], years: int = 5, n_paths: int = 1000,
                    seed: int = 0, min_history: int = 36, **options) -> pd.DataFrame:
    """The long table of annual forecasts (see the module doc): each series forecast from each
    December origin with at least ``min_history`` months behind it, ``years`` calendar years ahead,
    targets up to :data:`LAST_TARGET`. ``options`` go to :func:`flows.forecast.engine.sample_paths`."""
    rows = []
    for name, y in panel.items():
        for origin in origins:
            end = pd.Period(f"{origin}-12", "M")
            train = y.loc[:end]
            if train.notna().sum() < min_history or y.index.max() < end:
                continue
            last_year = float(train[train.index.year == origin].sum())
            targets = [origin + k for k in range(1, years + 1) if origin + k <= LAST_TARGET]
            if not targets or last_year <= 0:
                continue
            paths = engine.sample_paths(train, 12 * len(targets), n_paths=n_paths, seed=seed, **options)
            totals = annual_paths(paths)
            summary = summarise_paths(totals)
            for k, year in enumerate(targets, start=1):
                actual = float(y[y.index.year == year].sum())
                base = {"series": name, "origin": origin, "horizon": k, "year": year, "actual": actual,
                        "last_year": last_year}
                rows.append({**base, "method": ENGINE, **summary.loc[year].to_dict(),
                             "crps": metrics.crps(totals.loc[year].to_numpy(), actual)})
                rows.append({**base, "method": NO_CHANGE, "median": last_year, "mean": last_year,
                             "crps": abs(last_year - actual)})
    columns = ["series", "origin", "horizon", "year", "method", "median", "mean", "lower_80", "upper_80",
               "lower_95", "upper_95", "crps", "actual", "last_year"]
    return pd.DataFrame(rows).reindex(columns=columns)


def five_year_growth(panel: Mapping[str, pd.Series], span: int = 5, last: int = LAST_TARGET) -> pd.Series:
    """Every ``span``-year growth ratio of the panel's complete calendar years up to ``last``
    (``series``, first year) → total of year + ``span`` / total of the first year."""
    out = {}
    for name, y in panel.items():
        totals = y.groupby(y.index.year).agg(["sum", "count"])
        totals = totals.loc[(totals["count"] == 12) & (totals.index <= last), "sum"]
        for year in totals.index:
            if year + span in totals.index and totals[year] > 0:
                out[(name, int(year))] = totals[year + span] / totals[year]
    return pd.Series(out, name="growth", dtype=float).rename_axis(["series", "year"])


def calibration_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """The panel's long table scored three ways, per years ahead (:func:`flows.forecast.metrics.annual_scores`
    columns with ``variant``
    and ``horizon``): the engine's paths as drawn, the outlook's long run (growth damped and spread
    calibrated leave-one-series-out: :mod:`flows.forecast.calibration`) and the no-change forecast."""
    engine_rows = rows[rows["method"] == ENGINE]
    variants = {"engine as drawn": engine_rows,
                "outlook's long run": cal.leave_one_out(cal.damped(engine_rows)),
                NO_CHANGE: rows[rows["method"] == NO_CHANGE]}
    frames = [metrics.annual_scores(r, by=("horizon",)).reset_index().assign(variant=name) for name, r in variants.items()]
    return pd.concat(frames, ignore_index=True)


