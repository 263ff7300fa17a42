"""tourism.jp "Japan Tourism Statistics" JTM_inbound workbook (JNTO arrivals re-tabulated).

Publisher: tourism.jp (JTB Tourism Research & Consulting Co.), re-tabulating JNTO's visitor
arrivals by nationality and purpose, https://www.tourism.jp/en/tourism-database/stats/inbound/
(files ``JTM_inbound_YYYYMMDDeng.xlsx``). Used only for months the JNTO workbook lacks: it
extends Taiwan → Japan back to January 1996.

Layout (see ``SOURCE.md``): market sheets carry the market in row 4 and the sub-columns
``Total, Tourist, Business, Others, Short Excursion`` in row 5; the update date sits in A4;
column B holds the month label, with the year only on January rows (``1996　Jan．``,
``2024  Jan.``). Status changes are marked in column A (``↑Final`` / ``↓Preliminary`` /
``↓Estimated``) on the rows where they happen. A ``Year TOTAL`` block of annual rows follows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from flows.errors import RawFileError
from flows.vocabulary import normalise_label
from flows.sources import ANNUAL_COLUMNS, MONTHLY_COLUMNS, Extract, Reader
from flows.sources.fast_xlsx import read_sheet
from flows.sources.xlsx import cell_ref, sheet_names, to_count

SOURCE = "tourism_jp_inbound"
SHEET = "Asia"
MARKETS = {"Taiwan": "TW"}  # English header in row 4 → market code
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
MONTH_LABEL = re.compile(r"^(?:(\d{4})\s*)?([A-Z][a-z]{2})[.．]?$")
STATUS_MARKS = {"final": "final", "preliminary": "provisional", "estimated": "estimate"}
MARKET_ROW, SUBCOLUMN_ROW, FIRST_DATA_ROW = 4, 5, 6


def is_tourism_jp_workbook(path: Path) -> bool:
    names = sheet_names(path) or []
    return "Grand Total" in names and SHEET in names


def read_tourism_jp_workbook(path: Path) -> Extract:
    """Monthly Total arrivals for the markets in :data:`MARKETS`, plus the annual block."""
    path = Path(path)
    sheet = read_sheet(path, SHEET)
    width = sheet.max_col
    rows = [tuple(sheet.cells.get((r, c)) for c in range(1, width + 1)) for r in range(1, sheet.max_row + 1)]
    where = f"sheet '{SHEET}'"
    if len(rows) < FIRST_DATA_ROW:
        raise RawFileError(path, "sheet ends before its header rows", where=where)
    release = _release(rows[MARKET_ROW - 1][0], path, where)
    columns = _market_columns(rows, path, where)

    monthly, annual = [], []
    year, status, in_annual_block = None, "final", False
    for row_no, row in enumerate(rows[FIRST_DATA_ROW - 1:], start=FIRST_DATA_ROW):
        mark, label = (row[0] if row else None), (row[1] if len(row) > 1 else None)
        status = _status_after(mark, status)
        if isinstance(label, str) and normalise_label(label) == "Year TOTAL":
            in_annual_block, status = True, "final"
            continue
        if label is None:
            continue
        if in_annual_block:
            if not isinstance(label, (int, float)):
                raise RawFileError(path, f"expected a year in the annual block, found {label!r}",
                                   where=f"{where}, cell {cell_ref(row_no, 2)}")
            for code, col in columns.items():
                value = to_count(_at(row, col), path, f"{where}, cell {cell_ref(row_no, col + 1)}")
                if value is not None:
                    annual.append((int(label), code, "JP", "visitor_arrivals", value, status, SOURCE,
                                   path.name, SHEET, cell_ref(row_no, col + 1), release))
            continue
        match = MONTH_LABEL.match(normalise_label(label))
        if not match or match.group(2) not in MONTHS:
            raise RawFileError(path, f"expected a month label like '1996 Jan.' or 'Feb.', found {label!r}",
                               where=f"{where}, cell {cell_ref(row_no, 2)}")
        year = int(match.group(1)) if match.group(1) else year
        if year is None:
            raise RawFileError(path, "first month label carries no year", where=f"{where}, cell {cell_ref(row_no, 2)}")
        month = f"{year}-{MONTHS[match.group(2)]:02d}"
        for code, col in columns.items():
            value = to_count(_at(row, col), path, f"{where}, cell {cell_ref(row_no, col + 1)}")
            if value is not None:
                monthly.append((month, code, "JP", "visitor_arrivals", value, status, SOURCE,
                                path.name, SHEET, cell_ref(row_no, col + 1), release))
    if not monthly:
        raise RawFileError(path, "no monthly figures found", where=where)
    return Extract(monthly=pd.DataFrame(monthly, columns=MONTHLY_COLUMNS),
                   annual=pd.DataFrame(annual, columns=ANNUAL_COLUMNS))


def _at(row: tuple, col: int):
    return row[col] if col < len(row) else None


def _release(value, path: Path, where: str) -> str:
    """The update date in A4, stored as an Excel serial day number."""
    if isinstance(value, (int, float)) and 30000 < value < 80000:
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
    raise RawFileError(path, f"expected the update date in A{MARKET_ROW}, found {value!r}", where=where)


def _market_columns(rows, path: Path, where: str) -> dict[str, int]:
    """0-based column of each market's ``Total`` sub-column, found by header text."""
    markets = [normalise_label(v) if isinstance(v, str) else None for v in rows[MARKET_ROW - 1]]
    subcolumns = [normalise_label(v) if isinstance(v, str) else None for v in rows[SUBCOLUMN_ROW - 1]]
    found = {}
    for name, code in MARKETS.items():
        hits = [i for i, m in enumerate(markets) if m == name]
        if not hits or _at(subcolumns, hits[0]) != "Total":
            raise RawFileError(path, f"expected market {name!r} in row {MARKET_ROW} above a 'Total' column in row {SUBCOLUMN_ROW}",
                               where=where)
        found[code] = hits[0]
    return found


def _status_after(mark, current: str) -> str:
    """Apply a ``↓Preliminary``-style marker: it sets the status from this row on."""
    if isinstance(mark, str) and mark.strip().startswith("↓"):
        word = mark.strip()[1:].split()[0].lower()
        return STATUS_MARKS.get(word, current)
    return current


READERS = [
    Reader(source=SOURCE, rank=10, matches=is_tourism_jp_workbook, read=read_tourism_jp_workbook,
           description="tourism.jp JTM_inbound workbook (re-tabulated JNTO, Taiwan 1996 →)"),
]
