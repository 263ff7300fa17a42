"""The long run anchored in what can happen: an annual view of Taiwan → Japan built from its parts.

The monthly engine (:mod:`flows.forecast.engine`) is good at short horizons but carries the history's
mean growth — for Taiwan → Japan the boom of 2012–2019 — into every later year. The annual view
asks instead what the trips are made of (:mod:`flows.forecast.annual_inputs`)::

    trips to Japan = population × departures per resident × Japan's share × mirror ratio

and gives each part dynamics it can plausibly have:

- **departures per resident** (log scale) and **Japan's share of departures** (logit scale, so it
  stays between 0 and 1 and saturates: a share near 1 cannot keep its growth) follow a *damped
  drift*: from the last published year, growth starts at the median of the part's past annual
  changes and shrinks by a factor ``phi`` each year, so the level converges instead of growing for
  ever (a damped trend, Gardner & McKenzie 1985, with the level at the last value);
- the **mirror ratio** (log scale) is a random walk: no reason for it to trend;
- the **population** is held at its last published value (it is nearly flat).

``phi`` = :data:`PHI` = 0.9 is fixed in advance, not fitted: with a few annual observations a
fitted damping is noise. At 0.9, growth halves in about 6.6 years and all future growth adds up to
nine years of the starting growth. The backtest (:mod:`flows.forecast.longrun_backtest`) shows
how other values would have fared, as a disclosure, not to choose one.

Uncertainty: each path draws the parts' yearly shocks jointly (Gaussian, with the covariance of their
past annual changes around the drift, so a year that cut departures and Japan's share together
does so again), and its own drift (the median's standard error, √(π/2)·σ/√n). Years of the shock window
and the first year after it (:data:`MASKED_YEARS`: closures, then recovery) are left out of every fit.

Years after the parts' last published year whose trips JNTO has already published in full (e.g.
2025, when Taiwan's departures reach only March) fix each path's level: the path is scaled to the
published total, keeping its growth after it; the correction is put on departures (Japan's share
moves slowly; the volume of departures swings with the economy).

Monthly paths follow an annual view through :func:`benchmark_paths` (in the year in progress, whose
first months are published, the view takes each path's total from the engine: :func:`year_in_progress`);
two sets of paths are combined by :func:`mixture` (a linear pool: a share of whole paths from each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from flows.config import SHOCK_WINDOW
from flows.forecast.paths import annual_paths

PHI = 0.9
ENGINE, ANNUAL_VIEW, COMBINATION = "engine", "annual view", "combination"  # the long-run choices
RECOVERY_YEARS = 1  # years after the shock window read as recovery, not level or growth
MASKED_YEARS = tuple(range(int(SHOCK_WINDOW[0][:4]), int(SHOCK_WINDOW[1][:4]) + 1 + RECOVERY_YEARS))
TRANSFORMS = {"log": (np.log, np.exp), "logit": (logit, expit)}


@dataclass(frozen=True)
class Part:
    """One part of the annual view: its column, the scale its dynamics live on, whether it drifts."""

    name: str
    scale: str  # "log" or "logit"
    drifts: bool


TAIWAN_PARTS = (Part("per_resident", "log", True), Part("share", "logit", True), Part("mirror", "log", False))
LEVEL_PART = Part("level", "log", True)  # a series on its own (Japan → Taiwan)


@dataclass(frozen=True)
class PartFit:
    """A part's damped drift: last year and level (on its scale), drift, drift's standard error, and
    the past annual changes (by the year they end in) that gave them."""

    part: Part
    last_year: int
    level: float
    drift: float
    drift_se: float
    changes: pd.Series


def fit_part(values: pd.Series, part: Part, masked: Sequence[int] = MASKED_YEARS) -> PartFit:
    """Fit one part to its annual ``values`` (index: year), leaving out the ``masked`` years.

    Changes are taken between consecutive published years only; with none the drift is 0."""
    forward, _ = TRANSFORMS[part.scale]
    z = pd.Series(forward(values.to_numpy(dtype=float)), index=values.index)
    z = z[~z.index.isin(list(masked))].dropna()
    if z.empty or not np.isfinite(z.to_numpy()).all():
        raise ValueError(f"{part.name}: no usable years (values must be positive, shares below 1)")
    consecutive = z.index.to_series().diff().to_numpy() == 1
    changes = z.diff()[consecutive]
    n = len(changes)
    drift = float(changes.median()) if part.drifts and n else 0.0
    sd = float(changes.std(ddof=1)) if n > 1 else 0.0
    se = float(np.sqrt(np.pi / 2) * sd / np.sqrt(n)) if part.drifts and n > 1 else 0.0
    return PartFit(part, int(z.index.max()), float(z.iloc[-1]), drift, se, changes.rename(part.name))


def shock_covariance(fits: Sequence[PartFit]) -> np.ndarray:
    """Covariance of the parts' yearly shocks: their past changes less their drift, pairwise over the
    years both have, made positive semi-definite."""
    frame = pd.concat({f.part.name: f.changes - f.drift for f in fits}, axis=1)
    cov = frame.cov(min_periods=2).fillna(0.0).to_numpy()
    values, vectors = np.linalg.eigh((cov + cov.T) / 2)
    return (vectors * values.clip(min=0.0)) @ vectors.T


def simulate(fits: Sequence[PartFit], end_year: int, n_paths: int, seed: int, phi: float = PHI) -> dict[str, pd.DataFrame]:
    """Paths of every part (on their own scale, back-transformed) from the year after the earliest
    last year to ``end_year``: rows years, columns paths. Before a part's own last year its paths hold
    its last level (a part that is published further gets no shock there)."""
    start = min(f.last_year for f in fits) + 1
    years = np.arange(start, end_year + 1)
    if len(years) == 0:
        raise ValueError(f"end_year {end_year} is not after the parts' last year {start - 1}")
    rng = np.random.default_rng(seed)
    values, vectors = np.linalg.eigh(shock_covariance(fits))
    root = vectors * np.sqrt(values.clip(min=0.0))  # root @ root.T is the covariance (exact zeros stay zero)
    root[np.abs(root) < 1e-12] = 0.0
    shocks = np.einsum("ij,tjp->tip", root, rng.standard_normal((len(years), len(fits), n_paths)))
    drifts = rng.standard_normal((len(fits), n_paths))
    out = {}
    for j, fit in enumerate(fits):
        steps = years - fit.last_year  # 1, 2, … after the part's last year; ≤ 0 before it
        live = steps >= 1
        growth = (fit.drift + fit.drift_se * drifts[j])[None, :] * (phi ** np.where(live, steps, 0))[:, None]
        z = fit.level + np.cumsum(np.where(live[:, None], growth + shocks[:, j, :], 0.0), axis=0)
        _, back = TRANSFORMS[fit.part.scale]
        out[fit.part.name] = pd.DataFrame(back(z), index=pd.Index(years, name="year"), columns=pd.RangeIndex(n_paths))
    return out


@dataclass
class AnnualView:
    """Annual paths (rows: years after the last published trips, columns: paths) of the trips and,
    for Taiwan → Japan, of the parts: ``departures``, ``per_resident``, ``share``, ``mirror``;
    ``fits`` and ``history`` (the published years) say what they rest on."""

    trips: pd.DataFrame
    parts: dict[str, pd.DataFrame]
    fits: tuple[PartFit, ...]
    history: pd.DataFrame


def taiwan_to_japan(factors: pd.DataFrame, end_year: int, n_paths: int = 1000, seed: int = 0,
                    phi: float = PHI, masked: Sequence[int] = MASKED_YEARS) -> AnnualView:
    """The annual view of Taiwan → Japan (JNTO arrivals of Taiwanese) from the ``factors`` of
    :func:`flows.forecast.annual_inputs.taiwan_factors` (all years known at the origin)."""
    fits = tuple(fit_part(factors[p.name].dropna(), p, masked) for p in TAIWAN_PARTS)
    parts = simulate(fits, end_year, n_paths, seed, phi)
    population = float(factors["population"].dropna().iloc[-1])
    parts["departures"] = parts["per_resident"] * population
    trips = parts["departures"] * parts["share"] * parts["mirror"]
    published = factors["arrivals_in_japan"].dropna()
    published = published[~published.index.isin(list(masked))]
    known = [y for y in trips.index if y in published.index]
    if known:  # fix each path's level at the last published total, keep its growth after it
        last = max(known)
        ratio = published.loc[last] / trips.loc[last]
        keep = trips.index > last
        trips = trips.loc[keep] * ratio
        parts = {k: v.loc[keep] for k, v in parts.items()}
        parts["departures"] = parts["departures"] * ratio
        parts["per_resident"] = parts["per_resident"] * ratio
    return AnnualView(trips, parts, fits, factors)


def one_series(values: pd.Series, end_year: int, n_paths: int = 1000, seed: int = 0, phi: float = PHI,
               masked: Sequence[int] = MASKED_YEARS) -> AnnualView:
    """The same damped drift on a series' annual totals alone (no parts): for Japan → Taiwan, whose
    parts are not published."""
    fit = fit_part(values.dropna(), LEVEL_PART, masked)
    paths = simulate((fit,), end_year, n_paths, seed, phi)["level"]
    return AnnualView(paths, {}, (fit,), values.to_frame("trips"))


def benchmark_paths(paths: pd.DataFrame, observed: pd.Series, annual: pd.DataFrame) -> pd.DataFrame:
    """Monthly ``paths`` (months × paths) scaled year by year so that each path's calendar year adds
    up to ``annual`` (years × the same paths), keeping each path's months in proportion.

    Months of a year published before the paths start (``observed``) stay as published; the forecast
    months carry the rest. Years not in ``annual``, or not complete, are left as they are."""
    if list(paths.columns) != list(annual.columns):
        raise ValueError("monthly and annual paths must have the same paths (columns)")
    out = paths.copy()
    first = paths.index.min()
    for year in sorted(set(paths.index.year) & set(annual.index)):
        rows = paths.index.year == year
        before = observed[(observed.index.year == year) & (observed.index < first)]
        if rows.sum() + len(before) != 12:
            continue
        forecast_part = paths.loc[rows].sum(axis=0).to_numpy()
        wanted = annual.loc[year].to_numpy() - float(before.sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(forecast_part > 0, wanted / forecast_part, 0.0).clip(min=0.0)
        out.loc[rows] = paths.loc[rows].to_numpy() * factor[None, :]
    return out


def mixture(paths: Mapping[str, pd.DataFrame], weights: Mapping[str, float]) -> pd.DataFrame:
    """A linear pool of several sets of paths (same rows and columns): the first ``round(w · n)``
    remaining paths come from the first set, and so on, so the pool's distribution is the weighted
    mixture of theirs (paths of one set are exchangeable draws)."""
    names = list(paths)
    frames = [paths[k] for k in names]
    if any(f.shape != frames[0].shape or not f.index.equals(frames[0].index) for f in frames):
        raise ValueError("paths to mix must share months and number of paths")
    w = np.array([weights.get(k, 0.0) for k in names], dtype=float)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"weights must be non-negative and not all zero: {dict(weights)}")
    n = frames[0].shape[1]
    bounds = np.round(np.cumsum(w / w.sum()) * n).astype(int)
    source = np.searchsorted(bounds, np.arange(n), side="right")
    values = frames[0].to_numpy(dtype=float, copy=True)
    for s in range(1, len(frames)):
        values[:, source == s] = frames[s].to_numpy(dtype=float)[:, source == s]
    return pd.DataFrame(values, index=frames[0].index, columns=frames[0].columns)


def choices(engine_paths: pd.DataFrame, observed: pd.Series, view: AnnualView,
            weights: Mapping[str, float], scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """The long-run choices as monthly paths: the ``engine``'s own, the ``annual view`` (the engine's
    paths benchmarked to the view's annual totals × ``scale``, path by path: the engine's months and
    seasons, the view's years) and their ``combination`` (linear pool with ``weights`` by choice name,
    the engine's paths first: :data:`POOL_ORDER`). ``scale`` puts the view's trips (JNTO's count) on
    the basis of ``engine_paths`` when that is another count of the same trips."""
    target = year_in_progress(view.trips * scale, engine_paths, observed)
    out = {ENGINE: engine_paths, ANNUAL_VIEW: benchmark_paths(engine_paths, observed, target)}
    out[COMBINATION] = pool(out, weights)
    return out


def year_in_progress(trips: pd.DataFrame, engine_paths: pd.DataFrame, observed: pd.Series) -> pd.DataFrame:
    """The annual view's paths (``trips``: years × paths) with the year in progress taken from the engine.

    When the monthly paths start after January, part of their first year is published. The annual
    view, built on whole years, does not see those months; the engine does and forecasts the rest of
    the year, at most eleven months ahead, where it is strongest (the long-run backtest's first year:
    its CRPS is the lowest). So each path's level is fixed at the engine's total for that year and
    the view's growth kept after it — as the view does for a year published in full. Without this a
    strong start of the year (Taiwan → Japan's January–February 2026: +26 % on 2025) was squeezed
    into the view's whole-year growth, and the months right after the last published one fell well
    below it."""
    first = engine_paths.index.min()
    if first.month == 1 or first.year not in trips.index:
        return trips
    engine_year = annual_paths(engine_paths, observed, first).loc[first.year]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(trips.loc[first.year] > 0, engine_year / trips.loc[first.year], 1.0)
    out = trips.astype(float)
    later = trips.index >= first.year
    out.loc[later] = trips.loc[later].to_numpy() * ratio[None, :]
    return out


POOL_ORDER = (ENGINE, ANNUAL_VIEW)


def pool(frames: Mapping[str, pd.DataFrame], weights: Mapping[str, float]) -> pd.DataFrame:
    """:func:`mixture` of the engine's and the annual view's frames in :data:`POOL_ORDER`: the same
    weights give the same paths from each, so quantities that follow the paths (trips, Japan's share)
    can be pooled alike."""
    return mixture({k: frames[k] for k in POOL_ORDER}, weights)
