"""Is what arrived the file that was asked for? Checked in the staging folder, before it is kept.

Raw files are never overwritten or deleted, so a wrong file kept in ``data/raw`` stays until
someone finds and deletes it by hand: an HTML error page saved as ``.xlsx``, a workbook cut
short, another table, a CSV in another encoding. Each target is checked for what the build will
need of it, with the extract readers' own recognition functions (:class:`flows.extract.Reader`
``.matches``), so "this is the file" means the same in fetch and build:

- a workbook: a zip whose members all unpack (CRC checked), with the parts every ``.xlsx``
  has (``[Content_Types].xml``, ``xl/workbook.xml``, a worksheet), recognised by its family's
  reader (python-calamine reads the sheet names); the JNTO workbook must also hold one sheet
  per year, every year from :data:`FIRST_JNTO_YEAR` to its newest;
- a CSV: UTF-8 text (with or without BOM) that the :mod:`csv` module parses, recognised by its
  family's reader from its header.

The cells themselves are the readers' business (``flows build``): a genuine new release with,
say, a market never seen before is kept here and reported by the build.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path

from flows.acquire.pages import Target, squash
from flows.errors import FetchError
from flows.extract.jnto import SOURCE as JNTO_SOURCE
from flows.extract.registry import all_readers
from flows.extract.xlsx import sheet_names

FIRST_JNTO_YEAR = 2003  # the JNTO workbook's oldest year sheet
WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)


def check_received(path: Path, target: Target, url: str) -> None:
    """Refuse (one line naming ``url``) a file at ``path`` that is not what ``target`` expects."""
    with open(path, "rb") as f:
        head = f.read(1024)
    if _HTML.match(head.removeprefix(b"\xef\xbb\xbf")):
        raise FetchError(f"{url} sent an HTML page ({_preview(head)}), not the {target.table} file: refused")
    expected = Path(target.fallback_name).suffix.lower()
    if path.suffix.lower() != expected:
        raise FetchError(f"{url} sent {path.name!r}, expected a {expected} file for {target.table}: refused")
    if expected == ".xlsx":
        _check_workbook(path, url, head)
    else:
        _check_csv(path, url)
    if target.source == JNTO_SOURCE:
        _check_year_sheets(path, url)
    reader = {r.source: r for r in all_readers()}[target.source]
    if not reader.matches(path):
        raise FetchError(f"{url} is not {target.table}: {_what_it_is(path, expected)}: refused")


def _check_workbook(path: Path, url: str, head: bytes) -> None:
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            raise FetchError(f"{url} is a damaged or cut-short zip ({path.stat().st_size} bytes, no zip directory), "
                             "not a readable .xlsx workbook: refused")
        raise FetchError(f"{url} is not an .xlsx workbook (not a zip file; it starts {_preview(head)}): refused")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            damaged = z.testzip()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as e:
        raise FetchError(f"{url} is a damaged zip ({type(e).__name__}: {squash(str(e))}): refused") from None
    if damaged is not None:
        raise FetchError(f"{url} is a damaged zip (member {damaged} fails its CRC check): refused")
    missing = [p for p in WORKBOOK_PARTS if p not in names]
    if not any(n.startswith("xl/worksheets/") and n.endswith(".xml") for n in names):
        missing.append("xl/worksheets/*.xml")
    if missing:
        raise FetchError(f"{url} is a zip but not an .xlsx workbook (no {', '.join(missing)}): refused")


def _check_csv(path: Path, url: str) -> None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise FetchError(f"{url} is not UTF-8 text (byte {data[e.start]:#04x} on line {line}): refused") from None
    if "\0" in text:
        raise FetchError(f"{url} is not CSV text (it holds NUL characters): refused")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        for _ in reader:
            pass
    except csv.Error as e:
        raise FetchError(f"{url} is not a well-formed CSV (line {reader.line_num}: {e}): refused") from None
    if not header:
        raise FetchError(f"{url} is an empty file: refused")


def _check_year_sheets(path: Path, url: str) -> None:
    """One sheet per year, every year from FIRST_JNTO_YEAR to the newest, and nothing else."""
    names = sheet_names(path) or ()
    others = [n for n in names if not re.fullmatch(r"\d{4}", n)]
    if others:
        raise FetchError(f"{url}: the JNTO workbook has sheet(s) not named by a year: {others}: refused")
    years = {int(n) for n in names}
    newest = max(years | {FIRST_JNTO_YEAR})
    missing = [y for y in range(FIRST_JNTO_YEAR, newest + 1) if y not in years]
    if missing:
        raise FetchError(f"{url}: the JNTO workbook lacks the year sheet(s) {', '.join(map(str, missing))} "
                         f"(one per year from {FIRST_JNTO_YEAR} to {newest} is expected): refused")


def _what_it_is(path: Path, suffix: str) -> str:
    if suffix == ".xlsx":
        return f"its sheets are {list(sheet_names(path) or ())}"
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        return f"its header is {squash(f.readline())[:120]!r}"


def _preview(head: bytes) -> str:
    """The first characters of ``head`` quoted when they are text, else 'with binary data'."""
    text = head[:40].decode("utf-8", errors="replace")
    if "\ufffd" in text.rstrip("\ufffd") or any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return "with binary data"
    return repr(squash(text))
