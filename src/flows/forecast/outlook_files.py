"""The outlook as files: its sample paths and its annual totals, for every stage after the forecast.

``flows forecast`` writes, beside ``forecasts.csv`` (monthly summaries):

- ``forecast_paths.csv``: every sample path, one row per direction (``tw_to_jp``, ``jp_to_tw``, with the
  key columns of :mod:`flows.forecast.keys`), ``choice`` and ``path``, one column per future month
  (whole persons; empty before the direction's own forecast starts). ``choice`` ``outlook`` is the
  outlook itself; ``engine`` the same draw as the engine made it, before the panel's calibration and
  Taiwan → Japan's ceiling.
  The load model and notebook 04 read their travellers here and never forecast again.
- ``forecast_annual.csv``: calendar-year totals of the outlook per direction (the two directions and
  their two-way total, keyed by :mod:`flows.forecast.keys`), published months included: ``median``,
  ``mean`` and 80 % / 95 % bounds read from the paths' annual totals (never sums of monthly bounds), for
  every year with a forecast month, with the ``method_version`` that made them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from flows.config import FORECAST_ANNUAL, FORECAST_PATHS
from flows.errors import RawFileError
from flows.forecast import keys
from flows.forecast.paths import annual_paths, summarise_paths
from flows.vocabulary import JP_TO_TW, TW_TO_JP, TWO_WAY

OUTLOOK, ENGINE = "outlook", "engine"
KEY = [*keys.KEY, "choice", "path"]
ANNUAL_COLUMNS = [*keys.KEY, "year", "median", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "as_of",
                  "method_version"]


def path_sets(outlook) -> dict[tuple[str, str], pd.DataFrame]:
    """``(direction, choice)`` → monthly paths of an :class:`flows.forecast.outlook.Outlook`."""
    sets = {(TW_TO_JP.code, OUTLOOK): outlook.paths[TW_TO_JP.code], (JP_TO_TW.code, OUTLOOK): outlook.paths[JP_TO_TW.code]}
    if outlook.engine_paths is not None:
        for code in (TW_TO_JP.code, JP_TO_TW.code):
            sets[(code, ENGINE)] = outlook.engine_paths[code]
    return sets


def paths_frame(sets: Mapping[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """One row per direction, choice and path; one column per month (``YYYY-MM``), whole persons."""
    months = pd.period_range(min(p.index.min() for p in sets.values()), max(p.index.max() for p in sets.values()),
                             freq="M")
    frames = []
    for (direction, choice), paths in sets.items():
        values = np.full((paths.shape[1], len(months)), np.nan)
        values[:, months.get_indexer(paths.index)] = np.round(paths.to_numpy(dtype=float).T)
        frame = pd.DataFrame(values, columns=months.astype(str)).astype("Int64")
        frames.append(keys.with_key(frame.assign(choice=choice, path=range(paths.shape[1])), direction))
    frame = pd.concat(frames, ignore_index=True)
    return frame[KEY + list(months.astype(str))]


def paths_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def parse_paths(text: str) -> pd.DataFrame:
    """Rows of ``forecast_paths.csv`` from its text."""
    frame = keys.parse(text, {"choice": str})
    months = frame.columns[len(KEY):]
    frame[months] = frame[months].astype("Int64")
    return frame


def read_path_sets(processed_dir: str | Path) -> dict[tuple[str, str], pd.DataFrame]:
    """Every ``(direction, choice)`` of ``forecast_paths.csv`` (read once): months (``PeriodIndex``) × paths,
    as floats, only the months the series is forecast."""
    path = Path(processed_dir) / FORECAST_PATHS
    if not path.is_file():
        raise RawFileError(path, "the outlook's sample paths are missing: run `flows forecast` (`make forecast`) first")
    frame = parse_paths(path.read_text(encoding="utf-8"))
    sets = {}
    for (direction, choice), rows in frame.groupby(["direction", "choice"], sort=False):
        values = rows.drop(columns=KEY).set_index(rows["path"].to_numpy()).T.astype(float).dropna(how="all")
        values.index = pd.PeriodIndex(values.index, freq="M", name="month")
        values.columns = pd.RangeIndex(values.shape[1])
        sets[(direction, choice)] = values
    return sets


def read_paths(processed_dir: str | Path, direction: str, choice: str = OUTLOOK,
               sets: dict[tuple[str, str], pd.DataFrame] | None = None) -> pd.DataFrame:
    """The monthly paths of ``direction`` (and long-run ``choice``) from ``forecast_paths.csv`` (or from
    ``sets``, what :func:`read_path_sets` read from it)."""
    sets = read_path_sets(processed_dir) if sets is None else sets
    if (direction, choice) not in sets:
        raise RawFileError(Path(processed_dir) / FORECAST_PATHS, f"no paths of {direction} ({choice}); the file "
                                                                 f"holds {sorted(sets)}")
    return sets[(direction, choice)]


def annual_frame(outlook, method_version: str) -> pd.DataFrame:
    """The rows of ``forecast_annual.csv``: per direction and year with a forecast month, the summary of
    the paths' calendar-year totals (published months included), whole persons."""
    frames = []
    start = outlook.paths[TWO_WAY].index.min()  # the first month either direction is forecast
    for name in (TW_TO_JP.code, JP_TO_TW.code, TWO_WAY):
        years = annual_paths(outlook.paths[name], outlook.series[name], start)
        summary = summarise_paths(years.loc[outlook.paths[name].index.min().year:]).round().astype("int64")
        frames.append(keys.with_key(summary.reset_index(names="year"), name))
    frame = pd.concat(frames, ignore_index=True).assign(as_of=str(outlook.as_of), method_version=method_version)
    return frame[ANNUAL_COLUMNS].sort_values(["direction", "year"], kind="mergesort").reset_index(drop=True)


def annual_text(frame: pd.DataFrame) -> str:
    return frame[ANNUAL_COLUMNS].to_csv(index=False, lineterminator="\n")


def parse_annual(text: str) -> pd.DataFrame:
    return keys.parse(text, {"as_of": str, "method_version": str})


def read_annual(processed_dir: str | Path) -> pd.DataFrame:
    """``forecast_annual.csv`` as written by ``flows forecast``."""
    path = Path(processed_dir) / FORECAST_ANNUAL
    if not path.is_file():
        raise RawFileError(path, "the annual outlook is missing: run `flows forecast` (`make forecast`) first")
    return parse_annual(path.read_text(encoding="utf-8"))


def path_differences(new: pd.DataFrame, old: pd.DataFrame, relative: float) -> list[str]:
    """Where two path files differ: keys and months exactly, each value within ``relative``."""
    if list(new.columns) != list(old.columns) or not new[KEY].equals(old[KEY]):
        return ["the directions, choices, paths or months differ"]
    a = new.drop(columns=KEY).to_numpy(dtype=float, na_value=np.nan)
    b = old.drop(columns=KEY).to_numpy(dtype=float, na_value=np.nan)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return ["the months each series is forecast differ"]
    off = np.abs(a - b) > relative * np.abs(b)
    return [f"{int(off.sum())} path values differ by more than {relative:.0%}"] if off.any() else []
