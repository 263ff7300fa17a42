"""Rolling-origin backtests of several series at once, with the shock window set aside, and their summary."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from flows.config import SHOCK_WINDOW
from flows.forecast import metrics, rolling

MASK = (SHOCK_WINDOW,)


def masked(y: pd.Series, mask: Iterable[tuple[str, str]] = MASK) -> pd.Series:
    """A copy of ``y`` with the ``mask`` months set to NaN (neither fitted nor scored)."""
    y = y.copy()
    for first, last in mask:
        y.loc[pd.Period(first, "M"):pd.Period(last, "M")] = np.nan
    return y


def run_backtests(series: Mapping[str, pd.Series], origins: Mapping[str, Sequence], h: int,
                  methods: Sequence[str] | Mapping[str, Callable] = ("combo", "ets", "arima", "snaive"),
                  mask: Iterable[tuple[str, str]] = MASK) -> pd.DataFrame:
    """Rolling-origin backtests (:func:`flows.forecast.backtest`, per-forecast rows) of each
    series, with the ``mask`` months set to NaN.

    ``origins``: regime label → origin months. ``methods``: names, or label → callable as
    :func:`flows.forecast.rolling.backtest` takes them. Returns the rows of ``backtest(detail=True)`` with
    ``series`` and ``regime`` columns in front; an origin whose forecasts have no actual yet
    contributes no rows.
    """
    frames = []
    for name, y in series.items():
        y = masked(y, mask)
        for regime, months in origins.items():
            chosen = methods if isinstance(methods, Mapping) else tuple(methods)
            rows = rolling.backtest(y, months, h, chosen, progress=False, detail=True)
            rows.insert(0, "regime", regime)
            rows.insert(0, "series", name)
            frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def backtest_summary(rows: pd.DataFrame, by: Sequence[str] = ("series", "regime", "method")) -> pd.DataFrame:
    """Mean scores of :func:`run_backtests` rows per ``by`` (``n`` counts scored forecasts), with
    ``mase_vs_snaive``: each row's MASE over the seasonal naive's in the same group."""
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
