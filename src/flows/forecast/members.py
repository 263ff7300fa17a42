"""The members of the forecast combination: each a Gaussian forecast on the ``log(y + c)`` scale.

Every member returns a :class:`LogForecast` — a mean vector and the Cholesky factor of the full
``h × h`` covariance of its forecast errors, and its in-sample one-step errors — so the engine
(:mod:`flows.forecast.engine`) can average members, sum months and draw joint sample paths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

SEASON = 12
# SARIMA(1,0,1)(0,1,1)12 with a constant: annual growth reverts to its long-run mean.
_ARIMA_ORDER = (1, 0, 1)
_ARIMA_SEASONAL = (0, 1, 1)
_ARIMA_TREND = "c"


@dataclass(frozen=True)
class LogForecast:
    """A Gaussian forecast of ``log(y + offset)``: mean (h,) and Cholesky factor (h, h)."""

    mean: np.ndarray
    chol: np.ndarray
    resid: np.ndarray | None = None  # in-sample one-step errors, NaN where none (members only)
    offset: float = 1.0  # c in log(y + c); back-transform exp(z) - c

    def values(self, z: np.ndarray) -> np.ndarray:
        """Back to counts: ``exp(z) - offset``, never below zero."""
        return np.clip(np.exp(z) - self.offset, 0.0, None)

    @property
    def sd(self) -> np.ndarray:
        return np.sqrt(np.sum(self.chol**2, axis=1))



def arima_fit(z: pd.Series, x: pd.DataFrame | None):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    model = SARIMAX(
        z.to_numpy(),
        exog=None if x is None else x.to_numpy(),
        order=_ARIMA_ORDER,
        seasonal_order=(*_ARIMA_SEASONAL, SEASON),
        trend=_ARIMA_TREND,
        concentrate_scale=True,  # one parameter fewer to search: about twice as fast
    )
    # Looser stopping rules than L-BFGS-B's defaults: the same likelihood to 0.01 on M3 and
    # the Taiwan–Japan series, 40 % fewer evaluations of the 26-state Kalman filter.
    return model.fit(disp=False, pgtol=1e-4, factr=1e9)


def arima_forecast(res, h: int, fx: pd.DataFrame | None) -> LogForecast:
    fc = res.get_forecast(h, exog=None if fx is None else fx.to_numpy())
    errors = np.asarray(res.filter_results.forecasts_error[0], dtype=float)
    return LogForecast(
        np.asarray(fc.predicted_mean), chol(state_space_cov(res, h)), resid=errors
    )


def fill_and_adjust(arima_res, z: pd.Series, x, fx):
    """Series for ETS/Theta: NaN filled with Kalman-smoothed values, regression effect removed."""
    values = z.to_numpy().copy()
    missing = np.isnan(values)
    if missing.any():
        values[missing] = arima_res.smoother_results.smoothed_forecasts[0, missing]
    effect = np.zeros(len(values))
    future_effect = None
    if x is not None:
        first = arima_res.model.k_trend  # the constant comes before the regressors
        beta = np.asarray(arima_res.params[first : first + x.shape[1]])
        effect = x.to_numpy() @ beta
        future_effect = fx.to_numpy() @ beta
    return pd.Series(values - effect, index=z.index), future_effect


def shift(lf: LogForecast, effect: np.ndarray | None) -> LogForecast:
    return lf if effect is None else LogForecast(lf.mean + effect, lf.chol, lf.resid)


def ets(z: pd.Series, h: int) -> LogForecast:
    """Damped additive trend, additive seasonality on the log scale (i.e. multiplicative)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(
        z.to_numpy(),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add",
        seasonal_periods=SEASON,
    )
    res = model.fit(disp=False)
    alpha, beta, gamma, phi = (res.params[i] for i in range(4))
    mean = np.asarray(res.forecast(h))
    # Forecast-error weights of ETS(A,Ad,A) (Hyndman et al. 2008, table 6.1):
    # c_j = alpha + beta * (phi + ... + phi^j) + gamma * [j is a multiple of m].
    j = np.arange(1, h)
    cumphi = np.cumsum(phi ** np.arange(1, h)) if h > 1 else np.zeros(0)
    c = alpha + beta * cumphi + gamma * (j % SEASON == 0)
    psi = np.concatenate([[1.0], c])
    return LogForecast(mean, np.sqrt(res.mse) * toeplitz_lower(psi), np.asarray(res.resid))


def theta(z: pd.Series, h: int) -> LogForecast:
    """Theta method (SES with drift) on additively deseasonalised log values.

    The deseasonalising is done here (classical decomposition where the lag-12 autocorrelation
    is significant, as statsmodels' ThetaModel) so
    that the one-step errors and their variance are those of the deseasonalised series:
    statsmodels' ``ThetaModelResults.sigma2`` fits an ARIMA(0,1,1) to the *seasonal* data, which
    on monthly travel series inflated the variance 4–30 fold (and cost a second fit).
    """
    from statsmodels.tsa.forecasting.theta import ThetaModel
    from statsmodels.tsa.seasonal import seasonal_decompose

    values = z.to_numpy()
    n = len(values)
    seasonal = np.zeros(n)
    if seasonality_test(values):
        seasonal = seasonal_decompose(values, model="additive", period=SEASON).seasonal
    x = values - seasonal
    res = ThetaModel(x, period=SEASON, deseasonalize=False).fit()
    alpha, drift = float(res.params["alpha"]), float(res.params["b0"]) / 2
    mean = np.asarray(res.forecast(h)) + seasonal[(n + np.arange(h)) % SEASON]  # period 12 from t = 0
    # One-step errors of SES with drift b0/2 (Hyndman & Billah 2003), level started at x[0].
    resid = np.full(n, np.nan)
    level = x[0]
    for t in range(1, n):
        resid[t] = x[t] - level - drift
        level += alpha * (x[t] - level)
    sigma = np.sqrt(np.nanmean(resid[1:] ** 2))
    # SES forecast errors: e_{T+k} = eps_{T+k} + alpha * (eps_{T+1} + ... + eps_{T+k-1}).
    psi = np.concatenate([[1.0], np.full(h - 1, alpha)])
    return LogForecast(mean, sigma * toeplitz_lower(psi), resid)


