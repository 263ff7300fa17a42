"""The outlook: the two directions and their two-way total forecast to the horizon, made once.

:func:`make_outlook` draws sample paths of both directions together (:func:`draw_both`, the shock
window set aside), calibrates each year's spread on the reference panel of travel flows and holds
Taiwan → Japan under the ceiling of Taiwan's own history; ``flows forecast``
(:mod:`flows.forecast.command`) writes it to ``data/processed`` (:mod:`flows.forecast.outlook_files`)
and records the vintages. Notebooks 03 and 04, the load model and the report read those files.

- **Calibration** (:mod:`flows.forecast.calibration`): the engine's annual totals were too sure of
  themselves one to five years ahead on the panel (95 % intervals held 67–81 %). Each direction's
  paths are stretched year by year by factors fitted on the panel's other series
  (``panel_backtest.csv``, leave-one-series-out), from errors whose targets ended before ``as_of``.
- **Ceiling** (:mod:`flows.forecast.ceiling`): no Taiwan → Japan path goes beyond what Taiwan's
  largest five-year moves of departures per resident and Japan's share would give.
- Until method version 3 Taiwan → Japan's long run pooled the engine with an annual view of its parts
  (departures per resident × Japan's share, damped), weighted on Taiwan → Japan's own 2005–2014 origins.
  It is gone: it cannot be scored on the panel (its parts are published for Taiwan alone), and on that
  one boom its 95 % intervals were 8.7 × wide at five years. The ceiling keeps what it was for.

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
- **Lunar New Year**: both directions' models carry the holiday's window days per month as a regressor
  (:func:`flows.forecast.inputs.lunar_new_year_regressor`), which moves between January and February.
  It earned its place before the years it is scored on (``bench/bench_forecast.py`` section 6: arrivals
  in Japan from the seven markets that keep the holiday, origins 2006–2012, MAE ratio to the seasonal
  naive 0.889 → 0.869 on all months and 0.826 → 0.721 on January–February, better in six of seven).
- ``forecasts.csv`` keys each series by codes (:mod:`flows.forecast.keys`) and gives each month's
  ``median`` (the published point: absolute errors are smallest there, see
  :data:`flows.forecast.engine.POINT`) beside its ``mean`` (the expected count, which adds up across
  months and series) and the 80 % / 95 % bounds, all read from the same paths, with the
  ``method_version`` that made them; the models in words are stated once, in ``datapackage.json``
  (:meth:`Outlook.models`, :mod:`flows.forecast.package`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flows.analysis import table as tb
from flows.config import FORECASTS, HORIZON_END, N_PATHS, OUTLOOK_SEED, SHOCK_WINDOW
from flows.forecast import annual_inputs, engine, joint, keys
from flows.forecast import calibration as cal
from flows.forecast import ceiling as ce
from flows.forecast.inputs import as_monthly, lunar_new_year_regressor
from flows.forecast.paths import sum_paths, summarise_paths
from flows.forecast.spec import DEFAULT as SPEC
from flows.forecast.spec import MEMBER_NAMES
from flows.vocabulary import JP_TO_TW, TW_TO_JP, TWO_WAY

PARTS = (TW_TO_JP.code, JP_TO_TW.code)
MODEL = (f"combo ({MEMBER_NAMES}) with the Lunar New Year regressor, {N_PATHS} paths, "
         "annual spread calibrated on the travel panel")
# Names the method in forecast_vintages.csv: the engine's spec (flows.forecast.spec) and what is done to
# its paths. Change it whenever the forecasts would change for the same table, so the new method's
# vintages are recorded beside the old.
METHOD_VERSION = f"{SPEC.name}+lunar-new-year+panel-calibrated+ceiling-5"
VALUES = ["median", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]  # persons
COLUMNS = [*keys.KEY, "month", *VALUES, "as_of", "method_version"]


def build_series(table: pd.DataFrame, as_of: str | pd.Period | None = None) -> dict[str, pd.Series]:
    """The three monthly series up to ``as_of`` (None: the table's latest month), as floats.

    ``tw_to_jp`` and ``jp_to_tw`` (see the module doc) and ``two_way``, their sum over the months
    both are published (:func:`flows.analysis.table.two_way_total`, perspective ``jnto``).
    """
    end = tb.latest_month(table, as_of)
    table = table[table["month"] <= end]
    parts = {name: tb.series(table, *key).astype(float) for name, key in keys.CONTINUES.items()}
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
class Outlook:
    """Sample paths (months × paths) and their monthly summaries for ``tw_to_jp``, ``jp_to_tw`` and
    ``two_way``, with the series they continue; ``as_of`` is the last month of data used;
    ``engine_paths``: each direction's paths as the engine drew them (before calibration and ceiling);
    ``calibration``: the factors each direction was calibrated with (None: not calibrated);
    ``ceiling``: Taiwan → Japan's ceiling by year and ``capped`` the share of its paths held to it;
    ``correlation``: of the two directions' one-step residuals, with which their shocks were drawn;
    ``two_way_independent``: the two-way paths had the directions been drawn independently."""

    as_of: pd.Period
    series: dict[str, pd.Series]
    paths: dict[str, pd.DataFrame]
    monthly: dict[str, pd.DataFrame]
    engine_paths: dict[str, pd.DataFrame] | None = None
    calibration: dict[str, pd.DataFrame] | None = None
    ceiling: pd.Series | None = None
    capped: pd.Series | None = None
    correlation: float = 0.0
    two_way_independent: pd.DataFrame | None = None

    def table(self, decimals: int = 0) -> pd.DataFrame:
        """The rows of ``forecasts.csv`` (:func:`forecast_table`)."""
        return forecast_table(self.monthly, self.as_of, decimals=decimals)

    def models(self) -> dict[str, str]:
        """Each direction's model in words (stated once, in ``datapackage.json``)."""
        tw_jp = MODEL + (", under the ceiling of Taiwan's largest five-year moves" if self.ceiling is not None else "")
        drawn = f"directions drawn with their residuals' correlation ({self.correlation:+.2f})"
        two_way = f"Taiwan→Japan: {tw_jp}; Japan→Taiwan: {MODEL}; {drawn}"
        return {TW_TO_JP.code: tw_jp, JP_TO_TW.code: MODEL, TWO_WAY: two_way}


def make_outlook(table: pd.DataFrame, as_of: str | pd.Period | None = None,
                 horizon_end: str | pd.Period = HORIZON_END, n_paths: int = N_PATHS,
                 panel_rows: pd.DataFrame | None = None, annual: pd.DataFrame | None = None) -> Outlook:
    """Paths of both directions to ``horizon_end``, drawn together (:func:`draw_both`), and of their
    two-way total, from the table cut at ``as_of`` (None: its latest month).

    With ``panel_rows`` (``panel_backtest.csv``: :mod:`flows.forecast.panel_file`) each direction's
    annual spread is calibrated on the panel's other series, from targets before ``as_of``
    (:func:`calibration_for`); with the ``annual`` table (:func:`flows.analysis.table.load_annual`)
    Taiwan → Japan's paths are held under its ceiling (:func:`ceiling_for`). Without them, the engine's
    paths as drawn."""
    as_of = tb.latest_month(table, as_of)
    table = table[table["month"] <= as_of]
    series = build_series(table, as_of)
    drawn, independent, correlation = draw_both(series, horizon_end, n_paths)
    paths = dict(drawn)
    calibration = None
    if panel_rows is not None:
        calibration = {k: calibration_for(panel_rows, k, as_of) for k in PARTS}
        paths = {k: cal.calibrate_paths(p, series[k], calibration[k], as_of) for k, p in paths.items()}
        independent = {k: cal.calibrate_paths(p, series[k], calibration[k], as_of) for k, p in independent.items()}
    ceiling = capped = None
    if annual is not None:
        ceiling = ceiling_for(table, annual, as_of, horizon_end)
        tw = series[TW_TO_JP.code]
        paths[TW_TO_JP.code], capped = ce.cap_paths(paths[TW_TO_JP.code], tw, ceiling)
        independent[TW_TO_JP.code], _ = ce.cap_paths(independent[TW_TO_JP.code], tw, ceiling)
    paths[TWO_WAY] = sum_paths({k: paths[k] for k in PARTS}, series)
    # Taiwan → Japan's shocks are the same in both draws (same seed, first series): only Japan → Taiwan differs.
    apart = sum_paths({TW_TO_JP.code: paths[TW_TO_JP.code], JP_TO_TW.code: independent[JP_TO_TW.code]}, series)
    return Outlook(as_of, series, paths, {k: summarise_paths(p) for k, p in paths.items()}, drawn, calibration,
                   ceiling, capped, correlation, apart)


def calibration_before(as_of: str | pd.Period) -> int:
    """The first target year a forecast as of ``as_of`` may not learn from: ``as_of``'s year, or the next
    one when ``as_of`` is its December."""
    as_of = pd.Period(as_of, "M")
    return as_of.year + (1 if as_of.month == 12 else 0)


def calibration_for(panel_rows: pd.DataFrame, direction: str, as_of: str | pd.Period) -> pd.DataFrame:
    """The calibration of ``direction`` (:func:`flows.forecast.calibration.factors`): the panel's damped
    engine rows without its own series, with targets before :func:`calibration_before` ``as_of``."""
    engine_rows = cal.damped(panel_rows[panel_rows["method"] == "engine"])
    own = keys.panel_name(*keys.CONTINUES[direction][:2])
    return cal.factors(engine_rows, exclude=[own], before=calibration_before(as_of))


def ceiling_for(table: pd.DataFrame, annual: pd.DataFrame, as_of: str | pd.Period,
                horizon_end: str | pd.Period = HORIZON_END) -> pd.Series:
    """Taiwan → Japan's ceiling (:func:`flows.forecast.ceiling.ceilings`) for each year after the last
    complete year of JNTO's count at ``as_of``, through ``horizon_end``'s year."""
    factors = annual_inputs.taiwan_factors(table, annual, as_of)
    base = int(factors["arrivals_in_japan"].last_valid_index())
    return ce.ceilings(factors, base, range(base + 1, pd.Period(horizon_end, "M").year + 1))


def draw_both(series: Mapping[str, pd.Series], horizon_end: str | pd.Period, n_paths: int = N_PATHS,
              mask: Iterable[tuple[str, str]] = (SHOCK_WINDOW,)):
    """Both directions fitted once (``mask`` months set aside; the Lunar New Year regressor: see the module
    doc) and drawn with their shocks correlated
    as their one-step residuals (:mod:`flows.forecast.joint`, seed :data:`flows.config.OUTLOOK_SEED`).
    Returns the paths, the same draw with the directions independent, and the correlation."""
    options = {k: lunar_new_year_regressor(as_monthly(series[k]), horizon_end) for k in PARTS}
    fit = joint.fit_jointly({k: series[k] for k in PARTS}, horizon_end, options=options, interventions=tuple(mask))
    paths = fit.draw(n_paths, OUTLOOK_SEED)
    independent = fit.draw(n_paths, OUTLOOK_SEED, correlated=False)
    return paths, independent, float(fit.correlation.loc[PARTS[0], PARTS[1]])


def forecast_table(summaries: Mapping[str, pd.DataFrame], as_of: str | pd.Period,
                   method_version: str = METHOD_VERSION, decimals: int = 0) -> pd.DataFrame:
    """The tidy table written to ``forecasts.csv``: one row per direction and month, columns
    :data:`COLUMNS`, sorted by direction and month, values rounded to ``decimals`` (persons).

    ``summaries``: direction (:data:`flows.forecast.keys.DIRECTIONS`) → :func:`summarise_paths` of its
    monthly paths. ``as_of``: last month of the data used.
    """
    frames = []
    for direction, summary in summaries.items():
        frame = summary[VALUES].round(decimals).reset_index(names="month")
        frame["month"] = frame["month"].astype(str)
        frame = keys.with_key(frame, direction)
        frame["as_of"] = str(pd.Period(as_of, "M"))
        frame["method_version"] = method_version
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)[COLUMNS]
    out = out.sort_values(["direction", "month"], kind="mergesort").reset_index(drop=True)
    if decimals == 0:
        out[VALUES] = out[VALUES].astype("int64")
    return out


def to_csv_text(frame: pd.DataFrame, decimals: int = 0) -> str:
    """CSV text of a forecasts table with a fixed number format, ``\\n`` line ends."""
    fmt = None if decimals == 0 else f"%.{decimals}f"
    return frame.to_csv(index=False, lineterminator="\n", float_format=fmt)


def parse_forecasts(text: str) -> pd.DataFrame:
    """Rows of ``forecasts.csv`` from its text (keys, months and ``as_of`` as text)."""
    return keys.parse(text, {"month": str, "as_of": str, "method_version": str})


def read_forecasts(processed_dir: str | Path) -> pd.DataFrame:
    """``forecasts.csv`` as ``flows forecast`` writes it (:func:`to_csv_text`)."""
    return parse_forecasts((Path(processed_dir) / FORECASTS).read_text(encoding="utf-8"))
