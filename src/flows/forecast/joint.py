"""Sample paths of several series drawn together, their shocks correlated as their residuals.

:func:`flows.forecast.engine.sample_paths` draws one series' future from its own standard-normal
shocks. Summing two series drawn that way (the two-way total) assumes their surprises are
unrelated; travel in both directions between the same two countries is not (a typhoon season, an
exchange-rate swing, an airline's capacity move all hit both). Here each series is fitted once,
its in-sample one-step errors (on the model's log scale) are kept, and the shocks of the series
are drawn from one multivariate normal per calendar month whose correlation is that of the
residuals over the months all series share. Each series' own distribution is unchanged (its
shocks are still standard normal and independent from month to month); only how the series move
together changes, and with it the spread of their sum.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from flows.forecast import engine as fc
from flows.forecast.inputs import as_monthly

MIN_SHARED = 24  # fewer months of shared residuals than this: no estimate, treated as independent


def residual_correlation(residuals: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Pearson correlation of one-step residuals over the months where all are observed.

    Returns the identity (independence) when fewer than :data:`MIN_SHARED` months are shared.
    """
    frame = pd.DataFrame(dict(residuals)).dropna()
    names = list(residuals)
    if len(frame) < MIN_SHARED or (frame.std() == 0).any():
        return pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    return frame[names].corr()


def joint_sample_paths(
    series: Mapping[str, pd.Series],
    end: str | pd.Period,
    n_paths: int = 1000,
    seed: int = 0,
    *,
    correlated: bool = True,
    options: Mapping[str, dict] | None = None,
    **common,
) -> dict[str, pd.DataFrame]:
    """Sample paths of each series from the month after its last observation through ``end``.

    ``correlated``: draw the series' shocks with the correlation of their one-step residuals
    (:func:`residual_correlation`); ``False`` draws them independently (one seed for all, so the
    two results differ only by the correlation). ``options[name]`` and ``common`` are passed to
    :func:`flows.forecast.engine.log_forecast` (e.g. ``interventions``). Returns name → frame shaped as
    :func:`flows.forecast.engine.sample_paths`; the correlation used is in ``attrs["correlation"]``.
    """
    end = pd.Period(end, "M")
    options = options or {}
    fits, index = {}, {}
    for name, y in series.items():
        y = as_monthly(y)
        h = (end - y.index[-1]).n
        if h < 1:
            raise ValueError(f"{name}: end {end} is not after its last month {y.index[-1]}")
        fits[name] = fc.log_forecast(y, h, **{**common, **options.get(name, {})})
        index[name] = pd.period_range(y.index[-1] + 1, end, freq="M")
        resid = fits[name].resid
        fits[name] = (fits[name], pd.Series(
            _padded(resid, len(y)), index=y.index))
    names = list(series)
    corr = residual_correlation({n: fits[n][1] for n in names})
    if not correlated:
        corr = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    first = min(ix[0] for ix in index.values())
    months = pd.period_range(first, end, freq="M")
    rng = np.random.default_rng(seed)
    draws = rng.standard_normal((len(months), n_paths, len(names))) @ np.linalg.cholesky(
        corr.to_numpy() + 1e-12 * np.eye(len(names))).T
    out = {}
    for k, name in enumerate(names):
        lf = fits[name][0]
        rows = months.get_indexer(index[name])
        shocks = draws[rows, :, k]
        paths = lf.values(lf.mean[:, None] + lf.chol @ shocks)
        out[name] = pd.DataFrame(paths, index=index[name], columns=pd.RangeIndex(n_paths))
        out[name].attrs["correlation"] = corr
    return out


def _padded(resid: np.ndarray | None, n: int) -> np.ndarray:
    """The last ``n`` residuals, NaN in front where the fit had fewer (or none)."""
    out = np.full(n, np.nan)
    if resid is not None and len(resid):
        tail = np.asarray(resid, dtype=float)[-n:]
        out[n - len(tail):] = tail
    return out
