"""Forecast accuracy measures: of monthly backtests (:func:`flows.forecast.backtest`, :mod:`flows.forecast.evaluation`),
of the panel's annual forecasts (:func:`annual_scores`) and of the recorded vintages (:func:`published_scores`):
the one place forecasts are scored.

Definitions follow Hyndman & Koehler (2006) and the M4 competition:

* MASE: absolute error divided by the in-sample mean absolute error of the seasonal naive
  forecast (m = 12) on the training data, so it is comparable across series of any size and a
  value of 1 means "as good as last year's same month, in sample";
* sMAPE: ``200 · |y − f| / (|y| + |f|)`` in percent (0 when both are 0);
* coverage: share of actuals inside the central L % prediction interval;
* Winkler (interval) score for the L % interval ``[l, u]`` with ``a = 1 − L/100``:
  ``(u − l) + (2/a)(l − y)·[y < l] + (2/a)(y − u)·[y > u]`` — rewards narrow intervals and
  penalises misses; divided by the MASE scale (M4's MSIS) so it averages across series;
* CRPS of an ensemble of sample paths (Gneiting & Raftery 2007): the absolute error for a point.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def seasonal_naive_scale(train: pd.Series, m: int = 12) -> float:
    """In-sample MAE of the seasonal naive forecast ``y[t-m]``, ignoring missing pairs."""
    values = train.to_numpy(dtype=float)
    diffs = np.abs(values[m:] - values[:-m])
    diffs = diffs[np.isfinite(diffs)]
    if len(diffs) == 0:
        return np.nan
    return float(np.mean(diffs))


def smape(actual: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Symmetric absolute percentage error per point, in percent."""
    actual = np.asarray(actual, dtype=float)
    predicted = np.asarray(predicted, dtype=float)
    denom = np.abs(actual) + np.abs(predicted)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom == 0, 0.0, 200 * np.abs(actual - predicted) / denom)


def winkler(actual, lower, upper, level: float) -> np.ndarray:
    """Interval score of the central ``level`` % interval ``[lower, upper]`` per point."""
    actual, lower, upper = (np.asarray(a, dtype=float) for a in (actual, lower, upper))
    a = 1 - level / 100
    return (
        (upper - lower)
        + (2 / a) * (lower - actual) * (actual < lower)
        + (2 / a) * (actual - upper) * (actual > upper)
    )


def score(
    actual: pd.Series,
    fc: pd.DataFrame,
    *,
    scale: float,
    levels: Sequence[int] = (80, 95),
    point: str = "mean",
) -> pd.DataFrame:
    """Point-by-point scores of one forecast against the actuals that exist.

    ``actual`` and ``fc`` share the forecast months as index; months whose actual is NaN are
    dropped. ``point`` names the column scored as the point forecast (``mean`` when ``fc`` has
    no such column, e.g. a callable's output). Returns columns ``horizon, month, actual, forecast, abs_error, ape, mase, smape``
    and ``lower_<L>``, ``upper_<L>``, ``covered_<L>``, ``winkler_<L>`` per level (Winkler divided by ``scale``).
    """
    actual = actual.reindex(fc.index)
    horizon = np.arange(1, len(fc) + 1)
    y = actual.to_numpy(dtype=float)
    f = fc[point if point in fc.columns else "mean"].to_numpy(dtype=float)
    err = np.abs(y - f)
    with np.errstate(invalid="ignore", divide="ignore"):
        ape = np.where(y == 0, np.nan, 100 * err / np.abs(y))
    out = pd.DataFrame(
        {
            "horizon": horizon,
            "month": fc.index,
            "actual": y,
            "forecast": f,
            "abs_error": err,
            "ape": ape,
            "mase": err / scale,
            "smape": smape(y, f),
        }
    )
    for level in levels:
        lo = fc[f"lower_{level:g}"].to_numpy(dtype=float)
        hi = fc[f"upper_{level:g}"].to_numpy(dtype=float)
        out[f"lower_{level:g}"], out[f"upper_{level:g}"] = lo, hi
        out[f"covered_{level:g}"] = ((y >= lo) & (y <= hi)).astype(float)
        out[f"winkler_{level:g}"] = winkler(y, lo, hi, level) / scale
    return out[np.isfinite(y)].reset_index(drop=True)


