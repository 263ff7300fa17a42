"""Readers: one module per publisher. Each knows its files' layouts and nothing else.

Every reader returns an :class:`Extract` whose frames share one shape:

``monthly``  columns :data:`MONTHLY_COLUMNS`, one row per published monthly cell;
``annual``   columns :data:`ANNUAL_COLUMNS`, the publisher's own annual totals (used only
             to check the monthly sums, never written into the monthly table).

Lineage columns (``file``, ``sheet``, ``cell``) point at the exact cell a value came from;
``release`` (``YYYY-MM-DD`` or ``YYYY-MM``) orders two releases of the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

TABLE_COLUMNS = ["month", "origin", "destination", "measure", "value", "status", "source"]
LINEAGE_COLUMNS = ["file", "sheet", "cell", "release"]
MONTHLY_COLUMNS = TABLE_COLUMNS + LINEAGE_COLUMNS
ANNUAL_COLUMNS = ["year", "origin", "destination", "measure", "value", "status", "source"] + LINEAGE_COLUMNS

STATUSES = ("final", "provisional", "estimate")
MEASURES = ("visitor_arrivals", "national_departures")


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class Extract:
    """What a reader found in one raw file."""

    monthly: pd.DataFrame = field(default_factory=lambda: empty_frame(MONTHLY_COLUMNS))
    annual: pd.DataFrame = field(default_factory=lambda: empty_frame(ANNUAL_COLUMNS))


@dataclass(frozen=True)
class Reader:
    """One file family: how to recognise a file by its content, and how to read it.

    ``source`` is the name written in the table's ``source`` column; ``rank`` orders
    families that publish the same key (higher wins: an official monthly table over a
    re-tabulation). Each source module exposes its readers in a ``READERS`` list.
    """

    source: str
    rank: int
    matches: Callable[[Path], bool]
    read: Callable[[Path], Extract]
    description: str = ""
