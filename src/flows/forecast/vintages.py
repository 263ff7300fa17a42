"""Forecast vintages: every outlook as it was made, kept for ever, and scored against what came since.

``data/processed/forecast_vintages.csv`` holds one row per vintage, direction and month: ``as_of`` (the
last month of data the forecast saw), ``method_version`` (:data:`flows.forecast.outlook.METHOD_VERSION`),
``backfilled`` (``true`` for a vintage computed later from the table cut at its ``as_of``, as if it had
been made then; ``false`` for one recorded by the run that made it), the series' key columns
(:mod:`flows.forecast.keys`), then the forecast's ``mean`` and 80 % / 95 % bounds (persons) as in
``forecasts.csv``. (Rows recorded before the files were keyed by codes were rewritten once with the new
keys, their figures unchanged.)

The file only grows: :func:`append` adds a vintage's rows after the existing bytes and never touches
them, and a vintage whose ``as_of`` and ``method_version`` are already recorded is not added again, so
rerunning ``flows forecast`` on the same table leaves the file byte for byte as it was. A changed
method must get a new ``method_version`` to be recorded beside the old one.

:func:`score` compares every vintage with the months published since its ``as_of``: MAPE of the mean,
its bias and the share of actuals inside the 80 % and 95 % intervals.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from flows.atomic import replace_files
from flows.config import VINTAGES
from flows.errors import RawFileError
from flows.forecast import keys, metrics, tolerance

VALUES = ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]
COLUMNS = ["as_of", "method_version", "backfilled", *keys.KEY, "month", *VALUES]
BACKFILL_AS_OF = ("2023-12", "2024-06", "2024-12", "2025-06")


def vintage_rows(forecasts: pd.DataFrame, method_version: str, backfilled: bool) -> pd.DataFrame:
    """The rows of one vintage from a forecasts table (:func:`flows.forecast.outlook.forecast_table`)."""
    if forecasts["as_of"].nunique() != 1:
        raise ValueError("a vintage has one as_of")
    rows = forecasts.assign(method_version=method_version, backfilled="true" if backfilled else "false")
    return rows[COLUMNS].reset_index(drop=True)


def _text(rows: pd.DataFrame, header: bool) -> str:
    return rows[COLUMNS].to_csv(index=False, header=header, lineterminator="\n")


def read_vintages(processed_dir: str | Path) -> pd.DataFrame:
    """The vintages file (empty, with :data:`COLUMNS`, when there is none yet)."""
    path = Path(processed_dir) / VINTAGES
    if not path.is_file():
        return pd.DataFrame(columns=COLUMNS)
    return _parse(path.read_text(encoding="utf-8"), path)


def _parse(text: str, path: Path) -> pd.DataFrame:
    header = text.split("\n", 1)[0]
    if header != ",".join(COLUMNS):
        raise RawFileError(path, f"expected the header {','.join(COLUMNS)!r}, found {header!r}", where="line 1")
    return keys.parse(text, {"as_of": str, "method_version": str, "backfilled": str, "month": str})


def recorded(vintages: pd.DataFrame) -> set[tuple[str, str]]:
    """The ``(as_of, method_version)`` pairs already in the file."""
    return set(zip(vintages["as_of"], vintages["method_version"]))


def append(processed_dir: str | Path, rows: pd.DataFrame) -> bool:
    """Add one vintage's ``rows`` at the end of the file (created with its header if absent).

    Returns False, changing nothing, when its ``as_of`` and ``method_version`` are already recorded.
    The bytes already in the file are kept as they are; the new file replaces the old atomically.
    """
    keys = set(zip(rows["as_of"], rows["method_version"]))
    if len(keys) != 1:
        raise ValueError(f"one vintage at a time, got {sorted(keys)}")
    path = Path(processed_dir) / VINTAGES
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if old and keys <= recorded(_parse(old, path)):
        return False
    replace_files(processed_dir, {VINTAGES: (old or _text(rows.iloc[:0], header=True)) + _text(rows, header=False)}, lock=True)
    return True


def same_numbers(vintages: pd.DataFrame, rows: pd.DataFrame) -> bool:
    """True when the recorded vintage with ``rows``' as_of and method version has the same values
    within :data:`flows.forecast.tolerance.VINTAGES` (a rerun of an unchanged method on an unchanged
    table, on any CPU)."""
    as_of, version = rows["as_of"].iloc[0], rows["method_version"].iloc[0]
    old = vintages[(vintages["as_of"] == as_of) & (vintages["method_version"] == version)]
    key = ["direction", "month"]
    old = old.sort_values(key).reset_index(drop=True)[key + VALUES]
    new = rows.sort_values(key).reset_index(drop=True)[key + VALUES]
    return not tolerance.differences(new, old, tolerance.VINTAGES)


def against_actuals(vintages: pd.DataFrame, actuals: Mapping[str, pd.Series]) -> pd.DataFrame:
    """The long table of the vintages' forecasts of months published since their ``as_of``: the vintage
    rows with ``actual`` beside them. ``actuals``: direction (as in the file) → published monthly values
    (``PeriodIndex``)."""
    frames = []
    for direction, actual in actuals.items():
        rows = vintages[vintages["direction"] == direction]
        published = pd.Series(actual.to_numpy(dtype=float), index=actual.index.astype(str))
        rows = rows.assign(actual=rows["month"].map(published)).dropna(subset=["actual"])
        frames.append(rows[rows["month"] > rows["as_of"]])
    return pd.concat(frames, ignore_index=True) if frames else vintages.iloc[:0].assign(actual=[])


def score(vintages: pd.DataFrame, actuals: Mapping[str, pd.Series], by_year: bool = False) -> pd.DataFrame:
    """Every vintage against the months published since its ``as_of`` (:func:`against_actuals`, scored by
    :func:`flows.forecast.metrics.published_scores`): one row per vintage and direction (and calendar year
    when ``by_year``). Vintages with nothing published since have no row."""
    rows = against_actuals(vintages, actuals)
    by = ["as_of", "method_version", "backfilled", "direction"]
    if by_year:
        rows = rows.assign(year=rows["month"].str[:4].astype(int))
        by.append("year")
    return metrics.published_scores(rows, by) if len(rows) else pd.DataFrame()
