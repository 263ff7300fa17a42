"""The Tourism Administration's own checks, printed in Table 1-4 and Table 2-2.

- Table 1-4 (arrivals by residence, sex and purpose): men + women = 合計 Total and the eight
  purposes sum to it, on every row; in every column, residences sum to their region's subtotal
  (東南亞小計 inside 亞洲合計 …) and the region totals plus 未列明 to 總計 Grand Total.
- Table 2-2 (departures by destination): destinations sum to their continent's 合計 and the
  continents plus 其他 to 總計, in this month's column and the prior-year column; the 成長率%
  column is this month against the prior-year column (printed at full precision); and the
  prior-year column agrees with the earlier release of that month (:func:`prior_year_mismatches`,
  a check across the family's files); columns F:H, headed with the same two months, print C:E again
  and must repeat them (not a year-to-date sum: in all 75 tables of 2019-01 … 2025-03 they repeat).
"""

from __future__ import annotations

import numpy as np

from flows.extract.selfcheck import Mismatch, hierarchy_mismatches
from flows.extract.xlsx import Sheet, cell_ref, column_letters

PURPOSES = ("業務", "觀光", "探親", "會議", "求學", "展覽", "醫療", "其他")
RATE_TOLERANCE = 1e-6  # percentage points: Table 2-2 prints its growth rates unrounded


def table_1_4_mismatches(sheet: Sheet, month: str, rows: list, numbers: np.ndarray, cols: list[int],
                         words: list[str]) -> list[Mismatch]:
    """``numbers``: rows × (total, then the columns headed ``words`` — 男, 女, purposes), in sheet
    ``cols``. Men + women and the purposes are checked when the header names all of them."""
    found = []
    at = {w: k for k, w in enumerate(words, start=1)}
    for what, parts in (("men + women → total", ("男", "女")), ("purposes → total", PURPOSES)):
        if not all(p in at for p in parts):
            continue
        picked = [at[p] for p in parts]
        summed = numbers[:, picked].sum(axis=1)
        for i in np.flatnonzero(~np.isnan(summed) & (summed != numbers[:, 0])):
            row_no = rows[i][0]
            found.append(Mismatch(month, sheet.name, cell_ref(row_no, cols[0]), what, int(numbers[i, 0]),
                                  int(summed[i]), " + ".join(cell_ref(row_no, cols[k]) for k in picked)))
    return found + _hierarchy(sheet, month, rows, numbers, cols)


def table_2_2_mismatches(sheet: Sheet, month: str, rows: list, numbers: np.ndarray, this_col: int,
                         repeat_col: int | None = None) -> list[Mismatch]:
    """``numbers``: rows × (this month, same month a year earlier); the rate is in the next column.
    ``repeat_col``: where the three columns are printed again (headed with the same two months)."""
    found = _hierarchy(sheet, month, rows, numbers, [this_col, this_col + 1])
    if repeat_col is not None:
        found += _repeat_mismatches(sheet, month, rows, this_col, repeat_col)
    rate_col = this_col + 2
    for i, (row_no, *_) in enumerate(rows):
        printed = sheet.value(row_no, rate_col)
        now, before = numbers[i]
        if isinstance(printed, bool) or not isinstance(printed, (int, float)) or before == 0:
            continue
        computed = (now / before - 1) * 100
        if abs(computed - printed) > RATE_TOLERANCE:
            found.append(Mismatch(month, sheet.name, cell_ref(row_no, rate_col), "growth 成長率%", float(printed),
                                  round(computed, 4), f"{cell_ref(row_no, this_col)} against "
                                                      f"{cell_ref(row_no, this_col + 1)}"))
    return found


def _repeat_mismatches(sheet: Sheet, month: str, rows: list, this_col: int, repeat_col: int) -> list[Mismatch]:
    """The month, the prior-year month and the rate printed a second time (columns F:H, headed with the
    same months as C:D in every table of 2019-01 … 2025-03) must repeat them cell for cell."""
    found = []
    for row_no, *_ in rows:
        for k in range(3):
            first, again = sheet.value(row_no, this_col + k), sheet.value(row_no, repeat_col + k)
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (first, again))
            if numeric and abs(first - again) > (RATE_TOLERANCE if k == 2 else 0):
                found.append(Mismatch(month, sheet.name, cell_ref(row_no, this_col + k), "month printed twice",
                                      first, again, f"{cell_ref(row_no, repeat_col + k)} (the same cell printed again)"))
    return found


def prior_year_mismatches(extracts) -> list[tuple[object, Mismatch]]:
    """Table 2-2's prior-year column against the earlier release of that month, where both are read."""
    this_month = {}
    for e in extracts:
        for month, _, code, _, value, _, _, cell, *_ in e.monthly_rows:
            if month == e.release:
                this_month[month, code] = (value, e.file, cell)
    found = []
    for e in extracts:
        for month, _, code, _, value, _, sheet, cell, *_ in e.monthly_rows:
            earlier = this_month.get((month, code)) if month != e.release else None
            if earlier is not None and earlier[0] != value:
                found.append((e, Mismatch(e.release, sheet, cell, f"prior-year column ({month}, {code})", value,
                                          earlier[0], f"the {month} release ({earlier[1]}, cell {earlier[2]})")))
    return found


def _hierarchy(sheet: Sheet, month: str, rows: list, numbers: np.ndarray, cols: list[int]) -> list[Mismatch]:
    opens = [r[2] for r in rows]
    closes = [r[3] for r in rows]
    grand = [r[1] == "ALL" for r in rows]
    found = []
    for i, c, published, computed, members in hierarchy_mismatches(opens, closes, grand, numbers):
        row_no = rows[i][0]
        listed = ", ".join(str(rows[m][0]) for m in members)
        found.append(Mismatch(month, sheet.name, cell_ref(row_no, cols[c]), f"rows → {rows[i][1]}", int(published),
                              int(computed), f"the sum of column {column_letters(cols[c])} rows {listed}"))
    return found
