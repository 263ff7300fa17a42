"""Tourism Administration (Taiwan) official monthly tables 表1-4 and 表2-2, one month per file.

Publisher: Tourism Administration, MOTC (交通部觀光署; until 2023-09 Tourism Bureau), counts
from National Immigration Agency border records; https://admin.taiwan.net.tw/businessinfo/
(觀光統計 → 來臺旅客 / 國人出國). Files are recognised by their one sheet's name, never by
file name, and the month comes from the title in A1 (ROC year + 1911).

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
(初步 / 暫定 / provisional / preliminary). Also home to the label and ROC-year helpers the
Taiwan CSV readers share.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from flows.errors import RawFileError
from flows.vocabulary import code_for, normalise_label
from flows.sources import ANNUAL_COLUMNS, MONTHLY_COLUMNS, Extract
from flows.sources.fast_xlsx import Sheet, read_sheet
from flows.sources.xlsx import cell_ref, sheet_names, to_count

ROC_OFFSET = 1911
INBOUND_SHEET = "來臺旅客按性別及來臺目的"
OUTBOUND_SHEET = "出國按目的地"
SOURCE_TABLE_1_4 = "tw_table_1_4"
SOURCE_TABLE_2_2 = "tw_table_2_2"
TITLE_1_4 = re.compile(r"表\s*1-4\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月")
TITLE_2_2 = re.compile(r"表\s*2-2\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月")
ROC_MONTH = re.compile(r"(\d{2,3})\s*年\s*(\d{1,2})\s*月")
PROVISIONAL_WORDS = ("初步", "暫定", "provisional", "preliminary")
# "中文 English", "中文(English)" or "中文English": Chinese part, then the English part.
_BILINGUAL = re.compile(r"^(?P<zh>[^A-Za-z(（]*[^\sA-Za-z(（])\s*[(（]?\s*(?P<en>[A-Za-z].*?)\s*[)）]?$")
_HEADER_ROW, _FIRST_DATA_ROW = 2, 3
_MAX_COL = 4  # labels in A–C, the counts this reader needs in D (表1-4) or C–D (表2-2)


# ---- shared by the Taiwan readers -------------------------------------------------------

@lru_cache(maxsize=4096)
def market_code(label: str) -> str | None:
    """Code of a Taiwan residence / destination label, or None when unknown.

    Labels are bilingual (``日本 Japan``, ``日本(Japan)``, ``日本Japan``): the whole label is
    looked up first, then its Chinese part, then its English part. A label whose two parts
    name different markets is treated as unknown.
    """
    label = normalise_label(label)
    code = code_for(label)
    if code is not None:
        return code
    m = _BILINGUAL.match(label)
    if not m:
        return None
    zh, en = code_for(m.group("zh")), code_for(m.group("en"))
    if zh and en and zh != en:
        return None
    return zh or en


def unknown_label(path: Path, label: str, where: str) -> RawFileError:
    return RawFileError(path, f"unknown market label {label!r} (add it to flows/data/market_labels.csv)",
                        where=where)


def extract(monthly_rows: list[tuple] = (), annual_rows: list[tuple] = ()) -> Extract:
    """An :class:`Extract` from row tuples.

    Both frames are made here: building :class:`Extract`'s empty default frames costs more than
    reading one of the small monthly tables, and there are 150 of them.
    """
    return Extract(monthly=_frame(monthly_rows, _EMPTY_MONTHLY), annual=_frame(annual_rows, _EMPTY_ANNUAL))


def monthly_extract(**columns) -> Extract:
    """An :class:`Extract` from whole columns (lists, or one value for the whole column)."""
    return Extract(monthly=pd.DataFrame(columns, columns=MONTHLY_COLUMNS), annual=_EMPTY_ANNUAL.copy())


_EMPTY_MONTHLY = pd.DataFrame(columns=MONTHLY_COLUMNS)
_EMPTY_ANNUAL = pd.DataFrame(columns=ANNUAL_COLUMNS)


def _frame(rows, empty: pd.DataFrame) -> pd.DataFrame:
    rows = list(rows)
    return pd.DataFrame(rows, columns=empty.columns) if rows else empty.copy()


def roc_month(roc_year: int, month: int) -> str:
    """``(108, 1) → '2019-01'``."""
    return f"{roc_year + ROC_OFFSET}-{month:02d}"


def status_of(texts) -> str:
    """``provisional`` when any note calls the figures provisional, else ``final``."""
    for text in texts:
        low = text.lower()
        if any(word in low for word in PROVISIONAL_WORDS):
            return "provisional"
    return "final"


# ---- recognising the tables ------------------------------------------------------------

def is_table_1_4(path: Path) -> bool:
    """True for a 表1-4 workbook: a single sheet named 來臺旅客按性別及來臺目的."""
    return _sheet_names(path) == (INBOUND_SHEET,)


def is_table_2_2(path: Path) -> bool:
    """True for a 表2-2 workbook: a single sheet named 出國按目的地."""
    return _sheet_names(path) == (OUTBOUND_SHEET,)


def _sheet_names(path: Path) -> tuple[str, ...] | None:
    """Sheet names, asked once per file version for both recognisers (the build asks every
    reader about every file)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _sheet_names_of(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=512)
