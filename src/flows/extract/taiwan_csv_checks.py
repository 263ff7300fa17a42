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

from flows.extract.selfcheck import Mismatch

TOP_LEVEL = frozenset({"X-UNSTATED"})  # residence lines outside every continent


def residence_mismatches(months: list[str], codes: list[str], numbers: np.ndarray, lines: list[int],
                         continents: frozenset[str]) -> list[Mismatch]:
    """``numbers``: lines × (16 men/women cells, 小計)."""
    found = []
    summed = numbers[:, :-1].sum(axis=1)
    for i in np.flatnonzero(summed != numbers[:, -1]):
        found.append(Mismatch(months[i], "", f"line {lines[i]}, column Total", "men + women by purpose → 小計",
                              int(numbers[i, -1]), int(summed[i]), "the 16 cells before it"))
    head, members = None, []

    def close():
        if head is not None and members:
            total = numbers[members, -1].sum()
            if total > numbers[head, -1]:
                found.append(Mismatch(months[head], "", f"line {lines[head]}, column Total", f"residences → {codes[head]}", int(numbers[head, -1]), int(total),
                                      f"the sum of lines {lines[members[0]]}–{lines[members[-1]]} (at most the continent)"))

    for i, (month, code) in enumerate(zip(months, codes)):
        if code in continents or code in TOP_LEVEL or (head is not None and month != months[head]):
            close()
            head, members = (i, []) if code in continents else (None, [])
        elif head is not None:
            members.append(i)
    close()
    return found


def listing_mismatches(months: list[str], codes: list[str], what: str) -> list[Mismatch]:
    """Markets are added to an export, never dropped: from the month a market is first listed, every
    later month lists it. One mismatch per month that lacks a line (naming the markets)."""
    first: dict[str, str] = {}
    listed: dict[str, set[str]] = {}
    for month, code in zip(months, codes):
        listed.setdefault(month, set()).add(code)
        if code not in first or month < first[code]:
            first[code] = month
    found = []
    for month, present in sorted(listed.items()):
        expected = {code for code, since in first.items() if since <= month}
        lacking = sorted(expected - present)
        if lacking:
            found.append(Mismatch(month, "", month, f"{what}s listed", len(present), len(expected),
                                  f"the months before (no line for {', '.join(lacking[:5])}"
                                  f"{' …' if len(lacking) > 5 else ''}: a line deleted?)"))
    return found


def annual_mismatches(rows: list[tuple[int, str, str, list[int | None], str]], years: list[int]) -> list[Mismatch]:
    """``rows``: (line, continent text, destination code, one count or None per year, label), in file order."""
    found = []
    values = np.array([[0 if v is None else v for v in r[3]] for r in rows], dtype=np.int64).reshape(len(rows), -1)
    group: list[int] = []
    top: list[int] = []
    for i, (line, continent, code, _, _) in enumerate(rows):
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

