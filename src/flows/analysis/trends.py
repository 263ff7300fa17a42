"""Statistics behind the trend charts: decomposition, growth, recovery, Lunar New Year, shares, mirrors.

Every function takes monthly series indexed by ``PeriodIndex`` (freq ``M``, as returned by
:func:`flows.analysis.table.series`) and returns numbers or frames; nothing here draws or reads files.

- :func:`log_stl`: robust STL (statsmodels) of log counts, so the seasonal component is a
  percentage swing and a border closure does not bend the seasonal pattern (robust weights).
- :func:`lunar_new_year_effect`: regression of log visitors per day on year and calendar-month
  effects plus the number of Lunar New Year holiday days in the month (``flows.analysis.calendar``); the
  holiday moves between January and February, and that movement identifies its size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flows.config import SHOCK_WINDOW


@dataclass(frozen=True)
class Shock:
    """An event marked on charts; months inside [start, end] are left out of model fits."""

    name: str
    start: str
    end: str
    description: str


_CLOSURE_START, _REOPENING_END = SHOCK_WINDOW
SHOCKS = (
    Shock("SARS", "2003-03", "2003-07",
          "SARS outbreak: Taiwan on the WHO travel advisory list until July 2003"),
    Shock("visa waiver", "2005-09", "2005-09",
          "Japan waives visas for Taiwanese short stays (temporary from March 2005, permanent from 26 September 2005)"),
    Shock("Tōhoku earthquake", "2011-03", "2011-06",
          "Great East Japan Earthquake and Fukushima nuclear accident, 11 March 2011"),
    # The project's one shock window (flows.config.SHOCK_WINDOW), in its two phases.
    Shock("border closures", _CLOSURE_START, "2022-09",
          "COVID-19: entry bans and quarantine on both sides, 2020–2022"),
    Shock("reopening", "2022-10", _REOPENING_END,
          "Japan restores visa-free entry (11 October 2022) and Taiwan ends arrival quarantine (13 October 2022)"),
)


def shock_months(shocks=SHOCKS) -> pd.PeriodIndex:
    """Every month inside any shock window (the months model fits leave out)."""
    spans = [pd.period_range(s.start, s.end, freq="M") for s in shocks]
    return pd.PeriodIndex(sorted(set().union(*spans)), freq="M") if spans else pd.PeriodIndex([], freq="M")


def _monthly(values: pd.Series) -> pd.Series:
    if not isinstance(values.index, pd.PeriodIndex):
        raise TypeError("expected a series indexed by monthly periods (flows.analysis.table.series)")
    return values.sort_index()


# --- decomposition ------------------------------------------------------------------------------------

def log_stl(values: pd.Series, period: int = 12, seasonal: int = 13, robust: bool = True) -> pd.DataFrame:
    """Robust STL of ``log(values)``: columns ``observed``, ``trend``, ``seasonal``, ``resid``, ``weights``.

    On the log scale the components add: ``exp(seasonal) - 1`` is the month's swing above or below
    the trend. Months of zero are floored at one person before taking logs. ``seasonal`` is the
    length of the seasonal smoother (odd, in years): 13 lets the pattern drift over about a decade.
    """
    from statsmodels.tsa.seasonal import STL

    values = _monthly(values)
    if len(values) != len(pd.period_range(values.index.min(), values.index.max(), freq="M")):
        raise ValueError(f"{values.name}: STL needs consecutive months without gaps")
    logged = pd.Series(np.log(np.maximum(values.to_numpy(dtype=float), 1.0)), index=values.index.to_timestamp())
    fit = STL(logged, period=period, seasonal=seasonal, robust=robust).fit()
    parts = {"observed": fit.observed, "trend": fit.trend, "seasonal": fit.seasonal, "resid": fit.resid,
             "weights": fit.weights}
    return pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in parts.items()}, index=values.index)


def seasonal_profile(decomposition: pd.DataFrame, periods: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Average seasonal swing by calendar month (rows 1–12) for each named period (columns), in %
    above (+) or below (−) the trend: ``100 * (exp(mean seasonal) - 1)``."""
    profiles = {}
    for label, (start, end) in periods.items():
        part = decomposition.loc[pd.Period(start, "M"):pd.Period(end, "M"), "seasonal"]
        if part.empty:
            raise ValueError(f"period {label!r} ({start}…{end}) holds no months of the decomposition")
        by_month = part.groupby(part.index.month).mean()
        profiles[label] = 100 * (np.exp(by_month) - 1)
    frame = pd.DataFrame(profiles).reindex(range(1, 13))
    frame.index.name = "month_of_year"
    return frame


