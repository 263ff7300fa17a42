"""Recognise every file of the raw folder by its content and read it with its publisher's reader.

Files are read one after another in this process. On the project's 2-core machine a pool of two
forked workers was not faster (whole build in a new process, the two run alternately 10 times:
best 1.14 s with the pool vs 1.17 s without, median 1.58 s vs 1.25 s), and costs a second process.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from flows.errors import RawFileError
from flows.extract.base import ANNUAL_COLUMNS, MONTHLY_COLUMNS, ROW_FIELDS, Extract, Reader
from flows.extract.registry import all_readers
from flows.extract.unused import known_unused

logger = logging.getLogger(__name__)

DATA_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}


@dataclass
class RawFile:
    """A recognised raw file: where it is, which reader reads it, and its checksum."""

    path: Path
    relative: str
    reader: Reader
    sha256: str
    size: int


def data_files(raw: Path) -> list[str]:
    """Paths (relative to ``raw``) of the files that look like data: spreadsheets and CSVs, but for
    hidden ones (:func:`is_hidden`).

    A name that is not UTF-8, or a folder where a data file is expected (``x.csv/``), is an error
    naming it: either would otherwise drop out of the build unnoticed.
    """
    if not raw.is_dir():
        raise RawFileError(raw, "raw data folder not found (fill it with `flows fetch` or pass --raw DIR)")
    found = []
    for p in sorted(raw.rglob("*")):
        relative = p.relative_to(raw).as_posix()
        if is_hidden(relative):
            continue
        if p.is_dir():
            _check_folder(p)
        if p.suffix.lower() not in DATA_SUFFIXES:
            continue
        try:
            relative.encode("utf-8")
        except UnicodeEncodeError:
            raise RawFileError(raw, f"a file name is not UTF-8: {os.fsencode(relative)!r} (rename it)") from None
        if not p.is_file():
            raise RawFileError(p, "a folder (or other non-file) where a data file is expected")
        found.append(relative)
    return found


def _check_folder(folder: Path) -> None:
    """A folder the search would pass over in silence is an error naming it: a link to a folder (not
    followed) or a folder that cannot be listed."""
    if folder.is_symlink():
        raise RawFileError(folder, "a link to a folder, which the build does not follow (its files would be left "
                                   "out): put the folder itself here, or link its files one by one")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise RawFileError(folder, "a folder that cannot be read (permissions): its files would be left out")


def is_hidden(relative: str) -> bool:
    """A name starting with ``.`` anywhere on the path (``.ipynb_checkpoints/``, ``.~lock…``, a
    partial download): never an official file, and a copy there would pass for a second release."""
    return any(part.startswith(".") for part in relative.split("/"))


def hidden_data_files(raw: Path) -> list[str]:
    """Data files (by suffix) under hidden names, which :func:`data_files` leaves out."""
    return sorted(p.relative_to(raw).as_posix() for p in raw.rglob("*")
                  if p.suffix.lower() in DATA_SUFFIXES and is_hidden(p.relative_to(raw).as_posix()))


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for a build. Readers and the build make hundreds of
    thousands of small lists and tuples and no reference cycles: with the collector paused the build
    takes less CPU time (it would traverse them again and again); memory is freed as usual."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@dataclass
class Folder:
    """What :func:`read_raw` made of a raw folder."""

    files: list[RawFile]  # read, in path order
    extracts: list[Extract]  # one per file
    unused: list[tuple[str, str, str]]  # (path, known family, reason): known files the project does not read
    duplicates: list[tuple[str, str]]  # (path, the earlier path with the same bytes): ignored


def recognise(raw: Path, relative: str, readers: list[Reader], data: bytes,
              digest: str | None = None) -> RawFile | None:
    """The file's reader (the highest-ranked that recognises it) and checksum, or None.
    ``readers`` come highest rank first (:func:`flows.extract.all_readers`); ``digest``: the sha256
    of ``data`` when already known."""
    path = raw / relative
    if not data:
        raise RawFileError(path, "file is empty")
    reader = next((r for r in readers if r.matches(path)), None)
    if reader is None:
        return None
    return RawFile(path, relative, reader, digest or hashlib.sha256(data).hexdigest(), len(data))


def unrecognised(path: Path, data: bytes) -> RawFileError:
    """The error for a data file no reader recognises: what it looks like, when that is clear."""
    if path.suffix.lower() in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
        return RawFileError(path, "not a readable .xlsx workbook (truncated or corrupt zip)")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return RawFileError(path, "UTF-16 text: re-save the publisher's file as UTF-8")
    return RawFileError(path, "not a file this project reads: no reader recognises its content and it is not "
                              "listed in flows/data/unused_files.csv")


def read_raw(raw: Path, candidates: list[str], detail: int = logging.INFO) -> Folder:
    """Recognise and read the ``candidates`` (from :func:`data_files`) of the raw folder.

    A byte-identical copy of a file already read is ignored (and listed); a file the project
    knows and does not read is listed with its reason; any other file no reader recognises is an
    error naming it. Each file read is one line on this module's logger at level ``detail``.
    """
    readers = all_readers()
    folder = Folder([], [], [], [])
    first_with: dict[str, str] = {}
    with collector_paused():
        for relative in candidates:
            path = raw / relative
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise RawFileError(path, f"cannot read the file ({exc.strerror or type(exc).__name__})") from None
            digest = hashlib.sha256(data).hexdigest()
            if digest in first_with:
                folder.duplicates.append((relative, first_with[digest]))
                continue
            first_with[digest] = relative
            found = recognise(raw, relative, readers, data, digest)
            if found is None:
                known = known_unused(path, data[:4096])
                if known is None:
                    raise unrecognised(path, data)
                folder.unused.append((relative, *known))
                continue
            extract = found.reader.read(found.path)
            folder.files.append(found)
            folder.extracts.append(extract)
            logger.log(detail, f"  read {relative}: {len(extract.monthly_rows):,} monthly, {len(extract.annual_rows):,} annual "
                f"values ({found.reader.source})")
    if not folder.files:
        raise RawFileError(raw, "no recognised official files in this folder (see data/raw/README.md)")
    return folder


def stack(folder: Folder) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(monthly, annual) rows of every file read; ``monthly`` also carries each row's reader ``rank``."""
    files, extracts = folder.files, folder.extracts
    monthly = _stack(extracts, files, "monthly_rows", "month", MONTHLY_COLUMNS)
    monthly["rank"] = np.repeat(np.array([f.reader.rank for f in files], dtype="int64"),
                                [len(e.monthly_rows) for e in extracts])
    monthly["value"] = monthly["value"].astype("int64")
    return monthly, _stack(extracts, files, "annual_rows", "year", ANNUAL_COLUMNS)


def _stack(extracts: list[Extract], files: list[RawFile], rows: str, period: str, columns: list[str]) -> pd.DataFrame:
    """One frame of every file's ``rows``, built column by column; ``file`` relative to the raw folder."""
    counts = [len(getattr(e, rows)) for e in extracts]
    if not sum(counts):
        return pd.DataFrame(columns=columns)
    values = dict(zip([period] + ROW_FIELDS, map(list, zip(*(r for e in extracts for r in getattr(e, rows))))))
    values["source"] = _repeat([e.source for e in extracts], counts)
    values["file"] = _repeat([f.relative for f in files], counts)
    values["release"] = _repeat([e.release for e in extracts], counts)
    return pd.DataFrame({c: values[c] for c in columns})


def _repeat(per_file: list, counts: list[int]) -> np.ndarray:
    return np.repeat(np.array(per_file, dtype=object), counts)
