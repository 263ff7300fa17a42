"""A reference panel of travel flows and the evaluation of annual totals on it, as one long table.

The outlook's long run is a statement about annual totals three to five years ahead. One series
(Taiwan → Japan) cannot say whether such intervals hold: its five-year windows all end in one boom.
The panel can: every JNTO country market into Japan with monthly counts from 2003 (by nationality)
and every Taiwan inbound market still published in the newest table (by residence, from 2011), each
large enough to forecast (at least :data:`MIN_YEAR` visits in 2019).

:func:`annual_backtest` forecasts each series from December origins and writes one row per series,
origin, years ahead and method — ``median`` (the point), ``mean``, 80 % / 95 % bounds, ``crps`` (from
the paths), ``actual`` and ``last_year`` (the origin year's published total, the scale of the
scores) — and :func:`score` summarises those rows per method and horizon: coverage, median absolute
percentage error, the 95 % interval score over ``last_year``, CRPS over ``last_year`` and how wide
the 95 % intervals are (upper / lower). Targets stop at 2019: the closures are not a forecast error
the panel can calibrate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from flows.analysis import table as tb
from flows.config import SHOCK_WINDOW
from flows.forecast import calibration as cal
from flows.forecast import engine, metrics
from flows.forecast.members import SEASON
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
            panel[f"{origin}→{destination}"] = y.rename(f"{origin}→{destination}")
    return panel


def crps(draws: np.ndarray, actual: float) -> float:
    """Continuous ranked probability score of an ensemble: E|X − y| − ½ E|X − X'| (sorted-sample form)."""
    x = np.sort(np.asarray(draws, dtype=float))
    n = len(x)
    spread = np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / n**2
    return float(np.mean(np.abs(x - actual)) - spread)


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
                             "crps": crps(totals.loc[year].to_numpy(), actual)})
                rows.append({**base, "method": NO_CHANGE, "median": last_year, "mean": last_year,
                             "crps": abs(last_year - actual)})
    columns = ["series", "origin", "horizon", "year", "method", "median", "mean", "lower_80", "upper_80",
               "lower_95", "upper_95", "crps", "actual", "last_year"]
    return pd.DataFrame(rows).reindex(columns=columns)


def monthly_backtest(panel: Mapping[str, pd.Series], origins: Iterable, h: int = 24, min_history: int = 36,
                     mask: Iterable[tuple[str, str]] = (SHOCK_WINDOW,), **options) -> pd.DataFrame:
    """Monthly forecasts 1…``h`` months ahead of each series from each origin month with at least
    ``min_history`` observed months behind it, as one long table: ``series``, ``origin``, ``horizon``,
    ``median`` (the point), 80 % / 95 % bounds, ``actual``, ``snaive`` (the seasonal naive's point) and
    ``scale`` (the MASE denominator: the in-sample seasonal naive's mean absolute error). ``mask``
    months are set aside and never scored; ``options`` go to :func:`flows.forecast.engine.forecast`."""
    frames = []
    for name, y in panel.items():
        y = y.copy()
        for first, last in mask:
            y.loc[pd.Period(first, "M"):pd.Period(last, "M")] = np.nan
        for origin in (pd.Period(o, "M") for o in origins):
            train = y.loc[:origin]
            if train.notna().sum() < min_history or y.index.max() <= origin:
                continue
            months = pd.period_range(origin + 1, periods=h, freq="M")
            fc = engine.forecast(train, h, **options)
            snaive = train.reindex(months - SEASON).to_numpy(dtype=float, copy=True)
            for k in range(SEASON, h):  # beyond a year: the same month of the last observed year
                if np.isnan(snaive[k]):
                    snaive[k] = snaive[k - SEASON]
            frame = fc.reset_index(drop=True)[["median", "lower_80", "upper_80", "lower_95", "upper_95"]]
            frame.insert(0, "horizon", np.arange(1, h + 1))
            frame.insert(0, "origin", str(origin))
            frame.insert(0, "series", name)
            frame["actual"] = y.reindex(months).to_numpy()
            frame["snaive"] = snaive
            frame["scale"] = metrics.seasonal_naive_scale(train, SEASON)
            frames.append(frame[frame["actual"].notna()])
    return pd.concat(frames, ignore_index=True)


