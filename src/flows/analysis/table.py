"""The processed table, loaded into the shapes the analysis uses: monthly series, coverage, totals.

Reads only ``data/processed`` (written by ``flows build``); knows nothing about raw file layouts.
Months are ``pandas.Period`` (freq ``M``) everywhere, so series line up by calendar month.

Mirror pairs (the same trips counted at both ends) are never added: :func:`two_way_total` adds one
series per direction, chosen by the *perspective* (whose statistics are used for Taiwan→Japan).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from flows.build import CONFLICTS, DESCRIPTOR, REVISIONS, TABLE
from flows.schema import SERIES

STATUS_ORDER = ("final", "provisional", "estimate")

# The two directions, as (origin, destination, measure), from each side's statistics.
TW_TO_JP_TAIWAN = ("TW", "JP", "national_departures")  # Taiwan: nationals leaving, by first destination
TW_TO_JP_JNTO = ("TW", "JP", "visitor_arrivals")  # JNTO: Taiwanese nationals entering Japan
JP_TO_TW_TAIWAN = ("JP", "TW", "visitor_arrivals")  # Taiwan: residents of Japan entering Taiwan
PERSPECTIVES = {
    "taiwan": (TW_TO_JP_TAIWAN, JP_TO_TW_TAIWAN),
    "jnto": (TW_TO_JP_JNTO, JP_TO_TW_TAIWAN),  # JNTO counts no departures: Japan→Taiwan from Taiwan's side
}


def load_table(processed_dir: str | Path) -> pd.DataFrame:
    """``monthly_flows.csv`` with ``month`` as Period[M], ``value`` as int64, sorted by series and month."""
    path = Path(processed_dir) / TABLE
    table = pd.read_csv(path, dtype={"month": "string", "origin": "string", "destination": "string",
                                     "measure": "string", "value": "int64", "status": "string",
                                     "source": "string"}, keep_default_na=False)
    table["month"] = _months(table["month"])
    for col in ("origin", "destination", "measure", "status", "source"):
        table[col] = table[col].astype(str)
    return table.sort_values(SERIES + ["month"], kind="mergesort").reset_index(drop=True)


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


def resolve_raw_dir(raw_dir: str | Path | None) -> Path | None:
    """The raw folder to rebuild from, or None when none was passed or it is missing or empty.

    ``raw_dir`` is taken as given (relative to the working directory, like ``processed_dir``).
    Only an explicit folder triggers the rebuild check (``flows report`` passes one); the test
    suite checks the same rebuild in ``tests/test_processed.py``, so nbval runs need not repeat it.
    """
    if raw_dir is None:
        return None
    path = Path(raw_dir)
    return path if path.is_dir() and any(path.iterdir()) else None


def series_label(origin: str, destination: str, measure: str) -> str:
    """``TW→JP visitor_arrivals``: how a series is named in charts and tables."""
    return f"{origin}→{destination} {measure}"


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


def coverage(table: pd.DataFrame, keys: list[tuple[str, str, str]] | None = None) -> pd.DataFrame:
    """Every (series, month) of the table's span: value and status, missing months included.

    Columns ``series`` (label), ``origin``, ``destination``, ``measure``, ``month`` (Period),
    ``value`` (nullable Int64) and ``status`` (``missing`` when not published). All series sorted
    by measure, destination, origin, month; or only ``keys`` (origin, destination, measure), in
    that order.
    """
    months = pd.period_range(table["month"].min(), table["month"].max(), freq="M", name="month")
    if keys is None:
        keys = table[SERIES].drop_duplicates().sort_values(["measure", "destination", "origin"], kind="mergesort")
    else:
        keys = pd.DataFrame(list(keys), columns=SERIES)
    grid = keys.merge(pd.DataFrame({"month": months}), how="cross")
    full = grid.merge(table[SERIES + ["month", "value", "status"]], on=SERIES + ["month"], how="left",
                      validate="1:1")
    full["value"] = full["value"].astype("Int64")
    full["status"] = full["status"].fillna("missing").astype(str)
    full.insert(0, "series", full["origin"] + "→" + full["destination"] + " " + full["measure"])
    return full.reset_index(drop=True)


def series_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per series: first and last month, number of months, and months per status."""
    grouped = table.groupby(SERIES, sort=True)
    summary = grouped.agg(first=("month", "min"), last=("month", "max"), months=("value", "size"))
    counts = (table.groupby(SERIES + ["status"]).size().unstack("status", fill_value=0)
              .reindex(columns=list(STATUS_ORDER), fill_value=0))
    summary = summary.join(counts)
    summary["sources"] = grouped["source"].agg(lambda s: ", ".join(sorted(set(s))))
    return summary.reset_index().sort_values(["measure", "destination", "origin"], kind="mergesort") \
        .reset_index(drop=True)


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


def not_final(table: pd.DataFrame, keys: list[tuple[str, str, str]]) -> pd.DataFrame:
    """For the given series: the runs of months whose status is not final (series, status, first,
    last, months), in month order."""
    rows = []
    for key in keys:
        s = table[(table["origin"] == key[0]) & (table["destination"] == key[1]) & (table["measure"] == key[2])]
        s = s[s["status"] != "final"]
        for status, group in s.groupby("status", sort=False):
            rows.append({"series": series_label(*key), "status": status, "first": str(group["month"].min()),
                         "last": str(group["month"].max()), "months": len(group)})
    return pd.DataFrame(rows, columns=["series", "status", "first", "last", "months"])


def check_table(table: pd.DataFrame) -> dict[str, list[str]]:
    """The build's table rules (``flows.schema``) re-run on the loaded table: rule → problems.
    Gaps documented upstream (``flows/data/known_gaps.csv``) are not problems, as in the build."""
    from flows.build import known_gaps
    from flows.schema import bad_values, duplicate_keys, gaps

    as_written = table.assign(month=table["month"].astype(str))
    return {"unique keys": duplicate_keys(as_written), "whole non-negative counts, known codes": bad_values(as_written),
            "no month missing inside a series (documented upstream gaps excepted)": gaps(as_written, known_gaps())}


def rebuild_matches(raw_dir: str | Path, processed_dir: str | Path) -> pd.DataFrame:
    """Rebuild from ``raw_dir`` into a temporary folder (``flows.build``) and compare every output
    with the committed one byte for byte: one row per file (``file``, ``identical``)."""
    import tempfile

    from flows.build import build, write

    result = build(Path(raw_dir), log=lambda message: None)
    with tempfile.TemporaryDirectory() as tmp:
        written = write(result, Path(tmp))
        rows = [{"file": p.name, "identical": (Path(processed_dir) / p.name).is_file()
                 and p.read_bytes() == (Path(processed_dir) / p.name).read_bytes()} for p in written]
    return pd.DataFrame(rows)


def source_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per file family (``source``) and measure: series, values, first and last month the family
    supplies to the table (after precedence), sorted by source."""
    keyed = table.assign(key=table["origin"] + "→" + table["destination"])
    return (keyed.groupby(["source", "measure"], sort=True)
            .agg(series=("key", "nunique"), values=("value", "size"), first=("month", "min"),
                 last=("month", "max")))
