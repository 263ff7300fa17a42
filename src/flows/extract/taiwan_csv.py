"""Tourism Administration, MOTC (Taiwan) CSV exports, read with the :mod:`csv` module.

Publisher: Tourism Administration, MOTC (see :mod:`flows.extract.taiwan_common`). Files are
recognised by their header lines, never by file name.

- Residence × purpose × sex export of https://stat.taiwan.net.tw/ (``2023_Visitors_by_Residence_Purpose.csv``,
  2011-01 … 2023-11, ~190 residences, ``中文(English)`` labels): visitor arrivals into ``TW``
  = the ``小計`` column. That column leaves out arrivals with no stated purpose (early 2011
  only), so this family ranks below ``purpose.csv``. The continent subtotal rows are kept out of
  the table (they total purpose.csv's groups: ``totals``) and the closing ``總計(Total)`` line
  (which counts them twice) is used only as a check.
- ``purpose.csv`` (2011-01 … 2018-09, the 39 residence groups of the official monthly table,
  English): arrivals = the sum of the nine purpose columns **including** ``Unstated``, which
  is what makes its totals equal the official ones (Japan 2011: 1,294,758). It prints no totals;
  the groups of each ``Region``, without ``Unstated``, add up to the residence export's continent
  line (亞洲地區(Asia) …, its ``小計`` leaves unstated purposes out), which the build checks
  (``totals`` and ``summands``: groups such as ``Others, Asia`` appear in no other file).
- data.gov.tw dataset 7325 歷年中華民國國民出國目的地人數統計 (annual departures of ROC nationals
  by first destination, 2002 →): ``annual`` rows only; ``-`` = not separately counted.

All three are final figures. ``release`` is the last period the file covers (the exports carry
no publication date). Lineage names the line a record starts on (a quoted label may span two).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import numpy as np

from flows.errors import RawFileError
from flows.extract.base import Extract
from flows.extract.taiwan_common import market_code, roc_month
from flows.extract.taiwan_csv_checks import annual_mismatches, listing_mismatches, residence_mismatches
from flows.extract.values import to_count, unknown_label
from flows.vocabulary import normalise_label

SOURCE_RESIDENCE_CSV = "tw_residence_csv"
SOURCE_PURPOSE_CSV = "tw_purpose_csv"
SOURCE_ANNUAL_DEPARTURES = "tw_annual_departures"

RESIDENCE_HEADER = ("年別", "月份", "居住地")  # third header line; the last column is 小計
RESIDENCE_TOTAL = "小計"
RESIDENCE_HEADER_LINES = 4
RESIDENCE_CLOSING = "總計"
# Continent subtotals of the residence export: dropped (they hold the countries below them).
CONTINENT_CODES = frozenset({"X-ASIA", "X-AFRICA", "X-AMERICAS", "X-OCEANIA", "X-EUROPE"})

PURPOSE_KEYS = ("Residence", "Region", "Sub-Region", "Period")
# purpose.csv's Region → the residence export's continent line its groups add up to ('' : none)
PURPOSE_REGIONS = {"Asia": "X-ASIA", "Africa": "X-AFRICA", "America": "X-AMERICAS", "Oceania": "X-OCEANIA",
                   "Europe": "X-EUROPE", "": ""}
PURPOSES = ("Business", "Pleasure", "Visit Relatives", "Conference", "Study", "Exhibition",
            "Medical Treatment", "Others", "Unstated")

ANNUAL_KEYS = ("首站抵達地", "細分")
MISSING = "-"

_HEAD_BYTES = 4096
_PERIOD = re.compile(r"(\d{4})-(\d{2})")


# ---- recognising the files -------------------------------------------------------------

def _head_lines(path: Path, n: int) -> list[str]:
    """The first ``n`` lines of a text file, decoded leniently (UTF-8, else Big5/cp950).

    Lenient on purpose: a CSV saved in the wrong encoding should still be recognised, so that
    reading it fails with a clear message instead of the file going unnoticed.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read(_HEAD_BYTES)
    except OSError:
        return []
    if b"\0" in raw:
        return []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 3:  # a character cut by the byte limit
            text = raw[: exc.start].decode("utf-8-sig")
        else:
            text = raw.decode("cp950", errors="replace")
    return text.splitlines()[:n]


def is_residence_csv(path: Path) -> bool:
    """True for the stat.taiwan.net.tw residence × purpose × sex export."""
    lines = _head_lines(path, RESIDENCE_HEADER_LINES)
    return len(lines) >= 3 and lines[2].startswith(",".join(RESIDENCE_HEADER)) and RESIDENCE_TOTAL in lines[2]


