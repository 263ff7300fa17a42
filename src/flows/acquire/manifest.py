"""``MANIFEST.csv`` in the raw folder: one row per downloaded file (URL, page, UTC retrieval time,
sha256, size), so every raw file can be traced to where and when it was fetched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from flows.atomic import replace_files

MANIFEST_NAME = "MANIFEST.csv"


@dataclass(frozen=True)
class ManifestEntry:
    """One downloaded file: ``path`` is relative to ``dest`` (POSIX separators)."""

    path: str
    publisher: str
    table: str
    url: str
    page: str
    retrieved_utc: str
    sha256: str
    bytes: int


MANIFEST_COLUMNS = [f.name for f in fields(ManifestEntry)]


def read_manifest(dest: Path) -> list[ManifestEntry]:
    """The entries of ``dest/MANIFEST.csv`` (none when there is no manifest yet)."""
    path = Path(dest) / MANIFEST_NAME
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return [ManifestEntry(**{**row, "bytes": int(row["bytes"])}) for row in csv.DictReader(f)]


def write_manifest(dest: Path, entries: list[ManifestEntry]) -> None:
    """Replace ``dest/MANIFEST.csv`` with ``entries`` whole (:func:`flows.atomic.replace_files`)."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        writer.writerow(asdict(e))
    replace_files(dest, {MANIFEST_NAME: text.getvalue()})
