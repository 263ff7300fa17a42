"""A stand-in file family for the registry test: .csv files whose first line is ``standin v1``, then
``YYYY-MM,value`` lines of arrivals from a made-up market ``XX`` into Japan."""

from __future__ import annotations

from pathlib import Path

from flows.errors import RawFileError
from flows.extract.base import Extract

SOURCE = "standin_family"
HEADER = "standin v1"


def is_standin(path: Path) -> bool:
    if path.suffix != ".csv":
        return False
    with path.open(encoding="utf-8") as f:
        return f.readline().strip() == HEADER


def read_standin(path: Path) -> Extract:
    found = Extract(SOURCE, path.name, "2024-03")
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        month, value = line.split(",")
        if not value.strip().isdigit():
            raise RawFileError(f"{path}: line {n}: {value!r} is not a count")
        found.monthly_rows.append((month, "XX", "JP", "visitor_arrivals", int(value), "final", "-", f"line {n}"))
        found.parts.append(month)
    return found
