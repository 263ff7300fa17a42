"""Monthly forecasts with honest intervals and sample paths (backtests: :mod:`flows.forecast.rolling`).

One automatic forecaster, the same for every series (no per-series tuning). Every choice below
was made on the 1,428 monthly M3 series (``bench/bench_m3.py``, h = 18) and then checked, not
tuned, on the project's own series (``bench/bench_forecast.py``):

* the series is modelled as ``log(y + c)``, where travel flows are roughly additive (growth is a
  percentage, seasonality a ratio) and back-transformed values are never negative. ``c`` is
  ``max(1, 0.1 · mean − min)``: 1 (about the log) for a series without small values, a tenth of
  its mean for one with zeros. On ``log1p`` a zero beside values in the hundreds is a shock of
  about 6 on the log scale: the variance balloons and the log-normal mean explodes (4–9× the
  median at h = 24);
* one-off collapses are set aside first: months whose robust-STL remainder lies more than eight
  interquartile ranges below its first quartile become missing values (the idea of R's
  ``tsclean``), except in the newest year, where an outlier cannot be told from a level shift.
  Without this, SARS 2003 or the 2011 earthquake inflate every model's error variance for ever
  after. The fence until 2026 (five IQR, both sides, newest months included) flagged months in
  half of the M3 series and cost accuracy there: on all of M3, sMAPE 13.59 at five IQR against
  13.45 at eight (both sides, newest year kept); on a 150-series sample, keeping the newest year
  and setting aside only collapses each helped at either width. On the project's own series the
  five-IQR fence does better (see the issue 12 report): a trade-off, decided here on M3;
* three statsmodels models are fitted — damped-trend ETS(A,Ad,A), SARIMA(1,0,1)(0,1,1)12 with a
  constant (annual growth reverts to its long-run mean) and Theta (SES with drift on the
  deseasonalised series) — and their forecasts are averaged on the log scale. Equal-weight
  combinations of simple models are a robust default for monthly data (M3/M4); on a 150-series
  M3 sample adding Theta cut sMAPE from 13.7 to 13.1, and the median of the three members scored
  a worse MASE than their mean;
* each member gives a Gaussian forecast on the log scale: a mean vector and the full ``h × h``
  covariance of its forecast errors, so sums over months are right. The combination averages
  the means and the Cholesky factors of the covariances, shrunk by how much smaller the averaged
  fit's in-sample one-step errors are than the members', adds the members' disagreement (the
  between-model term of a model average) and is scaled by 1.08, calibrated on M3 (95 % intervals
  held 92.4 % of outcomes without the scaling; on a sample, 89 % without the disagreement term);
* the published point is the **median** ``exp(μ) − c`` (what backtests score: absolute errors
  are smallest at the median; on M3 sMAPE 13.40 against the mean's 13.76). ``mean`` (the
  log-normal mean) is kept beside it for sums and expected totals; sample paths are draws from
  the same distribution, so their sums have the right mean;
* fits run with BLAS held to one thread (:func:`single_threaded`): statsmodels' matrices are too
  small to gain from threads, and in a pool or beside other jobs threads made fits 5× slower.

Missing months (``NaN``) — gaps, or a shock window the caller masks such as 2020-02 → 2022-12 —
are handled by the state-space SARIMA natively. ETS and Theta need a contiguous history: short
gaps are filled with the SARIMA's Kalman-smoothed values, and after a long gap (a year or more)
they are fitted only to the stretch that starts a year after it, if that holds two years; otherwise the
SARIMA forecasts alone. The first year after a long gap is the recovery toward the old level,
not growth: bridging the gap by interpolation, or fitting ETS from the reopening, lets its trend
read that recovery as growth and extrapolate it.

Optional exogenous regressors (``exog`` / ``future_exog``, e.g. Lunar New Year holiday days per
month from ``flows.calendar``) enter the SARIMA as regressors; ETS is fitted to the series with
that regression effect removed and has it added back to its forecasts.

Metrics for the backtest live in :mod:`flows.forecast.metrics`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from flows.forecast import members
from flows.forecast.inputs import align_exog, as_monthly, future_index, outlier_mask, rough_exog_effect
from flows.forecast.members import SEASON, LogForecast
from flows.forecast.spec import DEFAULT as DEFAULT_SPEC
from flows.forecast.spec import EngineSpec

METHODS = ("combo", "ets", "arima", "theta", "uc", "snaive")
_MIN_SEASONAL_OBS = 2 * SEASON  # fewer observations than this: no seasonal model can be fitted
_LONG_GAP = SEASON  # consecutive missing months that ETS and Theta do not bridge
_RECOVERY = SEASON  # months after a long gap that ETS and Theta skip: recovery, not trend
_MIN_SEGMENT = 2 * SEASON  # months after that needed to fit ETS and Theta there
POINT = "median"  # the published point forecast: the column backtests score
# The settings (members, outlier fence, interval scale …) are one frozen spec: flows.forecast.spec.


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
    y = as_monthly(y)
    lf = log_forecast(y, h, **options)
    sd = lf.sd
    out = {"mean": lf.values(lf.mean + sd**2 / 2), "median": lf.values(lf.mean)}
    for level in levels:
        q = stats.norm.ppf(0.5 + level / 200)
        out[f"lower_{level:g}"] = lf.values(lf.mean - q * sd)
        out[f"upper_{level:g}"] = lf.values(lf.mean + q * sd)
    return pd.DataFrame(out, index=future_index(y, h))


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
    y = as_monthly(y)
    lf = log_forecast(y, h, **options)
    rng = np.random.default_rng(seed)
    shocks = rng.standard_normal((h, n_paths))
    paths = lf.values(lf.mean[:, None] + lf.chol @ shocks)
    return pd.DataFrame(paths, index=future_index(y, h), columns=pd.RangeIndex(n_paths))


def log_forecast(
    y: pd.Series,
    h: int,
    *,
    method: str = "combo",
    exog: pd.DataFrame | None = None,
    future_exog: pd.DataFrame | None = None,
    interventions: Iterable[tuple[str, str]] = (),
    outliers: float | None = None,
    spec: EngineSpec | None = None,
) -> LogForecast:
    """Fit ``method`` to ``log(y + c)`` (``c``: :func:`log_offset`); its Gaussian forecast there.

    ``method``: ``"combo"`` (default: mean of damped ETS, SARIMA(1,0,1)(0,1,1)12 + constant and
    Theta),
    or one model —
    ``"ets"``, ``"arima"``, ``"theta"``, ``"uc"`` (unobserved components: local linear trend
    + seasonal), ``"snaive"`` (seasonal naive, the benchmark).
    ``exog``/``future_exog``: regressors for the observed months of ``y`` and the ``h`` future
    months (same columns). ``interventions``: ``(first, last)`` month pairs whose observations
    are set to NaN before fitting (a shock that should not shape the forecast).
    ``outliers``: months (before the newest year) whose robust-STL remainder lies more than this
    many interquartile ranges below the first quartile are treated as missing too (as R's
    ``tsclean``); ``None``: the spec's fence; ``0`` keeps every observation. One-off shocks (SARS 2003,
    the 2011 earthquake) otherwise inflate
    every model's error variance and drag its level.
    ``spec``: the engine's settings (:mod:`flows.forecast.spec`; None: its ``DEFAULT``).
    """
    spec = DEFAULT_SPEC if spec is None else spec
    if h < 1:
        raise ValueError(f"h must be at least 1, got {h}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {METHODS}")
    y = as_monthly(y)
    for first, last in interventions:
        y.loc[pd.Period(first, "M") : pd.Period(last, "M")] = np.nan
    if spec.history:
        y = y.iloc[-spec.history:]
    n_obs = int(y.notna().sum())
    if n_obs == 0:
        raise ValueError("y has no observed values")
    offset = log_offset(y, spec.offset_share)
    z = np.log(y + offset)
    x, fx = align_exog(y, h, exog, future_exog)
    if n_obs < _MIN_SEASONAL_OBS or np.nanstd(z.to_numpy()) == 0:
        return replace(members.random_walk(z, h), offset=offset)
    outliers = spec.outlier_fence if outliers is None else outliers
    with _quiet(), single_threaded():
        start = _segment_start(z)
        if outliers:
            # Judge outliers net of the regressors, or a holiday month looks like a shock.
            effect = 0.0 if x is None else x.to_numpy() @ rough_exog_effect(z, x)
            z = z.mask(outlier_mask(z - effect, outliers, spec.fence_sides, spec.fence_keep_last))
        return replace(_fit(method, z, h, x, fx, start, spec), offset=offset)


def log_offset(y: pd.Series, share: float = DEFAULT_SPEC.offset_share) -> float:
    """``c`` of the transform ``log(y + c)``: ``max(1, 0.1 · mean − min)``.

    1 for a series whose smallest value is at least a tenth of its mean (M3, the travel series
    outside closures): about the plain log. A series with zeros gets a tenth of its mean, so a
    zero sits about 2.4 below the mean level on the log scale instead of 6 or more.
    """
    values = y.to_numpy(dtype=float)
    return max(1.0, share * float(np.nanmean(values)) - float(np.nanmin(values)))


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


# ---------------------------------------------------------------------------------------------
# The combination of the members (flows.forecast.members)


def _fit(method: str, z: pd.Series, h: int, x, fx, start: int = 0, spec: EngineSpec = DEFAULT_SPEC) -> LogForecast:
    """Fit ``method``; ``start`` is the first month after the last long gap (else 0).

    ETS and Theta use the history from ``_RECOVERY`` months after that; when fewer than
    ``_MIN_SEGMENT`` months remain, the combination uses the SARIMA
    alone; ETS or Theta asked for by name then bridge the gap with the smoothed values.
    """
    if method == "snaive":
        return members.seasonal_naive(z, h)
    if method == "uc":
        return members.uc(z, h, x, fx)
    arima_res = members.arima_fit(z, x)
    if method == "arima":
        return members.arima_forecast(arima_res, h, fx)
    # ETS and Theta: gaps filled, regression effect removed, history after any long gap.
    filled, future_effect = members.fill_and_adjust(arima_res, z, x, fx)
    if start > 0:
        start = min(len(filled), start + _RECOVERY)
    bridge_gap = len(filled) - start < _MIN_SEGMENT
    if not bridge_gap:
        filled = filled.iloc[start:]
    fits = {
        "ets": lambda: members.shift(members.ets(filled, h), future_effect),
        "theta": lambda: members.shift(members.theta(filled, h), future_effect),
        "arima": lambda: members.arima_forecast(arima_res, h, fx),
    }
    if method != "combo":
        return fits[method]()
    observed = z.notna().to_numpy()
    fitted = []
    for name in spec.members:
        if name != "arima" and bridge_gap:  # too little history after a long gap
            continue
        try:
            member = fits[name]()
        except (np.linalg.LinAlgError, ValueError):  # a member that cannot fit drops out
            continue
        resid = np.full(len(z), np.nan)
        resid[len(z) - len(member.resid) :] = member.resid
        resid[~observed] = np.nan  # errors at filled months are not errors
        fitted.append(LogForecast(member.mean, member.chol, resid))
    if not fitted:
        return members.seasonal_naive(z, h)
    resid = np.nanmean([f.resid for f in fitted], axis=0)  # averaged one-step errors, where any
    resid[: 2 * SEASON] = np.nan  # the first years' errors reflect the models' initialisation
    mean = np.mean([f.mean for f in fitted], axis=0)
    chol = (_combination_shrink(fitted) if spec.shrink else 1.0) * np.mean([f.chol for f in fitted], axis=0)
    if spec.between and len(fitted) > 1:
        # Between-member spread (as in Bayesian model averaging: total = within + between):
        # where the members disagree about the future, the combination is less sure of it.
        spread = np.stack([f.mean - mean for f in fitted], axis=1)
        chol = members.chol(chol @ chol.T + spec.between * spread @ spread.T / len(fitted))
    return LogForecast(resid=resid, mean=mean, chol=spec.interval_scale * chol)


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


# ---------------------------------------------------------------------------------------------
# Helpers


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