def is_purpose_csv(path: Path) -> bool:
    """True for purpose.csv: header ``Residence,Region,Sub-Region,Period,Business,…``."""
    lines = _head_lines(path, 1)
    return bool(lines) and lines[0].startswith(",".join(PURPOSE_KEYS) + ",")


def is_annual_departures_csv(path: Path) -> bool:
    """True for data.gov.tw 7325: header ``首站抵達地,細分,2002,2003,…``."""
    lines = _head_lines(path, 1)
    return bool(lines) and re.match(r"首站抵達地,細分,\d{4},", lines[0]) is not None


# ---- reading them ----------------------------------------------------------------------

def read_residence_csv(path: Path) -> Extract:
    """Monthly visitor arrivals into TW by residence (小計), continents and 總計 dropped.

    About 28,000 lines: the work is done column by column (each distinct year, month and label
    looked at once), not line by line."""
    path = Path(path)
    lines = _records(path)
    header = _line(lines, path, 3)
    if tuple(c.strip() for c in header[:3]) != RESIDENCE_HEADER or header[-1].strip() != RESIDENCE_TOTAL:
        raise RawFileError(path, f"expected header line '年別,月份,居住地,…,小計', found {','.join(header)!r}",
                           where="line 3")
    width = len(header)
    keep = [n > RESIDENCE_HEADER_LINES and any(row) for n, row in lines]  # the body; blank lines dropped
    numbers, rows = (list(itertools.compress(column, keep)) for column in zip(*lines))
    if set(map(len, rows)) - {width}:
        n, row = next((n, row) for n, row in zip(numbers, rows) if len(row) != width)
        raise RawFileError(path, f"expected {width} columns, found {len(row)}", where=f"line {n}")
    if not rows or not rows[-1][0].startswith(RESIDENCE_CLOSING):
        where = f"line {numbers[-1] if rows else lines[-1][0]}"
        raise RawFileError(path, "no closing 總計(Total) line: file cut short?", where=where)
    closing_line, closing, numbers, rows = numbers[-1], rows[-1], numbers[:-1], rows[:-1]
    columns = list(zip(*rows)) or [()] * width
    if any(year.startswith(RESIDENCE_CLOSING) for year in set(columns[0])):
        n = numbers[next(i for i, year in enumerate(columns[0]) if year.startswith(RESIDENCE_CLOSING))]
        raise RawFileError(path, "a 總計(Total) line before the last line", where=f"line {n}")

    values = _counts(list(columns[-1]), numbers, path, "Total")
    published = _counts([closing[-1]], [closing_line], path, "Total")[0]
    if published != sum(values):
        raise RawFileError(path, f"closing 總計(Total) {published} differs from the sum of the lines above "
                                 f"({sum(values)}): file damaged?", where=f"line {closing_line}, column Total")
    # each distinct year and month, and each distinct label, is converted once
    periods, labels = list(zip(columns[0], columns[1])), columns[2]
    month_of = {period: _valid_roc_month(*period) for period in dict.fromkeys(periods)}
    code_of = {label: market_code(normalise_label(label)) for label in dict.fromkeys(labels)}
    if None in month_of.values() or None in code_of.values():  # name the first bad line
        for n, period, label in zip(numbers, periods, labels):
            if month_of[period] is None:
                _roc_year_month(*period, path, n)
            if code_of[label] is None:
                raise unknown_label(path, normalise_label(label), f"line {n}")
    months, codes = list(map(month_of.get, periods)), list(map(code_of.get, labels))
    _check_unique(months, codes, numbers, path)
    found = Extract(SOURCE_RESIDENCE_CSV, path.name, max(month_of.values(), default=""),
                    parts=sorted(set(month_of.values())))
    cells = _number_grid(columns[3:], numbers, header[3:], path)
    found.mismatches = (listing_mismatches(months, codes, "residence")
                        + residence_mismatches(months, codes, cells, numbers, CONTINENT_CODES))
    found.monthly_rows = [(month, code, "TW", "visitor_arrivals", value, "final", "", f"line {n}, column Total")
                          for month, code, value, n in zip(months, codes, values, numbers)
                          if code not in CONTINENT_CODES]
    found.totals = [(month, code, value, f"line {n}, column Total")
                    for month, code, value, n in zip(months, codes, values, numbers) if code in CONTINENT_CODES]
    return found


