"""Which cells of a workbook are set in italics: JNTO marks its first estimates that way.

python-calamine reads values, not styles, so this reads the two parts of the .xlsx zip that
say it: ``xl/styles.xml`` (``cellXfs`` entries whose font has ``<i/>``) and each worksheet's
``<c>`` start tags carrying one of those style indexes in ``s="…"``. Attributes are matched
wherever they sit in the tag (``<c r="B9" s="12">`` and ``<c s="12" r="B9">`` alike), so no
writer's attribute order can silently turn estimates into provisional figures.
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
    alternatives = "|".join(str(s) for s in sorted(styles))
    tags = re.findall(rf"""<(?:\w+:)?c\s(?:[^>]*?\s)?s\s*=\s*["'](?:{alternatives})["'][^>]*>""", sheet_xml)
    found = set()
    for tag in tags:
        ref = _REF.search(tag)
        if ref is None:
            raise RawFileError(path, f"styled cell without a cell reference: {tag}", where=f"sheet '{sheet}'")
        found.add((int(ref.group(2)), _column_number(ref.group(1))))
    return frozenset(found)


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
