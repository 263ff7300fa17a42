"""``flows forecast``: the outlook and the panel's backtest written to ``data/processed``.

:func:`run` reads the processed tables, reuses or remakes the engine's backtest on the reference
panel (``panel_backtest.csv``, :mod:`flows.forecast.panel_file`, which calibrates the outlook), makes
the outlook (:func:`flows.forecast.outlook.make_outlook`), writes the outlook's
three files — ``forecasts.csv`` (monthly), ``forecast_annual.csv`` and ``forecast_paths.csv``
(:mod:`flows.forecast.outlook_files`), replaced together — or keeps them, when every figure is within
:mod:`flows.forecast.tolerance` of this run's, and records the vintage in ``forecast_vintages.csv``
(:mod:`flows.forecast.vintages`), backfilling the
vintages of :data:`flows.forecast.vintages.BACKFILL_AS_OF` not yet recorded for this method. Last, it
describes every file it writes in ``datapackage.json`` (:mod:`flows.forecast.package`), keeping the
build's part as it is, and writes the package only when that description changed. What it does is said
on this module's logger, which ``flows forecast`` prints (:mod:`flows.cli`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from flows.analysis import table as tb
from flows.atomic import replace_files
from flows.config import DESCRIPTOR, FORECAST_ANNUAL, FORECAST_PATHS, FORECASTS, HORIZON_END, N_PATHS, PANEL_BACKTEST, VINTAGES
from flows.forecast import outlook_files as of
from flows.forecast import package, panel_file, tolerance, vintages
from flows.forecast import panel as pn
from flows.forecast.outlook import COLUMNS, METHOD_VERSION, make_outlook, parse_forecasts, read_forecasts, to_csv_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    """One file ``flows forecast`` writes: its ``text`` and how to tell an old text holding the same
    figures within tolerance (``same(old, new)``)."""

    name: str
    text: str
    same: Callable[[str, str], bool]


class Made(NamedTuple):
    """What one run makes (:func:`forecast_outputs`): the panel's backtest file and the outlook's three files
    (:class:`Output`), the rows of ``forecasts.csv``, the panel's rows, each direction's model in words
    and the months of the paths file (both for ``datapackage.json``)."""

    backtest: list[Output]
    files: list[Output]
    frame: pd.DataFrame
    rows: pd.DataFrame
    models: dict[str, str]
    months: list[str]


def _within(parse, tol: tolerance.Tolerance) -> Callable[[str, str], bool]:
    return lambda old, new: not tolerance.differences(parse(new), parse(old), tol)


def _paths_within(old: str, new: str) -> bool:
    return not of.path_differences(of.parse_paths(new), of.parse_paths(old), tolerance.BOUND)


def panel_rows(table: pd.DataFrame, processed_dir: str | Path | None) -> pd.DataFrame:
    """The panel's backtest rows: ``panel_backtest.csv`` in ``processed_dir`` when it was made by this
    engine from this history (:func:`flows.forecast.panel_file.reusable`), else made again."""
    panel = pn.reference_panel(table)
    rows = None if processed_dir is None else panel_file.reusable(processed_dir, panel)
    if rows is None:
        logger.info(f"Backtesting the engine on the panel of {len(panel)} travel flows, December origins "
                    f"{panel_file.ORIGINS[0]}…{panel_file.ORIGINS[-1]} (a few minutes; reused until the engine or "
                    "the panel's history changes)")
        rows = panel_file.parse(panel_file.text(panel_file.make_rows(panel)))
    return rows


def forecast_outputs(table: pd.DataFrame, annual: pd.DataFrame, as_of: pd.Period, end: pd.Period,
                     processed_dir: str | Path | None = None) -> Made:
    """What ``flows forecast`` writes, from the tables cut at ``as_of``, writing nothing (:class:`Made`)."""
    rows = panel_rows(table[table["month"] <= as_of], processed_dir)
    outlook = make_outlook(table, as_of, end, panel_rows=rows, annual=annual)
    frame = outlook.table()
    backtest = [Output(PANEL_BACKTEST, panel_file.text(rows),
                       _within(panel_file.parse, tolerance.PANEL_BACKTEST))]
    paths = of.paths_frame(of.path_sets(outlook))
    files = [
        Output(FORECASTS, to_csv_text(frame[COLUMNS]), _within(parse_forecasts, tolerance.FORECASTS)),
        Output(FORECAST_ANNUAL, of.annual_text(of.annual_frame(outlook, METHOD_VERSION)),
               _within(of.parse_annual, tolerance.FORECASTS)),
        Output(FORECAST_PATHS, of.paths_text(paths), _paths_within),
    ]
    return Made(backtest, files, frame, rows, outlook.models(), list(paths.columns[len(of.KEY):]))


def unchanged(processed_dir: str | Path, outputs: list[Output]) -> bool:
    """True when every file of ``outputs`` is in ``processed_dir`` with the same figures, within the
    tolerances of :mod:`flows.forecast.tolerance` (another CPU's last digits)."""
    for output in outputs:
        path = Path(processed_dir) / output.name
        if not path.is_file():
            return False
        old = path.read_text(encoding="utf-8")
        try:
            if old != output.text and not output.same(old, output.text):
                return False
        except (ValueError, KeyError, pd.errors.ParserError):
            return False  # an unreadable old file is replaced
    return True


def keep_or_write(processed_dir: str | Path, outputs: list[Output]) -> bool:
    """Write ``outputs`` together (atomically) unless :func:`unchanged`. Returns True when written."""
    if unchanged(processed_dir, outputs):
        return False
    replace_files(processed_dir, {o.name: o.text for o in outputs}, lock=True)
    return True


def run(processed_dir: str | Path, as_of: str | None = None, horizon_end: str = HORIZON_END) -> Path:
    """``flows forecast``: forecast both directions from the processed tables, write the panel's
    backtest ``panel_backtest.csv`` (which calibrates the outlook) and the outlook's files
    (``forecasts.csv``, ``forecast_annual.csv``, ``forecast_paths.csv``), and record the vintage (and
    missing backfilled ones) in ``forecast_vintages.csv``.

    Files whose figures are all within the tolerances of :mod:`flows.forecast.tolerance` of this
    run's are kept as they are (one line says so): the same table and method on another CPU change
    nothing. ``as_of`` must be a month of the table and ``horizon_end`` a later month (checked first)."""
    table = tb.load_table(processed_dir)
    as_of, end = tb.check_period(table, as_of, horizon_end)
    annual = tb.load_annual(processed_dir)
    logger.info(f"Forecasting Taiwan→Japan and Japan→Taiwan from the table as of {as_of} to {end} "
                f"({N_PATHS:,} sample paths each)")
    made = forecast_outputs(table, annual, as_of, end, processed_dir)
    frame, rows = made.frame, made.rows
    kept = []
    for group in (made.backtest, made.files):
        if keep_or_write(processed_dir, group):
            logger.info("Wrote " + ", ".join(str(Path(processed_dir) / o.name) for o in group))
        else:
            kept += [o.name for o in group]
    if kept:
        logger.info(f"Kept {', '.join(kept)} as they were: every figure of this run is within "
                    f"{tolerance.POINT:.0%} (points) and {tolerance.BOUND:.0%} (bounds) of theirs")
    if FORECASTS in kept:
        frame = read_forecasts(processed_dir)  # the vintage records the outlook as published
    known = vintages.recorded(vintages.read_vintages(processed_dir))
    first = table["month"].min()
    for month in vintages.BACKFILL_AS_OF:
        if (month, METHOD_VERSION) in known or not first <= pd.Period(month, "M") < as_of:
            continue
        back = make_outlook(table, month, end, panel_rows=rows, annual=annual).table()
        vintages.append(processed_dir, vintages.vintage_rows(back, METHOD_VERSION, backfilled=True))
        logger.info(f"Backfilled the vintage as of {month} ({METHOD_VERSION})")
    rows = vintages.vintage_rows(frame, METHOD_VERSION, backfilled=False)
    if vintages.append(processed_dir, rows):
        logger.info(f"Recorded the vintage as of {as_of} ({METHOD_VERSION}) in {Path(processed_dir) / VINTAGES}")
    elif not vintages.same_numbers(vintages.read_vintages(processed_dir), rows):
        logger.warning(f"Warning: the vintage as of {as_of} ({METHOD_VERSION}) is already recorded with other "
                       f"numbers; it is kept as it was. Give a changed method a new flows.forecast.outlook.METHOD_VERSION.")
    describe(processed_dir, made)
    return Path(processed_dir) / FORECASTS


def describe(processed_dir: str | Path, made: Made) -> bool:
    """Describe the forecast files in ``datapackage.json`` (:func:`flows.forecast.package.text`), writing it
    only when the description changed. Returns True when written."""
    path = Path(processed_dir) / DESCRIPTOR
    text = package.text(processed_dir, made.models, made.months)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    replace_files(processed_dir, {DESCRIPTOR: text}, lock=True)
    logger.info(f"Described the forecast files in {path}")
    return True