def read_purpose_csv(path: Path) -> Extract:
    """Monthly visitor arrivals into TW by residence group = sum of the nine purposes."""
    path = Path(path)
    lines = _records(path)
    header = [c.strip() for c in _line(lines, path, 1)]
    missing = [k for k in PURPOSE_KEYS + PURPOSES if k not in header]
    if missing:
        raise RawFileError(path, f"header lacks column(s) {missing}", where="line 1")
    residence_col, period_col = header.index("Residence"), header.index("Period")
    body = [(n, row) for n, row in lines[1:] if any(c.strip() for c in row)]
    if not body:
        raise RawFileError(path, "no data lines after the header")
    for n, row in body:
        if len(row) != len(header):
            raise RawFileError(path, f"expected {len(header)} columns, found {len(row)}", where=f"line {n}")
    numbers = [n for n, _ in body]
    months = [_period(row[period_col], path, n) for n, row in body]
    code_of: dict[str, str] = {}
    for n, row in body:
        if row[residence_col] not in code_of:
            label = normalise_label(row[residence_col])
            code = market_code(label)
            if code is None:
                raise unknown_label(path, label, f"line {n}")
            code_of[row[residence_col]] = code
    codes = [code_of[row[residence_col]] for _, row in body]
    by_purpose = [_counts([row[header.index(p)] for _, row in body], numbers, path, p) for p in PURPOSES]
    _check_unique(months, codes, numbers, path)
    found = Extract(SOURCE_PURPOSE_CSV, path.name, max(months), parts=sorted(set(months)))
    found.mismatches = listing_mismatches(months, codes, "residence group")
    found.monthly_rows = [(month, code, "TW", "visitor_arrivals", sum(counts), "final", "",
                           f"line {n}, columns Business…Unstated")
                          for month, code, counts, n in zip(months, codes, zip(*by_purpose), numbers)]
    regions = [_purpose_region(row[header.index("Region")], path, n) for n, row in body]
    found.summands = [(month, region, sum(counts[:-1]), f"line {n}, columns Business…Others")
                      for month, region, counts, n in zip(months, regions, zip(*by_purpose), numbers) if region]
    return found


def _purpose_region(text: str, path: Path, line_no: int) -> str:
    """The continent of a purpose.csv line (its ``Region``) as the residence export's continent line
    code; '' for the line of unstated residence, which belongs to no continent."""
    region = text.strip()
    if region not in PURPOSE_REGIONS:
        raise RawFileError(path, f"unknown Region {region!r} (known: {', '.join(sorted(PURPOSE_REGIONS))})",
                           where=f"line {line_no}")
    return PURPOSE_REGIONS[region]


def read_annual_departures_csv(path: Path) -> Extract:
    """Annual departures of ROC nationals by first destination (``annual`` rows only)."""
    path = Path(path)
    lines = _records(path)
    header = [c.strip() for c in _line(lines, path, 1)]
    if tuple(header[:2]) != ANNUAL_KEYS:
        raise RawFileError(path, f"expected header '首站抵達地,細分,<years>', found {','.join(header)!r}",
                           where="line 1")
    years = {}
    for col, text in enumerate(header[2:], start=2):
        if not re.fullmatch(r"\d{4}", text):
            raise RawFileError(path, f"expected a year in the header, found {text!r}",
                               where=f"line 1, column {col + 1}")
        years[col] = int(text)
    if not years:
        raise RawFileError(path, "header names no years", where="line 1")
    found = Extract(SOURCE_ANNUAL_DEPARTURES, path.name, f"{max(years.values())}-12",
                    parts=[str(y) for y in sorted(years.values())])
    seen, checked = {}, []
    for line_no, row in lines[1:]:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise RawFileError(path, f"expected {len(header)} columns, found {len(row)}", where=f"line {line_no}")
        label = normalise_label(row[1])
        code = market_code(label)
        if code is None:
            raise unknown_label(path, label, f"line {line_no}")
        if code in seen:
            raise RawFileError(path, f"{label!r} ({code}) repeats (first on line {seen[code]})", where=f"line {line_no}")
        seen[code] = line_no
        counts = []
        for col, year in years.items():
            if row[col].strip() == MISSING:
                counts.append(None)
                continue
            where = f"line {line_no}, column {year}"
            value = to_count(row[col], path, where)
            if value is None:
                raise RawFileError(path, "expected a count of persons or '-', found an empty cell", where=where)
            counts.append(value)
            found.annual_rows.append((year, "TW", code, "national_departures", value, "final", "", where))
        checked.append((line_no, normalise_label(row[0]), code, counts, label))
    if not found.annual_rows:
        raise RawFileError(path, "no data lines after the header")
    found.mismatches = annual_mismatches(checked, list(years.values()))
    return found