def _sheet_names_of(path: str, mtime_ns: int, size: int) -> tuple[str, ...] | None:
    names = sheet_names(Path(path))
    return tuple(names) if names is not None else None


# ---- reading them ----------------------------------------------------------------------

def read_table_1_4(path: Path) -> Extract:
    """表1-4: visitor arrivals into TW by residence for the month in the title (合計 Total)."""
    path = Path(path)
    sheet = read_sheet(path, INBOUND_SHEET, max_col=_MAX_COL)
    month = _title_month(sheet, path, TITLE_1_4, "表1-4 YYY年M月來臺旅客人次")
    total_col = _header_column(sheet, path, lambda t: t.startswith("合計") or t == "Total", "合計 Total")
    status = status_of(_notes(sheet))
    rows = []
    for row_no, code in _data_rows(sheet, path, total_col):
        value = _count(sheet, path, row_no, total_col)
        rows.append((month, code, "TW", "visitor_arrivals", value, status, SOURCE_TABLE_1_4,
                     path.name, sheet.name, cell_ref(row_no, total_col), month))
    return extract(rows)


def read_table_2_2(path: Path) -> Extract:
    """表2-2: ROC nationals' departures by first destination, this month and a year earlier."""
    path = Path(path)
    sheet = read_sheet(path, OUTBOUND_SHEET, max_col=_MAX_COL)
    month = _title_month(sheet, path, TITLE_2_2, "表2-2 YYY年M月…中華民國國民出國人次")
    this_col, prior_col, prior_month = _month_columns(sheet, path, month)
    status = status_of(_notes(sheet))
    rows = []
    for row_no, code in _data_rows(sheet, path, this_col):
        for col, when in ((this_col, month), (prior_col, prior_month)):
            value = _count(sheet, path, row_no, col)
            rows.append((when, "TW", code, "national_departures", value, status, SOURCE_TABLE_2_2,
                         path.name, sheet.name, cell_ref(row_no, col), month))
    return extract(rows)


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
    return {c: normalise_label(v) for (r, c), v in sheet.cells.items() if r == _HEADER_ROW and isinstance(v, str)}


def _header_column(sheet: Sheet, path: Path, wanted, name: str) -> int:
    texts = _header_texts(sheet)
    cols = [c for c, t in sorted(texts.items()) if wanted(t)]
    if not cols:
        raise RawFileError(path, f"no '{name}' column in the header row (found {list(texts.values())})",
                           where=f"sheet '{sheet.name}', row {_HEADER_ROW}")
    return cols[0]


def _month_columns(sheet: Sheet, path: Path, month: str) -> tuple[int, int, str]:
    """Columns of this month and of the same month a year earlier, checked against the title."""
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
    return found[0][0], found[1][0], prior


def _data_rows(sheet: Sheet, path: Path, first_value_col: int):
    """``(row_no, code)`` for each market row, from row 3 through 總計 Grand Total.

    A row's label is its right-most text left of the numbers; rows without one (blank
    spacer rows) are skipped. Every labelled row must carry counts: a label alone is an
    unexpected layout.
    """
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), v in sheet.cells.items():
        if r >= _FIRST_DATA_ROW:
            by_row.setdefault(r, {})[c] = v
    seen: dict[str, int] = {}
    for row_no in sorted(by_row):
        cells = by_row[row_no]
        labels = [t for c in range(1, first_value_col)
                  if isinstance(cells.get(c), str) and (t := normalise_label(cells[c]))]
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
        yield row_no, code
        if code == "ALL":
            return
    raise RawFileError(path, "no '總計 Grand Total' row: table cut short?", where=f"sheet '{sheet.name}'")


def _count(sheet: Sheet, path: Path, row_no: int, col: int) -> int:
    where = f"sheet '{sheet.name}', cell {cell_ref(row_no, col)}"
    value = to_count(sheet.value(row_no, col), path, where)
    if value is None:
        raise RawFileError(path, "expected a count of persons, found an empty cell", where=where)
    return value


def _notes(sheet: Sheet) -> list[str]:
    """Title and footnote texts (where a provisional mark would be)."""
    return [v for (r, c), v in sheet.cells.items() if isinstance(v, str) and (r == 1 or c == 1)]
