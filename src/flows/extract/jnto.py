"""JNTO 国籍/月別 訪日外客数 (visitor arrivals to Japan by nationality, monthly, 2003 →).

Publisher: Japan National Tourism Organization (JNTO, 日本政府観光局),
https://www.jnto.go.jp/statistics/data/visitors-statistics/ . The download is renamed with
every monthly release (``_files/YYYYMMDD_1615-5.xlsx``), so the workbook is recognised by its
content: every sheet is named by a year and titled ``YYYY年 訪日外客数（総数）``.

Layout (see ``SOURCE.md``): one sheet per year, newest first; the header row holds
``1月, 伸率, 2月, …, 12月, 伸率, 累計|年計, 伸率``; the market label is in column A, and from
2020 sub-markets sit in column B with numbers starting one column later, so columns are
found by header text. Status per sheet comes from footnote 注２: 確定値 → final, 暫定値 →
provisional, 推計値 → italic cells are estimates (other cells of that sheet provisional).
Blank cells (estimate months publish only about 31 of 54 markets) stay missing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np

from flows.errors import RawFileError
from flows.extract.base import Extract
from flows.extract.jnto_checks import SheetNumbers, growth_mismatches, sheet_mismatches
from flows.extract.marks import italic_cells
from flows.extract.values import to_count, unknown_label
from flows.extract.xlsx import Sheet, cell_ref, read_workbook, sheet_names
from flows.vocabulary import code_for, normalise_label

SOURCE = "jnto_monthly"
TITLE = re.compile(r"(\d{4})年\s*訪日外客数")
MONTH_HEADER = re.compile(r"^(\d{1,2})月$")
TOTAL_HEADERS = ("累計", "年計")
GROWTH_HEADER = "伸率"
HEADER_SEARCH_ROWS = 10
ITALIC_ESTIMATE = "italic_estimate"  # status rule of a sheet whose italic cells are estimates


def is_jnto_workbook(path: Path) -> bool:
    """True for a JNTO monthly workbook: most sheets named by a four-digit year (the reader then
    refuses, naming it, a sheet that is not: one renamed sheet must not hide the whole workbook)."""
    names = sheet_names(path)
    return bool(names) and sum(bool(re.fullmatch(r"\d{4}", n)) for n in names) * 2 > len(names)


def read_jnto_workbook(path: Path) -> Extract:
    """Every market and month of every year sheet, with annual 累計/年計 totals for checks."""
    path = Path(path)
    sheets = [(sheet, sheet.rows()) for sheet in read_workbook(path)]  # an unreadable workbook fails here
    found = Extract(SOURCE, path.name, _release(path))
    rules = {sheet.name: _status_rule(rows, path, f"sheet '{sheet.name}'") for sheet, rows in sheets}
    estimated = [name for name, rule in rules.items() if rule == ITALIC_ESTIMATE]
    italic = italic_cells(path, estimated) if estimated else {}
    numbers = {}
    for sheet, rows in sheets:
        year, numbers[year] = _read_sheet(sheet, rows, rules[sheet.name], italic.get(sheet.name, frozenset()), path, found)
    if not found.monthly_rows:
        raise RawFileError(path, "no monthly figures found in any year sheet")
    found.parts = [str(year) for year in sorted(numbers)]
    for year, sheet in sorted(numbers.items()):
        found.mismatches += sheet_mismatches(sheet)
        if year - 1 in numbers:
            found.mismatches += growth_mismatches(sheet, numbers[year - 1])
    return found


def _release(path: Path) -> str:
    """The workbook's creation date (``dcterms:created`` in ``docProps/core.xml``): which of two
    workbooks is newer. Without it the release cannot be told from the content, which is an error
    (a guess from the file name would sort after every date and win in silence)."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
    except (KeyError, zipfile.BadZipFile, OSError):
        core = ""
    match = re.search(r"<dcterms:created[^>]*>(\d{4}-\d{2}-\d{2})", core)
    if not match:
        raise RawFileError(path, "the workbook has no creation date (docProps/core.xml, dcterms:created): "
                                 "its release cannot be told; download it again from JNTO")
    return match.group(1)