def _records(path: Path) -> list[tuple[int, list[str]]]:
    """``(line number, fields)`` per CSV record; the number is the line the record starts on."""
    reader = csv.reader(io.StringIO(_csv_text(path), newline=""), strict=True)
    records, start = [], 1
    try:
        for fields in reader:
            records.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RawFileError(path, f"not a well-formed CSV ({exc})", where=f"line {start}") from None
    return records


def _csv_text(path: Path) -> str:
    """The file's text, which must be UTF-8 (with or without BOM)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RawFileError(path, f"cannot read the file ({exc.strerror})") from None
    if not raw.strip():
        raise RawFileError(path, "the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = ""
        try:
            raw.decode("cp950")
            hint = " (it decodes as Big5/cp950: re-save the publisher's file as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise RawFileError(path, f"expected UTF-8 text, found byte {raw[exc.start]:#04x}{hint}",
                           where=f"line {line}") from None
    return text


def _counts(texts: list[str], numbers: list[int], path: Path, column: str) -> list[int]:
    """Counts of one CSV column; plain digits take the fast path, anything else goes through
    :func:`to_count`, which names the line and column of the first field that is not a count."""
    joined = "".join(texts)
    if all(texts) and joined.isascii() and joined.isdigit():  # every field digits (tested at once, in C)
        return list(map(int, texts))
    return [_count(t, path, f"line {n}, column {column}") for t, n in zip(texts, numbers)]


def _count(text: str, path: Path, where: str) -> int:
    """A count from a CSV field (plain digits fast; the rest through :func:`to_count`)."""
    if text.isascii() and text.isdigit():
        return int(text)
    value = to_count(text, path, where)
    if value is None:
        raise RawFileError(path, "expected a count of persons, found an empty cell", where=where)
    return value


def _number_grid(columns: list[tuple[str, ...]], numbers: list[int], names: list[str],
                 path: Path) -> np.ndarray:
    """Every field of these ``columns`` (named ``names``) as counts, lines × columns (one conversion
    for the whole grid; a field that is not plain digits is named through :func:`_count`)."""
    text = ",".join(map(",".join, columns))
    plain = text.isascii() and text.replace(",", "").isdigit() and ",," not in text
    if plain and text[:1] != "," and text[-1:] != ",":  # only plain digits: parse them all at once, in C
        grid = np.fromstring(text, dtype=np.int64, sep=",")
        if grid.size == len(numbers) * len(columns):
            return grid.reshape(len(columns), len(numbers)).T
    grid = [[_count(t, path, f"line {n}, column {c.strip()}") for t, c in zip(row, names)]
            for row, n in zip(zip(*columns), numbers)]
    return np.array(grid, dtype=np.int64).reshape(len(numbers), len(names))


def _check_unique(months: list[str], codes: list[str], numbers: list[int], path: Path) -> None:
    if len(set(zip(months, codes))) == len(codes):
        return
    first: dict[tuple[str, str], int] = {}
    for month, code, n in zip(months, codes, numbers):
        if (month, code) in first:
            raise RawFileError(path, f"{code} repeats month {month} (first on line {first[month, code]})",
                               where=f"line {n}")
        first[month, code] = n


def _period(text: str, path: Path, line_no: int) -> str:
    m = _PERIOD.fullmatch(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise RawFileError(path, f"expected a Period 'YYYY-MM', found {text!r}", where=f"line {line_no}, column Period")
    return m.group(0)


def _line(lines: list[tuple[int, list[str]]], path: Path, line_no: int) -> list[str]:
    for n, fields in lines:
        if n == line_no:
            return fields
    raise RawFileError(path, f"expected a header on line {line_no}; the file has only {lines[-1][0]} line(s)")


def _roc_year_month(year: str, month: str, path: Path, line_no: int) -> str:
    found = _valid_roc_month(year, month)
    if found is None:
        raise RawFileError(path, f"expected an ROC year and a month 1–12, found {year!r}, {month!r}",
                           where=f"line {line_no}, columns Years, Months")
    return found


def _valid_roc_month(year: str, month: str) -> str | None:
    """``'YYYY-MM'`` of an ROC year and month given as text, None when they are not one."""
    if not (year.strip().isdigit() and month.strip().isdigit() and 1 <= int(month) <= 12):
        return None
    return roc_month(int(year), int(month))
