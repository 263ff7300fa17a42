"""Small helpers shared by the readers: open a workbook, name a cell, read a count."""

from __future__ import annotations

import html
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from flows.errors import RawFileError

_SHEET_NAME = re.compile(rb'<sheet\b[^>]*\bname="([^"]*)"')


def sheet_names(path: Path) -> list[str] | None:
    """Sheet names of an .xlsx file read straight from its zip, or None if it is not one.

    Cheap enough to call on every file in the raw folder to recognise it by content; cached
    per (path, size, modification time) because every reader asks.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    names = _sheet_names(str(path), stat.st_size, stat.st_mtime_ns)
    return list(names) if names is not None else None


@lru_cache(maxsize=4096)
def _sheet_names(path: str, size: int, mtime_ns: int) -> tuple[str, ...] | None:
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/workbook.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return tuple(html.unescape(m.decode("utf-8")) for m in _SHEET_NAME.findall(xml))


def column_letters(col: int) -> str:
    """Excel column name of a 1-based column number: 1 → ``A``, 28 → ``AB``."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Excel reference of a 1-based (row, column): ``cell_ref(9, 2) == 'B9'``."""
    return f"{column_letters(col)}{row}"


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
        if not re.fullmatch(r"-?\d+(\.0+)?", text):
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
