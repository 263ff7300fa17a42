"""Rolling-origin backtests of the engine (or any forecasting callable) on one series."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from flows.forecast import engine, metrics
from flows.forecast.inputs import as_monthly
from flows.forecast.members import SEASON


def backtest(
    y: pd.Series,
    origins: Iterable,
    h: int,
    methods: Sequence[str] | Mapping[str, Callable[[pd.Series, int], pd.DataFrame]] = (
        "combo",
        "snaive",
    ),
    *,
    levels: Sequence[int] = (80, 95),
    progress: bool = True,
    detail: bool = False,
) -> pd.DataFrame:
    """Rolling-origin evaluation of forecasting methods on one series.

    For each origin (a month; the model sees ``y`` up to and including it) and method, forecast
    ``h`` months and score them against the actuals that exist.

    ``methods``: names understood by :func:`forecast` (``method=``), or a mapping from a label
    to a callable ``f(y_train, h) -> DataFrame`` shaped like :func:`forecast`'s output.

    Returns a tidy frame, one row per method and horizon (``detail=True``: per origin too) with
    ``n`` (scored forecasts), ``mase`` (absolute error over the in-sample seasonal-naive MAE,
    m = 12, of the training data), ``smape`` (%), ``coverage_<L>`` (share of actuals inside the
    L % interval) and ``winkler_<L>`` (interval score divided by the same MASE scale, so it can
    be averaged across series; Gneiting & Raftery 2007, M4's MSIS).
    """
    y = as_monthly(y)
    if not isinstance(methods, Mapping):
        methods = {name: _named_method(name, levels) for name in methods}
    origins = [pd.Period(o, "M") for o in origins]
    rows = []
    with _progress_bar(len(origins) * len(methods), progress) as bar:
        for origin in origins:
            train = y.loc[:origin]
            actual = y.reindex(pd.period_range(origin + 1, periods=h, freq="M"))
            scale = metrics.seasonal_naive_scale(train, SEASON)
            for label, func in methods.items():
                fc = func(train, h)
                scored = metrics.score(actual, fc, scale=scale, levels=levels, point=engine.POINT)
                scored.insert(0, "origin", origin)
                scored.insert(0, "method", label)
                rows.append(scored)
                bar.update(1)
    table = pd.concat(rows, ignore_index=True)
    if detail:
        return table
    return metrics.summarise(table, by=["method", "horizon"])


def _named_method(name: str, levels: Sequence[int]) -> Callable[[pd.Series, int], pd.DataFrame]:
    def run(train: pd.Series, h: int) -> pd.DataFrame:
        return engine.forecast(train, h, levels=levels, method=name)

    return run


@contextlib.contextmanager
def _progress_bar(total: int, enabled: bool):
    from tqdm.auto import tqdm

    bar = tqdm(total=total, disable=not enabled, desc="backtest", leave=False)
    try:
        yield bar
    finally:
        bar.close()
