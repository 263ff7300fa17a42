"""JNTO's own checks, printed in every year sheet of 国籍/月別 訪日外客数.

- Markets sum to their regional subtotal (アジア計, ヨーロッパ計, …: the subtotal row comes first,
  its markets follow until the next one), sub-markets in column B to theirs (中東地域, 北欧地域),
  and the regional subtotals plus 無国籍・その他 to 総数. Before 2016 a region lists only its larger
  markets (no その他… row), so there its listed markets must sum to at most the subtotal.
- Each month's 伸率 (growth on the same month of the previous year, in %) agrees with the previous
  year's sheet to the precision the cell really stores (one decimal, or full precision:
  :func:`~flows.extract.selfcheck.stored_precision`); the
  累計 column's 伸率 compares year-to-date sums over the months published. This is the check that
  catches two market labels or two month columns swapped.
- Months summing to 累計 is checked by the build against the annual rows.

Blank cells (estimate months publish about 31 of 54 markets) are not checked. Estimates are
rounded to the nearest 100 one by one, so a sum that involves them may be off by up to 50 per
rounded cell (:data:`ROUNDING`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from flows.extract.selfcheck import Mismatch, stored_precision
from flows.extract.xlsx import cell_ref

ROUNDING = 50  # the most one estimate rounded to the nearest 100 can be off
TOTAL = "ALL"
TOP_LEVEL_OTHER = "X-STATELESS-OTHER"  # 無国籍・その他: outside every region, a part of 総数


@dataclass
class SheetNumbers:
    """One year sheet's numbers, rows × (12 months + 累計), NaN where blank."""

    name: str
    rows: list[int]  # sheet row numbers
    label_cols: list[int]  # column of each row's label (2 = a sub-market in column B)
    codes: list[str]
    labels: list[str]
    cols: list[int]  # the 13 value columns; each one's 伸率 is the next column
    values: np.ndarray
    growth: np.ndarray
    rounded: np.ndarray  # True for an estimate, which JNTO rounds to the nearest 100


def sheet_mismatches(s: SheetNumbers) -> list[Mismatch]:
    """Markets against regional subtotals, sub-markets against theirs, regions against 総数."""
    found: list[Mismatch] = []
    top, total_row, region, sub = [], None, None, None  # region/sub: [row index, members]
    groups = []
    for i, (code, col) in enumerate(zip(s.codes, s.label_cols)):
        if code == TOTAL:
            total_row = i
            continue
        if col > min(s.label_cols):
            if sub is not None:
                sub[1].append(i)
            continue
        sub = None
        if s.labels[i].endswith("計"):
            region = [i, []]
            groups.append((region, "regional subtotal"))
            top.append(i)
        elif code == TOP_LEVEL_OTHER or region is None:
            region = None
            top.append(i)
        else:
            region[1].append(i)
            if i + 1 < len(s.codes) and s.label_cols[i + 1] > col:
                sub = [i, []]
                groups.append((sub, "sub-market subtotal"))
    for (head, members), kind in groups:
        exact = kind != "regional subtotal" or any(s.codes[m].endswith("-OTHER") for m in members)
        found += _sums(s, head, members, exact=exact, what=f"markets → {s.labels[head]}")
    if total_row is not None and groups:
        found += _sums(s, total_row, top, exact=True, what=f"regions → {s.labels[total_row]}")
    return found


def growth_mismatches(s: SheetNumbers, previous: SheetNumbers) -> list[Mismatch]:
    """Every printed 伸率 against this sheet's value and the previous year's sheet."""
    before = {code: i for i, code in enumerate(previous.codes)}
    pairs = [(i, before[code]) for i, code in enumerate(s.codes) if code in before]
    if not pairs:
        return []
    now, then = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    current, past = s.values[now], previous.values[then]
    months = ~np.isnan(current[:, :12])
    # 累計's 伸率: year to date against the same months of the previous year
    covered = np.where(months, past[:, :12], 0.0).sum(axis=1)  # NaN when one of those months is blank
    past = np.column_stack([past[:, :12], covered])
    printed = s.growth[now]
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = (current / past - 1) * 100
    tolerance = stored_precision(printed)
    bad = ~np.isnan(printed) & ~np.isnan(computed) & (past > 0) & (np.abs(computed - printed) > tolerance + 1e-9)
    found = []
    for r, c in zip(*np.nonzero(bad)):
        i, j = now[r], then[r]
        ref = cell_ref(s.rows[i], s.cols[c] + 1)
        basis = (f"{cell_ref(s.rows[i], s.cols[c])} against {cell_ref(previous.rows[j], previous.cols[c])} of sheet "
                 f"'{previous.name}'" if c < 12 else f"{cell_ref(s.rows[i], s.cols[c])} against the same months "
                 f"of sheet '{previous.name}' (row {previous.rows[j]})")
        found.append(Mismatch(s.name, s.name, ref, f"growth 伸率 of {s.labels[i]}", float(printed[r, c]),
                              round(float(computed[r, c]), 4), basis))
    return found


def _sums(s: SheetNumbers, head: int, members: list[int], *, exact: bool, what: str) -> list[Mismatch]:
    if not members:
        return []
    parts = s.values[members]
    summed = parts.sum(axis=0)  # NaN where any part is blank: not checked
    published = s.values[head]
    checked = ~np.isnan(summed) & ~np.isnan(published)
    slack = ROUNDING * (s.rounded[members].sum(axis=0) + s.rounded[head])
    wrong = checked & ((np.abs(summed - published) > slack) if exact else (summed > published + slack))
    first, last = s.rows[members[0]], s.rows[members[-1]]
    return [Mismatch(s.name, s.name, cell_ref(s.rows[head], s.cols[c]), what, int(published[c]), int(summed[c]),
                     f"the sum of rows {first}–{last}" + ("" if exact else " (listed markets only)"))
            for c in np.flatnonzero(wrong)]
