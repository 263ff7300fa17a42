"""``flows build``: read the raw folder, resolve, check, and only then write every output.

Steps:

1. recognise every file in the raw folder by its content and read it (:mod:`flows.build.read`);
2. resolve keys published more than once (:mod:`flows.build.resolve`);
3. check the table's rules and every published annual total (:mod:`flows.build.checks`),
   reporting all problems at once, before anything is written;
4. write every output to a temporary file and rename them all into place
   (:mod:`flows.build.output`), with the annual figures of annual-only files beside the table
   (:mod:`flows.build.annual`).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flows.build.annual import annual_table
from flows.build.checks import problems
from flows.build.output import csv_text, write
from flows.build.read import RawFile, data_files, read_raw
from flows.build.resolve import keep_revisions, resolve
from flows.errors import ValidationError
from flows.vocabulary import SERIES


@dataclass
class Build:
    """Everything a build produces, before it is written."""

    table: pd.DataFrame
    lineage: pd.DataFrame
    conflicts: pd.DataFrame
    revisions: pd.DataFrame
    raw_files: list[RawFile]
    skipped: list[str] = field(default_factory=list)
    annual: pd.DataFrame = field(default_factory=pd.DataFrame)

    @functools.cached_property
    def table_csv(self) -> str:
        """The table as written: rendered once, compared with the previous file and written."""
        return csv_text(self.table)


def build(raw: Path, log=print) -> Build:
    """Read and check everything; raise before anything is written."""
    raw = Path(raw)
    log(f"Reading the official files in {raw}")
    candidates = data_files(raw)
    quiet = len(candidates) > 20
    files, skipped, monthly, annual = read_raw(raw, candidates, log=(lambda msg: None) if quiet else log)
    if quiet:
        counts = monthly.groupby("source").size()
        for source in sorted({f.reader.source for f in files}):
            n = sum(f.reader.source == source for f in files)
            log(f"  read {n} file(s) of {source}: {counts.get(source, 0):,} monthly values")
    table, lineage, conflicts, revisions = resolve(monthly)
    found = problems(table, monthly, annual)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ValidationError(found[0] + more)
    annual_only = annual_table(annual, monthly, {f.reader.source: f.reader.rank for f in files})
    return Build(table, lineage, conflicts, revisions, files, skipped, annual_only)


def run(raw: Path, out: Path, log=print) -> Build:
    """``flows build``: build, then write, printing what was read and written."""
    started = time.perf_counter()
    result = build(raw, log=log)
    for name in result.skipped:
        log(f"  skipped {name}: not a table this project reads")
    result.revisions = keep_revisions(result, Path(out))
    written = write(result, Path(out))
    t = result.table
    log(f"Checked {len(t):,} values in {t.groupby(SERIES).ngroups} series "
        f"({t['month'].min()} … {t['month'].max()}): keys unique, counts whole and non-negative, "
        f"no gaps, monthly sums equal published annual totals")
    log(f"Wrote {', '.join(p.name for p in written)} to {out} "
        f"({len(result.conflicts)} conflicts, {len(result.revisions)} revisions) "
        f"in {time.perf_counter() - started:.1f} s")
    return result
