"""The extract contract: :class:`Extract` (what a reader found in one file) and :class:`Reader` (one file family).

See :mod:`flows.extract` for what the rows mean; every family is one row of ``flows/data/families.yaml``
(:mod:`flows.extract.registry`) and one reader module.
"""


from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from flows.vocabulary import TABLE_COLUMNS

ROW_FIELDS = ["origin", "destination", "measure", "value", "status", "sheet", "cell"]  # after month / year
LINEAGE_COLUMNS = ["file", "sheet", "cell", "release"]
MONTHLY_COLUMNS = TABLE_COLUMNS + LINEAGE_COLUMNS
ANNUAL_COLUMNS = ["year", "origin", "destination", "measure", "value", "status", "source"] + LINEAGE_COLUMNS


@dataclass
class Extract:
    """What a reader found in one raw file: rows, and the source, file and release they share."""

    source: str
    file: str
    release: str
    monthly_rows: list[tuple] = field(default_factory=list)
    annual_rows: list[tuple] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    mismatches: list = field(default_factory=list)  # of flows.extract.selfcheck.Mismatch
    totals: list[tuple] = field(default_factory=list)  # (month, group, value, cell) for other families
    summands: list[tuple] = field(default_factory=list)  # (month, group, value, cell) of another's total

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """The monthly rows as a frame with :data:`MONTHLY_COLUMNS`."""
        return self._frame(self.monthly_rows, "month", MONTHLY_COLUMNS)

    @cached_property
    def annual(self) -> pd.DataFrame:
        """The annual rows as a frame with :data:`ANNUAL_COLUMNS`."""
        return self._frame(self.annual_rows, "year", ANNUAL_COLUMNS)

    def _frame(self, rows: list[tuple], period: str, columns: list[str]) -> pd.DataFrame:
        frame = pd.DataFrame(rows, columns=[period] + ROW_FIELDS)
        return frame.assign(source=self.source, file=self.file, release=self.release)[columns]


@dataclass(frozen=True)
class Reader:
    """One file family: how to recognise a file by its content, how to read it, who publishes it.

    ``source`` is the name written in the table's ``source`` column; ``rank`` orders families
    that publish the same key (higher wins: an official monthly table over a re-tabulation).
    ``title``, ``publisher`` and ``page`` go into the data package's list of sources. Every
    family is one row of ``flows/data/families.yaml`` (:mod:`flows.extract.registry`).
    """

    source: str
    rank: int
    matches: Callable[[Path], bool]
    read: Callable[[Path], Extract]
    title: str
    publisher: str
    page: str
    check_family: Callable[[list[Extract]], list] | None = None  # checks across a family's files
