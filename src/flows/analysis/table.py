"""The processed table, loaded into the shapes the analysis uses: monthly series and totals.

Reads only ``data/processed`` (written by ``flows build``); knows nothing about raw file layouts.
Months are ``pandas.Period`` (freq ``M``) everywhere, so series line up by calendar month.

Mirror pairs (the same trips counted at both ends) are never added: :func:`two_way_total` adds one
series per direction, chosen by the *perspective* (whose statistics are used for Taiwan→Japan).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from flows.config import ANNUAL_TABLE, CONFLICTS, DESCRIPTOR, REVISIONS, TABLE
from flows.errors import ParameterError, RawFileError
from flows.vocabulary import JP_TO_TW_TAIWAN, SERIES, TW_TO_JP_JNTO, TW_TO_JP_TAIWAN, series_label

PERSPECTIVES = {
    "taiwan": (TW_TO_JP_TAIWAN, JP_TO_TW_TAIWAN),
    "jnto": (TW_TO_JP_JNTO, JP_TO_TW_TAIWAN),  # JNTO counts no departures: Japan→Taiwan from Taiwan's side
}


def load_table(processed_dir: str | Path) -> pd.DataFrame:
    """``monthly_flows.csv`` with ``month`` as Period[M], ``value`` as int64, sorted by series and month."""
    path = Path(processed_dir) / TABLE
    if not path.is_file():
        raise RawFileError(path, "the processed table is missing: `git checkout data/processed` restores the committed "
                           "one (with the official raw files, `make build RAW=DIR` rebuilds it)")
    table = pd.read_csv(path, dtype={"month": "string", "origin": "string", "destination": "string",
                                     "measure": "string", "value": "int64", "status": "string",
                                     "source": "string"}, keep_default_na=False)
    table["month"] = _months(table["month"])
    for col in ("origin", "destination", "measure", "status", "source"):
        table[col] = table[col].astype(str)
    return table.sort_values(SERIES + ["month"], kind="mergesort").reset_index(drop=True)


def load_annual(processed_dir: str | Path) -> pd.DataFrame:
    """``annual_flows.csv``: published annual figures of series with no monthly table (Taiwan's annual
    departures by destination, 2002 →), columns ``year`` (int) and the table's others but ``month``."""
    path = Path(processed_dir) / ANNUAL_TABLE
    if not path.is_file():
        raise RawFileError(path, "the annual table is missing: `git checkout data/processed` restores the committed one "
                           "(with the official raw files, `make build RAW=DIR` rebuilds it)")
    annual = pd.read_csv(path, dtype={"year": "int64", "value": "int64"}, keep_default_na=False)
    for col in ("origin", "destination", "measure", "status", "source"):
        annual[col] = annual[col].astype(str)
    return annual.sort_values(SERIES + ["year"], kind="mergesort").reset_index(drop=True)


def annual_series(annual: pd.DataFrame, origin: str, destination: str, measure: str) -> pd.Series:
    """One series of :func:`load_annual` as int64 values indexed by year (empty when absent)."""
    rows = annual[(annual["origin"] == origin) & (annual["destination"] == destination)
                  & (annual["measure"] == measure)]
    return pd.Series(rows["value"].to_numpy(dtype="int64"), index=pd.Index(rows["year"].to_numpy(), name="year"),
                     name=series_label(origin, destination, measure)).sort_index()


def _months(text: pd.Series) -> pd.PeriodIndex:
    """``YYYY-MM`` strings to monthly periods, parsing each distinct month once (fast on long tables)."""
    codes, uniques = pd.factorize(text, sort=True)
    return pd.PeriodIndex(pd.PeriodIndex(uniques, freq="M").take(codes), freq="M")


def load_outputs(processed_dir: str | Path) -> dict:
    """The build's side outputs: ``conflicts`` and ``revisions`` frames and the ``datapackage`` dict."""
    processed_dir = Path(processed_dir)
    return {
        "conflicts": pd.read_csv(processed_dir / CONFLICTS, dtype=str, keep_default_na=False),
        "revisions": pd.read_csv(processed_dir / REVISIONS, dtype=str, keep_default_na=False),
        "datapackage": json.loads((processed_dir / DESCRIPTOR).read_text(encoding="utf-8")),
    }






def series(table: pd.DataFrame, origin: str, destination: str, measure: str) -> pd.Series:
    """One series as int64 values indexed by month (PeriodIndex, freq M), named by :func:`series_label`."""
    rows = table[(table["origin"] == origin) & (table["destination"] == destination)
                 & (table["measure"] == measure)]
    if rows.empty:
        available = sorted({series_label(*k) for k in table[SERIES].drop_duplicates().itertuples(index=False)
                            if origin in k or destination in k})
        raise KeyError(f"no series {series_label(origin, destination, measure)} in the table; "
                       f"series with {origin} or {destination}: {available[:12]}")
    values = pd.Series(rows["value"].to_numpy(dtype="int64"),
                       index=pd.PeriodIndex(rows["month"], freq="M", name="month"),
                       name=series_label(origin, destination, measure))
    return values.sort_index()