def seasonality_test(values: np.ndarray) -> bool:
    """statsmodels' ThetaModel test: lag-12 autocorrelation significant at 10 % (chi² with 1 df)."""
    from statsmodels.tsa.stattools import acf

    rho = acf(values, nlags=SEASON, fft=True)
    return bool(len(values) * rho[-1] ** 2 / np.sum(rho[:-1] ** 2) > stats.chi2.ppf(0.9, 1))


def uc(z: pd.Series, h: int, x, fx) -> LogForecast:
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    model = UnobservedComponents(
        z.to_numpy(),
        level="local linear trend",
        seasonal=SEASON,
        exog=None if x is None else x.to_numpy(),
    )
    res = model.fit(disp=False)
    fc = res.get_forecast(h, exog=None if fx is None else fx.to_numpy())
    return LogForecast(np.asarray(fc.predicted_mean), chol(state_space_cov(res, h)))


def seasonal_naive(z: pd.Series, h: int) -> LogForecast:
    """Last observed value of the same calendar month; errors a seasonal random walk."""
    values = z.to_numpy()
    n = len(values)
    last = pd.Series(values).groupby(np.arange(n) % SEASON).apply(lambda s: s.dropna().iloc[-1])
    steps = np.arange(n, n + h)
    mean = last.reindex(steps % SEASON).to_numpy()
    if np.isnan(mean).any():  # a calendar month never observed: use the last value overall
        mean = np.where(np.isnan(mean), z.dropna().iloc[-1], mean)
    diffs = values[SEASON:] - values[:-SEASON]
    sigma = np.nanstd(diffs) if np.isfinite(diffs).sum() > 1 else 0.0
    # Month k ahead is the k-th seasonal step: cov(i, j) = sigma² · min(ki, kj) for equal months.
    years = np.arange(h) // SEASON + 1
    same = (np.arange(h)[:, None] % SEASON) == (np.arange(h)[None, :] % SEASON)
    cov = sigma**2 * np.minimum(years[:, None], years[None, :]) * same
    # Its median (the published point) is last year's value: the benchmark's point forecast.
    return LogForecast(mean, chol(cov))


def random_walk(z: pd.Series, h: int) -> LogForecast:
    """Fallback for short or constant series: last value, random-walk errors."""
    values = z.dropna().to_numpy()
    sigma = np.std(np.diff(values)) if len(values) > 2 else 0.0
    return LogForecast(np.full(h, values[-1]), sigma * toeplitz_lower(np.ones(h)))


def state_space_cov(res, h: int) -> np.ndarray:
    """Joint covariance of the next ``h`` observations of a time-invariant state-space model.

    Starts from the predicted state for the first future month and its covariance (which
    carries the uncertainty left by gaps), then adds the state and observation shocks.
    """
    ssm = res.filter_results
    Z = ssm.design[:, :, -1]
    T = ssm.transition[:, :, -1]
    R = ssm.selection[:, :, -1]
    Q = ssm.state_cov[:, :, -1]
    H = ssm.obs_cov[:, :, -1]
    P = res.predicted_state_cov[:, :, -1]
    k = T.shape[0]
    # y_{T+1+i} = Z T^i x_{T+1} + sum_{lag=1..i} Z T^(i-lag) R eta_{T+lag} + eps_{T+1+i}
    A = np.empty((h, k))
    power = np.eye(k)
    for i in range(h):
        A[i] = Z[0] @ power
        power = T @ power
    cov = A @ P @ A.T
    RQR = R @ Q @ R.T
    for lag in range(1, h):
        B = np.zeros((h, k))
        B[lag:] = A[: h - lag]
        cov += B @ RQR @ B.T
    cov += H[0, 0] * np.eye(h)
    return cov


def chol(cov: np.ndarray) -> np.ndarray:
    cov = (cov + cov.T) / 2
    jitter = 1e-12 * max(1.0, float(np.max(np.diag(cov))))
    try:
        return np.linalg.cholesky(cov + jitter * np.eye(len(cov)))
    except np.linalg.LinAlgError:  # not numerically positive definite: clip eigenvalues
        vals, vecs = np.linalg.eigh(cov)
        cov = (vecs * vals.clip(min=0)) @ vecs.T
        return np.linalg.cholesky(cov + 1e-9 * max(1.0, float(vals.max())) * np.eye(len(cov)))


def toeplitz_lower(psi: np.ndarray) -> np.ndarray:
    """Lower-triangular matrix with ``psi[i - j]`` at (i, j): forecast error = L @ innovations."""
    h = len(psi)
    idx = np.arange(h)[:, None] - np.arange(h)[None, :]
    return np.where(idx >= 0, psi[np.clip(idx, 0, None)], 0.0)
