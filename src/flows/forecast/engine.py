"""Monthly forecasts with honest intervals, sample paths and rolling-origin backtests.

One automatic forecaster, the same for every series (no per-series tuning):

* the series is modelled on the ``log1p`` scale, where travel flows are roughly additive
  (growth is a percentage, seasonality a ratio) and back-transformed values are never negative;
* one-off shocks are set aside first: months whose robust-STL remainder lies more than five
  interquartile ranges outside its quartiles (the idea of R's ``tsclean``, with a wider fence
  because robust STL's remainders are tight) become missing values. Without this, SARS 2003 or
  the 2011 earthquake inflate every model's error variance for ever after; on Gaussian
  simulated series the rule flags almost nothing;
* two statsmodels models are fitted — damped-trend ETS(A,Ad,A) (on the log scale, i.e. a
  multiplicative model) and SARIMA(1,0,1)(0,1,1)12 with a constant — and their forecasts are
  averaged. Equal-weight combinations of simple models are a robust default for monthly data
  (M3/M4); picking one model per series is noisier. The SARIMA models the year-on-year change
  of the log series (annual growth) as an ARMA(1,1) around a constant: growth reverts to its
  long-run mean instead of being a random walk. Until 2026 the default was the "airline"
  SARIMA(0,1,1)(0,1,1)12, whose d = 1 and D = 1 make growth a random walk: a transient
  surge (the 2023→2024 reopening) became permanent growth (Taiwan → Japan 15.7 M in 2030
  against 6.8 M in 2025) and the variance grew too fast with horizon (95 % intervals covered
  98 % of outcomes in the JNTO backtest, ~99–100 % beyond a year). In the rolling-origin
  backtest on 36 JNTO markets (``bench/bench_forecast.py``, figures there) the pair beats the
  seasonal naive by about a third (MASE 0.63×, 0.61× before) with 95 % intervals holding 96 %
  of outcomes, and the post-COVID Taiwan → Japan check is within target. The long-run mean is
  the history's: for Taiwan → Japan it includes 2012–2019's fast growth, so 2030 still comes out
  at 11.8 M (95 %: 7.5–17.5 M); Japan → Taiwan 1.5 M (0.8–2.8 M). Adding Theta or an
  unobserved-components model made the point forecasts no better and the intervals too wide;
  both remain available as ``method="theta"`` / ``"uc"``;
* each member gives a Gaussian forecast on the log scale: a mean vector and the full ``h × h``
  covariance of its forecast errors, so sums over months are right. The combination averages
  the means and the Cholesky factors of the covariances — the distribution of the average of
  the members' paths driven by the same innovations, shrunk by how much smaller the averaged
  fit's in-sample one-step errors are than the members'. Quantiles are exact log-normal quantiles;
  ``mean`` is the log-normal mean; sample paths are draws from the same distribution.

Missing months (``NaN``) — gaps, or a shock window the caller masks such as 2020-02 → 2022-12 —
are handled by the state-space SARIMA natively. ETS needs a contiguous history: short gaps are
filled with the SARIMA's Kalman-smoothed values, and after a long gap (a year or more) ETS is
fitted only to the stretch that starts a year after it, if that holds two years; otherwise the
SARIMA forecasts alone. The first year after a long gap is the recovery toward the old level,
not growth: bridging the gap by interpolation, or fitting ETS from the reopening, lets its trend
read that recovery as growth and extrapolate it.

Optional exogenous regressors (``exog`` / ``future_exog``, e.g. Lunar New Year holiday days per
month from ``flows.calendar``) enter the SARIMA as regressors; ETS is fitted to the series with
that regression effect removed and has it added back to its forecasts.

Metrics for the backtest live in :mod:`flows.metrics`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from flows.forecast import metrics

SEASON = 12
MEMBERS = ("ets", "arima", "theta")
METHODS = ("combo", "ets", "arima", "theta", "uc", "snaive")
_MIN_SEASONAL_OBS = 2 * SEASON  # fewer observations than this: no seasonal model can be fitted
_LONG_GAP = SEASON  # consecutive missing months that ETS and Theta do not bridge
_RECOVERY = SEASON  # months after a long gap that ETS and Theta skip: recovery, not trend
_MIN_SEGMENT = 2 * SEASON  # months after that needed to fit ETS and Theta there
# SARIMA(1,0,1)(0,1,1)12 with a constant: annual growth reverts to its long-run mean.
_ARIMA_ORDER = (1, 0, 1)
_ARIMA_SEASONAL = (0, 1, 1)
_ARIMA_TREND = "c"
POINT = "median"  # the published point forecast: the column backtests score
OFFSET_SHARE = 0.1  # c = max(1, OFFSET_SHARE · mean(y) - min(y)) in log(y + c)
OUTLIER_FENCE = 8.0  # interquartile ranges; 0 keeps every observation
FENCE_KEEP_LAST = 12  # the newest months are never set aside
SHRINK = True
BETWEEN = 1.0
INTERVAL_SCALE = 1.08


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


# ---------------------------------------------------------------------------------------------
# Public API


def forecast(
    y: pd.Series,
    h: int,
    *,
    levels: Sequence[int] = (80, 95),
    **options,
) -> pd.DataFrame:
    """Forecast the next ``h`` months of ``y`` with prediction intervals.

    Parameters
    ----------
    y : monthly series with a ``PeriodIndex`` (freq M), values ≥ 0; zeros and NaN allowed.
    h : number of months ahead.
    levels : central prediction-interval levels in percent.
    **options : see :func:`log_forecast` (``method``, ``exog``, ``future_exog``,
        ``interventions``).

    Returns
    -------
    DataFrame indexed by the next ``h`` months (``PeriodIndex``) with ``mean`` and
    ``lower_<L>`` / ``upper_<L>`` per level; all values ≥ 0. ``mean`` is the mean of the
    forecast distribution (not the median), so forecasts of different months can be added.
    """
    y = _as_monthly(y)
    lf = log_forecast(y, h, **options)
    sd = lf.sd
    out = {"mean": lf.values(lf.mean + sd**2 / 2), "median": lf.values(lf.mean)}
    for level in levels:
        q = stats.norm.ppf(0.5 + level / 200)
        out[f"lower_{level:g}"] = lf.values(lf.mean - q * sd)
        out[f"upper_{level:g}"] = lf.values(lf.mean + q * sd)
    return pd.DataFrame(out, index=_future_index(y, h))


def sample_paths(
    y: pd.Series,
    h: int,
    n_paths: int = 1000,
    seed: int = 0,
    **options,
) -> pd.DataFrame:
    """Draw ``n_paths`` joint future paths of the next ``h`` months.

    Index: the ``h`` future months (``PeriodIndex``); columns: path number ``0 … n_paths-1``;
    values: non-negative floats. Months within a path are correlated as the model implies, so
    sums of a path over months (annual totals) or over series give correct intervals.
    Deterministic for a given ``seed``. Options as in :func:`forecast`.
    """
    y = _as_monthly(y)
    lf = log_forecast(y, h, **options)
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal((h, n_paths))
    paths = lf.values(lf.mean[:, None] + lf.chol @ shocks)
    return pd.DataFrame(paths, index=_future_index(y, h), columns=pd.RangeIndex(n_paths))


def log_forecast(
    y: pd.Series,
    h: int,
    *,
    method: str = "combo",
    exog: pd.DataFrame | None = None,
    future_exog: pd.DataFrame | None = None,
    interventions: Iterable[tuple[str, str]] = (),
    outliers: float | None = None,
) -> LogForecast:
    """Fit ``method`` to ``log1p(y)`` and return its Gaussian forecast on that scale.

    ``method``: ``"combo"`` (default: mean of damped ETS and SARIMA(1,0,1)(0,1,1)12 + constant),
    or one model —
    ``"ets"``, ``"arima"``, ``"theta"``, ``"uc"`` (unobserved components: local linear trend
    + seasonal), ``"snaive"`` (seasonal naive, the benchmark).
    ``exog``/``future_exog``: regressors for the observed months of ``y`` and the ``h`` future
    months (same columns). ``interventions``: ``(first, last)`` month pairs whose observations
    are set to NaN before fitting (a shock that should not shape the forecast).
    ``outliers``: months whose robust-STL remainder lies more than this many interquartile
    ranges outside the quartiles are treated as missing too (as R's ``tsclean``); ``None``
    keeps every observation. One-off shocks (SARS 2003, the 2011 earthquake) otherwise inflate
    every model's error variance and drag its level.
    """
    if h < 1:
        raise ValueError(f"h must be at least 1, got {h}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {METHODS}")
    y = _as_monthly(y)
    for first, last in interventions:
        y.loc[pd.Period(first, "M") : pd.Period(last, "M")] = np.nan
    n_obs = int(y.notna().sum())
    if n_obs == 0:
        raise ValueError("y has no observed values")
    offset = log_offset(y)
    z = np.log(y + offset)
    x, fx = _align_exog(y, h, exog, future_exog)
    if n_obs < _MIN_SEASONAL_OBS or np.nanstd(z.to_numpy()) == 0:
        return replace(_random_walk(z, h), offset=offset)
    outliers = OUTLIER_FENCE if outliers is None else outliers
    with _quiet(), single_threaded():
        start = _segment_start(z)
        if outliers:
            # Judge outliers net of the regressors, or a holiday month looks like a shock.
            effect = 0.0 if x is None else x.to_numpy() @ _rough_exog_effect(z, x)
            z = z.mask(_outlier_mask(z - effect, outliers))
        return replace(_fit(method, z, h, x, fx, start), offset=offset)


def log_offset(y: pd.Series) -> float:
    """``c`` of the transform ``log(y + c)``: a share of the series' mean level, at least 1.

    TODO: verified by bench/bench_m3.py and the own-series backtest.
    """
    values = y.to_numpy(dtype=float)
    return max(1.0, OFFSET_SHARE * float(np.nanmean(values)) - float(np.nanmin(values)))


@contextlib.contextmanager
def single_threaded():
    """Hold BLAS/OpenMP to one thread while fitting.

    statsmodels' matrices are tiny (a few dozen states): threads gain nothing and, in a pool
    or beside other jobs on a small machine, spinning BLAS threads made one forecast 5× slower
    (14 s against 2.5 s for a JNTO market). Applies in notebooks, backtests and pools alike.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


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
    y = _as_monthly(y)
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
                scored = metrics.score(actual, fc, scale=scale, levels=levels, point=POINT)
                scored.insert(0, "origin", origin)
                scored.insert(0, "method", label)
                rows.append(scored)
                bar.update(1)
    table = pd.concat(rows, ignore_index=True)
    if detail:
        return table
    return metrics.summarise(table, by=["method", "horizon"])


# ---------------------------------------------------------------------------------------------
# Members: each returns a LogForecast on the log1p scale


def _fit(method: str, z: pd.Series, h: int, x, fx, start: int = 0) -> LogForecast:
    """Fit ``method``; ``start`` is the first month after the last long gap (else 0).

    ETS and Theta use the history from ``_RECOVERY`` months after that; when fewer than
    ``_MIN_SEGMENT`` months remain, the combination uses the SARIMA
    alone; ETS or Theta asked for by name then bridge the gap with the smoothed values.
    """
    if method == "snaive":
        return _seasonal_naive(z, h)
    if method == "uc":
        return _uc(z, h, x, fx)
    arima_res = _arima_fit(z, x)
    if method == "arima":
        return _arima_forecast(arima_res, h, fx)
    # ETS and Theta: gaps filled, regression effect removed, history after any long gap.
    filled, future_effect = _fill_and_adjust(arima_res, z, x, fx)
    if start > 0:
        start = min(len(filled), start + _RECOVERY)
    bridge_gap = len(filled) - start < _MIN_SEGMENT
    if not bridge_gap:
        filled = filled.iloc[start:]
    members = {
        "ets": lambda: _shift(_ets(filled, h), future_effect),
        "theta": lambda: _shift(_theta(filled, h), future_effect),
        "arima": lambda: _arima_forecast(arima_res, h, fx),
    }
    if method != "combo":
        return members[method]()
    observed = z.notna().to_numpy()
    fitted = []
    for name in MEMBERS:
        if name != "arima" and bridge_gap:  # too little history after a long gap
            continue
        try:
            member = members[name]()
        except (np.linalg.LinAlgError, ValueError):  # a member that cannot fit drops out
            continue
        resid = np.full(len(z), np.nan)
        resid[len(z) - len(member.resid) :] = member.resid
        resid[~observed] = np.nan  # errors at filled months are not errors
        fitted.append(LogForecast(member.mean, member.chol, resid))
    if not fitted:
        return _seasonal_naive(z, h)
    resid = np.nanmean([f.resid for f in fitted], axis=0)  # averaged one-step errors, where any
    resid[: 2 * SEASON] = np.nan  # the first years' errors reflect the models' initialisation
    mean = np.mean([f.mean for f in fitted], axis=0)
    chol = (_combination_shrink(fitted) if SHRINK else 1.0) * np.mean([f.chol for f in fitted], axis=0)
    if BETWEEN and len(fitted) > 1:
        # Between-member spread (as in Bayesian model averaging: total = within + between):
        # where the members disagree about the future, the combination is less sure of it.
        spread = np.stack([f.mean - mean for f in fitted], axis=1)
        chol = _chol(chol @ chol.T + BETWEEN * spread @ spread.T / len(fitted))
    return LogForecast(resid=resid, mean=mean, chol=INTERVAL_SCALE * chol)


def _combination_shrink(fitted: list[LogForecast]) -> float:
    """How much smaller the combination's one-step errors are than its members' (≤ 1).

    Averaging the members' Cholesky factors treats their errors as perfectly correlated; they
    are not, so the average forecast is more accurate than either member and the plain average
    of spreads is too wide (95 % intervals covered 98 % in the JNTO backtest). The ratio of the
    RMS in-sample one-step error of the averaged fit to the mean of the members' RMS errors,
    over the months where all have one, estimates that gain for each series.
    """
    if len(fitted) < 2:
        return 1.0
    errors = np.vstack([f.resid for f in fitted])[:, 2 * SEASON :]
    errors = errors[:, np.isfinite(errors).all(axis=0)]
    if errors.shape[1] < SEASON:
        return 1.0
    rms_members = np.sqrt(np.mean(errors**2, axis=1)).mean()
    rms_combined = np.sqrt(np.mean(errors.mean(axis=0) ** 2))
    if rms_members == 0:
        return 1.0
    return float(min(1.0, rms_combined / rms_members))


def _segment_start(z: pd.Series) -> int:
    """Position just after the last run of at least ``_LONG_GAP`` missing months (else 0)."""
    missing = z.isna().to_numpy()
    run = 0
    start = 0
    for i, is_missing in enumerate(missing):
        run = run + 1 if is_missing else 0
        if run >= _LONG_GAP:
            start = i + 1
    return start


def _arima_fit(z: pd.Series, x: pd.DataFrame | None):
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


def _arima_forecast(res, h: int, fx: pd.DataFrame | None) -> LogForecast:
    fc = res.get_forecast(h, exog=None if fx is None else fx.to_numpy())
    errors = np.asarray(res.filter_results.forecasts_error[0], dtype=float)
    return LogForecast(
        np.asarray(fc.predicted_mean), _chol(_state_space_cov(res, h)), resid=errors
    )


def _fill_and_adjust(arima_res, z: pd.Series, x, fx):
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


def _shift(lf: LogForecast, effect: np.ndarray | None) -> LogForecast:
    return lf if effect is None else LogForecast(lf.mean + effect, lf.chol, lf.resid)


def _ets(z: pd.Series, h: int) -> LogForecast:
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
    return LogForecast(mean, np.sqrt(res.mse) * _toeplitz_lower(psi), np.asarray(res.resid))


def _theta(z: pd.Series, h: int) -> LogForecast:
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
    if _seasonality_test(values):
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
    return LogForecast(mean, sigma * _toeplitz_lower(psi), resid)


def _seasonality_test(values: np.ndarray) -> bool:
    """statsmodels' ThetaModel test: lag-12 autocorrelation significant at 10 % (chi² with 1 df)."""
    from statsmodels.tsa.stattools import acf

    rho = acf(values, nlags=SEASON, fft=True)
    return bool(len(values) * rho[-1] ** 2 / np.sum(rho[:-1] ** 2) > stats.chi2.ppf(0.9, 1))


def _uc(z: pd.Series, h: int, x, fx) -> LogForecast:
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    model = UnobservedComponents(
        z.to_numpy(),
        level="local linear trend",
        seasonal=SEASON,
        exog=None if x is None else x.to_numpy(),
    )
    res = model.fit(disp=False)
    fc = res.get_forecast(h, exog=None if fx is None else fx.to_numpy())
    return LogForecast(np.asarray(fc.predicted_mean), _chol(_state_space_cov(res, h)))


def _seasonal_naive(z: pd.Series, h: int) -> LogForecast:
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
    return LogForecast(mean, _chol(cov))


def _random_walk(z: pd.Series, h: int) -> LogForecast:
    """Fallback for short or constant series: last value, random-walk errors."""
    values = z.dropna().to_numpy()
    sigma = np.std(np.diff(values)) if len(values) > 2 else 0.0
    return LogForecast(np.full(h, values[-1]), sigma * _toeplitz_lower(np.ones(h)))


# ---------------------------------------------------------------------------------------------
# Helpers


def _rough_exog_effect(z: pd.Series, x: pd.DataFrame) -> np.ndarray:
    """Least-squares coefficients of year-on-year changes of ``z`` on those of ``x``."""
    dz = (z - z.shift(SEASON)).to_numpy()
    dx = (x - x.shift(SEASON)).to_numpy()
    ok = np.isfinite(dz) & np.isfinite(dx).all(axis=1)
    if ok.sum() <= x.shape[1]:
        return np.zeros(x.shape[1])
    return np.linalg.lstsq(dx[ok], dz[ok], rcond=None)[0]


def _outlier_mask(z: pd.Series, threshold: float) -> np.ndarray:
    """Observed months far outside the robust STL remainder's interquartile range."""
    from statsmodels.tsa.seasonal import STL

    filled = z.interpolate(limit_direction="both").to_numpy()
    resid = STL(filled, period=SEASON, seasonal=13, robust=True).fit().resid
    resid[z.isna().to_numpy()] = np.nan
    q1, q3 = np.nanpercentile(resid, [25, 75])
    spread = threshold * (q3 - q1)
    if spread == 0:
        return np.zeros(len(z), dtype=bool)
    mask = (resid < q1 - spread) | (resid > q3 + spread)
    if FENCE_KEEP_LAST:
        mask[-FENCE_KEEP_LAST:] = False
    return mask


def _state_space_cov(res, h: int) -> np.ndarray:
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


def _chol(cov: np.ndarray) -> np.ndarray:
    cov = (cov + cov.T) / 2
    jitter = 1e-12 * max(1.0, float(np.max(np.diag(cov))))
    try:
        return np.linalg.cholesky(cov + jitter * np.eye(len(cov)))
    except np.linalg.LinAlgError:  # not numerically positive definite: clip eigenvalues
        vals, vecs = np.linalg.eigh(cov)
        cov = (vecs * vals.clip(min=0)) @ vecs.T
        return np.linalg.cholesky(cov + 1e-9 * max(1.0, float(vals.max())) * np.eye(len(cov)))


def _toeplitz_lower(psi: np.ndarray) -> np.ndarray:
    """Lower-triangular matrix with ``psi[i - j]`` at (i, j): forecast error = L @ innovations."""
    h = len(psi)
    idx = np.arange(h)[:, None] - np.arange(h)[None, :]
    return np.where(idx >= 0, psi[np.clip(idx, 0, None)], 0.0)


def _as_monthly(y: pd.Series) -> pd.Series:
    """A float copy of ``y`` on a complete monthly PeriodIndex (missing months → NaN)."""
    if not isinstance(y, pd.Series):
        raise TypeError(f"y must be a pandas Series, got {type(y).__name__}")
    index = y.index
    if isinstance(index, pd.DatetimeIndex):
        index = index.to_period("M")
    if not isinstance(index, pd.PeriodIndex) or index.freqstr != "M":
        raise TypeError("y must have a monthly PeriodIndex (freq 'M')")
    if index.has_duplicates:
        raise ValueError("y has duplicate months")
    values = pd.Series(pd.to_numeric(y, errors="coerce").to_numpy(dtype=float), index=index)
    values = values.sort_index()
    if (values < 0).any():
        raise ValueError("y has negative values; flows are counts")
    full = pd.period_range(values.index.min(), values.index.max(), freq="M")
    values = values.reindex(full)
    first = values.first_valid_index()
    if first is None:
        raise ValueError("y has no observed values")
    return values.loc[first:]


def _future_index(y: pd.Series, h: int) -> pd.PeriodIndex:
    return pd.period_range(y.index[-1] + 1, periods=h, freq="M")


def _align_exog(y, h, exog, future_exog):
    if exog is None and future_exog is None:
        return None, None
    if exog is None or future_exog is None:
        raise ValueError("give both exog (observed months) and future_exog (next h months)")
    x = pd.DataFrame(exog).reindex(y.index)
    fx = pd.DataFrame(future_exog).reindex(_future_index(y, h))
    if x.isna().any().any() or fx.isna().any().any():
        raise ValueError("exog/future_exog must cover every month of y and the h future months")
    return x.astype(float), fx[x.columns].astype(float)


def _named_method(name: str, levels: Sequence[int]) -> Callable[[pd.Series, int], pd.DataFrame]:
    def run(train: pd.Series, h: int) -> pd.DataFrame:
        return forecast(train, h, levels=levels, method=name)

    return run


@contextlib.contextmanager
def _quiet():
    """Silence statsmodels' convergence and frequency warnings inside the engine.

    statsmodels puts ``simplefilter("always", ConvergenceWarning)`` (and others) in front of the
    filters when it is first imported: imported inside this block, that filter would beat ours
    and the first fit of a process would warn (notebook 03 did). So import it before.
    """
    import statsmodels.tools.sm_exceptions  # noqa: F401

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def _progress_bar(total: int, enabled: bool):
    from tqdm.auto import tqdm

    bar = tqdm(total=total, disable=not enabled, desc="backtest", leave=False)
    try:
        yield bar
    finally:
        bar.close()
