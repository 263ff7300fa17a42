"""Groups one family publishes and another totals: the summed lines against the printed total.

The Tourism Administration's ``purpose.csv`` (2011-01 … 2018-09) is the only file that publishes
residence groups such as ``Others, Asia``, ``Middle East`` or ``HongKong. Macao``, and it prints no
totals. The residence × purpose × sex export prints each continent's line (亞洲地區(Asia) …), whose
``小計`` counts the stated purposes only: each month, the groups of a continent, without their
``Unstated`` column, add up to it exactly (checked on every month of 2011-01 … 2018-09). Readers list
both sides (:attr:`flows.extract.Extract.totals` and :attr:`~flows.extract.Extract.summands`); this
module compares them, naming both files, since either may hold the damage. Which published groups
are checked how, and what nothing checks, is listed in ``flows/data/group_checks.csv``.
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources

import pandas as pd


def summand_problems(extracts, names: list[str]) -> list[str]:
    """One line per (month, group) whose summands, from one file, do not add up to the total another
    file prints. A month the totalling file does not cover is not compared (its family's parts are
    checked elsewhere); ``names`` say how to call each file."""
    totals = {}
    for extract, name in zip(extracts, names):
        for month, group, value, cell in extract.totals:
            totals[month, group] = (value, name, cell)
    sums: dict[tuple[str, str, str], list] = defaultdict(lambda: [0, []])
    for extract, name in zip(extracts, names):
        for month, group, value, cell in extract.summands:
            entry = sums[name, month, group]
            entry[0] += value
            entry[1].append(cell)
    found = []
    for (name, month, group), (summed, cells) in sums.items():
        if (month, group) not in totals:
            continue
        total, total_name, total_cell = totals[month, group]
        if summed != total:
            found.append(f"{name} [{_lines(cells)}]: the {month} lines counted in {group} sum to {summed:,}, but "
                         f"{total_name} [{total_cell}] prints {total:,} for {group}")
    return found


def _lines(cells: list[str]) -> str:
    """Where summands came from, e.g. ``lines 5, 9, 14, … 40, columns Business…Others``."""
    places = [c.split(", ", 1) for c in cells]
    if len(cells) == 1 or any(len(p) != 2 or p[1] != places[0][1] for p in places):
        return cells[0] if len(cells) == 1 else f"{cells[0]} … {cells[-1]}"
    numbers = [p[0].removeprefix("line ") for p in places]
    shown = ", ".join(numbers[:3]) + (f", … {numbers[-1]}" if len(numbers) > 3 else "")
    return f"lines {shown}, {places[0][1]}"


def group_checks() -> pd.DataFrame:
    """How each published group (a ``X-…`` row: subtotal, ``Others, …``, unstated) of each family is
    checked, and what part of it nothing checks, with the reason (``flows/data/group_checks.csv``)."""
    with (resources.files("flows") / "data" / "group_checks.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)
