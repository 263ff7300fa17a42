"""extract: one reader per publisher turns a raw file into rows that point at their cells.

A reader knows its files' layouts and nothing of the table's rules (those are ``flows.assemble``'s).
Every reader returns an :class:`Extract`: the rows it found, plus what every row of one file
shares (``source``, ``file``, ``release``). Two kinds of rows:

``monthly_rows``  ``(month, origin, destination, measure, value, status, sheet, cell)``, one per
                  published monthly cell;
``annual_rows``   ``(year, origin, destination, measure, value, status, sheet, cell)``, the
                  publisher's own annual totals (used only to check the monthly sums, never
                  written into the monthly table).

``sheet`` and ``cell`` (with ``file``) point at the exact cell a value came from; ``release``
(``YYYY-MM-DD`` or ``YYYY-MM``) orders two releases of the same table.

Every reader also says which ``parts`` the file holds (JNTO: its year sheets; a monthly table: its
month; a CSV export: its months or years), so the build can tell a complete raw folder from one
with a part missing, and lists the ``mismatches`` between the numbers the publisher prints to check
itself (subtotals, totals, growth rates) and what the published parts give
(:mod:`flows.extract.selfcheck`; documented upstream inconsistencies are excused there).

Some groups are published by one family and totalled by another (purpose.csv's residence groups
inside the continent lines of the residence export): a reader lists such ``totals`` — ``(month,
group, value, cell)`` it prints but the table does not hold — and ``summands`` — ``(month, group,
value, cell)``, one per line that counts toward another family's total of ``group`` — and the build
compares them (:mod:`flows.assemble.crosscheck`).
"""

from flows.extract.base import ANNUAL_COLUMNS, LINEAGE_COLUMNS, MONTHLY_COLUMNS, ROW_FIELDS, Extract, Reader  # noqa: F401
from flows.extract.registry import all_readers  # noqa: F401
