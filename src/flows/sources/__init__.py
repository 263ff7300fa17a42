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

from flows.vocabulary import MEASURES, STATUSES, TABLE_COLUMNS  # noqa: F401 (re-exported)

LINEAGE_COLUMNS = ["file", "sheet", "cell", "release"]
MONTHLY_COLUMNS = TABLE_COLUMNS + LINEAGE_COLUMNS
ANNUAL_COLUMNS = ["year", "origin", "destination", "measure", "value", "status", "source"] + LINEAGE_COLUMNS



def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


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


SOURCE_MODULES = ("jnto", "tourism_jp", "taiwan")

PUBLISHERS = {
    "jnto_monthly": {
        "title": "国籍/月別 訪日外客数 (visitor arrivals to Japan by nationality, monthly)",
        "publisher": "Japan National Tourism Organization (JNTO)",
        "path": "https://www.jnto.go.jp/statistics/data/visitors-statistics/"},
    "tourism_jp_inbound": {
        "title": "JTM inbound: visitor arrivals by nationality and purpose (re-tabulated JNTO figures)",
        "publisher": "tourism.jp (JTB Tourism Research & Consulting Co.), from Japan National Tourism Organization (JNTO)",
        "path": "https://www.tourism.jp/en/tourism-database/stats/inbound/"},
    "tw_table_1_4": {
        "title": "Table 1-4 Visitor Arrivals by Residence, Sex and Purpose of Visit (monthly)",
        "publisher": "Tourism Administration, MOTC",
        "path": "https://admin.taiwan.net.tw/businessinfo/"},
    "tw_table_2_2": {
        "title": "Table 2-2 Outbound Departures of Nationals of the Republic of China by Destination (monthly)",
        "publisher": "Tourism Administration, MOTC",
        "path": "https://admin.taiwan.net.tw/businessinfo/"},
    "tw_residence_csv": {
        "title": "Visitor arrivals by residence, purpose and sex (Tourism Statistics Database export)",
        "publisher": "Tourism Administration, MOTC",
        "path": "https://stat.taiwan.net.tw/"},
    "tw_purpose_csv": {
        "title": "Visitor arrivals by residence and purpose of visit (monthly, incl. unstated purpose)",
        "publisher": "Tourism Administration, MOTC",
        "path": "https://stat.taiwan.net.tw/"},
    "tw_annual_departures": {
        "title": "歷年中華民國國民出國目的地人數統計 (annual outbound departures by destination)",
        "publisher": "Tourism Administration, MOTC",
        "path": "https://data.gov.tw/dataset/7325"},
}


def all_readers() -> list[Reader]:
    """The readers of every source module, highest rank first."""
    from importlib import import_module

    readers = []
    for name in SOURCE_MODULES:
        try:
            module = import_module(f"flows.sources.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"flows.sources.{name}":
                continue
            raise
        readers.extend(module.READERS)
    return sorted(readers, key=lambda r: -r.rank)
