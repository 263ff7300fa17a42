"""Tourism Administration (Taiwan) official monthly tables 表1-4 and 表2-2, one month per file.

Publisher: Tourism Administration, MOTC (see :mod:`flows.extract.taiwan_common`),
https://admin.taiwan.net.tw/businessinfo/ (觀光統計 → 來臺旅客 / 國人出國). Files are recognised by
their one sheet's name, never by file name, and the month comes from the title in A1 (ROC year
+ 1911).

- 表1-4 來臺旅客人次－按性別及來臺目的分 (sheet ``來臺旅客按性別及來臺目的``): visitor
  arrivals into ``TW`` by **residence**; value = the ``合計 Total`` column. Every row is kept,
  the continent subtotals, ``未列明 Unstated`` and ``總計 Grand Total`` included (with their
  ``X-…`` / ``ALL`` codes): they hold their parts, never add them to their members.
- 表2-2 中華民國國民出國人次－按目的地分 (sheet ``出國按目的地``): departures of ROC
  nationals from ``TW`` by **first destination of the flight** (首站抵達地). Column C is this
  month; column D the same month a year earlier, emitted too (rows with ``cell`` in column D
  and ``release`` = this table's month), which is how 2018 enters the table.

Rows: label in the right-most text cell left of the numbers (col A continent on its first
row, col B residence, col C the countries inside 東南亞地區), up to ``總計 Grand Total``;
what follows is footnotes. Figures are final unless a note calls them provisional
(初步 / 暫定 / provisional / preliminary).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from flows.errors import RawFileError
from flows.extract.base import Extract
from flows.extract.taiwan_checks import PURPOSES, table_1_4_mismatches, table_2_2_mismatches
from flows.extract.taiwan_common import market_code, roc_month
from flows.extract.values import to_count, unknown_label
from flows.extract.xlsx import Sheet, cell_ref, read_sheet, sheet_names
from flows.vocabulary import normalise_label

INBOUND_SHEET = "來臺旅客按性別及來臺目的"
OUTBOUND_SHEET = "出國按目的地"
SOURCE_TABLE_1_4 = "tw_table_1_4"
SOURCE_TABLE_2_2 = "tw_table_2_2"
TITLE_1_4 = re.compile(r"表\s*1-4\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月")
TITLE_2_2 = re.compile(r"表\s*2-2\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月")
ROC_MONTH = re.compile(r"(\d{2,3})\s*年\s*(\d{1,2})\s*月")
PROVISIONAL_WORDS = ("初步", "暫定", "provisional", "preliminary")
SUBTOTAL_WORDS = ("合計", "小計")
_HEADER_ROW, _FIRST_DATA_ROW = 2, 3


def is_table_1_4(path: Path) -> bool:
    """True for a 表1-4 workbook: a single sheet named 來臺旅客按性別及來臺目的."""
    return sheet_names(path) == (INBOUND_SHEET,)


def is_table_2_2(path: Path) -> bool:
    """True for a 表2-2 workbook: a single sheet named 出國按目的地."""
    return sheet_names(path) == (OUTBOUND_SHEET,)


def read_table_1_4(path: Path) -> Extract:
    """表1-4: visitor arrivals into TW by residence for the month in the title (合計 Total)."""
    path = Path(path)
    sheet = read_sheet(path, INBOUND_SHEET)
    month = _title_month(sheet, path, TITLE_1_4, "表1-4 YYY年M月來臺旅客人次")
    total_col = _header_column(sheet, path, lambda t: t.startswith("合計") or t == "Total", "合計 Total")
    status = status_of(_notes(sheet))
    found = Extract(SOURCE_TABLE_1_4, path.name, month, parts=[month])
    rows = list(_data_rows(sheet, path, total_col))
    checked = _check_columns(sheet, total_col)
    numbers = _numbers(sheet, path, rows, [total_col, *checked.values()])
    for (row_no, code, _, _), value in zip(rows, numbers[:, 0]):
        found.monthly_rows.append((month, code, "TW", "visitor_arrivals", int(value), status, sheet.name,
                                   cell_ref(row_no, total_col)))
    found.mismatches = table_1_4_mismatches(sheet, month, rows, numbers, [total_col, *checked.values()],
                                            list(checked))
    return found


def read_table_2_2(path: Path) -> Extract:
    """表2-2: ROC nationals' departures by first destination, this month and a year earlier."""
    path = Path(path)
    sheet = read_sheet(path, OUTBOUND_SHEET)
    month = _title_month(sheet, path, TITLE_2_2, "表2-2 YYY年M月…中華民國國民出國人次")
    this_col, prior_col, prior_month, repeat_col = _month_columns(sheet, path, month)
    status = status_of(_notes(sheet))
    found = Extract(SOURCE_TABLE_2_2, path.name, month, parts=[month])
    rows = list(_data_rows(sheet, path, this_col))
    numbers = _numbers(sheet, path, rows, [this_col, prior_col], required=2)
    for (row_no, code, _, _), values in zip(rows, numbers):
        for col, when, value in ((this_col, month, values[0]), (prior_col, prior_month, values[1])):
            found.monthly_rows.append((when, "TW", code, "national_departures", int(value),
                                       status, sheet.name, cell_ref(row_no, col)))
    found.mismatches = table_2_2_mismatches(sheet, month, rows, numbers, this_col, repeat_col)
    return found


