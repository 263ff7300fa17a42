"""The engine's inputs made ready: a complete monthly series, regressors aligned, collapses found."""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.forecast.members import SEASON


def lunar_new_year_regressor(y: pd.Series, end: str | pd.Period) -> dict[str, pd.DataFrame]:
    """The Lunar New Year regressor of ``y`` through ``end``, as :func:`flows.forecast.engine.log_forecast`
    takes it: ``exog`` over ``y``'s months and ``future_exog`` over the months after its last through ``end``,
    one column of the holiday's window days per month (:func:`flows.analysis.calendar.lunar_new_year_days`)."""
    from flows.analysis.calendar import lunar_new_year_days

    future = pd.period_range(y.index[-1] + 1, pd.Period(end, "M"), freq="M")
    days = lunar_new_year_days(y.index.append(future)).astype(float).to_frame()
    return {"exog": days.iloc[:len(y)], "future_exog": days.iloc[len(y):]}


def rough_exog_effect(z: pd.Series, x: pd.DataFrame) -> np.ndarray:
    """Least-squares coefficients of year-on-year changes of ``z`` on those of ``x``."""
    dz = (z - z.shift(SEASON)).to_numpy()
    dx = (x - x.shift(SEASON)).to_numpy()
    ok = np.isfinite(dz) & np.isfinite(dx).all(axis=1)
    if ok.sum() <= x.shape[1]:
        return np.zeros(x.shape[1])
    return np.linalg.lstsq(dx[ok], dz[ok], rcond=None)[0]


def outlier_mask(z: pd.Series, threshold: float, sides: str = "low", keep_last: int = 12) -> np.ndarray:
    """Observed months far below the robust STL remainder's quartiles (above too: FENCE_SIDES)."""
    from statsmodels.tsa.seasonal import STL

    filled = z.interpolate(limit_direction="both").to_numpy()
    resid = STL(filled, period=SEASON, seasonal=13, robust=True).fit().resid
    resid[z.isna().to_numpy()] = np.nan
    q1, q3 = np.nanpercentile(resid, [25, 75])
    spread = threshold * (q3 - q1)
    if spread == 0:
        return np.zeros(len(z), dtype=bool)
    mask = resid < q1 - spread
    if sides == "both":
        mask |= resid > q3 + spread
    if keep_last:
        mask[-keep_last:] = False
    return mask


def as_monthly(y: pd.Series) -> pd.Series:
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


def future_index(y: pd.Series, h: int) -> pd.PeriodIndex:
    return pd.period_range(y.index[-1] + 1, periods=h, freq="M")


def align_exog(y, h, exog, future_exog):
    if exog is None and future_exog is None:
        return None, None
    if exog is None or future_exog is None:
        raise ValueError("give both exog (observed months) and future_exog (next h months)")
    x = pd.DataFrame(exog).reindex(y.index)
    fx = pd.DataFrame(future_exog).reindex(future_index(y, h))
    if x.isna().any().any() or fx.isna().any().any():
        raise ValueError("exog/future_exog must cover every month of y and the h future months")
    return x.astype(float), fx[x.columns].astype(float)
