"""What the report was built from: the official raw files and their releases, or the committed table.

Read from ``data/processed`` only: ``datapackage.json`` lists every raw file the build read (path,
file family, sha256) and describes each family; ``monthly_flows_lineage.csv`` gives the release of
every file that supplied values; ``monthly_flows.csv`` its newest month (the data's *as of*).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flows.config import DESCRIPTOR, LINEAGE, TABLE


@dataclass(frozen=True)
class Family:
    """One publisher's file family, as the build read it."""

    source: str
    title: str
    publisher: str
    files: int
    first_release: str | None  # None when no file of the family supplied values (checks only)
    last_release: str | None


@dataclass(frozen=True)
class BuiltFrom:
    from_raw: bool  # rebuilt from the raw files for this report, or the committed table as it was
    table: str  # the table's file name
    raw_files: int  # raw files the table was built from (datapackage.json)
    table_as_of: str | None  # newest month in the table
    as_of: str | None  # the report's cut-off, when one was given
    families: list[Family] = field(default_factory=list)

    @property
    def data_as_of(self) -> str | None:
        return min(self.as_of[:7], self.table_as_of) if self.as_of and self.table_as_of else self.table_as_of


def built_from(processed_dir: Path, *, from_raw: bool, as_of: str | None = None) -> BuiltFrom:
    """What the report in hand rests on; missing side files leave their part empty, never fail."""
    processed_dir = Path(processed_dir)
    table_as_of = None
    if (processed_dir / TABLE).is_file():
        months = pd.read_csv(processed_dir / TABLE, usecols=["month"], dtype=str)["month"]
        table_as_of = months.max() if len(months) else None
    descriptor = {}
    if (processed_dir / DESCRIPTOR).is_file():
        descriptor = json.loads((processed_dir / DESCRIPTOR).read_text(encoding="utf-8"))
    raw_files = pd.DataFrame(descriptor.get("raw_files", []), columns=["path", "source"])
    releases = pd.DataFrame(columns=["file", "release"])
    if (processed_dir / LINEAGE).is_file():
        releases = pd.read_csv(processed_dir / LINEAGE, usecols=["file", "release"], dtype=str).drop_duplicates()
    described = {s.get("name"): s for s in descriptor.get("sources", [])}
    families = []
    for source, files in raw_files.groupby("source", sort=True):
        found = releases.loc[releases["file"].isin(files["path"]), "release"].dropna()
        about = described.get(source, {})
        families.append(Family(source, about.get("title", source), about.get("publisher", ""), len(files),
                               found.min() if len(found) else None, found.max() if len(found) else None))
    return BuiltFrom(from_raw, TABLE, len(raw_files), table_as_of, as_of, families)
