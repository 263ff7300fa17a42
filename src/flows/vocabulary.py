"""The project's words: table columns, measures, statuses, series keys, directions, market codes.

Market codes are ISO 3166-1 alpha-2 for countries and territories (``TW``, ``JP``, ``KR`` …),
``ALL`` for a published grand total, and ``X-…`` for published groupings that are not
countries: regional subtotals (``X-ASIA`` …) and "others" rows (``X-ASIA-OTHER`` …).
The map lives in ``data/market_labels.csv`` (columns ``label,code,name_en,kind``; kind is
``country``, ``territory``, ``region``, ``other`` or ``total``), so a new label is a new row,
not new code. Regions and totals hold their parts: never add them to their members.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# --- the table ----------------------------------------------------------------------------------
TABLE_COLUMNS = ["month", "origin", "destination", "measure", "value", "status", "source"]
KEY = ["month", "origin", "destination", "measure"]
SERIES = ["origin", "destination", "measure"]
MEASURES = ("visitor_arrivals", "national_departures")
STATUSES = ("final", "provisional", "estimate")


class SeriesKey(NamedTuple):
    """One series of the table: ``(origin, destination, measure)``."""

    origin: str
    destination: str
    measure: str

    @property
    def label(self) -> str:
        """``TW→JP visitor_arrivals``: how a series is named in tables and errors."""
        return series_label(*self)


def series_label(origin: str, destination: str, measure: str) -> str:
    return f"{origin}→{destination} {measure}"


# The series behind the two directions, from each side's statistics.
TW_TO_JP_TAIWAN = SeriesKey("TW", "JP", "national_departures")  # Taiwan: nationals leaving, by first destination
TW_TO_JP_JNTO = SeriesKey("TW", "JP", "visitor_arrivals")  # JNTO: Taiwanese nationals entering Japan
JP_TO_TW_TAIWAN = SeriesKey("JP", "TW", "visitor_arrivals")  # Taiwan: residents of Japan entering Taiwan


# --- directions ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Direction:
    """A direction of travel between Taiwan and Japan. ``code`` names it in frames and files."""

    code: str
    origin: str
    destination: str
    label: str

    def __str__(self) -> str:
        return self.code


TW_TO_JP = Direction("tw_to_jp", "TW", "JP", "Taiwan → Japan")
JP_TO_TW = Direction("jp_to_tw", "JP", "TW", "Japan → Taiwan")
DIRECTIONS = {d.code: d for d in (TW_TO_JP, JP_TO_TW)}
TWO_WAY = "two_way"  # both directions added (never a series and its own mirror): flows.forecast.keys


def direction(value: Direction | str) -> Direction:
    """A :class:`Direction` from itself or its code (``tw_to_jp``, ``jp_to_tw``)."""
    if isinstance(value, Direction):
        return value
    if value not in DIRECTIONS:
        raise ValueError(f"direction must be one of {sorted(DIRECTIONS)}, got {value!r}")
    return DIRECTIONS[value]


# --- market labels → codes ----------------------------------------------------------------------
_SPACES = re.compile(r"[\s\u3000]+")


def normalise_label(label: str) -> str:
    """Collapse whitespace (including full-width spaces and line breaks) in a label."""
    return _normalised(label) if type(label) is str else _SPACES.sub(" ", str(label)).strip()


@lru_cache(maxsize=16384)
def _normalised(label: str) -> str:  # the same few hundred labels, read again in every file
    return _SPACES.sub(" ", label).strip()


@lru_cache(maxsize=1)
def market_table() -> tuple[dict[str, str], ...]:
    """Rows of the label map, as dicts."""
    path = resources.files("flows") / "data" / "market_labels.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


@lru_cache(maxsize=1)
def _code_by_label() -> dict[str, str]:
    return {normalise_label(row["label"]): row["code"] for row in market_table()}


def code_for(label: str) -> str | None:
    """The market code for a publisher's label, or None when the label is unknown."""
    return _code_by_label().get(normalise_label(label))


@lru_cache(maxsize=1)
def _name_by_code() -> dict[str, str]:
    names: dict[str, str] = {}
    for row in market_table():
        names.setdefault(row["code"], row["name_en"])
    return names


def market_name(code: str) -> str:
    """The English name of a market code (``JP`` → ``Japan``), or the code when it has none."""
    return _name_by_code().get(code) or code
