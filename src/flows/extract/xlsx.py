"""Workbook access for the readers: cell values through python-calamine.

Values come from python-calamine (cached formula results, not formulas): text as ``str``,
numbers as ``float`` (as Excel stores them; :func:`flows.extract.values.to_count` makes counts),
``bool``, and ``datetime`` / ``date`` for cells formatted as dates. Empty cells are ``None``.
python-calamine reads an Excel error as an empty cell: :mod:`flows.extract.marks` finds them and
they are put back as their text (``'#N/A'``), so that a reader refuses them instead of skipping a
blank. (The same module finds JNTO's italic estimates: python-calamine reads no styles.)
Any damage (not a zip, a cut-short or malformed sheet) is one :class:`~flows.errors.RawFileError`.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import python_calamine

from flows.errors import RawFileError
from flows.extract.marks import error_cells


@dataclass(frozen=True)
class Sheet:
    """One worksheet's values as a grid from A1: ``grid[row - 1][col - 1]``, ``None`` when empty."""

    name: str
    grid: list[list]

    @property
    def max_row(self) -> int:
        return len(self.grid)

    def value(self, row: int, col: int):
        """The value at a 1-based (row, col), ``None`` when empty or outside the sheet."""
        if row > len(self.grid):
            return None
        cells = self.grid[row - 1]
        return cells[col - 1] if col <= len(cells) else None

    def rows(self) -> list[tuple[int, dict[int, object]]]:
        """Non-empty rows: ``[(row_no, {col: value}), …]``, 1-based."""
        return [(r, cells) for r, row in enumerate(self.grid, start=1)
                if (cells := {c: v for c, v in enumerate(row, start=1) if v is not None})]


def read_sheet(path: Path, sheet: int | str = 0) -> Sheet:
    """The values of one worksheet (by position or name) of the workbook at ``path``."""
    path = Path(path)
    book = _open(path)
    names = book.sheet_names
    if isinstance(sheet, int):
        if sheet >= len(names):
            raise RawFileError(path, f"workbook has {len(names)} sheet(s), expected at least {sheet + 1}")
        sheet = names[sheet]
    elif sheet not in names:
        raise RawFileError(path, f"no sheet named {sheet!r} (sheets: {names})")
    return Sheet(sheet, _grid(book, sheet, path, error_cells(path, [sheet]).get(sheet, {})))


def read_workbook(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook, in workbook order."""
    path = Path(path)
    book = _open(path)
    errors = error_cells(path, book.sheet_names)
    return [Sheet(name, _grid(book, name, path, errors.get(name, {}))) for name in book.sheet_names]


def sheet_names(path: Path) -> tuple[str, ...] | None:
    """Sheet names of a workbook, or None if the file is not one.

    Cheap enough to call on every file in the raw folder to recognise it by content; cached per
    (path, size, modification time) because every reader asks.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _sheet_names(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _sheet_names(path: str, size: int, mtime_ns: int) -> tuple[str, ...] | None:
    if not path.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        return tuple(python_calamine.CalamineWorkbook.from_path(path).sheet_names)
    except (python_calamine.CalamineError, OSError):
        return None


@lru_cache(maxsize=1024)
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


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except (python_calamine.CalamineError, OSError) as exc:
        raise RawFileError(path, f"not a readable .xlsx workbook ({_one_line(exc)})") from None
    _check_parts(path)
    return book


def _check_parts(path: Path) -> None:
    """Every part of the workbook's zip decompresses to its recorded checksum: damage to a part no
    reader looks at (a theme, the styles) is still damage to the download, named with its part."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                try:
                    with z.open(info) as f:
                        while f.read(1 << 20):
                            pass
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                    raise RawFileError(path, f"the workbook is damaged: its part {info.filename} cannot be read "
                                             f"({_one_line(exc)})") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise RawFileError(path, f"not a readable .xlsx workbook ({_one_line(exc)})") from None


def _grid(book: python_calamine.CalamineWorkbook, name: str, path: Path, errors: dict) -> list[list]:
    """The sheet's values from A1, ``None`` for empty cells, ``errors`` ({(row, col): text}) put back."""
    try:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise RawFileError(path, f"worksheet is damaged ({_one_line(exc)})", where=f"sheet '{name}'") from None
    grid = [[None if v == "" else v for v in row] for row in rows]
    for (row, col), text in errors.items():
        grid.extend([] for _ in range(row - len(grid)))
        cells = grid[row - 1]
        cells.extend([None] * (col - len(cells)))
        cells[col - 1] = text
    return grid


def _one_line(exc: Exception) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"
