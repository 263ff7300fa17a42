"""The annual table: published annual figures of series that have no monthly table.

Most annual rows a reader finds are a publisher's own totals of its months and serve only to check
them (:mod:`flows.assemble.checks`). Files that publish years and no months are different: they are the
only source of those years. Taiwan's annual departures of nationals by first destination
(data.gov.tw 7325, 2002 →) is one: the monthly Table 2-2 begins in 2018, and the ceiling of
Taiwan → Japan (``flows.forecast.ceiling``) needs departures and Japan's share of them back to 2002.

``annual_flows.csv`` carries every row of such annual-only files, years covered month by month too
(the checks have made sure they equal the monthly sums). A key given by two files is taken from the
higher-ranked family, then the newer release, as in the monthly table.
"""

from __future__ import annotations

import pandas as pd

ANNUAL_KEY = ["year", "origin", "destination", "measure"]
ANNUAL_TABLE_COLUMNS = ANNUAL_KEY + ["value", "status", "source"]


def annual_table(annual: pd.DataFrame, monthly: pd.DataFrame, ranks: dict[str, int]) -> pd.DataFrame:
    """The rows of annual-only files (files with no monthly rows), one per key, columns
    :data:`ANNUAL_TABLE_COLUMNS`, sorted by measure, origin, destination and year.

    ``ranks``: file family → rank (higher wins a key given twice; then the newer release)."""
    if annual.empty:
        return pd.DataFrame(columns=ANNUAL_TABLE_COLUMNS)
    rows = annual[~annual["file"].isin(monthly["file"].unique())]
    rows = rows.assign(year=rows["year"].astype("int64"), value=rows["value"].astype("int64"),
                       rank=rows["source"].map(ranks))
    rows = rows.sort_values(ANNUAL_KEY + ["rank", "release", "file"],
                            ascending=[True] * len(ANNUAL_KEY) + [False, False, True], kind="mergesort")
    rows = rows[~rows.duplicated(ANNUAL_KEY, keep="first")]
    rows = rows.sort_values(["measure", "origin", "destination", "year"], kind="mergesort")
    return rows[ANNUAL_TABLE_COLUMNS].reset_index(drop=True)
