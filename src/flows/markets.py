"""Market codes and names: publishers' labels (ja / zh / en) → one code.

Codes are ISO 3166-1 alpha-2 for countries and territories (``TW``, ``JP``, ``KR`` …),
``ALL`` for a published grand total, and ``X-…`` for published groupings that are not
countries: regional subtotals (``X-ASIA`` …) and "others" rows (``X-ASIA-OTHER`` …).
The map lives in ``data/market_labels.csv`` (columns ``label,code,name_en,kind``; kind is
``country``, ``territory``, ``region``, ``other`` or ``total``), so a new label is a new row,
not new code. Regions and totals hold their parts: never add them to their members.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

_SPACES = re.compile(r"[\s\u3000]+")


def normalise_label(label: str) -> str:
    """Collapse whitespace (including full-width spaces and line breaks) in a label."""
    return _SPACES.sub(" ", str(label)).strip()


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
