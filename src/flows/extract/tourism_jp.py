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

from flows.errors import RawFileError
from flows.extract.base import Extract
from flows.extract.selfcheck import Mismatch
from flows.extract.values import to_count
from flows.extract.xlsx import cell_ref, read_sheet, sheet_names
from flows.vocabulary import normalise_label

SOURCE = "tourism_jp_inbound"
SHEET = "Asia"
MARKETS = {"Taiwan": "TW"}  # English header in row 4 → market code
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}
MONTH_LABEL = re.compile(r"^(?:(\d{4})\s*)?([A-Z][a-z]{2})[.．]?$")
STATUS_MARKS = {"final": "final", "preliminary": "provisional", "estimated": "estimate"}
MARKET_ROW, SUBCOLUMN_ROW, FIRST_DATA_ROW = 4, 5, 6
SUBCOLUMNS = ("Total", "Tourist", "Business", "Others", "Short Excursion")  # under each market, row 5


def is_tourism_jp_workbook(path: Path) -> bool:
    names = sheet_names(path) or []
    return "Grand Total" in names and SHEET in names


def read_tourism_jp_workbook(path: Path) -> Extract:
    """Monthly Total arrivals for the markets in :data:`MARKETS`, plus the annual block."""
    path = Path(path)
    rows = read_sheet(path, SHEET).grid
    where = f"sheet '{SHEET}'"
    if len(rows) < FIRST_DATA_ROW:
        raise RawFileError(path, "sheet ends before its header rows", where=where)
    found = Extract(SOURCE, path.name, _release(rows[MARKET_ROW - 1][0], path, where))
    columns = _market_columns(rows, path, where)
    subcolumns = [normalise_label(v) if isinstance(v, str) else None for v in rows[SUBCOLUMN_ROW - 1]]
    broken_down = {code: col for code, col in columns.items()
                   if tuple(subcolumns[col:col + len(SUBCOLUMNS)]) == SUBCOLUMNS}  # the checks need all five

    year, status, in_annual_block = None, "final", False
    for row_no, row in enumerate(rows[FIRST_DATA_ROW - 1:], start=FIRST_DATA_ROW):
        mark, label = _at(row, 0), _at(row, 1)
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
            _add_counts(found.annual_rows, int(label), row, row_no, columns, status, path)
            found.mismatches += _parts_mismatches(row, row_no, broken_down, str(int(label)))
            continue
        match = MONTH_LABEL.match(normalise_label(label))
        if not match or match.group(2) not in MONTHS:
            raise RawFileError(path, f"expected a month label like '1996 Jan.' or 'Feb.', found {label!r}",
                               where=f"{where}, cell {cell_ref(row_no, 2)}")
        year = int(match.group(1)) if match.group(1) else year
        if year is None:
            raise RawFileError(path, "first month label carries no year", where=f"{where}, cell {cell_ref(row_no, 2)}")
        month = f"{year}-{MONTHS[match.group(2)]:02d}"
        _add_counts(found.monthly_rows, month, row, row_no, columns, status, path)
        found.mismatches += _parts_mismatches(row, row_no, broken_down, month)
    if not found.monthly_rows:
        raise RawFileError(path, "no monthly figures found", where=where)
    found.parts = sorted({row[0] for row in found.monthly_rows})
    return found


def _add_counts(rows: list, period, row: list, row_no: int, columns: dict[str, int], status: str, path: Path) -> None:
    """One row per market with a count in this sheet row (blank cells stay missing)."""
    for code, col in columns.items():
        ref = cell_ref(row_no, col + 1)
        value = to_count(_at(row, col), path, f"sheet '{SHEET}', cell {ref}")
        if value is not None:
            rows.append((period, code, "JP", "visitor_arrivals", value, status, SHEET, ref))


def _parts_mismatches(row: list, row_no: int, columns: dict[str, int], period: str) -> list[Mismatch]:
    """Total = Tourist + Business + Others + Short Excursion, where all four are published (the
    publisher's own breakdown; estimates and the oldest annual rows print the total alone)."""
    found = []
    for col in columns.values():
        total, parts = _at(row, col), [_at(row, col + k) for k in range(1, 1 + len(SUBCOLUMNS) - 1)]
        numbers = [total, *parts]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers) and sum(parts) != total:
            found.append(Mismatch(period, SHEET, cell_ref(row_no, col + 1), "Tourist + Business + Others + "
                                  "Short Excursion → Total", int(total), int(sum(parts)),
                                  f"{cell_ref(row_no, col + 2)}…{cell_ref(row_no, col + len(SUBCOLUMNS))}"))
    return found


def _at(row: list, col: int):
    return row[col] if col < len(row) else None


def _release(value, path: Path, where: str) -> str:
    """The update date in A4: a date cell, or the Excel serial day number behind one."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
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
            raise RawFileError(path, f"expected market {name!r} in row {MARKET_ROW} above a 'Total' column in row "
                                     f"{SUBCOLUMN_ROW}",
                               where=where)
        found[code] = hits[0]
    return found


def _status_after(mark, current: str) -> str:
    """Apply a ``↓Preliminary``-style marker: it sets the status from this row on."""
    if isinstance(mark, str) and mark.strip().startswith("↓"):
        word = mark.strip()[1:].split()[0].lower()
        return STATUS_MARKS.get(word, current)
    return current