def summarise(table: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Mean of each score over the rows of ``table`` sharing ``by``; ``n`` counts them."""
    covered = [c for c in table.columns if c.startswith("covered_")]
    wink = [c for c in table.columns if c.startswith("winkler_")]
    cols = ["mase", "smape", "ape", *covered, *wink]
    grouped = table.groupby(list(by), sort=True)[cols]
    out = grouped.mean()
    out.insert(0, "n", grouped.size())
    out = out.rename(columns={c: c.replace("covered_", "coverage_") for c in covered})
    out = out.rename(columns={"ape": "mape"})
    return out.reset_index()


def crps(draws: np.ndarray, actual: float) -> float:
    """Continuous ranked probability score of an ensemble: E|X − y| − ½ E|X − X'| (sorted-sample form);
    the absolute error for a single draw."""
    x = np.sort(np.asarray(draws, dtype=float))
    n = len(x)
    spread = np.sum((2 * np.arange(1, n + 1) - n - 1) * x) / n**2
    return float(np.mean(np.abs(x - actual)) - spread)


def published_scores(rows: pd.DataFrame, by: Sequence[str], point: str = "mean") -> pd.DataFrame:
    """Scores of a long table of forecasts against the months published since (the vintages:
    :func:`flows.forecast.vintages.against_actuals`) per ``by``: ``n`` scored months, ``first`` and ``last``
    month, ``mape`` and ``bias`` (mean absolute and mean percentage error of ``point``; negative = too low)
    and ``coverage_80`` / ``coverage_95``."""
    r = rows.assign(pe=100 * (rows[point] / rows["actual"] - 1))
    for level in (80, 95):
        r[f"in_{level}"] = ((r["actual"] >= r[f"lower_{level}"]) & (r["actual"] <= r[f"upper_{level}"])).astype(float)
    g = r.groupby(list(by), sort=True)
    return pd.DataFrame({
        "n": g.size(),
        "first": g["month"].min(),
        "last": g["month"].max(),
        "mape": g["pe"].apply(lambda e: float(np.mean(np.abs(e)))),
        "bias": g["pe"].mean(),
        "coverage_80": g["in_80"].mean(),
        "coverage_95": g["in_95"].mean(),
    }).reset_index()


def annual_scores(rows: pd.DataFrame, by: Sequence[str] = ("method", "horizon")) -> pd.DataFrame:
    """Scores of a long table of annual forecasts (:func:`flows.forecast.panel.annual_backtest`) per
    ``by``: ``n``, ``coverage_80`` / ``coverage_95`` (share of actuals inside), ``mdape`` (median absolute
    percentage error of the median, %), ``is95`` (mean 95 % Winkler score over ``last_year``, the
    origin year's total), ``crps`` (mean CRPS over ``last_year``, %) and ``width95`` (median upper /
    lower of the 95 % interval)."""
    r = rows.assign(
        in_80=(rows["actual"] >= rows["lower_80"]) & (rows["actual"] <= rows["upper_80"]),
        in_95=(rows["actual"] >= rows["lower_95"]) & (rows["actual"] <= rows["upper_95"]),
        ape=100 * (rows["median"] / rows["actual"] - 1).abs(),
        is95=winkler(rows["actual"], rows["lower_95"], rows["upper_95"], 95) / rows["last_year"],
        crps_pct=100 * rows["crps"] / rows["last_year"],
        width=rows["upper_95"] / rows["lower_95"],
    )
    bounded = r[r["lower_95"].notna()].groupby(list(by))
    g = r.groupby(list(by), sort=True)
    return pd.DataFrame({
        "n": g.size(),
        "coverage_80": bounded["in_80"].mean(),
        "coverage_95": bounded["in_95"].mean(),
        "mdape": g["ape"].median(),
        "is95": bounded["is95"].mean(),
        "crps": g["crps_pct"].mean(),
        "width95": bounded["width"].median(),
    })
