"""The long run of annual totals, set on the reference panel of travel flows: damped growth, calibrated spread.

The engine's paths are right about a year's seasonality and wrong about how far a year's total can
drift: on the panel (:mod:`flows.forecast.panel`, December origins 2006–2014, 58 series) its 95 %
intervals of annual totals held 67–81 % of outcomes one to five years ahead. Two corrections are
read off the panel's long table (``panel_backtest.csv``, :func:`flows.forecast.panel.annual_backtest`):

- **Growth after the first year, damped** by :data:`DAMPING`: a path's median total ``k`` years
  ahead is ``first × (engine_k / first)^d``, ``first`` being the engine's median for the first
  forecast year. ``d`` = 0 — the median holds the first year's level, the upside lives in the
  calibrated spread — had the lowest interval score 3–5 years ahead, once calibrated, on the origins
  2006–2010 it was chosen on (3.08, against 3.31 at 0.5 and 3.51 at 1, the engine's own growth) and on
  the origins 2011–2014 it was scored on (4.61 against 4.83 and 4.81). The median absolute error 3–5
  years ahead hardly moves with ``d`` (common shocks, the 2008 crisis and the 2013–2019 boom, swamp
  it). ``bench/bench_panel.py`` prints the grid.
- **Spread from the panel's errors**: the 2.5th, 10th, 90th and 97.5th percentiles of the log errors
  ``log(actual / median)`` (of the damped median) by years ahead (:func:`factors`): where the panel's
  outcomes landed around the median, on either side (more often above it, in those years). A path's
  annual total keeps its rank among the engine's paths (its deviation in units of the engine's own
  spread, ``u``) and is moved to ``median × exp(g(u))``, ``g`` piecewise linear through those
  percentiles at ``u`` = ∓1.96, ∓1.2816 and 0 at 0 (:func:`reach`): the median stays, the 80 % and 95 %
  intervals become the panel's. The months of that year are scaled with it (:func:`calibrate_paths`),
  so monthly paths, annual totals and the two-way sum all carry it. (Symmetric percentiles of the
  absolute errors cover as well on the panel, but put the lower bounds as far below as the booms went
  above, and score worse; standardising the errors by the engine's own spread scores worse still.)

Calibration never uses the series it is applied to (leave-one-series-out: :func:`leave_one_out`
for the panel's own scores, ``exclude`` for the outlook), and a forecast as of a month uses only
errors whose target years ended before it (``before``). What it cannot include: a closure of the
borders (2020–2022): the panel's targets stop at 2019; notebook 04's shock scenario covers it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z80, Z95 = 1.2815516, 1.9599640  # standard normal quantiles of the central 80 % and 95 % intervals
YEARS = 5  # years ahead the panel calibrates; later years use the last
DAMPING = 0.0  # d: the share of the engine's growth after the first forecast year that a median keeps
MIN_ERRORS = 20  # errors a horizon needs for its own percentiles; fewer: the previous horizon's


def damped(rows: pd.DataFrame, d: float = DAMPING) -> pd.DataFrame:
    """The panel's engine rows with each median (and bound) moved to ``first × (median / first)^d``,
    ``first`` the median of the same series and origin one year ahead."""
    first = rows[rows["horizon"] == 1].set_index(["series", "origin"])["median"]
    base = first.reindex(pd.MultiIndex.from_frame(rows[["series", "origin"]])).to_numpy()
    ratio = (rows["median"].to_numpy() / base) ** (d - 1)
    out = rows.copy()
    for col in ("median", "mean", "lower_80", "upper_80", "lower_95", "upper_95"):
        out[col] = rows[col] * ratio
    if "crps" in out and d != 1:
        out["crps"] = np.nan  # the paths' score: it does not carry over
    return out


QUANTILES = {"q025": 0.025, "q10": 0.10, "q90": 0.90, "q975": 0.975}  # the log errors' percentiles kept


def factors(rows: pd.DataFrame, exclude=(), before: int | None = None) -> pd.DataFrame:
    """The percentiles :data:`QUANTILES` of the log errors ``log(actual / median)`` (and ``n``) per years
    ahead 1…:data:`YEARS`, over ``rows`` (damped engine rows of the panel's long table), leaving out the
    ``exclude`` series and, with ``before`` (a year), every target year from it on. The inner two are
    held to either side of 0 (the median stays inside its intervals). A horizon with fewer than
    :data:`MIN_ERRORS` errors keeps the previous horizon's (none at the first: an error)."""
    rows = rows[~rows["series"].isin(list(exclude))]
    if before is not None:
        rows = rows[rows["year"] < before]
    error = np.log(rows["actual"] / rows["median"])
    out, last = [], None
    for k in range(1, YEARS + 1):
        at = error[(rows["horizon"] == k) & np.isfinite(error)]
        if len(at) >= MIN_ERRORS:
            q = dict(zip(QUANTILES, np.quantile(at, list(QUANTILES.values())), strict=True))
            last = {"q025": min(q["q025"], 0.0), "q10": min(q["q10"], 0.0), "q90": max(q["q90"], 0.0),
                    "q975": max(q["q975"], 0.0)}
        if last is None:
            raise ValueError(f"the panel has fewer than {MIN_ERRORS} errors one year ahead to calibrate on")
        out.append({"horizon": k, **{name: float(v) for name, v in last.items()}, "n": len(at)})
    return pd.DataFrame(out).set_index("horizon")


def reach(u: np.ndarray, q: pd.Series | dict) -> np.ndarray:
    """``g(u)``: piecewise linear through ``(−1.96, q025)``, ``(−1.2816, q10)``, ``(0, 0)``, ``(1.2816, q90)``
    and ``(1.96, q975)``, continued beyond ±1.96 with the slope from 0 to that side's 95 % point;
    non-decreasing."""
    u = np.asarray(u, dtype=float)
    knots = np.array([-Z95, -Z80, 0.0, Z80, Z95])
    values = np.maximum.accumulate(np.array([q["q025"], q["q10"], 0.0, q["q90"], q["q975"]], dtype=float))
    inner = np.interp(u, knots, values)
    low = values[0] + (u + Z95) * (-values[0] / Z95)
    high = values[-1] + (u - Z95) * (values[-1] / Z95)
    return np.where(u < -Z95, low, np.where(u > Z95, high, inner))


def calibrated_rows(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``rows`` of the long table with their 80 % / 95 % bounds ``median × exp(percentile)`` of the ``table``."""
    f = table.reindex(rows["horizon"].clip(upper=YEARS).to_numpy())
    out = rows.copy()
    if "crps" in out:
        out["crps"] = np.nan  # the paths' score: it does not carry over
    for col, name in (("lower_95", "q025"), ("lower_80", "q10"), ("upper_80", "q90"), ("upper_95", "q975")):
        out[col] = rows["median"] * np.exp(f[name].to_numpy())
    return out


def leave_one_out(rows: pd.DataFrame, before_origin: bool = False) -> pd.DataFrame:
    """Damped engine rows calibrated series by series on the other series' rows; ``before_origin``:
    only on rows whose target year is at or before the origin (windows that ended before it)."""
    frames = []
    for (name, origin), group in rows.groupby(["series", "origin"], sort=False):
        try:
            table = factors(rows, exclude=[name], before=origin + 1 if before_origin else None)
        except ValueError:
            frames.append(group)  # nothing to learn from yet: as drawn
            continue
        frames.append(calibrated_rows(group, table))
    return pd.concat(frames).loc[rows.index]


def at(table: pd.DataFrame, years_ahead: float) -> dict[str, float]:
    """The percentiles at a fractional number of years ahead: linear between the table's horizons, from 0
    at 0; beyond :data:`YEARS`, the last row."""
    k = np.r_[0.0, table.index.to_numpy(dtype=float)]
    return {name: float(np.interp(years_ahead, k, np.r_[0.0, table[name].to_numpy()])) for name in QUANTILES}


def calibrate_paths(paths: pd.DataFrame, observed: pd.Series, table: pd.DataFrame, as_of: str | pd.Period,
                    d: float = DAMPING) -> pd.DataFrame:
    """Monthly ``paths`` (months × paths) continuing ``observed`` (published through ``as_of``), with the
    long run of this module: each calendar year's totals (published months of the year included) get
    the damped median and the calibrated spread at the years from ``as_of`` to that year's December
    (:func:`at`), and the year's forecast months are scaled to them, path by path."""
    as_of = pd.Period(as_of, "M")
    out = paths.copy()
    years = paths.index.year
    first_median = None
    for year in sorted(set(years)):
        rows = years == year
        published = float(observed[(observed.index.year == year) & (observed.index <= as_of)].sum())
        future = paths.loc[rows].sum().to_numpy()
        total = published + future
        median = float(np.median(total))
        if median <= 0:
            continue
        first_median = median if first_median is None else first_median
        target_median = first_median * (median / first_median) ** d
        low, high = np.quantile(total, [0.025, 0.975])
        q = at(table, (pd.Period(f"{year}-12", "M") - as_of).n / 12)
        with np.errstate(divide="ignore", invalid="ignore"):
            deviation = np.log(total / median)
            spread = np.where(deviation >= 0, np.log(high / median), np.log(median / low)) / Z95
            u = np.where((spread > 0) & np.isfinite(deviation), deviation / spread, 0.0)
            target = target_median * np.exp(reach(u, q))
            ratio = np.where(future > 0, np.clip(target - published, 0.0, None) / future, 1.0)
        out.loc[rows] = paths.loc[rows].to_numpy() * ratio
    return out
