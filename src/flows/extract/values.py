"""What readers make of one published cell or CSV field: a count of persons, a known market label."""

from __future__ import annotations

import re
from pathlib import Path

from flows.errors import RawFileError

_DIGITS = re.compile(r"-?\d+(\.0+)?")


def to_count(value, path: Path, where: str) -> int | None:
    """A published count of persons as int; None for a blank cell.

    Accepts ints, integral floats and digit strings with thousands separators.
    Anything else (text, fractions, negative numbers) is an error naming the cell.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise RawFileError(path, f"expected a count of persons, found {value!r}", where=where)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text == "":
            return None
        if not _DIGITS.fullmatch(text):
            raise RawFileError(path, f"expected a count of persons, found {value!r}", where=where)
        value = float(text)
    if isinstance(value, float):
        if value != value or value != int(value):
            raise RawFileError(path, f"expected a whole count of persons, found {value!r}", where=where)
        value = int(value)
    if not isinstance(value, int):
        raise RawFileError(path, f"expected a count of persons, found {value!r}", where=where)
    if value < 0:
        raise RawFileError(path, f"expected a non-negative count, found {value}", where=where)
    return value


def unknown_label(path: Path, label: str, where: str) -> RawFileError:
    """The error for a market label missing from ``flows/data/market_labels.csv``."""
    return RawFileError(path, f"unknown market label {label!r} (add it to flows/data/market_labels.csv)",
                        where=where)