def status_of(texts) -> str:
    """``provisional`` when any note calls the figures provisional, else ``final``."""
    for text in texts:
        low = text.lower()
        if any(word in low for word in PROVISIONAL_WORDS):
            return "provisional"
    return "final"


def _title_month(sheet: Sheet, path: Path, pattern: re.Pattern, expected: str) -> str:
    title = sheet.value(1, 1)
    m = pattern.search(normalise_label(title)) if isinstance(title, str) else None
    if not m:
        raise RawFileError(path, f"expected a title '{expected}' in A1, found {title!r}",
                           where=f"sheet '{sheet.name}', cell A1")
    roc_year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise RawFileError(path, f"title names month {month}", where=f"sheet '{sheet.name}', cell A1")
    return roc_month(roc_year, month)


def _header_texts(sheet: Sheet) -> dict[int, str]:
    row = sheet.grid[_HEADER_ROW - 1] if sheet.max_row >= _HEADER_ROW else []
    return {c: normalise_label(v) for c, v in enumerate(row, start=1) if isinstance(v, str)}


def _header_column(sheet: Sheet, path: Path, wanted, name: str) -> int:
    texts = _header_texts(sheet)
    cols = [c for c, t in sorted(texts.items()) if wanted(t)]
    if not cols:
        raise RawFileError(path, f"no '{name}' column in the header row (found {list(texts.values())})",
                           where=f"sheet '{sheet.name}', row {_HEADER_ROW}")
    return cols[0]


def _check_columns(sheet: Sheet, total_col: int) -> dict[str, int]:
    """Table 1-4's 男, 女 and purpose columns (by header text), for the checks; those absent are
    not checked (the 合計 Total column alone is read)."""
    found = {}
    for col, text in sorted(_header_texts(sheet).items()):
        word = next((w for w in ("男", "女") + PURPOSES if text.startswith(w)), None)
        if col > total_col and word is not None and word not in found:
            found[word] = col
    return found


def _month_columns(sheet: Sheet, path: Path, month: str) -> tuple[int, int, str, int | None]:
    """Columns of this month and of the same month a year earlier, checked against the title, and the
    column where the table prints the two months again (F:H beside C:E; None when it does not)."""
    year, mon = int(month[:4]), int(month[5:])
    prior = f"{year - 1}-{mon:02d}"
    where = f"sheet '{sheet.name}', row {_HEADER_ROW}"
    found = []
    for col, text in sorted(_header_texts(sheet).items()):
        m = ROC_MONTH.match(text)
        if m:
            found.append((col, roc_month(int(m.group(1)), int(m.group(2)))))
    if len(found) < 2 or found[0][1] != month or found[1][1] != prior or found[1][0] != found[0][0] + 1:
        raise RawFileError(path, f"expected header columns for {month} then {prior} (from the title), "
                                 f"found {[m for _, m in found[:2]]}", where=where)
    again = len(found) >= 4 and [m for _, m in found[2:4]] == [month, prior] and found[3][0] == found[2][0] + 1
    return found[0][0], found[1][0], prior, found[2][0] if again else None