def monthly_score(rows: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per ``by`` (every row when empty): ``n``, ``mase_ratio`` (mean over series of the engine's mean
    MASE over the mean of the seasonal naive's, as bench_forecast's section 1), ``smape`` (%) and the
    80 % / 95 % coverage."""
    keys = list(by) or ["all"]
    r = rows.assign(
        all="all",
        ae=(rows["median"] - rows["actual"]).abs() / rows["scale"],
        ae_naive=(rows["snaive"] - rows["actual"]).abs() / rows["scale"],
        smape=metrics.smape(rows["actual"].to_numpy(), rows["median"].to_numpy()),
        in_80=(rows["actual"] >= rows["lower_80"]) & (rows["actual"] <= rows["upper_80"]),
        in_95=(rows["actual"] >= rows["lower_95"]) & (rows["actual"] <= rows["upper_95"]),
    )
    per_series = r.groupby([*keys, "series"])[["ae", "ae_naive"]].mean().groupby(keys).mean()
    g = r.groupby(keys)
    out = pd.DataFrame({"n": g.size(), "mase_ratio": per_series["ae"] / per_series["ae_naive"],
                        "smape": g["smape"].mean(), "coverage_80": g["in_80"].mean(), "coverage_95": g["in_95"].mean()})
    return out


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
    """The panel's long table scored three ways, per years ahead (:func:`score` columns with ``variant``
    and ``horizon``): the engine's paths as drawn, the outlook's long run (growth damped and spread
    calibrated leave-one-series-out: :mod:`flows.forecast.calibration`) and the no-change forecast."""
    engine_rows = rows[rows["method"] == ENGINE]
    variants = {"engine as drawn": engine_rows,
                "outlook's long run": cal.leave_one_out(cal.damped(engine_rows)),
                NO_CHANGE: rows[rows["method"] == NO_CHANGE]}
    frames = [score(r, by=("horizon",)).reset_index().assign(variant=name) for name, r in variants.items()]
    return pd.concat(frames, ignore_index=True)


def interval_score(lower, upper, actual, level: float) -> np.ndarray:
    """Interval score of central ``level`` % intervals (Gneiting & Raftery 2007)."""
    alpha = 1 - level / 100
    lower, upper, actual = (np.asarray(v, dtype=float) for v in (lower, upper, actual))
    return (upper - lower) + 2 / alpha * ((lower - actual) * (actual < lower) + (actual - upper) * (actual > upper))


def score(rows: pd.DataFrame, by: tuple[str, ...] = ("method", "horizon")) -> pd.DataFrame:
    """Per ``by``: ``n``, ``coverage_80`` / ``coverage_95`` (share of actuals inside), ``mdape`` (median
    absolute percentage error of the median, %), ``is95`` (mean 95 % interval score / ``last_year``),
    ``crps`` (mean CRPS / ``last_year``, %) and ``width95`` (median upper / lower of the 95 % interval)."""
    r = rows.assign(
        in_80=(rows["actual"] >= rows["lower_80"]) & (rows["actual"] <= rows["upper_80"]),
        in_95=(rows["actual"] >= rows["lower_95"]) & (rows["actual"] <= rows["upper_95"]),
        ape=100 * (rows["median"] / rows["actual"] - 1).abs(),
        is95=interval_score(rows["lower_95"], rows["upper_95"], rows["actual"], 95) / rows["last_year"],
        crps_pct=100 * rows["crps"] / rows["last_year"],
        width=rows["upper_95"] / rows["lower_95"],
    )
    has_bounds = r["lower_95"].notna()
    g = r.groupby(list(by), sort=True)
    out = pd.DataFrame({
        "n": g.size(),
        "coverage_80": r[has_bounds].groupby(list(by))["in_80"].mean(),
        "coverage_95": r[has_bounds].groupby(list(by))["in_95"].mean(),
        "mdape": g["ape"].median(),
        "is95": r[has_bounds].groupby(list(by))["is95"].mean(),
        "crps": g["crps_pct"].mean(),
        "width95": r[has_bounds].groupby(list(by))["width"].median(),
    })
    return out