def profile_summary(profile: pd.DataFrame) -> pd.DataFrame:
    """Per period of :func:`seasonal_profile`: busiest and quietest calendar month (1–12), their swing
    (%), and the ``spread`` between them (percentage points) — how seasonal the flow is."""
    return pd.DataFrame({"peak_month": profile.idxmax(), "peak_pct": profile.max(),
                         "low_month": profile.idxmin(), "low_pct": profile.min(),
                         "spread": profile.max() - profile.min()})


# --- growth and recovery ------------------------------------------------------------------------------

def growth(values: pd.Series) -> pd.DataFrame:
    """Per month: ``value``, ``yoy_pct`` (vs the same month a year earlier), ``rolling_12m`` (sum of
    the last 12 months) and ``rolling_12m_yoy_pct`` (the same, a year earlier)."""
    values = _monthly(values)
    full = values.reindex(pd.period_range(values.index.min(), values.index.max(), freq="M"))
    rolling = full.rolling(12, min_periods=12).sum()
    frame = pd.DataFrame({
        "value": full,
        "yoy_pct": 100 * (full / full.shift(12) - 1),
        "rolling_12m": rolling,
        "rolling_12m_yoy_pct": 100 * (rolling / rolling.shift(12) - 1),
    })
    frame.index.name = "month"
    return frame


def annual_growth(values: pd.Series) -> pd.DataFrame:
    """Complete calendar years: ``total`` and ``growth_pct`` on the previous year."""
    values = _monthly(values)
    years = pd.Index(values.index.year, name="year")
    totals = values.groupby(years).sum()[values.groupby(years).size() == 12]
    totals = totals.reindex(range(totals.index.min(), totals.index.max() + 1)) if len(totals) else totals
    return pd.DataFrame({"total": totals, "growth_pct": 100 * (totals / totals.shift(1) - 1)})


def cagr(values: pd.Series, start_year: int, end_year: int) -> float:
    """Compound annual growth rate (%) between the totals of two complete calendar years."""
    totals = annual_growth(values)["total"]
    for year in (start_year, end_year):
        if year not in totals.index or pd.isna(totals[year]):
            raise ValueError(f"{values.name}: {year} is not a complete year in the series")
    return 100 * ((totals[end_year] / totals[start_year]) ** (1 / (end_year - start_year)) - 1)


def vs_base_year(values: pd.Series, base_year: int = 2019) -> pd.Series:
    """Each month after ``base_year`` as % of the same calendar month of ``base_year`` (100 = back to it)."""
    values = _monthly(values)
    base = values[values.index.year == base_year]
    if len(base) != 12:
        raise ValueError(f"{values.name}: {base_year} is not complete in the series")
    after = values[values.index.year > base_year]
    ratio = 100 * after.to_numpy() / base.to_numpy()[after.index.month - 1]
    return pd.Series(ratio, index=after.index, name=f"{values.name} (% of same month {base_year})")


def first_month_at_or_above(ratio: pd.Series, level: float = 100.0, after: str | pd.Period = "2022-10"
                            ) -> pd.Period | None:
    """First month from ``after`` on where ``ratio`` (e.g. :func:`vs_base_year`) reaches ``level``;
    None when it has not yet."""
    ratio = _monthly(ratio.dropna())
    reached = ratio[(ratio >= level) & (ratio.index >= pd.Period(after, "M"))]
    return reached.index.min() if len(reached) else None


def recovery(values: pd.Series, end: str | pd.Period, base_year: int = 2019, months: int = 12) -> dict:
    """The ``months`` months to ``end`` against the same calendar months of ``base_year``.

    Returns ``recent`` and ``base`` totals (persons), ``pct_of_base`` and the span (``start``, ``end``).
    """
    values = _monthly(values)
    end = pd.Period(end, freq="M")
    span = pd.period_range(end - (months - 1), end, freq="M")
    missing = span.difference(values.index)
    if len(missing):
        raise ValueError(f"{values.name}: months {list(map(str, missing))} missing for the recovery window")
    recent = values.reindex(span)
    base = values.reindex(pd.PeriodIndex([pd.Period(year=base_year, month=m.month, freq="M") for m in span]))
    if base.isna().any():
        raise ValueError(f"{values.name}: {base_year} is not complete in the series")
    return {"start": span[0], "end": span[-1], "recent": int(recent.sum()), "base": int(base.sum()),
            "pct_of_base": 100 * recent.sum() / base.sum()}


