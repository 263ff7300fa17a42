"""Files the project knows and does not read, each with its reason (``flows/data/unused_files.csv``).

A file in the raw folder that no reader recognises is an error, unless its first line matches one
of these: then the build names it as known and unused, with the reason, and goes on. Recognised by
content like every other file, never by name.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

_HEAD_BYTES = 4096


@lru_cache(maxsize=1)
def _known() -> tuple[tuple[str, re.Pattern, str], ...]:
    with (resources.files("flows") / "data" / "unused_files.csv").open(encoding="utf-8", newline="") as f:
        return tuple((row["name"], re.compile(row["first_line"]), row["reason"]) for row in csv.DictReader(f))


def known_unused(path: Path, head: bytes | None = None) -> tuple[str, str] | None:
    """``(name, reason)`` when the file is one the project knows and does not read, else None."""
    if head is None:
        with open(path, "rb") as f:
            head = f.read(_HEAD_BYTES)
    try:
        first = head.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    for name, pattern, reason in _known():
        if pattern.search(first):
            return name, reason
    return None
