"""Cell marks python-calamine does not report, read from the workbook's XML: italic fonts (JNTO
marks its first estimates that way) and Excel errors (``#N/A``, ``#REF!`` …, which python-calamine
reads as empty cells).

Italics: ``xl/styles.xml`` says which ``cellXfs`` entries use a font with ``<i/>``; a worksheet's
``<c>`` start tags carry their entry in ``s="…"``. Errors: ``<c t="e">`` with the error text in
``<v>``. Attributes are matched wherever they sit in the tag (``<c r="B9" s="12">`` and
``<c s="12" r="B9">`` alike), so no writer's attribute order can silently turn estimates into
provisional figures, or an error into a blank.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from flows.errors import RawFileError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"""\sr\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_ERROR_MARK = re.compile(rb"""<(?:\w+:)?c\s(?:[^>]*?\s)?t\s*=\s*["']e["']""")
_VALUE = re.compile(r"\s*(?:<(?:\w+:)?f\b[^>]*(?:/>|>.*?</(?:\w+:)?f>)\s*)?<(?:\w+:)?v>([^<]*)<", re.S)
_DAMAGE = (zipfile.BadZipFile, KeyError, OSError, EOFError, ET.ParseError, UnicodeDecodeError, zlib.error)


def italic_cells(path: Path, sheets: Iterable[str] | None = None) -> dict[str, frozenset[tuple[int, int]]]:
    """Sheet name → 1-based (row, col) of every cell whose style uses an italic font, for the
    named ``sheets`` (default: all)."""
    path = Path(path)
    wanted = set(sheets) if sheets is not None else None
    try:
        with zipfile.ZipFile(path) as z:
            styles = italic_styles(_read(z, "xl/styles.xml"))
            return {name: styled_cells(z.read(member).decode("utf-8"), styles, path, name)
                    for name, member in _worksheets(z) if wanted is None or name in wanted}
    except _DAMAGE as exc:
        raise RawFileError(path, f"cannot read the workbook's styles ({type(exc).__name__}: {exc})") from None


def error_cells(path: Path, sheets: Iterable[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → {1-based (row, col): error text such as ``'#N/A'``} for those of the named
    ``sheets`` that hold an Excel error (most workbooks: none, an empty dict)."""
    path = Path(path)
    wanted = set(sheets)
    try:
        with zipfile.ZipFile(path) as z:
            found = {}
            for name, member in _worksheets(z):
                if name in wanted and _may_hold_errors(xml := z.read(member)) and _ERROR_MARK.search(xml):
                    found[name] = _errors(xml.decode("utf-8"), path, name)
            return found
    except _DAMAGE as exc:
        raise RawFileError(path, f"cannot read the workbook's worksheets ({type(exc).__name__}: {exc})") from None


def italic_styles(styles_xml: bytes | None) -> frozenset[int]:
    """Indexes into ``cellXfs`` whose font is italic, from the text of ``xl/styles.xml``."""
    if styles_xml is None:
        return frozenset()
    root = ET.fromstring(styles_xml)
    italic_fonts = set()
    for i, font in enumerate(_children(root, "fonts")):
        mark = font.find(f"{_NS}i")
        if mark is not None and mark.get("val", "1") not in ("0", "false"):
            italic_fonts.add(i)
    return frozenset(i for i, xf in enumerate(_children(root, "cellXfs"))
                     if int(xf.get("fontId", "0")) in italic_fonts)


def styled_cells(sheet_xml: str, styles: frozenset[int], path: Path, sheet: str) -> frozenset[tuple[int, int]]:
    """1-based (row, col) of the cells of a worksheet's XML whose ``s`` is one of ``styles``."""
    if not styles:
        return frozenset()
    return frozenset(cell for cell, _ in _tags(sheet_xml, "s", [str(s) for s in sorted(styles)], path, sheet))


def _may_hold_errors(xml: bytes) -> bool:
    """A quick look before the full search: an error cell's tag holds ``"e"`` or ``'e'``."""
    return b'"e"' in xml or b"'e'" in xml


def _errors(sheet_xml: str, path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """The error cells of a worksheet's XML with their text (``#ERROR`` when none is cached)."""
    found = {}
    for cell, end in _tags(sheet_xml, "t", ["e"], path, sheet):
        value = _VALUE.match(sheet_xml, end) if sheet_xml[end - 2:end] != "/>" else None
        found[cell] = value.group(1) if value else "#ERROR"
    return found


def _tags(sheet_xml: str, attribute: str, values: list[str], path: Path, sheet: str):
    """``((row, col), end of tag)`` for each ``<c>`` start tag whose ``attribute`` is one of ``values``."""
    alternatives = "|".join(re.escape(v) for v in values)
    pattern = rf"""<(?:\w+:)?c\s(?:[^>]*?\s)?{attribute}\s*=\s*["'](?:{alternatives})["'][^>]*>"""
    for tag in re.finditer(pattern, sheet_xml):
        ref = _REF.search(tag.group())
        if ref is None:
            raise RawFileError(path, f"marked cell without a cell reference: {tag.group()}", where=f"sheet '{sheet}'")
        yield (int(ref.group(2)), _column_number(ref.group(1))), tag.end()


def _children(root: ET.Element, tag: str) -> list[ET.Element]:
    found = root.find(f"{_NS}{tag}")
    return list(found) if found is not None else []


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _read(z: zipfile.ZipFile, member: str) -> bytes | None:
    try:
        return z.read(member)
    except KeyError:
        return None


def _worksheets(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, zip member of its worksheet XML), in workbook order."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")}
    sheets = []
    for sheet in book.iter(f"{_NS}sheet"):
        target = targets[sheet.get(f"{_REL_NS}id")]
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        sheets.append((sheet.get("name"), member))
    return sheets
