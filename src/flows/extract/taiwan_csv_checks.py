"""The parts and totals the Tourism Administration's CSV exports print, checked.

- Residence × purpose × sex export: on every line, the 16 men/women × purpose cells sum to 小計;
  each month's continent line (亞洲地區(Asia) …, which comes first) equals the residences listed
  after it, up to the next continent or 其他未列明 (which belongs to no continent) — at least: the
  continent line also counts residences not listed apart, so the listed ones sum to at most it;
  every month lists the same residences (a missing line is a missing part, not a smaller total).
- purpose.csv: markets are added, never dropped (Vietnam from 2012-01): from the month a residence
  group is first listed, every later month lists it (it prints no totals).
- data.gov.tw 7325 (annual departures): in every year column, the destinations of a continent sum
  to its ``…合計 Total`` line, and the continents plus ``全區 其他`` to ``總計 Grand Total``
  (``-``, not separately counted, counts as 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from flows.extract.selfcheck import Mismatch

TOP_LEVEL = frozenset({"X-UNSTATED"})  # residence lines outside every continent


def residence_mismatches(months: list[str], codes: list[str], numbers: np.ndarray, lines: list[int],
                         continents: frozenset[str]) -> list[Mismatch]:
    """``numbers``: lines × (16 men/women cells, 小計). Vectorised: ~28,000 lines."""
    found = []
    total = numbers[:, -1]
    summed = numbers[:, :-1].sum(axis=1)
    for i in np.flatnonzero(summed != total):
        found.append(Mismatch(months[i], "", f"line {lines[i]}, column Total", "men + women by purpose → 小計",
                              int(total[i]), int(summed[i]), "the 16 cells before it"))
    code_ids, distinct = pd.factorize(pd.Index(codes))
    month_ids = pd.factorize(pd.Index(months))[0]
    is_head = np.isin(distinct, list(continents))[code_ids]
    is_top = np.isin(distinct, list(TOP_LEVEL))[code_ids]
    new_month = np.r_[True, month_ids[1:] != month_ids[:-1]]
    boundary = is_head | is_top | new_month
    group = np.cumsum(boundary) - 1
    starts = np.flatnonzero(boundary)
    heads = is_head[starts]  # a group that a continent line opens
    member = ~boundary & heads[group]
    listed = np.bincount(group[member], weights=total[member], minlength=len(starts))
    counted = np.bincount(group[member], minlength=len(starts))
    for g in np.flatnonzero(heads & (counted > 0) & (listed > total[starts])):
        i = starts[g]
        rows = np.flatnonzero(member & (group == g))
        found.append(Mismatch(months[i], "", f"line {lines[i]}, column Total", f"residences → {codes[i]}",
                              int(total[i]), int(listed[g]), f"the sum of lines {lines[rows[0]]}–{lines[rows[-1]]} "
                                                              f"(at most the continent)"))
    return found


def listing_mismatches(months: list[str], codes: list[str], what: str) -> list[Mismatch]:
    """Markets are added to an export, never dropped: from the month a market is first listed, every
    later month lists it. One mismatch per month that lacks a line (naming the markets)."""
    month_ids, every_month = pd.factorize(pd.Index(months), sort=True)
    code_ids, every_code = pd.factorize(pd.Index(codes))
    present = np.zeros((len(every_month), len(every_code)), dtype=bool)
    present[month_ids, code_ids] = True
    first = present.argmax(axis=0)  # each market's first month
    expected = np.arange(len(every_month))[:, None] >= first[None, :]
    found = []
    for m in np.flatnonzero((expected & ~present).any(axis=1)):
        lacking = [every_code[c] for c in np.flatnonzero(expected[m] & ~present[m])]
        found.append(Mismatch(every_month[m], "", every_month[m], f"{what}s listed", int(present[m].sum()),
                              int(expected[m].sum()), f"the months before (no line for {', '.join(lacking[:5])}"
                                                      f"{' …' if len(lacking) > 5 else ''}: a line deleted?)"))
    return found


def annual_mismatches(rows: list[tuple[int, str, str, list[int | None], str]], years: list[int]) -> list[Mismatch]:
    """``rows``: (line, continent text, destination code, one count or None per year, label), in file order."""
    found = []
    values = np.array([[0 if v is None else v for v in r[3]] for r in rows], dtype=np.int64).reshape(len(rows), -1)
    group: list[int] = []
    top: list[int] = []
    for i, (_, continent, code, _, _) in enumerate(rows):
        if code == "ALL":
            found += _compare(rows, values, i, top, years, "continents → 總計 Grand Total")
            top = []
        elif code.startswith("X-") and "合計" in rows[i][4]:
            found += _compare(rows, values, i, group, years, f"destinations → {rows[i][4]}")
            group = []
            top.append(i)
        elif group and rows[group[0]][1] != continent:
            group = [i]
        elif continent == "全區":
            top.append(i)
        else:
            group.append(i)
    return found


def _compare(rows, values, i, members, years, what) -> list[Mismatch]:
    if not members:
        return []
    summed = values[members].sum(axis=0)
    return [Mismatch(str(years[c]), "", f"line {rows[i][0]}, column {years[c]}", what, int(values[i, c]), int(summed[c]),
                     f"the sum of lines {rows[members[0]][0]}–{rows[members[-1]][0]}")
            for c in np.flatnonzero(summed != values[i])]

