"""Notebook 01's audit of the processed table: coverage, statuses, what each family supplies.

Reads only what :mod:`flows.analysis.table` loads; draws nothing (charts: :mod:`flows.viz`). The build's
rules re-run on the table and the rebuild from raw are the build's own (:mod:`flows.assemble.verify`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from flows.vocabulary import SERIES, STATUSES, market_name, series_label


def resolve_raw_dir(raw_dir: str | Path | None) -> Path | None:
    """The raw folder to rebuild from, or None when none was passed or it is missing or empty.

    ``raw_dir`` is taken as given (relative to the working directory, like ``processed_dir``).
    Only an explicit folder triggers the rebuild check (``flows report`` passes one); the test
    suite checks the same rebuild in ``tests/integration/test_processed.py``, so nbval runs need not repeat it.
    """
    if raw_dir is None:
        return None
    path = Path(raw_dir)
    return path if path.is_dir() and any(path.iterdir()) else None


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


def coverage_groups(coverage_frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`coverage` summed over groups of series, for a view of every series that stays readable:
    per group and month, how many of the group's series are published with each status.

    A group is the place the publisher counts at: arrivals by destination (``arrivals in Japan``),
    departures by origin (``departures from Taiwan``). Columns ``group``, ``month``, ``status``
    (``final``, ``provisional``, ``estimate``), ``series`` (published with that status) and
    ``of`` (series in the group); groups in the order of ``coverage_frame``."""
    frame = coverage_frame
    arrivals = frame["measure"] == "visitor_arrivals"
    place = frame["destination"].where(arrivals, frame["origin"])
    names = {code: market_name(code) for code in place.unique()}
    group = np.where(arrivals, "arrivals in ", "departures from ") + place.map(names).to_numpy(dtype=object)
    frame = frame.assign(group=group)
    order = list(dict.fromkeys(frame["group"]))
    size = frame.groupby("group")["series"].nunique()
    published = frame[frame["status"] != "missing"]
    counts = (published.groupby(["group", "month", "status"]).size()
              .reindex(pd.MultiIndex.from_product([order, sorted(frame["month"].unique()), list(STATUSES)],
                                                  names=["group", "month", "status"]), fill_value=0)
              .rename("series").reset_index())
    counts["of"] = counts["group"].map(size).astype("int64")
    return counts


def series_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per series: first and last month, number of months, and months per status."""
    grouped = table.groupby(SERIES, sort=True)
    summary = grouped.agg(first=("month", "min"), last=("month", "max"), months=("value", "size"))
    counts = (table.groupby(SERIES + ["status"]).size().unstack("status", fill_value=0)
              .reindex(columns=list(STATUSES), fill_value=0))
    summary = summary.join(counts)
    summary["sources"] = grouped["source"].agg(lambda s: ", ".join(sorted(set(s))))
    return summary.reset_index().sort_values(["measure", "destination", "origin"], kind="mergesort") \
        .reset_index(drop=True)


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


def source_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per file family (``source``) and measure: series, values, first and last month the family
    supplies to the table (after precedence), sorted by source."""
    keyed = table.assign(key=table["origin"] + "→" + table["destination"])
    return (keyed.groupby(["source", "measure"], sort=True)
            .agg(series=("key", "nunique"), values=("value", "size"), first=("month", "min"),
                 last=("month", "max")))