def _data_rows(sheet: Sheet, path: Path, first_value_col: int):
    """``(row_no, code, opens, closes)`` for each market row, from row 3 through 總計 Grand Total.

    A row's label is its right-most text left of the numbers; rows without one (blank
    spacer rows) are skipped. Every labelled row must carry counts: a label alone is an
    unexpected layout. For the sum checks: ``opens`` counts the texts left of the label (a
    continent in column A, 東南亞地區 in column B: each opens a group of rows), ``closes`` is
    True for a subtotal row (合計 / 小計), which closes the innermost group.
    """
    seen: dict[str, int] = {}
    for row_no, row in enumerate(sheet.grid[_FIRST_DATA_ROW - 1:], start=_FIRST_DATA_ROW):
        labels = [t for v in row[:first_value_col - 1] if isinstance(v, str) and (t := normalise_label(v))]
        if not labels:
            continue
        label = labels[-1]
        where = f"sheet '{sheet.name}', row {row_no}"
        code = market_code(label)
        if code is None:
            raise unknown_label(path, label, where)
        if code in seen:
            raise RawFileError(path, f"market {label!r} ({code}) appears twice, rows {seen[code]} and {row_no}",
                               where=where)
        seen[code] = row_no
        yield row_no, code, len(labels) - 1, any(word in label for word in SUBTOTAL_WORDS)
        if code == "ALL":
            return
    raise RawFileError(path, "no '總計 Grand Total' row: table cut short?", where=f"sheet '{sheet.name}'")


def _numbers(sheet: Sheet, path: Path, rows: list, cols, required: int = 1) -> np.ndarray:
    """The counts of ``rows`` (from :func:`_data_rows`) in ``cols``, rows × columns: blanks are
    refused in the first ``required`` columns (the values read), NaN in the others (checks only)."""
    cols = list(cols)
    lines = [sheet.grid[row_no - 1] for row_no, *_ in rows]
    cells = [[line[col - 1] if col <= len(line) else None for col in cols] for line in lines]
    # Fast path: every cell a float holding a whole non-negative count (blank only where allowed).
    if all(type(v) is float for row in cells for v in row[:required]) and \
            all(v is None or type(v) is float for row in cells for v in row[required:]):
        grid = np.array([[np.nan if v is None else v for v in row] for row in cells],
                        dtype=float).reshape(len(rows), len(cols))
        known = grid[~np.isnan(grid)]
        if (known >= 0).all() and (known == np.floor(known)).all():
            return grid
    grid = [[_count(sheet, path, row_no, col) if k < required else _optional(sheet, path, row_no, col)
             for k, col in enumerate(cols)] for row_no, *_ in rows]
    return np.array(grid, dtype=float).reshape(len(rows), len(cols))


def _optional(sheet: Sheet, path: Path, row_no: int, col: int) -> float:
    value = to_count(sheet.value(row_no, col), path, f"sheet '{sheet.name}', cell {cell_ref(row_no, col)}")
    return np.nan if value is None else value


def _count(sheet: Sheet, path: Path, row_no: int, col: int) -> int:
    where = f"sheet '{sheet.name}', cell {cell_ref(row_no, col)}"
    value = to_count(sheet.value(row_no, col), path, where)
    if value is None:
        raise RawFileError(path, "expected a count of persons, found an empty cell", where=where)
    return value


def _notes(sheet: Sheet) -> list[str]:
    """Title and footnote texts (where a provisional mark would be)."""
    return [v for r, row in enumerate(sheet.grid, start=1) for c, v in enumerate(row[:1] if r > 1 else row)
            if isinstance(v, str)]
