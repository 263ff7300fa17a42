"""A small, fast reader for the cell values of one worksheet of an .xlsx file.

openpyxl costs 20+ ms per workbook even read-only; the Taiwan monthly tables are ~150 tiny
single-sheet workbooks, so this reads the zip directly: ``xl/workbook.xml`` (+ its rels) to
find the sheet, ``xl/sharedStrings.xml`` for text, and the sheet's ``<c>`` elements for values.
Only values are read (cached formula results, not formulas; no styles, no dates): enough for
tables of counts and labels. Any damage is a :class:`~flows.errors.RawFileError`.

Speed: cells are picked out of the worksheet XML with regular expressions written for the
way spreadsheet programs write cells (``<c r="B3" s="1" t="s"><v>7</v></c>``), limited to the
columns the caller wants. When they do not account for every non-empty cell of those columns
(an unusual writer), the sheet is parsed again, exactly, with :mod:`xml.etree.ElementTree`.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flows.errors import RawFileError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_KIND = re.compile(r'\st="([A-Za-z]+)"')
_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_T = re.compile(r"<t\b[^>]*>([^<]*)</t>|<t/>")
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass(frozen=True)
class Sheet:
    """One worksheet's values: ``cells[(row, col)]`` with 1-based row and column numbers.

    Values are ``str`` (shared, inline or formula strings), ``int`` / ``float`` (numbers;
    integral numbers become ``int``), ``bool``, or error text such as ``'#N/A'``. Empty cells
    are absent.
    """

    name: str
    cells: dict[tuple[int, int], object]
    italic: frozenset[tuple[int, int]] = frozenset()

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def value(self, row: int, col: int):
        return self.cells.get((row, col))

    def rows(self) -> list[tuple[int, dict[int, object]]]:
        """Non-empty rows in order: ``[(row_no, {col: value}), …]``."""
        by_row: dict[int, dict[int, object]] = {}
        for (r, c), v in sorted(self.cells.items()):
            by_row.setdefault(r, {})[c] = v
        return sorted(by_row.items())


@lru_cache(maxsize=None)
def column_number(letters: str) -> int:
    """``'A' → 1``, ``'AB' → 28``."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def read_sheet(path: Path, sheet: int | str = 0, *, max_col: int | None = None) -> Sheet:
    """The values of one worksheet (by position or name) of the workbook at ``path``.

    ``max_col`` skips cells right of that column (a reader that needs only the first few
    columns of a wide table saves converting the rest).
    """
    path = Path(path)
    with _opened(path) as z:
        name, member = _sheet_member(z, sheet, path)
        strings = _shared_strings(z)
        return _sheet(path, name, _read_text(z, member, path), strings, max_col)


def read_workbook(path: Path, *, max_col: int | None = None, italic: bool = False) -> list[Sheet]:
    """Every worksheet of the workbook, in workbook order, opening the file once.

    With ``italic=True`` each sheet's ``italic`` holds the (row, col) of cells whose font is
    italic (JNTO marks its estimates that way).
    """
    path = Path(path)
    with _opened(path) as z:
        strings = _shared_strings(z)
        italic_styles = _italic_styles(z) if italic else frozenset()
        sheets = []
        for name, member in _sheet_members(z, path):
            xml = _read_text(z, member, path)
            sheet = _sheet(path, name, xml, strings, max_col)
            if italic_styles:
                sheet = Sheet(name, sheet.cells, frozenset(
                    (int(row), column_number(letters)) for letters, row, style in _STYLED_CELL.findall(xml)
                    if int(style) in italic_styles))
            sheets.append(sheet)
        return sheets


