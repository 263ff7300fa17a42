"""The outlook file: the two directions and their two-way total forecast to the horizon.

:func:`make_outlook` draws sample paths of both directions together (:func:`draw_both`, the shock
window set aside) and sets the long run of Taiwan → Japan (below); ``flows forecast``
(:mod:`flows.forecast.command`) writes them to ``data/processed/forecasts.csv`` and records the
vintages. Notebook 03 draws the same paths with :func:`make_outlook` and reads the file back.

- The long run of Taiwan → Japan is a combination of the monthly engine's paths and of the annual
  view built from Taiwan's departures and Japan's share of them (:mod:`flows.forecast.longrun`),
  weighted by how well each forecast 3–5 years ahead from origins 2005 … 2014
  (:mod:`flows.forecast.longrun_backtest`). Japan → Taiwan keeps the engine's paths: its parts are not
  published and its history is too short to score a long run on the same origins.

- Taiwan→Japan is JNTO's count of Taiwanese arrivals in Japan (``TW→JP visitor_arrivals``): the
  longest history (from 1996) and the newest months. Taiwan's own count of departures to Japan
  (used by the project's 2024 headline) is its mirror; the two are never added.
- Japan→Taiwan is Taiwan's count of arrivals of residents of Japan (``JP→TW visitor_arrivals``).
- The two directions are fitted once each and drawn together (:mod:`flows.forecast.joint`): each
  month's shocks of the two are correlated as the two fits' one-step residuals are. The two-way total
  is Taiwan→Japan + Japan→Taiwan, path by path (:func:`flows.forecast.paths.sum_paths`); months in
  which one direction is already published and the other is not use the published value for the
  first. The same draw with the directions independent (same seed, so Taiwan→Japan's paths are
  identical) is kept as ``Outlook.two_way_independent``, to show what the correlation changes.
- ``forecasts.csv`` gives each month's ``median`` (the published point: absolute errors are smallest
  there, see :data:`flows.forecast.engine.POINT`) beside its ``mean`` (the expected count, which adds
  up across months and series) and the 80 % / 95 % bounds, all read from the same paths.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flows.analysis import table as tb
from flows.atomic import replace_files
from flows.config import FORECASTS, HORIZON_END, LONGRUN_SEED, N_PATHS, OUTLOOK_SEED, SHOCK_WINDOW
from flows.forecast import annual_inputs, engine, joint
from flows.forecast import longrun as lr
from flows.forecast.paths import sum_paths, summarise_paths
from flows.vocabulary import FORECAST_SERIES, JP_TO_TW, JP_TO_TW_TAIWAN, TW_TO_JP, TW_TO_JP_JNTO, TWO_WAY

PARTS = (TW_TO_JP.code, JP_TO_TW.code)
KEYS = {TW_TO_JP.code: TW_TO_JP_JNTO, JP_TO_TW.code: JP_TO_TW_TAIWAN}
SERIES_NAMES = FORECAST_SERIES  # names in forecasts.csv (the report's index maps them to plain words)
MODEL = f"combo ({engine.MEMBER_NAMES}), {N_PATHS} paths"
# Names the method in forecast_vintages.csv: change it whenever the forecasts would change for the
# same table (engine, long run, weights' rule), so the new method's vintages are recorded beside the old.
METHOD_VERSION = "engine-median-ets+sarima+theta+annual-view+joint-3"
VALUES = ["median", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]  # persons
COLUMNS = ["series", "month", *VALUES, "model", "as_of"]


def build_series(table: pd.DataFrame, as_of: str | pd.Period | None = None) -> dict[str, pd.Series]:
    """The three monthly series up to ``as_of`` (None: the table's latest month), as floats.

    ``tw_to_jp`` and ``jp_to_tw`` (see the module doc) and ``two_way``, their sum over the months
    both are published (:func:`flows.analysis.table.two_way_total`, perspective ``jnto``).
    """
    end = tb.latest_month(table, as_of)
    table = table[table["month"] <= end]
    parts = {name: tb.series(table, *key).astype(float) for name, key in KEYS.items()}
    two_way = tb.two_way_total(table, "jnto")["two_way"].astype(float).rename("two_way")
    return {**parts, "two_way": two_way}


def horizon(y: pd.Series, horizon_end: str | pd.Period) -> int:
    """Months from the month after ``y``'s last observation through ``horizon_end``."""
    h = (pd.Period(horizon_end, "M") - y.index.max()).n
    if h < 1:
        raise ValueError(f"horizon_end {horizon_end} is not after the last month of {y.name} "
                         f"({y.index.max()})")
    return h


def draw_paths(y: pd.Series, horizon_end: str | pd.Period, *, n_paths: int = 1000, seed: int = 0,
               method: str = "combo", mask: Iterable[tuple[str, str]] = (SHOCK_WINDOW,), **options) -> pd.DataFrame:
    """Sample paths of ``y`` from its month after the last through ``horizon_end``
    (:func:`flows.forecast.engine.sample_paths`, with the ``mask`` months set aside)."""
    return engine.sample_paths(y, horizon(y, horizon_end), n_paths=n_paths, seed=seed, method=method,
                           interventions=tuple(mask), **options)


@dataclass
class LongRun:
    """Taiwan → Japan's long-run choices: the annual ``view``, the ``weights`` of the combination and
    the monthly paths of each choice (``engine``, ``annual view``, ``combination``)."""

    view: lr.AnnualView
    weights: dict[str, float]
    choices: dict[str, pd.DataFrame]

    def model(self) -> str:
        """How the combination is made, for the ``model`` column."""
        w = self.weights
        return (f"{w[lr.ENGINE]:.0%} monthly engine ({engine.MEMBER_NAMES}) + {w[lr.ANNUAL_VIEW]:.0%} annual view "
                f"(departures x Japan's share), {N_PATHS} paths")


@dataclass
class Outlook:
    """Sample paths (months × paths) and their monthly summaries for ``tw_to_jp``, ``jp_to_tw`` and
    ``two_way``, with the series they continue; ``as_of`` is the last month of data used;
    ``long_run``: Taiwan → Japan's long-run choices (None: the engine's paths alone); ``correlation``:
    of the two directions' one-step residuals, with which their shocks were drawn;
    ``two_way_independent``: the two-way paths had the directions been drawn independently."""

    as_of: pd.Period
    series: dict[str, pd.Series]
    paths: dict[str, pd.DataFrame]
    monthly: dict[str, pd.DataFrame]
    long_run: LongRun | None = None
    correlation: float = 0.0
    two_way_independent: pd.DataFrame | None = None

    def table(self, decimals: int = 0) -> pd.DataFrame:
        """The rows of ``forecasts.csv`` (:func:`forecast_table`)."""
        tw_jp = self.long_run.model() if self.long_run else MODEL
        drawn = f"directions drawn with their residuals' correlation ({self.correlation:+.2f})"
        two_way = f"Taiwan→Japan: {tw_jp}; Japan→Taiwan: {MODEL}; {drawn}" if self.long_run \
            else f"{MODEL}, {drawn}"
        models = {TW_TO_JP.code: tw_jp, JP_TO_TW.code: MODEL, TWO_WAY: two_way}
        return forecast_table(self.monthly, models, self.as_of, decimals)


def make_outlook(table: pd.DataFrame, as_of: str | pd.Period | None = None,
                 horizon_end: str | pd.Period = HORIZON_END, n_paths: int = N_PATHS,
                 annual: pd.DataFrame | None = None, weights: Mapping[str, float] | None = None) -> Outlook:
    """Paths of both directions to ``horizon_end``, drawn together (:func:`draw_both`), and of their
    two-way total, from the table cut at ``as_of`` (None: its latest month).

    With the ``annual`` table (:func:`flows.analysis.table.load_annual`) and the long-run ``weights``
    (:func:`flows.forecast.longrun_backtest.weights_from` the backtest rows), Taiwan → Japan's paths are the
    combination of the engine's and the annual view's; without them, the engine's alone."""
    as_of = tb.latest_month(table, as_of)
    table = table[table["month"] <= as_of]
    series = build_series(table, as_of)
    paths, independent, correlation = draw_both(series, horizon_end, n_paths)
    long_run = None
    if annual is not None:
        if weights is None:
            raise ValueError("the long run needs the weights of its choices")
        long_run = long_run_choices(table, annual, weights, paths[TW_TO_JP.code], series[TW_TO_JP.code],
                                    as_of, horizon_end, n_paths)
        paths[TW_TO_JP.code] = long_run.choices[lr.COMBINATION]
    paths[TWO_WAY] = sum_paths({k: paths[k] for k in PARTS}, series)
    # Taiwan → Japan's shocks are the same in both draws (same seed, first series): only Japan → Taiwan differs.
    apart = sum_paths({TW_TO_JP.code: paths[TW_TO_JP.code], JP_TO_TW.code: independent[JP_TO_TW.code]}, series)
    return Outlook(as_of, series, paths, {k: summarise_paths(p) for k, p in paths.items()}, long_run,
                   correlation, apart)


def draw_both(series: Mapping[str, pd.Series], horizon_end: str | pd.Period, n_paths: int = N_PATHS,
              mask: Iterable[tuple[str, str]] = (SHOCK_WINDOW,)):
    """Both directions fitted once (``mask`` months set aside) and drawn with their shocks correlated
    as their one-step residuals (:mod:`flows.forecast.joint`, seed :data:`flows.config.OUTLOOK_SEED`).
    Returns the paths, the same draw with the directions independent, and the correlation."""
    fit = joint.fit_jointly({k: series[k] for k in PARTS}, horizon_end, interventions=tuple(mask))
    paths = fit.draw(n_paths, OUTLOOK_SEED)
    independent = fit.draw(n_paths, OUTLOOK_SEED, correlated=False)
    return paths, independent, float(fit.correlation.loc[PARTS[0], PARTS[1]])


def annual_view(table: pd.DataFrame, annual: pd.DataFrame, as_of: str | pd.Period,
                horizon_end: str | pd.Period = HORIZON_END, n_paths: int = N_PATHS) -> lr.AnnualView:
    """The annual view of Taiwan → Japan to ``horizon_end``'s year from what is known at ``as_of``
    (seeded: :data:`flows.config.LONGRUN_SEED`)."""
    factors = annual_inputs.taiwan_factors(table, annual, as_of)
    return lr.taiwan_to_japan(factors, pd.Period(horizon_end, "M").year, n_paths, LONGRUN_SEED)


def long_run_choices(table: pd.DataFrame, annual: pd.DataFrame, weights: Mapping[str, float],
                     engine_paths: pd.DataFrame, observed: pd.Series, as_of: str | pd.Period,
                     horizon_end: str | pd.Period = HORIZON_END, n_paths: int = N_PATHS,
                     scale: float = 1.0) -> LongRun:
    """Taiwan → Japan's long-run choices built on ``engine_paths`` (monthly paths continuing
    ``observed``, on JNTO's count × ``scale``): the annual view at ``as_of`` and the combination."""
    view = annual_view(table, annual, as_of, horizon_end, n_paths)
    return LongRun(view, dict(weights), lr.choices(engine_paths, observed, view, weights, scale))


def forecast_table(summaries: Mapping[str, pd.DataFrame], models: Mapping[str, str] | str,
                   as_of: str | pd.Period, decimals: int = 0) -> pd.DataFrame:
    """The tidy table written to ``forecasts.csv``: one row per series and month, columns
    :data:`COLUMNS`, sorted by series and month, values rounded to ``decimals`` (persons).

    ``summaries``: name → :func:`summarise_paths` of monthly paths; names are mapped through
    :data:`SERIES_NAMES` when listed there. ``as_of``: last month of the data used.
    """
    frames = []
    for name, summary in summaries.items():
        frame = summary[VALUES].round(decimals).reset_index(names="month")
        frame["month"] = frame["month"].astype(str)
        frame.insert(0, "series", SERIES_NAMES.get(name, name))
        frame["model"] = models if isinstance(models, str) else models[name]
        frame["as_of"] = str(pd.Period(as_of, "M"))
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    out = out.sort_values(["series", "month"], kind="mergesort").reset_index(drop=True)
    if decimals == 0:
        out[VALUES] = out[VALUES].astype("int64")
    return out


def to_csv_text(frame: pd.DataFrame, decimals: int = 0) -> str:
    """CSV text of a forecasts table with a fixed number format, ``\\n`` line ends."""
    fmt = None if decimals == 0 else f"%.{decimals}f"
    return frame.to_csv(index=False, lineterminator="\n", float_format=fmt)


def write_forecasts(frame: pd.DataFrame, processed_dir: str | Path, decimals: int = 0) -> Path:
    """Write ``forecasts.csv`` atomically (:mod:`flows.atomic`). Same table → same bytes: no
    timestamps, fixed order and number format."""
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"forecasts table lacks columns {sorted(missing)}")
    (path,) = replace_files(processed_dir, {FORECASTS: to_csv_text(frame[COLUMNS], decimals)}, lock=True)
    return path


def parse_forecasts(text: str) -> pd.DataFrame:
    """Rows of ``forecasts.csv`` from its text (months and ``as_of`` as text)."""
    return pd.read_csv(io.StringIO(text), dtype={"month": str, "as_of": str})


def read_forecasts(processed_dir: str | Path) -> pd.DataFrame:
    """``forecasts.csv`` as written by :func:`write_forecasts`."""
    return parse_forecasts((Path(processed_dir) / FORECASTS).read_text(encoding="utf-8"))
