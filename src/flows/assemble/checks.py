"""The build's checks beyond the table's own rules: published annual totals, documented gaps.

The table's rules (unique keys, whole non-negative counts, no gap inside a series) are in
:mod:`flows.assemble.schema`; :func:`problems` runs them all and these checks together, so a build
reports every problem at once.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from flows.assemble.schema import bad_values, duplicate_keys, gaps, month_number
from flows.vocabulary import KEY, SERIES


def problems(table: pd.DataFrame, monthly: pd.DataFrame, annual: pd.DataFrame,
             conflicts: pd.DataFrame | None = None) -> list[str]:
    """Every problem with a resolved ``table`` and the rows it came from (empty: all is well)."""
    return (duplicate_keys(table) + bad_values(table) + gaps(table, known_gaps())
            + check_annual_totals(monthly, annual, table)
            + (unexplained_conflicts(conflicts, monthly) if conflicts is not None else []))


def known_conflicts() -> pd.DataFrame:
    """Documented disagreements between two file families (``flows/data/known_conflicts.csv``), cell by
    cell: the key, the two published values and why they differ."""
    with (resources.files("flows") / "data" / "known_conflicts.csv").open(encoding="utf-8") as f:
        known = pd.read_csv(f, dtype=str)
    return known.astype({"value": "int64", "other_value": "int64"})


CONFLICT_KEY = ["source", "other_source", *KEY]


def unexplained_conflicts(conflicts: pd.DataFrame, monthly: pd.DataFrame) -> list[str]:
    """Two families publishing the same key with different values is a finding only where it is
    documented cell by cell, with both values (``known_conflicts.csv``), or the value set aside is an
    estimate (JNTO's first estimates, re-tabulated elsewhere, are replaced by counts). Any other
    disagreement — a new cell, or a documented cell whose values changed — means one file was misread
    or damaged; a documented cell that no longer disagrees must be removed."""
    known = known_conflicts()
    if conflicts.empty and known.empty:
        return []
    candidates = monthly[monthly["cell"].isin(conflicts["other_cell"].unique())]  # a few hundred rows, not all
    candidates = candidates[candidates["file"].isin(conflicts["other_file"].unique())]
    status = candidates[KEY + ["source", "file", "cell", "status"]].rename(
        columns={"source": "other_source", "file": "other_file", "cell": "other_cell", "status": "other_status"})
    found = conflicts.merge(status, on=KEY + ["other_source", "other_file", "other_cell"], how="left")
    found = found[found["other_status"] != "estimate"]
    both = found.merge(known, on=CONFLICT_KEY, how="outer", suffixes=("", "_known"), indicator=True)
    same = (both["value"] == both["value_known"]) & (both["other_value"] == both["other_value_known"])
    problems = []
    read = set(monthly["source"])
    for row in both[(both["_merge"] == "right_only")].itertuples(index=False):
        if {row.source, row.other_source} <= read:
            problems.append(f"the known disagreement of {row.source} and {row.other_source} on {row.month} "
                            f"{row.origin}→{row.destination} {row.measure} ({row.value_known:,} against "
                            f"{row.other_value_known:,}) no longer occurs: remove it from flows/data/known_conflicts.csv")
    for row in both[(both["_merge"] == "both") & ~same].itertuples(index=False):
        problems.append(f"{row.file} [{row.cell}] and {row.other_file} [{row.other_cell}] disagree on {row.month} "
                        f"{row.origin}→{row.destination} {row.measure} by other values than documented: "
                        f"{int(row.value):,} against {int(row.other_value):,} ({row.source}, {row.other_source}); "
                        f"flows/data/known_conflicts.csv excuses {row.value_known:,} against {row.other_value_known:,}")
    for row in both[both["_merge"] == "left_only"].head(3).itertuples(index=False):
        problems.append(f"{row.file} [{row.cell}] and {row.other_file} [{row.other_cell}] disagree on {row.month} "
                        f"{row.origin}→{row.destination} {row.measure}: {int(row.value):,} ({row.source}) against "
                        f"{int(row.other_value):,} ({row.other_source}); families that publish the same count must "
                        f"agree (documented exceptions: flows/data/known_conflicts.csv)")
    return problems


def known_gaps() -> pd.DataFrame:
    """Documented upstream gaps (``flows/data/known_gaps.csv``), each with its reason."""
    with (resources.files("flows") / "data" / "known_gaps.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str)


def check_annual_totals(monthly: pd.DataFrame, annual: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Monthly sums against every published annual total.

    A file that publishes months checks its own months (a year-to-date total such as JNTO's
    累計 for a year in progress is compared with the months it covers). An annual-only file is
    checked against the resolved table, for years the table holds in full.
    """
    if annual.empty:
        return []
    series = SERIES
    published = annual.assign(year=annual["year"].astype(int))
    own = monthly[monthly["file"].isin(published["file"].unique())]  # only files that publish totals
    own = own.assign(year=month_number(own["month"]) // 12)
    own = own.groupby(["file", "year"] + series, as_index=False).agg(summed=("value", "sum"))
    with_months = published.merge(own, on=["file", "year"] + series, how="inner", validate="1:1")

    annual_only = published[~published["file"].isin(monthly["file"].unique())]
    resolved = table[table["measure"].isin(annual_only["measure"].unique())]  # the measures they give, only
    resolved = resolved.assign(year=month_number(resolved["month"]) // 12)
    full_years = resolved.groupby(["year"] + series, as_index=False).agg(summed=("value", "sum"),
                                                                         months=("value", "size"))
    full_years = full_years[full_years["months"] == 12].drop(columns="months")
    against_table = annual_only.merge(full_years, on=["year"] + series, how="inner", validate="m:1")

    found = []
    compared = pd.concat([with_months, against_table])
    for row in compared[compared["value"] != compared["summed"]].itertuples(index=False):
        place = f"sheet '{row.sheet}', cell {row.cell}" if row.sheet else row.cell
        found.append(f"{row.file} [{place}]: {row.year} {row.origin}→"
                     f"{row.destination} {row.measure} published total {row.value:,} but the months "
                     f"sum to {row.summed:,}{_month_files(row, table, monthly)}")
    return found


def _month_files(row, table: pd.DataFrame, monthly: pd.DataFrame) -> str:
    """For an annual-only total: the monthly files whose months it was summed from (either side may
    hold the damage), e.g. `` (the months of tw_table_2_2: 月表2-2(…1月…).xlsx … 月表2-2(…12月…).xlsx)``."""
    if row.file in set(monthly["file"]):
        return ""
    key = ((table["origin"] == row.origin) & (table["destination"] == row.destination)
           & (table["measure"] == row.measure) & (month_number(table["month"]) // 12 == row.year))
    sources = set(table.loc[key, "source"])
    rows = monthly[(monthly["origin"] == row.origin) & (monthly["destination"] == row.destination)
                   & (monthly["measure"] == row.measure) & (month_number(monthly["month"]) // 12 == row.year)
                   & monthly["source"].isin(sources)]
    files = list(dict.fromkeys(rows.sort_values(["month", "release"], kind="mergesort")["file"]))  # by month
    if not files:
        return ""
    shown = files[0] if len(files) == 1 else f"{files[0]} … {files[-1]}"
    return f" (the months of {', '.join(sorted(sources))}: {shown})"
