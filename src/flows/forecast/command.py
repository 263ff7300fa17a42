"""``flows forecast``: the outlook and the long run's backtest written to ``data/processed``.

:func:`run` reads the processed tables, runs the long run's backtest
(:mod:`flows.forecast.longrun_backtest`, whose weights the outlook uses), makes the outlook
(:func:`flows.forecast.outlook.make_outlook`), writes ``forecasts.csv`` and ``longrun_backtest.csv``
— or keeps them, when every figure is within :mod:`flows.forecast.tolerance` of this run's — and
records the vintage in ``forecast_vintages.csv`` (:mod:`flows.forecast.vintages`), backfilling the
vintages of :data:`flows.forecast.vintages.BACKFILL_AS_OF` not yet recorded for this method.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.analysis import table as tb
from flows.atomic import replace_files
from flows.config import FORECASTS, HORIZON_END, LONGRUN_BACKTEST, N_PATHS, VINTAGES
from flows.forecast import tolerance, vintages
from flows.forecast.longrun_backtest import backtest_text, parse_backtest, run_backtests, tidy
from flows.forecast.outlook import COLUMNS, METHOD_VERSION, make_outlook, parse_forecasts, read_forecasts, to_csv_text


def forecast_outputs(table: pd.DataFrame, annual: pd.DataFrame, as_of: pd.Period, end: pd.Period,
                     log=print) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """What ``flows forecast`` writes, from the tables cut at ``as_of``: the rows of
    ``forecasts.csv``, those of ``longrun_backtest.csv`` and the long run's weights. Writes nothing."""
    rows, weights = run_backtests(table[table["month"] <= as_of], annual)
    log("Long run of Taiwan→Japan (backtest 2005…2014, 3–5 years ahead): "
        + ", ".join(f"{name} {w:.0%}" for name, w in weights.items()))
    frame = make_outlook(table, as_of, end, annual=annual, weights=weights).table()
    return frame, tidy(rows), weights


def keep_or_write(processed_dir: str | Path, name: str, text: str, parse, tol: tolerance.Tolerance) -> bool:
    """Write ``text`` to ``processed_dir/name`` atomically unless the file there holds the same figures
    within ``tol`` (:mod:`flows.forecast.tolerance`: another CPU's last digits), which are then kept
    byte for byte. Returns True when the file was written."""
    path = Path(processed_dir) / name
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if old == text:
            return False
        try:
            same = not tolerance.differences(parse(text), parse(old), tol)
        except (ValueError, KeyError, pd.errors.ParserError):
            same = False  # an unreadable old file is replaced
        if same:
            return False
    replace_files(processed_dir, {name: text}, lock=True)
    return True


def run(processed_dir: str | Path, as_of: str | None = None, horizon_end: str = HORIZON_END,
        log=print) -> Path:
    """``flows forecast``: forecast both directions from the processed tables, write ``forecasts.csv``
    and the long run's backtest ``longrun_backtest.csv`` (whose weights the outlook uses), and record
    the vintage (and missing backfilled ones) in ``forecast_vintages.csv``.

    A file whose figures are all within the tolerances of :mod:`flows.forecast.tolerance` of this
    run's is kept as it is (one line says so): the same table and method on another CPU change nothing.
    ``as_of`` must be a month of the table and ``horizon_end`` a later month (checked first)."""
    table = tb.load_table(processed_dir)
    as_of, end = tb.check_period(table, as_of, horizon_end)
    annual = tb.load_annual(processed_dir)
    log(f"Forecasting Taiwan→Japan and Japan→Taiwan from the table as of {as_of} to {end} "
        f"({N_PATHS:,} sample paths each)")
    frame, backtest, weights = forecast_outputs(table, annual, as_of, end, log)
    path = Path(processed_dir) / FORECASTS
    written = {
        LONGRUN_BACKTEST: keep_or_write(processed_dir, LONGRUN_BACKTEST, backtest_text(backtest), parse_backtest,
                                        tolerance.LONGRUN_BACKTEST),
        FORECASTS: keep_or_write(processed_dir, FORECASTS, to_csv_text(frame[COLUMNS]), parse_forecasts,
                                 tolerance.FORECASTS),
    }
    for name, wrote in written.items():
        if wrote:
            log(f"Wrote {Path(processed_dir) / name}" + (f" ({len(frame)} rows)" if name == FORECASTS else ""))
    kept = [name for name, wrote in written.items() if not wrote]
    if kept:
        log(f"Kept {' and '.join(kept)} as they were: every figure of this run is within "
            f"{tolerance.POINT:.1%} (points) and {tolerance.BOUND:.0%} (bounds) of theirs")
    if not written[FORECASTS]:
        frame = read_forecasts(processed_dir)  # the vintage records the outlook as published
    known = vintages.recorded(vintages.read_vintages(processed_dir))
    first = table["month"].min()
    for month in vintages.BACKFILL_AS_OF:
        if (month, METHOD_VERSION) in known or not first <= pd.Period(month, "M") < as_of:
            continue
        back = make_outlook(table, month, end, annual=annual, weights=weights).table()
        vintages.append(processed_dir, vintages.vintage_rows(back, METHOD_VERSION, backfilled=True))
        log(f"Backfilled the vintage as of {month} ({METHOD_VERSION})")
    rows = vintages.vintage_rows(frame, METHOD_VERSION, backfilled=False)
    if vintages.append(processed_dir, rows):
        log(f"Recorded the vintage as of {as_of} ({METHOD_VERSION}) in {Path(processed_dir) / VINTAGES}")
    elif not vintages.same_numbers(vintages.read_vintages(processed_dir), rows):
        log(f"Warning: the vintage as of {as_of} ({METHOD_VERSION}) is already recorded with other numbers; "
            f"it is kept as it was. Give a changed method a new flows.forecast.outlook.METHOD_VERSION.")
    return path
