"""Which long run to believe: the annual view against the monthly engine's annual totals, backtested.

From each origin (December of 2005 … 2014, so that the years scored, up to 2019, are before the
border closures) both forecast the next five calendar years of Taiwan → Japan trips (JNTO arrivals)
from what was known then:

- ``engine``: the monthly engine's sample paths (:func:`flows.forecast.outlook.draw_paths`, as the
  outlook draws them) added up by calendar year;
- ``annual view``: :func:`flows.forecast.longrun.taiwan_to_japan` on the parts published by then;
- ``no change``: the origin year's total carried on (a point, no interval) — the benchmark.

Scores per origin and year: percentage error of the mean (and of the median), and whether the
actual fell inside the 80 % and 95 % intervals, and the CRPS (continuous ranked probability score,
which rewards a distribution for being both close and sharp and equals the absolute error for a
point), as a percentage of the actual. :func:`skill` summarises them at 3–5 years ahead, the
horizons the long run is about, and :func:`weights` turns the CRPS into the weights of the outlook's
combination, a linear pool of the two methods' paths (:func:`flows.forecast.longrun.mixture`):
each method's weight is inversely proportional to its mean CRPS. :func:`pool_scores` shows how the
pool itself would have scored for every weight.

Japan → Taiwan is scored the same way where the data allow (origins 2013 … 2016: its series begins
in 2011 and the scored years must end in 2019), against the annual view of the series alone
(:func:`flows.forecast.longrun.one_series`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from flows.analysis import table as tb
from flows.atomic import replace_files
from flows.config import FORECAST_SEEDS, HORIZON_END, LONGRUN_BACKTEST, LONGRUN_SEED, N_PATHS
from flows.errors import RawFileError
from flows.forecast import annual_inputs as ai
from flows.forecast import longrun as lr
from flows.forecast.outlook import LongRun, draw_paths, long_run_choices
from flows.forecast.paths import annual_paths, summarise_paths
from flows.vocabulary import JP_TO_TW, JP_TO_TW_TAIWAN, TW_TO_JP, TW_TO_JP_JNTO

ORIGINS = {TW_TO_JP.code: tuple(range(2005, 2015)), JP_TO_TW.code: tuple(range(2013, 2017))}
YEARS_AHEAD = 5
SKILL_HORIZONS = (3, 4, 5)
LEVELS = (80, 95)
ENGINE, ANNUAL_VIEW, NO_CHANGE = lr.ENGINE, lr.ANNUAL_VIEW, "no change"


def crps(sample: np.ndarray, actual: float) -> float:
    """Continuous ranked probability score of a sample against one actual, E|X − y| − ½ E|X − X'|
    (Gneiting & Raftery 2007): the absolute error for a point forecast, lower is better."""
    x = np.sort(np.asarray(sample, dtype=float))
    n = len(x)
    spread = 2.0 * np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / n**2
    return float(np.mean(np.abs(x - actual)) - 0.5 * spread)


def _summary(paths: pd.DataFrame) -> pd.DataFrame:
    """:func:`flows.forecast.paths.summarise_paths` of annual paths (rows years); a point forecast (one
    column, ``no change``) has no interval."""
    out = summarise_paths(paths, LEVELS)
    if paths.shape[1] == 1:
        out[[c for c in out.columns if c.startswith(("lower_", "upper_"))]] = np.nan
    return out


def annual_forecasts(table: pd.DataFrame, annual: pd.DataFrame, direction: str, origin: int,
                     years_ahead: int = YEARS_AHEAD, n_paths: int = 1000, phi: float = lr.PHI) -> dict[str, pd.DataFrame]:
    """Each method's annual paths (rows: the ``years_ahead`` years after ``origin``, columns: paths;
    ``no change`` is one column) of ``direction`` from December of ``origin``."""
    as_of = pd.Period(f"{origin}-12", "M")
    end = origin + years_ahead
    key = TW_TO_JP_JNTO if direction == TW_TO_JP.code else JP_TO_TW_TAIWAN
    monthly = tb.series(table, *key).astype(float)
    monthly = monthly[monthly.index <= as_of]
    engine_paths = annual_paths(draw_paths(monthly, f"{end}-12", n_paths=n_paths, seed=FORECAST_SEEDS[direction]))
    if direction == TW_TO_JP.code:
        view = lr.taiwan_to_japan(ai.taiwan_factors(table, annual, as_of), end, n_paths, LONGRUN_SEED, phi)
    else:
        view = lr.one_series(ai.japan_to_taiwan(table, as_of), end, n_paths, LONGRUN_SEED, phi)
    years = pd.Index(range(origin + 1, end + 1), name="year")
    last = float(tb.annual_totals(monthly).loc[origin])
    return {ENGINE: engine_paths.reindex(years), ANNUAL_VIEW: view.trips.reindex(years),
            NO_CHANGE: pd.DataFrame({0: last}, index=years)}


@dataclass
class Backtest:
    """:func:`backtest`'s result: ``rows`` (one per origin, method and year ahead) and the annual
    ``paths`` behind them, by ``(origin, method)``; ``actual``: the published annual totals."""

    rows: pd.DataFrame
    paths: dict[tuple[int, str], pd.DataFrame]
    actual: pd.Series


def backtest(table: pd.DataFrame, annual: pd.DataFrame, direction: str = TW_TO_JP.code,
             origins: Iterable[int] | None = None, years_ahead: int = YEARS_AHEAD, n_paths: int = 1000,
             phi: float = lr.PHI, last_scored: int = 2019) -> Backtest:
    """Backtest of ``direction`` from December of each origin. Rows: the forecast (``mean``,
    ``median``, intervals), the published total, percentage errors (of the mean: ``pe``; of the
    median: ``pe_median``), ``crps_pct`` (CRPS as a percentage of the actual) and ``covered_80`` /
    ``covered_95``. Years after ``last_scored`` (the border closures) or not yet published are not
    scored."""
    origins = ORIGINS[direction] if origins is None else tuple(origins)
    key = TW_TO_JP_JNTO if direction == TW_TO_JP.code else JP_TO_TW_TAIWAN
    actual = tb.annual_totals(tb.series(table, *key).astype(float))
    scored = actual[actual.index <= last_scored]
    rows, kept = [], {}
    for origin in origins:
        for method, paths in annual_forecasts(table, annual, direction, origin, years_ahead, n_paths, phi).items():
            paths = paths[paths.index.isin(scored.index)]
            kept[origin, method] = paths
            rows.append(_score(direction, origin, method, paths, scored))
    return Backtest(pd.concat(rows, ignore_index=True), kept, scored)


def _score(direction: str, origin: int, method: str, paths: pd.DataFrame, actual: pd.Series) -> pd.DataFrame:
    """The rows of one origin and method (see :func:`backtest`)."""
    out = _summary(paths).assign(actual=actual.reindex(paths.index))
    out["crps_pct"] = [100 * crps(paths.loc[y].to_numpy(), actual.loc[y]) / actual.loc[y] for y in paths.index]
    out = out.reset_index()
    out.insert(0, "method", method)
    out.insert(0, "origin", origin)
    out.insert(0, "direction", direction)
    out.insert(3, "horizon", out["year"] - origin)
    out["pe"] = 100 * (out["mean"] / out["actual"] - 1)
    out["pe_median"] = 100 * (out["median"] / out["actual"] - 1)
    for level in LEVELS:
        inside = (out["actual"] >= out[f"lower_{level}"]) & (out["actual"] <= out[f"upper_{level}"])
        out[f"covered_{level}"] = inside.astype(float).where(out[f"lower_{level}"].notna())
    return out


def pooled(bt: Backtest, w: Mapping[str, float]) -> pd.DataFrame:
    """Rows of the ``combination``: at each origin, the engine's and the annual view's paths pooled
    with the weights ``w`` (:func:`flows.forecast.longrun.pool`), scored like the others. The weights
    come from the same backtest: an in-sample score, shown for comparison, not as evidence."""
    origins = sorted({o for o, _ in bt.paths})
    direction = bt.rows["direction"].iloc[0]
    return pd.concat([_score(direction, o, lr.COMBINATION,
                             lr.pool({m: bt.paths[o, m] for m in lr.POOL_ORDER}, w), bt.actual)
                      for o in origins], ignore_index=True)


def pool_scores(bt: Backtest, horizons: Sequence[int] = SKILL_HORIZONS, methods: Sequence[str] = (ANNUAL_VIEW, ENGINE),
                grid: Sequence[float] = tuple(np.round(np.linspace(0, 1, 21), 2))) -> pd.Series:
    """Mean CRPS (percent of the actual) at ``horizons`` of the linear pool that takes a share ``w``
    of its paths from ``methods[0]`` and the rest from ``methods[1]``, for each ``w`` of ``grid``."""
    origins = sorted({o for o, _ in bt.paths})
    out = {}
    for w in grid:
        scores = []
        for origin in origins:
            a, b = bt.paths[origin, methods[0]], bt.paths[origin, methods[1]]
            pooled = lr.mixture({methods[0]: a, methods[1]: b}, {methods[0]: w, methods[1]: 1 - w})
            scores += [100 * crps(pooled.loc[y].to_numpy(), bt.actual.loc[y]) / bt.actual.loc[y]
                       for y in pooled.index if y - origin in horizons]
        out[float(w)] = float(np.mean(scores))
    return pd.Series(out, name="crps_pct").rename_axis(f"share of {methods[0]}")


def skill(rows: pd.DataFrame, horizons: Sequence[int] = SKILL_HORIZONS, by: Sequence[str] = ("method",)) -> pd.DataFrame:
    """Scores of :func:`backtest` rows at ``horizons`` per ``by``: ``n``, ``mape`` and ``rmspe`` of the
    mean, ``mape_median``, ``bias`` (mean percentage error: negative = too low) and interval coverage."""
    rows = rows[rows["horizon"].isin(list(horizons))]
    grouped = rows.groupby(list(by), sort=False)
    out = pd.DataFrame({
        "n": grouped.size(),
        "mape": grouped["pe"].apply(lambda e: e.abs().mean()),
        "rmspe": grouped["pe"].apply(lambda e: float(np.sqrt((e ** 2).mean()))),
        "mape_median": grouped["pe_median"].apply(lambda e: e.abs().mean()),
        "bias": grouped["pe"].mean(),
        "crps_pct": grouped["crps_pct"].mean(),
        **{f"coverage_{level}": grouped[f"covered_{level}"].mean() for level in LEVELS},
    })
    return out


def weights(scores: pd.DataFrame, methods: Sequence[str] = (ANNUAL_VIEW, ENGINE)) -> dict[str, float]:
    """The outlook's weights: each method's share of paths in the combination, in inverse proportion
    to its mean CRPS at the skill horizons (``crps_pct`` of :func:`skill`, indexed by method), so the
    method that forecast the distribution better counts for more — all of it when the other has no
    skill left (an infinite score)."""
    inverse = {m: 1.0 / float(scores.loc[m, "crps_pct"]) for m in methods}
    total = sum(inverse.values())
    return {m: v / total for m, v in inverse.items()}


def run_backtests(table: pd.DataFrame, annual: pd.DataFrame, n_paths: int = N_PATHS) -> tuple[pd.DataFrame, dict[str, float]]:
    """Both directions' backtests as the rows written to ``longrun_backtest.csv`` (:func:`tidy`), with
    Taiwan → Japan's pooled rows, and the weights of Taiwan → Japan's long run (from the tidy rows, so
    that a reader of the file finds the same weights)."""
    tw = backtest(table, annual, TW_TO_JP.code, n_paths=n_paths)
    jp = backtest(table, annual, JP_TO_TW.code, n_paths=n_paths)
    w = weights_from(tidy(tw.rows))
    rows = tidy(pd.concat([tw.rows, pooled(tw, w), jp.rows], ignore_index=True))
    return rows, w


COLUMNS = ["direction", "origin", "method", "horizon", "year", "mean", "median", "lower_80", "upper_80",
           "lower_95", "upper_95", "actual", "pe", "pe_median", "crps_pct", "covered_80", "covered_95"]
PERSONS = ["mean", "median", "lower_80", "upper_80", "lower_95", "upper_95", "actual"]
PERCENT = ["pe", "pe_median", "crps_pct"]


def tidy(rows: pd.DataFrame) -> pd.DataFrame:
    """Backtest rows as written: :data:`COLUMNS`, persons rounded to whole persons, coverage as 0/1
    (blank for a point forecast), percentages to four decimals, sorted by direction, method, origin
    and year."""
    out = rows[COLUMNS].copy()
    for col in PERSONS + ["covered_80", "covered_95"]:
        out[col] = out[col].round(0).astype("Int64")
    out[PERCENT] = out[PERCENT].astype(float).round(4)
    return out.sort_values(["direction", "method", "origin", "year"], kind="mergesort").reset_index(drop=True)


def weights_from(rows: pd.DataFrame, direction: str = TW_TO_JP.code) -> dict[str, float]:
    """The long-run weights of ``direction`` from backtest rows (:func:`weights` of :func:`skill`)."""
    return weights(skill(rows[rows["direction"] == direction]))


def backtest_text(rows: pd.DataFrame) -> str:
    """The text of ``longrun_backtest.csv``: the same rows give the same bytes."""
    return tidy(rows).to_csv(index=False, lineterminator="\n", float_format="%.4f")


def parse_backtest(text: str) -> pd.DataFrame:
    """Rows of ``longrun_backtest.csv`` from its text."""
    return pd.read_csv(io.StringIO(text))


def write_backtest(rows: pd.DataFrame, processed_dir: str | Path) -> Path:
    """``longrun_backtest.csv``, atomically (:func:`backtest_text`)."""
    (path,) = replace_files(processed_dir, {LONGRUN_BACKTEST: backtest_text(rows)}, lock=True)
    return path


def read_backtest(processed_dir: str | Path) -> pd.DataFrame:
    """``longrun_backtest.csv`` as written by ``flows forecast``."""
    path = Path(processed_dir) / LONGRUN_BACKTEST
    if not path.is_file():
        raise RawFileError(path, "the long-run backtest is missing: run `flows forecast` (`make forecast`) first")
    return parse_backtest(path.read_text(encoding="utf-8"))


def long_run(direction: str, rows: pd.DataFrame, table: pd.DataFrame, annual: pd.DataFrame,
             engine_paths: pd.DataFrame, observed: pd.Series, as_of: str | pd.Period,
             horizon_end: str | pd.Period = HORIZON_END, n_paths: int = N_PATHS, scale: float = 1.0) -> LongRun | None:
    """The long-run choices of ``direction`` built on ``engine_paths`` (monthly paths continuing
    ``observed``, on JNTO's count × ``scale``), weighted by the backtest ``rows``
    (:func:`read_backtest`): Taiwan → Japan's engine, annual view and combination; None for Japan →
    Taiwan, whose long run is the engine's alone."""
    if direction != TW_TO_JP.code:
        return None
    return long_run_choices(table, annual, weights_from(rows), engine_paths, observed, as_of, horizon_end,
                            n_paths, scale)
