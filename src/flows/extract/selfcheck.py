"""The numbers publishers print to check themselves, and the few places where they do not add up.

Readers compare what a file publishes as a check (a subtotal, a total, a growth rate) with what
its parts give, and list every disagreement as a :class:`Mismatch`; they never silently pass one.
Disagreements that are really in the publisher's file are written down, with their reason, in
``flows/data/known_inconsistencies.csv``; :func:`unexplained` excuses exactly those (same place,
same two numbers) and reports every other one, and also every documented one that is no longer
there (the publisher fixed it: the list must not go stale).

:func:`hierarchy_mismatches` is the shared sum check for tables laid out as groups that close with
their subtotal row (Taiwan's Table 1-4 and 2-2).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

GROWTH_TOLERANCE = 0.05  # percentage points: growth rates printed to one decimal (31.5 for 31.5024)
FULL_PRECISION = 1e-6  # percentage points: a rate stored to full precision differs by rounding noise only


def stored_precision(values: np.ndarray) -> np.ndarray:
    """How far a stored rate may be from the exact one, by the decimals it really stores: half a unit
    of its last decimal when it has at most four (31.5 → 0.05), :data:`FULL_PRECISION` when it is
    stored as computed (-13.061696423226806)."""
    values = np.asarray(values, dtype=float)
    tolerance = np.full(values.shape, FULL_PRECISION)
    decided = np.isnan(values)
    for decimals in range(5):
        short = ~decided & (np.abs(values - np.round(values, decimals)) < 1e-9)
        tolerance[short] = 0.5 * 10.0 ** -decimals
        decided |= short
    return tolerance


class Mismatch(NamedTuple):
    """One self-check of a file that does not hold: where, which check, and both numbers."""

    part: str  # the part of the file it is in: a JNTO year sheet, a table's month, '' for a whole CSV
    sheet: str  # '' for a CSV
    cell: str  # cell reference, or 'line N, column X' in a CSV
    check: str  # e.g. 'markets → アジア計', 'growth 伸率'
    published: float
    computed: float
    basis: str  # what the computed number is made of, e.g. 'sum of C7:C24'

    def message(self, file: str) -> str:
        place = f"sheet '{self.sheet}', {'cell ' if self.sheet else ''}{self.cell}" if self.sheet else self.cell
        return (f"{file} [{place}]: {self.check}: published {number_text(self.published)}, "
                f"but {self.basis} gives {number_text(self.computed)}")


def number_text(x) -> str:
    """A count as ``1,234``; a rate to four decimals (how known inconsistencies are written down)."""
    if isinstance(x, (int, np.integer)) or (isinstance(x, float) and x.is_integer() and abs(x) >= 1):
        return f"{int(x):,}"
    return f"{float(x):.4f}"


@dataclass(frozen=True)
class Known:
    """A documented upstream inconsistency (a row of ``known_inconsistencies.csv``)."""

    source: str
    part: str
    cell: str
    check: str
    published: str
    computed: str
    reason: str


@lru_cache(maxsize=1)
def known_inconsistencies() -> tuple[Known, ...]:
    """Every documented inconsistency in the publishers' files, with its reason."""
    with (resources.files("flows") / "data" / "known_inconsistencies.csv").open(encoding="utf-8", newline="") as f:
        return tuple(Known(**row) for row in csv.DictReader(f))


def unexplained(extracts, names: list[str] | None = None) -> list[str]:
    """One line per mismatch not documented in ``known_inconsistencies.csv``, and per documented
    one whose file part was read but no longer shows it. ``extracts`` are every file read;
    ``names`` how to call each in messages (default: its file name)."""
    names = names or [e.file for e in extracts]
    known = {(k.source, k.part, k.cell, k.check): k for k in known_inconsistencies()}
    seen, problems = set(), []
    for extract, name in zip(extracts, names):
        for m in extract.mismatches:
            entry = known.get((extract.source, m.part, m.cell, m.check))
            if entry is not None and (entry.published, entry.computed) == (number_text(m.published),
                                                                          number_text(m.computed)):
                seen.add((extract.source, m.part, m.cell, m.check))
                continue
            problems.append(m.message(name))
    parts_read = {(e.source, p): n for e, n in zip(extracts, names) for p in e.parts}
    for key, entry in known.items():
        if key not in seen and (entry.source, entry.part) in parts_read:
            problems.append(f"{parts_read[entry.source, entry.part]} [{entry.part}, {entry.cell}]: the known "
                            f"inconsistency '{entry.check}' (published {entry.published}, computed {entry.computed}) "
                            f"is no longer there: the publisher fixed it? Remove it from "
                            f"flows/data/known_inconsistencies.csv")
    return problems


def hierarchy_mismatches(opens: list[int], closes: list[bool], grand: list[bool],
                         values: np.ndarray) -> list[tuple[int, int, float, float, list[int]]]:
    """Subtotal and grand-total rows against the rows they hold, all columns at once.

    Rows come in layout order: a row ``opens`` that many groups before it (a continent label in
    column A opens one), a ``closes`` row is the subtotal of the innermost open group (and then a
    member of the group around it), a ``grand`` row totals every top-level row. ``values`` is rows
    × columns (NaN where blank: such cells are not checked). Returns ``(row, column, published,
    computed, member rows)`` for each disagreement.
    """
    stack: list[list[int]] = [[]]
    found = []

    def compare(i: int, members: list[int]) -> None:
        if not members:
            return
        summed = values[members].sum(axis=0)
        published = values[i]
        for col in np.flatnonzero(~np.isnan(summed) & ~np.isnan(published) & (summed != published)):
            found.append((i, int(col), float(published[col]), float(summed[col]), members))

    for i in range(len(opens)):
        stack.extend([] for _ in range(opens[i]))
        if closes[i] and len(stack) > 1:
            compare(i, stack.pop())
            stack[-1].append(i)
        elif grand[i]:
            while len(stack) > 1:  # a group never closed: its rows still count once
                inner = stack.pop()
                stack[-1].extend(inner)
            compare(i, stack[0])
            stack = [[]]
        else:
            stack[-1].append(i)
    return found
