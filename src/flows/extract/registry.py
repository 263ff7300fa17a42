"""Every file family, from its one row of ``flows/data/families.yaml``: its reader, what a complete raw
folder holds of it, where `flows fetch` finds it.

The build (:mod:`flows.assemble.read`, :mod:`flows.assemble.expected`), the data package's list of sources and
`flows fetch` (:mod:`flows.acquire.pages`) all read these records; adding a family is one reader module
and one row.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from flows.extract.base import Reader

REGISTRY = "families.yaml"
FIELDS = {"rank", "title", "publisher", "page", "recognise", "read", "check_family", "expected", "fetch"}
EXPECTED_FIELDS = {"part", "first", "last", "unit", "reason"}
FETCH_FIELDS = {"key", "page", "folder", "label", "fallback_name"}


@dataclass(frozen=True)
class Expected:
    """What a complete raw folder holds of one family: its ``part``s (``year`` or ``month``) ``first``
    through at least ``last``, none skipped; ``unit`` names a part in messages, ``reason`` says why."""

    source: str
    part: str
    first: str
    last: str
    unit: str
    reason: str


@dataclass(frozen=True)
class Fetch:
    """Where `flows fetch` finds one family's newest file: the page ``key`` and its default URL
    ``page``, the ``folder`` under the raw folder, the manifest's ``label`` and the ``fallback_name``
    of a download that names no file."""

    source: str
    key: str
    page: str
    folder: str
    label: str
    fallback_name: str


@dataclass(frozen=True)
class Family:
    """One row of the registry."""

    reader: Reader
    expected: Expected
    fetch: Fetch | None


def load(path: str | Path | None = None) -> dict[str, Family]:
    """The registry's families by source name, in file order (``path``: another registry, for tests).
    A row with unknown or missing fields, or a reader that cannot be imported, is an error naming it."""
    if path is None:
        text = (resources.files("flows") / "data" / REGISTRY).read_text(encoding="utf-8")
        where = f"flows/data/{REGISTRY}"
    else:
        text, where = Path(path).read_text(encoding="utf-8"), str(path)
    rows = yaml.safe_load(text) or {}
    return {source: _family(source, row, where) for source, row in rows.items()}


def _family(source: str, row: dict, where: str) -> Family:
    def check(fields: dict, allowed: set[str], required: set[str], part: str) -> None:
        unknown, missing = set(fields) - allowed, required - set(fields)
        if unknown or missing:
            raise RuntimeError(f"{where}: family {source}{part}: unknown {sorted(unknown)}, missing {sorted(missing)}")

    check(row, FIELDS, FIELDS - {"check_family", "fetch"}, "")
    check(row["expected"], EXPECTED_FIELDS, EXPECTED_FIELDS, " (expected)")
    reader = Reader(source, int(row["rank"]), _function(row["recognise"], where), _function(row["read"], where),
                    row["title"], row["publisher"], row["page"],
                    _function(row["check_family"], where) if row.get("check_family") else None)
    expected = Expected(source, **{k: str(v) for k, v in row["expected"].items()})
    fetch = None
    if row.get("fetch"):
        check(row["fetch"], FETCH_FIELDS, FETCH_FIELDS, " (fetch)")
        fetch = Fetch(source, **{k: str(v) for k, v in row["fetch"].items()})
    return Family(reader, expected, fetch)


def _function(name: str, where: str) -> Callable:
    """``module:function`` imported."""
    module, _, attr = str(name).partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise RuntimeError(f"{where}: cannot import {name}: {exc}") from None


@lru_cache(maxsize=1)
def families() -> dict[str, Family]:
    """The project's registry (:func:`load`), read once."""
    return load()


def all_readers() -> list[Reader]:
    """The reader of every file family, highest rank first."""
    return sorted((f.reader for f in families().values()), key=lambda r: -r.rank)


def expected_sources() -> dict[str, Expected]:
    """What a complete raw folder holds, by family."""
    return {source: f.expected for source, f in families().items()}


def fetched() -> list[Fetch]:
    """The families `flows fetch` downloads, in registry order."""
    return [f.fetch for f in families().values() if f.fetch is not None]
