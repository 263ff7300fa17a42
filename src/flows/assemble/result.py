"""What a build produces before it is written: :class:`Build` (:func:`flows.assemble.pipeline.build`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from flows.assemble.read import RawFile
from flows.assemble.text import csv_text


@dataclass
class Build:
    """Everything a build produces, before it is written."""

    table: pd.DataFrame
    lineage: pd.DataFrame
    conflicts: pd.DataFrame
    revisions: pd.DataFrame
    raw_files: list[RawFile]
    unused: list[tuple[str, str, str]] = field(default_factory=list)  # (path, family, reason)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, the same bytes read at)
    annual: pd.DataFrame = field(default_factory=pd.DataFrame)

    @functools.cached_property
    def table_csv(self) -> str:
        """The table as written: rendered once, compared with the previous file and written."""
        return csv_text(self.table)
