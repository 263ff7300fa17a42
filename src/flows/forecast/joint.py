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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from flows.forecast import engine as fc
from flows.forecast.inputs import as_monthly
from flows.forecast.members import LogForecast

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


@dataclass
class JointFit:
    """Each series fitted once (its Gaussian forecast on the log scale, months ``index``) and the
    correlation of the series' one-step residuals; :meth:`draw` turns them into sample paths."""

    fits: dict[str, LogForecast]
    index: dict[str, pd.PeriodIndex]
    correlation: pd.DataFrame

    def draw(self, n_paths: int = 1000, seed: int = 0, *, correlated: bool = True) -> dict[str, pd.DataFrame]:
        """Sample paths of every series, shaped as :func:`flows.forecast.engine.sample_paths`.

        Each calendar month gets one vector of standard-normal shocks, one per series, correlated as
        :attr:`correlation` (``correlated=False``: independent). The same ``seed`` gives the first
        series the same shocks either way, so the two draws differ only by how the others move with it.
        """
        names = list(self.fits)
        corr = self.correlation.to_numpy() if correlated else np.eye(len(names))
        months = pd.period_range(min(ix[0] for ix in self.index.values()),
                                 max(ix[-1] for ix in self.index.values()), freq="M")
        rng = np.random.default_rng(seed)
        draws = rng.standard_normal((len(months), n_paths, len(names))) @ np.linalg.cholesky(
            corr + 1e-12 * np.eye(len(names))).T
        out = {}
        for k, name in enumerate(names):
            lf = self.fits[name]
            shocks = draws[months.get_indexer(self.index[name]), :, k]
            paths = lf.values(lf.mean[:, None] + lf.chol @ shocks)
            out[name] = pd.DataFrame(paths, index=self.index[name], columns=pd.RangeIndex(n_paths))
            out[name].attrs["correlation"] = pd.DataFrame(corr, index=names, columns=names)
        return out


def fit_jointly(series: Mapping[str, pd.Series], end: str | pd.Period, *,
                options: Mapping[str, dict] | None = None, **common) -> JointFit:
    """Fit each series from the month after its last observation through ``end`` and estimate
    the correlation of their one-step residuals (:func:`residual_correlation`).

    ``options[name]`` and ``common`` are passed to :func:`flows.forecast.engine.log_forecast`
    (e.g. ``interventions``).
    """
    end = pd.Period(end, "M")
    options = options or {}
    fits, index, residuals = {}, {}, {}
    for name, y in series.items():
        y = as_monthly(y)
        h = (end - y.index[-1]).n
        if h < 1:
            raise ValueError(f"{name}: end {end} is not after its last month {y.index[-1]}")
        fits[name] = fc.log_forecast(y, h, **{**common, **options.get(name, {})})
        index[name] = pd.period_range(y.index[-1] + 1, end, freq="M")
        residuals[name] = pd.Series(_padded(fits[name].resid, len(y)), index=y.index)
    return JointFit(fits, index, residual_correlation(residuals))


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
    """Sample paths of each series from the month after its last observation through ``end``:
    :func:`fit_jointly`, then :meth:`JointFit.draw`. The correlation used is in
    ``attrs["correlation"]`` of each frame (the identity when ``correlated=False``)."""
    return fit_jointly(series, end, options=options, **common).draw(n_paths, seed, correlated=correlated)


def _padded(resid: np.ndarray | None, n: int) -> np.ndarray:
    """The last ``n`` residuals, NaN in front where the fit had fewer (or none)."""
    out = np.full(n, np.nan)
    if resid is not None and len(resid):
        tail = np.asarray(resid, dtype=float)[-n:]
        out[n - len(tail):] = tail
    return out