def asymmetry(tw_to_jp: pd.Series, jp_to_tw: pd.Series, end: str | pd.Period | None = None,
              base_year: int = 2019, months: int = 12) -> pd.DataFrame:
    """How unevenly the two directions came back: one row per direction plus ``ratio``.

    For the ``months`` months to ``end`` (default: the last month both series hold): visits, the
    same calendar months of ``base_year``, % of that base, and the change in persons. Row
    ``ratio`` holds Taiwan→Japan visits per Japan→Taiwan visit in each window.
    """
    common = _monthly(tw_to_jp).index.intersection(_monthly(jp_to_tw).index)
    end = pd.Period(end, freq="M") if end is not None else common.max()
    rows = {}
    for label, values in (("tw_to_jp", tw_to_jp), ("jp_to_tw", jp_to_tw)):
        r = recovery(values, end, base_year, months)
        rows[label] = {"recent": r["recent"], "base": r["base"], "pct_of_base": r["pct_of_base"],
                       "change": r["recent"] - r["base"]}
    frame = pd.DataFrame(rows).T
    ratio_recent = frame.loc["tw_to_jp", "recent"] / frame.loc["jp_to_tw", "recent"]
    ratio_base = frame.loc["tw_to_jp", "base"] / frame.loc["jp_to_tw", "base"]
    frame.loc["ratio"] = {"recent": ratio_recent, "base": ratio_base, "pct_of_base": 100 * ratio_recent / ratio_base,
                          "change": ratio_recent - ratio_base}
    frame.attrs.update(start=str(end - (months - 1)), end=str(end), base_year=base_year)
    return frame


# --- Lunar New Year -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class HolidayEffect:
    """Size of the Lunar New Year effect on one series.

    ``per_day`` (and its interval): change in log visitors per day for each holiday day in the
    month. ``window_pct`` (and its interval): % more (or fewer) visitors in a month holding the
    whole ``window_days``-day holiday than in the same calendar month without it.
    """

    name: str
    per_day: float
    per_day_low: float
    per_day_high: float
    window_days: int
    window_pct: float
    window_pct_low: float
    window_pct_high: float
    level: float
    n_months: int
    first: pd.Period
    last: pd.Period

    def as_row(self) -> dict:
        return {"series": self.name, "window_pct": self.window_pct, "low": self.window_pct_low,
                "high": self.window_pct_high, "per_day": self.per_day, "months": self.n_months,
                "first": str(self.first), "last": str(self.last)}


def lunar_new_year_effect(values: pd.Series, holiday_days: pd.Series, start=None, end=None,
                          exclude: pd.PeriodIndex | None = None, window_days: int = 4,
                          level: float = 0.95, hac_lags: int = 3) -> HolidayEffect:
    """Estimate the Lunar New Year effect on a monthly series, with an interval.

    Model (OLS, Newey–West errors with ``hac_lags`` lags):
    ``log(visitors / days in month) = year effect + calendar-month effect + b * holiday days + e``.
    Year effects absorb the level, month effects the usual seasonality; because the holiday falls
    in January in some years and February in others, ``b`` is identified by comparing the same
    calendar month with and without it. Months in ``exclude`` (default: :data:`SHOCKS`) are left
    out. ``holiday_days``: per month, days of the holiday falling in it
    (``flows.analysis.calendar.lunar_new_year_days``).
    """
    from statsmodels.regression.linear_model import OLS

    values = _monthly(values)
    if start is not None:
        values = values[values.index >= pd.Period(start, "M")]
    if end is not None:
        values = values[values.index <= pd.Period(end, "M")]
    exclude = shock_months() if exclude is None else exclude
    values = values[~values.index.isin(exclude) & (values > 0)]
    days = holiday_days.reindex(values.index)
    if days.isna().any():
        raise ValueError(f"{values.name}: holiday days missing for {days[days.isna()].index[0]}")
    if days.nunique() < 2:
        raise ValueError(f"{values.name}: the holiday-days regressor does not vary in the fitted months")

    y = np.log(values.to_numpy(dtype=float) / values.index.days_in_month.to_numpy())
    years = pd.get_dummies(pd.Categorical(values.index.year), prefix="y", drop_first=True, dtype=float)
    months = pd.get_dummies(pd.Categorical(values.index.month, categories=range(1, 13)), prefix="m",
                            drop_first=True, dtype=float)
    X = pd.concat([years, months], axis=1)
    X = X.loc[:, X.sum() > 0]
    X.insert(0, "const", 1.0)
    X["holiday_days"] = days.to_numpy(dtype=float)
    fit = OLS(y, X.to_numpy()).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags})
    b = float(fit.params[-1])
    low, high = (float(v) for v in fit.conf_int(alpha=1 - level)[-1])
    pct = lambda v: 100 * (np.exp(window_days * v) - 1)  # noqa: E731
    return HolidayEffect(name=str(values.name), per_day=b, per_day_low=low, per_day_high=high,
                         window_days=window_days, window_pct=pct(b), window_pct_low=pct(low),
                         window_pct_high=pct(high), level=level, n_months=len(values),
                         first=values.index.min(), last=values.index.max())