def _read_sheet(sheet: Sheet, rows: list, rule: str, italic: frozenset, path: Path,
                found: Extract) -> tuple[int, SheetNumbers]:
    """The sheet's monthly and annual rows; ``rule`` is its status rule, ``italic`` its italic cells.
    Returns the sheet's year and its numbers for the self-checks."""
    where = f"sheet '{sheet.name}'"
    year = _sheet_year(sheet, path, where)
    header_row, month_cols, total_col, first_value_col = _find_header(rows, path, where)
    cols = [month_cols[m] for m in range(1, 13)] + [total_col]
    numbers = SheetNumbers(sheet.name, [], [], [], [], cols, [], [], [])

    for row_no, cells in rows:
        if row_no <= header_row:
            continue
        label_col, label = _label(cells, first_value_col)
        if label is None:
            continue
        if label.startswith("注"):
            break
        code = code_for(label)
        if code is None:
            raise unknown_label(path, label, f"{where}, row {row_no}")
        values = [_count(cells.get(col), row_no, col, path, where) for col in cols]  # 12 months, then 累計
        statuses = [_status(rule, italic, row_no, col) for col in cols]
        for month, (col, value, status) in enumerate(zip(cols[:12], values, statuses), start=1):
            if value is not None:
                found.monthly_rows.append((f"{year}-{month:02d}", code, "JP", "visitor_arrivals", value,
                                           status, sheet.name, cell_ref(row_no, col)))
        if values[12] is not None:
            found.annual_rows.append((year, code, "JP", "visitor_arrivals", values[12], statuses[12], sheet.name,
                                      cell_ref(row_no, total_col)))
        numbers.rows.append(row_no)
        numbers.label_cols.append(label_col)
        numbers.codes.append(code)
        numbers.labels.append(label)
        numbers.values.append([np.nan if v is None else v for v in values])
        numbers.rounded.append([status == "estimate" for status in statuses])
        numbers.growth.append([float(g) if isinstance(g := cells.get(col + 1), (int, float)) and not isinstance(g, bool)
                               else np.nan
                               for col in cols])
    numbers.values = np.array(numbers.values, dtype=float).reshape(-1, 13)
    numbers.growth = np.array(numbers.growth, dtype=float).reshape(-1, 13)
    numbers.rounded = np.array(numbers.rounded, dtype=bool).reshape(-1, 13)
    return year, numbers


def _count(value, row_no: int, col: int, path: Path, where: str) -> int | None:
    """A cell's count (:func:`~flows.extract.values.to_count`; a whole non-negative float, the
    usual cell, converted at once)."""
    if type(value) is float and value >= 0 and value.is_integer():
        return int(value)
    return to_count(value, path, f"{where}, cell {cell_ref(row_no, col)}")


def _sheet_year(sheet: Sheet, path: Path, where: str) -> int:
    first = sheet.value(1, 1)
    match = TITLE.search(str(first or ""))
    if not match:
        raise RawFileError(path, f"expected a title 'YYYY年 訪日外客数' in A1, found {first!r}", where=where)
    year = int(match.group(1))
    if str(year) != sheet.name:
        raise RawFileError(path, f"sheet name {sheet.name!r} does not match its title year {year}", where=where)
    return year


def _find_header(rows, path: Path, where: str) -> tuple[int, dict[int, int], int, int]:
    for row_no, cells in rows:
        if row_no > HEADER_SEARCH_ROWS:
            break
        texts = {col: normalise_label(v) for col, v in cells.items() if isinstance(v, str)}
        months = {int(m.group(1)): col for col, t in texts.items() if (m := MONTH_HEADER.match(t))}
        if not months:
            continue
        totals = [col for col, t in texts.items() if t in TOTAL_HEADERS]
        if sorted(months) != list(range(1, 13)) or len(totals) != 1:
            raise RawFileError(path, "header row must hold 1月 … 12月 and one 累計/年計 column",
                               where=f"{where}, row {row_no}")
        lacking = [texts.get(col, "") for col in [*months.values(), totals[0]] if texts.get(col + 1) != GROWTH_HEADER]
        if lacking:
            raise RawFileError(path, f"expected a {GROWTH_HEADER} column after {lacking[0]}", where=f"{where}, row {row_no}")
        return row_no, months, totals[0], min(months.values())
    raise RawFileError(path, f"no header row with 1月 … 12月 in the first {HEADER_SEARCH_ROWS} rows", where=where)


def _status_rule(rows, path: Path, where: str) -> str:
    for _, cells in rows:
        text = cells.get(1)
        if isinstance(text, str) and text.startswith("注２"):
            if "推計値" in text:
                return ITALIC_ESTIMATE
            if "暫定値" in text:
                return "provisional"
            if "確定値" in text:
                return "final"
            raise RawFileError(path, f"footnote 注２ names no known status: {text!r}", where=where)
    raise RawFileError(path, "no footnote 注２ stating final / provisional / estimate", where=where)


def _status(rule: str, italic: frozenset, row: int, col: int) -> str:
    if rule == ITALIC_ESTIMATE:
        return "estimate" if (row, col) in italic else "provisional"
    return rule


def _label(cells: dict, first_value_col: int) -> tuple[int, str | None]:
    """The row's market and its column: the right-most non-empty text left of the numbers
    (sub-markets in B)."""
    texts = [(c, normalise_label(cells[c])) for c in range(1, first_value_col)
             if c in cells and cells[c] is not None and normalise_label(cells[c])]
    return texts[-1] if texts else (0, None)
