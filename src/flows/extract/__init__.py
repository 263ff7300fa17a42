"""extract: one reader per publisher turns a raw file into rows that point at their cells.

A reader knows its files' layouts and nothing of the table's rules (those are ``flows.build``'s).
Every reader returns an :class:`Extract`: the rows it found, plus what every row of one file
shares (``source``, ``file``, ``release``). Two kinds of rows:

``monthly_rows``  ``(month, origin, destination, measure, value, status, sheet, cell)``, one per
                  published monthly cell;
``annual_rows``   ``(year, origin, destination, measure, value, status, sheet, cell)``, the
                  publisher's own annual totals (used only to check the monthly sums, never
                  written into the monthly table).

``sheet`` and ``cell`` (with ``file``) point at the exact cell a value came from; ``release``
(``YYYY-MM-DD`` or ``YYYY-MM``) orders two releases of the same table.

Every reader also says which ``parts`` the file holds (JNTO: its year sheets; a monthly table: its
month; a CSV export: its months or years), so the build can tell a complete raw folder from one
with a part missing, and lists the ``mismatches`` between the numbers the publisher prints to check
itself (subtotals, totals, growth rates) and what the published parts give
(:mod:`flows.extract.selfcheck`; documented upstream inconsistencies are excused there).

Some groups are published by one family and totalled by another (purpose.csv's residence groups
inside the continent lines of the residence export): a reader lists such ``totals`` — ``(month,
group, value, cell)`` it prints but the table does not hold — and ``summands`` — ``(month, group,
value, cell)``, one per line that counts toward another family's total of ``group`` — and the build
compares them (:mod:`flows.build.crosscheck`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
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
    family is listed in :mod:`flows.extract.families` and ``flows/data/sources.csv``.
    """

    source: str
    rank: int
    matches: Callable[[Path], bool]
    read: Callable[[Path], Extract]
    title: str
    publisher: str
    page: str
    check_family: Callable[[list[Extract]], list] | None = None  # checks across a family's files


@lru_cache(maxsize=1)
def _readers() -> tuple[Reader, ...]:
    from flows.extract.families import readers  # the reader modules import this package

    return tuple(sorted(readers(), key=lambda r: -r.rank))


def all_readers() -> list[Reader]:
    """The reader of every file family, highest rank first."""
    return list(_readers())