class _opened:
    """``with _opened(path) as z``: a zip whose damage becomes one RawFileError."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> zipfile.ZipFile:
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
            raise RawFileError(self.path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
        return self.zip

    def __exit__(self, kind, exc, tb):
        self.zip.close()
        if exc is not None and not isinstance(exc, RawFileError) and isinstance(exc, _DAMAGE):
            raise RawFileError(self.path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
        return False


_DAMAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ET.ParseError,
           UnicodeDecodeError, zlib.error, ValueError)
_STYLED_CELL = re.compile(r'<c r="([A-Z]{1,3})(\d+)"[^>]*?\bs="(\d+)"')


def _read_text(z: zipfile.ZipFile, member: str, path: Path) -> str:
    return z.read(member).decode("utf-8")


def _sheet(path: Path, name: str, xml: str, strings: list[str], max_col: int | None) -> Sheet:
    where = f"sheet '{name}'"
    if not xml.rstrip().endswith("</worksheet>"):
        raise RawFileError(path, "worksheet XML is cut short (no closing </worksheet>)", where=where)
    max_col = max_col or 16384
    cells = _fast_cells(xml, strings, path, name, max_col)
    if cells is None:
        cells = _exact_cells(xml, strings, path, name, max_col)
    return Sheet(name, cells)


def _italic_styles(z: zipfile.ZipFile) -> frozenset[int]:
    """Indexes into ``cellXfs`` whose font is italic, from ``xl/styles.xml``."""
    try:
        root = ET.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    fonts = root.find(f"{_NS}fonts")
    italic_fonts = set()
    for i, font in enumerate(fonts if fonts is not None else []):
        mark = font.find(f"{_NS}i")
        if mark is not None and mark.get("val", "1") not in ("0", "false"):
            italic_fonts.add(i)
    xfs = root.find(f"{_NS}cellXfs")
    return frozenset(i for i, xf in enumerate(xfs if xfs is not None else [])
                     if int(xf.get("fontId", "0")) in italic_fonts)


def _sheet_members(z: zipfile.ZipFile, path: Path) -> list[tuple[str, str]]:
    book = ET.fromstring(z.read("xl/workbook.xml"))
    count = sum(1 for _ in book.iter(f"{_NS}sheet"))
    return [_sheet_member(z, i, path) for i in range(count)]


def _sheet_member(z: zipfile.ZipFile, sheet: int | str, path: Path) -> tuple[str, str]:
    book = ET.fromstring(z.read("xl/workbook.xml"))
    sheets = [(s.get("name"), s.get(f"{_REL_NS}id")) for s in book.iter(f"{_NS}sheet")]
    if not sheets:
        raise RawFileError(path, "workbook lists no sheets")
    if isinstance(sheet, int):
        if sheet >= len(sheets):
            raise RawFileError(path, f"workbook has {len(sheets)} sheet(s), expected at least {sheet + 1}")
        name, rid = sheets[sheet]
    else:
        found = [s for s in sheets if s[0] == sheet]
        if not found:
            raise RawFileError(path, f"no sheet named {sheet!r} (sheets: {[s[0] for s in sheets]})")
        name, rid = found[0]
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            return name, member
    raise RawFileError(path, f"sheet {name!r} has no worksheet part in the workbook relationships")


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        xml = z.read("xl/sharedStrings.xml").decode("utf-8")
    except KeyError:
        return []
    return [_text(si) for si in _SI.findall(xml)]


def _text(item: str) -> str:
    """Text of a string item: plain ``<t>`` or rich-text runs ``<r><t>``; phonetic runs skipped."""
    if item.startswith("<t") and item.endswith("</t>") and item.count("<") == 2:  # the common case
        return _unescape(item[item.index(">") + 1 : -4])
    if "<rPh" in item:
        item = _PHONETIC.sub("", item)
    return _unescape("".join(_T.findall(item)))


def _unescape(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


@lru_cache(maxsize=None)
def _fast_patterns(max_col: int) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """Value cells, inline-string cells, and all non-empty cells, in columns ≤ ``max_col``
    when that is within A–Z (so the pattern skips the rest without converting it)."""
    letters = f"[A-{chr(64 + max_col)}]" if max_col <= 26 else "[A-Z]{1,3}"
    return (
        re.compile(rf'<c r="({letters})(\d+)"([^>]*)>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?<v>([^<]*)</v>'),
        re.compile(rf'<c r="({letters})(\d+)"([^>]*?)><is>(.*?)</is>', re.S),
        re.compile(rf'<c r="{letters}\d+"[^>]*(?<!/)>'),
    )


def _fast_cells(xml: str, strings: list[str], path: Path, name: str, max_col: int) -> dict | None:
    """Cells found by the fast patterns, or None when they do not account for every
    non-empty cell (attributes in another order, a formula without a cached value …)."""
    if xml.count("<c ") != xml.count('<c r="'):
        return None
    value_cell, inline_cell, non_empty = _fast_patterns(min(max_col, 27))
    found = value_cell.findall(xml)
    inline = inline_cell.findall(xml) if "<is>" in xml else []
    if len(found) + len(inline) != len(non_empty.findall(xml)):
        return None
    cells: dict[tuple[int, int], object] = {}
    for letters, row, attrs, text in found:
        col = column_number(letters)
        if col > max_col:
            continue
        kind = (m.group(1) if (m := _KIND.search(attrs)) else "n") if 't="' in attrs else "n"
        value = _typed(kind, text, strings, path, name, letters + row)
        if value is not None and value != "":
            cells[(int(row), col)] = value
    for letters, row, _attrs, body in inline:
        col = column_number(letters)
        value = _text(body)
        if value and col <= max_col:
            cells[(int(row), col)] = value
    return cells


def _exact_cells(xml: str, strings: list[str], path: Path, name: str, max_col: int) -> dict:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise RawFileError(path, f"worksheet XML is damaged ({exc})", where=f"sheet '{name}'") from None
    cells: dict[tuple[int, int], object] = {}
    for c in root.iter(f"{_NS}c"):
        ref = c.get("r", "")
        m = _REF.fullmatch(ref)
        if not m:
            raise RawFileError(path, f"cell without a usable reference {ref!r}", where=f"sheet '{name}'")
        col = column_number(m.group(1))
        if col > max_col:
            continue
        kind = c.get("t", "n")
        if kind == "inlineStr":
            value = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
        else:
            v = c.find(f"{_NS}v")
            if v is None or v.text is None:
                continue
            value = _typed(kind, v.text, strings, path, name, ref, escaped=False)
        if value is not None and value != "":
            cells[(int(m.group(2)), col)] = value
    return cells


def _typed(kind: str, text: str, strings: list[str], path: Path, name: str, ref: str, escaped: bool = True):
    if text == "":
        return None
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError):
            raise RawFileError(path, f"shared string index {text!r} is out of range",
                               where=f"sheet '{name}', cell {ref}") from None
    if kind in ("str", "e"):
        return _unescape(text) if escaped else text
    if kind == "b":
        return text.strip() == "1"
    try:
        number = float(text)
    except ValueError:
        raise RawFileError(path, f"expected a number in the cell's XML, found {text!r}",
                           where=f"sheet '{name}', cell {ref}") from None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number