def january_february(values: pd.Series, holiday_days: pd.Series, exclude: pd.PeriodIndex | None = None
                     ) -> pd.DataFrame:
    """Per year: January, February, both together, their year-on-year growth (%), and the month
    holding most of the Lunar New Year holiday (``holiday_month``: ``Jan`` or ``Feb``).

    Year-on-year growth of January or February alone swings with the holiday's date;
    January+February together does not. Growth is left blank when January or February of either
    year falls in ``exclude`` (default: the :data:`SHOCKS` windows), where it measures the shock.
    """
    values = _monthly(values)
    exclude = shock_months() if exclude is None else exclude
    jf = values[values.index.month <= 2]
    frame = jf.groupby([jf.index.year, jf.index.month]).sum().unstack()
    frame = frame.reindex(columns=[1, 2]).dropna().astype("int64")
    frame.columns = ["jan", "feb"]
    frame.index.name = "year"
    frame["jan_feb"] = frame["jan"] + frame["feb"]
    years = pd.Series(frame.index, index=frame.index)
    shocked = years.map(lambda y: any(pd.Period(year=y, month=m, freq="M") in exclude for m in (1, 2)))
    comparable = (years.diff() == 1) & ~shocked & ~shocked.shift(1, fill_value=True)
    for col in ("jan", "feb", "jan_feb"):
        frame[f"{col}_yoy_pct"] = (100 * (frame[col] / frame[col].shift(1) - 1)).where(comparable)
    month_days = {m: years.map(lambda y, m=m: holiday_days.get(pd.Period(year=y, month=m, freq="M"), 0)) for m in (1, 2)}
    frame["holiday_month"] = np.where(month_days[1] > month_days[2], "Jan", "Feb")
    return frame


# --- shares and mirrors -------------------------------------------------------------------------------

def share(part: pd.Series, total: pd.Series) -> pd.Series:
    """``part`` as % of ``total``, month by month, over the months both hold."""
    part, total = _monthly(part), _monthly(total)
    both = pd.concat({"part": part, "total": total}, axis=1, join="inner")
    return (100 * both["part"] / both["total"]).rename(f"{part.name} as % of {total.name}")


def annual_share(part: pd.Series, total: pd.Series) -> pd.Series:
    """``part`` as % of ``total`` per complete calendar year (both summed over the year)."""
    part_years = annual_growth(part)["total"]
    total_years = annual_growth(total)["total"]
    both = pd.concat({"part": part_years, "total": total_years}, axis=1, join="inner").dropna()
    return (100 * both["part"] / both["total"]).rename(f"{part.name} as % of {total.name}")


def mirror(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """Two counts of the same trips, month by month over the months both hold: ``a``, ``b``,
    ``ratio`` (a / b), ``diff`` (a − b, persons) and ``diff_pct`` (% of b)."""
    a, b = _monthly(a), _monthly(b)
    frame = pd.concat({"a": a, "b": b}, axis=1, join="inner")
    frame["ratio"] = frame["a"] / frame["b"]
    frame["diff"] = frame["a"] - frame["b"]
    frame["diff_pct"] = 100 * frame["diff"] / frame["b"]
    frame.attrs.update(a=str(a.name), b=str(b.name))
    return frame


def mirror_annual(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """:func:`mirror` on complete calendar-year totals."""
    frame = mirror(a, b)
    years = pd.Index(frame.index.year, name="year")
    counts = frame.groupby(years).size()
    sums = frame[["a", "b"]].groupby(years).sum()[counts == 12]
    sums["ratio"] = sums["a"] / sums["b"]
    sums["diff"] = sums["a"] - sums["b"]
    sums["diff_pct"] = 100 * sums["diff"] / sums["b"]
    sums.attrs.update(frame.attrs)
    return sums