def has_series(table: pd.DataFrame, origin: str, destination: str, measure: str) -> bool:
    return bool(((table["origin"] == origin) & (table["destination"] == destination)
                 & (table["measure"] == measure)).any())


def two_way_total(table: pd.DataFrame, perspective: str = "taiwan") -> pd.DataFrame:
    """Visits between Taiwan and Japan per month, one series per direction, and their sum.

    ``perspective`` ``taiwan``: Taiwan's departures of nationals to Japan + arrivals of residents of
    Japan in Taiwan; ``jnto``: JNTO's arrivals of Taiwanese nationals + the same Japan→Taiwan series.
    Columns ``tw_to_jp``, ``jp_to_tw``, ``two_way``; only months where both directions are published.
    """
    if perspective not in PERSPECTIVES:
        raise ValueError(f"perspective must be one of {sorted(PERSPECTIVES)}, got {perspective!r}")
    tw_jp, jp_tw = (series(table, *key) for key in PERSPECTIVES[perspective])
    frame = pd.concat({"tw_to_jp": tw_jp, "jp_to_tw": jp_tw}, axis=1, join="inner")
    frame["two_way"] = frame["tw_to_jp"] + frame["jp_to_tw"]
    return frame


def annual_totals(values: pd.Series | pd.DataFrame, complete_only: bool = True):
    """Calendar-year sums of monthly values (index: year as int). Years with fewer than 12 months
    are dropped unless ``complete_only`` is False."""
    index = values.index if isinstance(values.index, pd.PeriodIndex) else pd.PeriodIndex(values.index, freq="M")
    years = pd.Index(index.year, name="year")
    sums = values.groupby(years).sum()
    if complete_only:
        counts = values.groupby(years).size()
        sums = sums[counts == 12]
    return sums






def latest_month(table: pd.DataFrame, as_of: str | pd.Period | None = None) -> pd.Period:
    """``as_of`` as a monthly Period, or the table's latest month when None."""
    return pd.Period(as_of, freq="M") if as_of is not None else table["month"].max()


def two_way_year(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Two-way visits in one calendar year from each perspective: rows ``taiwan`` and ``jnto``,
    columns ``tw_to_jp``, ``jp_to_tw``, ``two_way`` (persons). Raises when a year is incomplete."""
    rows = {}
    for perspective in PERSPECTIVES:
        totals = annual_totals(two_way_total(table, perspective))
        if year not in totals.index:
            raise ValueError(f"{year} is not a complete year of both directions ({perspective} perspective)")
        rows[perspective] = totals.loc[year]
    return pd.DataFrame(rows).T.astype("int64")


def last_complete_year(values: pd.Series | pd.DataFrame) -> int:
    """The latest calendar year with all 12 months present."""
    totals = annual_totals(values)
    if totals.empty:
        raise ValueError("no complete calendar year")
    return int(totals.index.max())


def parse_month(value: str | pd.Period, name: str) -> pd.Period:
    """A ``YYYY-MM`` parameter as a monthly Period; anything else (a day, a year, text) is refused
    with a :class:`flows.errors.ParameterError` naming the parameter."""
    text = str(value)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ParameterError(f"{name} must be a month written YYYY-MM, got {text!r}")
    return pd.Period(text, freq="M")


def with_months(table: pd.DataFrame) -> pd.DataFrame:
    """A table with ``month`` written ``YYYY-MM`` (as the build makes it) with ``month`` as Period[M],
    as :func:`load_table` reads it."""
    return table.assign(month=pd.PeriodIndex(table["month"], freq="M"))


def check_period(table: pd.DataFrame, as_of: str | None, horizon_end: str) -> tuple[pd.Period, pd.Period]:
    """``as_of`` (None: the table's latest month) as a month inside the table's span and
    ``horizon_end`` as a month after it, or a :class:`flows.errors.ParameterError` saying which."""
    first, last = table["month"].min(), table["month"].max()
    as_of = last if as_of is None else parse_month(as_of, "as_of")
    if not first <= as_of <= last:
        raise ParameterError(f"as_of {as_of} is outside the table's months ({first} … {last})")
    end = parse_month(horizon_end, "horizon_end")
    if end <= as_of:
        raise ParameterError(f"horizon_end {end} must be after as_of {as_of}")
    return as_of, end
