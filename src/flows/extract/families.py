"""Every file family the project reads: the code that recognises and reads it, joined with its row
of ``flows/data/sources.csv`` (rank, title, publisher, page).

``rank`` orders families that publish the same key (higher wins): the official monthly tables
over the statistics-database exports, and JNTO's workbook over tourism.jp's re-tabulation.
"""

from __future__ import annotations

import csv
from importlib import resources

from flows.extract import Reader
from flows.extract import jnto, taiwan_checks, taiwan_csv, taiwan_tables, tourism_jp

# source → (recognise, read)
CODE = {
    jnto.SOURCE: (jnto.is_jnto_workbook, jnto.read_jnto_workbook),
    taiwan_tables.SOURCE_TABLE_1_4: (taiwan_tables.is_table_1_4, taiwan_tables.read_table_1_4),
    taiwan_tables.SOURCE_TABLE_2_2: (taiwan_tables.is_table_2_2, taiwan_tables.read_table_2_2),
    taiwan_csv.SOURCE_ANNUAL_DEPARTURES: (taiwan_csv.is_annual_departures_csv, taiwan_csv.read_annual_departures_csv),
    taiwan_csv.SOURCE_PURPOSE_CSV: (taiwan_csv.is_purpose_csv, taiwan_csv.read_purpose_csv),
    taiwan_csv.SOURCE_RESIDENCE_CSV: (taiwan_csv.is_residence_csv, taiwan_csv.read_residence_csv),
    tourism_jp.SOURCE: (tourism_jp.is_tourism_jp_workbook, tourism_jp.read_tourism_jp_workbook),
}

# source → check across the family's files (each file's own checks are made as it is read)
FAMILY_CHECKS = {
    taiwan_tables.SOURCE_TABLE_2_2: taiwan_checks.prior_year_mismatches,
}


def readers() -> list[Reader]:
    """One :class:`Reader` per row of ``sources.csv``; the two lists must name the same families."""
    with (resources.files("flows") / "data" / "sources.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    described = {row["source"] for row in rows}
    if described != set(CODE):
        raise RuntimeError(f"flows/data/sources.csv and flows.extract.families.CODE disagree: "
                           f"only in the CSV {sorted(described - set(CODE))}, only in CODE {sorted(set(CODE) - described)}")
    return [Reader(row["source"], int(row["rank"]), *CODE[row["source"]], row["title"], row["publisher"], row["page"],
                   FAMILY_CHECKS.get(row["source"])) for row in rows]
