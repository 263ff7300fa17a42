"""``flows build``: read the raw folder, resolve, check, and only then write every output.

Steps:

1. recognise every file in the raw folder by its content and read it (:mod:`flows.assemble.read`);
   check that every family and part a complete raw folder holds is there and that the
   publishers' own totals and growth rates hold (:mod:`flows.assemble.expected`,
   :mod:`flows.extract.selfcheck`);
2. resolve keys published more than once (:mod:`flows.assemble.resolve`);
3. check the table's rules and every published annual total (:mod:`flows.assemble.checks`),
   reporting all problems at once, before anything is written;
4. write every output into a temporary folder beside the target and swap it in whole
   (:mod:`flows.assemble.output`, :func:`flows.atomic.replace_folder`), with the annual figures of
   annual-only files beside the table (:mod:`flows.assemble.annual`);
5. say in a few lines what changed in the output folder and what to do next
   (:mod:`flows.assemble.summary`).

What was read and written is said on this module's logger (and :mod:`flows.assemble.read`'s, one line
per file), which ``flows build`` prints (:mod:`flows.cli`); a library call prints nothing.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd

from flows.assemble.annual import annual_table
from flows.assemble.checks import problems
from flows.assemble.crosscheck import summand_problems
from flows.assemble.expected import lost_files, missing_parts, previous_raw_files
from flows.assemble.output import write
from flows.assemble.previous import final_changes, previous_table
from flows.assemble.read import Folder, collector_paused, data_files, hidden_data_files, read_raw, stack
from flows.assemble.resolve import keep_revisions, resolve
from flows.assemble.result import Build
from flows.assemble.summary import Snapshot, changed_outputs, what_changed
from flows.config import ANNUAL_TABLE
from flows.errors import OutputError, ValidationError
from flows.extract.selfcheck import unexplained
from flows.vocabulary import SERIES

logger = logging.getLogger(__name__)


def build(raw: Path, *, allow_missing=frozenset(), previous: list[dict] = ()) -> Build:
    """Read and check everything; raise before anything is written.

    ``allow_missing`` names the file families that may be absent or incomplete; ``previous`` is
    the previous build's list of raw files (:func:`flows.assemble.expected.previous_raw_files`).
    """
    with collector_paused():
        return _build(Path(raw), frozenset(allow_missing), previous)


def _build(raw: Path, allow_missing: frozenset[str], previous: list[dict]) -> Build:
    logger.info(f"Reading the official files in {raw}")
    candidates = data_files(raw)
    hidden = hidden_data_files(raw)
    if hidden:
        logger.info(f"  left out {len(hidden)} hidden file{'s' if len(hidden) > 1 else ''} (a name starting with "
                    f"'.', such as Jupyter's .ipynb_checkpoints/), e.g. {hidden[0]}")
    many = len(candidates) > 20  # a line per family, and a line per file only in detail (flows build --verbose)
    folder = read_raw(raw, candidates, detail=logging.DEBUG if many else logging.INFO)
    monthly, annual = stack(folder)
    if many:
        monthly_counts, annual_counts = monthly.groupby("source").size(), annual.groupby("source").size()
        for source in sorted({f.reader.source for f in folder.files}):
            logger.info("  " + _read_line(source, sum(f.reader.source == source for f in folder.files),
                                          monthly_counts.get(source, 0), annual_counts.get(source, 0)))
    found = source_problems(folder, allow_missing, previous)
    table, lineage, conflicts, revisions = resolve(monthly)
    found += problems(table, monthly, annual, conflicts)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ValidationError(found[0] + more)
    annual_only = annual_table(annual, monthly, {f.reader.source: f.reader.rank for f in folder.files})
    return Build(table, lineage, conflicts, revisions, folder.files, folder.unused, folder.duplicates, annual_only)


def _read_line(source: str, files: int, monthly: int, annual: int) -> str:
    """What was read of one file family, e.g. ``tw_table_2_2: 75 files, 6,150 monthly values``; a
    family of annual figures only says what becomes of them (not "0 monthly values", which reads
    like a failure)."""
    read = f"{source}: {files:,} file{'s' if files != 1 else ''}, "
    if monthly:
        return read + f"{monthly:,} monthly values" + (f" and {annual:,} annual totals" if annual else "")
    return read + f"{annual:,} annual figures (no monthly table: kept in {ANNUAL_TABLE}, monthly sums checked on them)"


def source_problems(folder: Folder, allow_missing: frozenset[str], previous: list[dict]) -> list[str]:
    """The publishers' own checks that fail (and are not documented upstream inconsistencies), the
    families and parts a complete raw folder holds that are missing, the previous build's files
    that are no longer read, and groups of one family that do not add up to another's total
    (:mod:`flows.assemble.crosscheck`)."""
    by_source: dict[str, list[int]] = {}
    for i, f in enumerate(folder.files):
        by_source.setdefault(f.reader.source, []).append(i)
    for members in by_source.values():
        check = folder.files[members[0]].reader.check_family
        if check is not None:
            for extract, mismatch in check([folder.extracts[i] for i in members]):
                extract.mismatches.append(mismatch)
    names = [str(f.path) for f in folder.files]
    parts: dict[str, set[str]] = {}
    for f, e in zip(folder.files, folder.extracts):
        parts.setdefault(f.reader.source, set()).update(e.parts)
    fed = {f.relative: f.sha256 for f in folder.files}
    fed.update({path: fed[twin] for path, twin in folder.duplicates if twin in fed})
    # two files of one release first (a mislabelled file also leaves its own month missing), then
    # missing parts: a part missing also leaves the checks that need it undone
    return (one_file_per_release(folder) + missing_parts(parts, allow_missing)
            + lost_files(list(previous), fed, allow_missing) + unexplained(folder.extracts, names)
            + summand_problems(folder.extracts, names))


def one_file_per_release(folder: Folder) -> list[str]:
    """Two different files of one family that claim the same release (a browser's ``… (1).xlsx``
    copy, a second download): which is right cannot be told, so each pair is an error naming both
    (byte-identical copies were set aside before, with one line)."""
    seen: dict[tuple[str, str], Path] = {}
    found = []
    for f, e in zip(folder.files, folder.extracts):
        key = (f.reader.source, e.release)
        if key in seen:
            found.append(f"{seen[key]} and {f.path}: two different files of {f.reader.source} claim the release "
                         f"{e.release}; keep the publisher's one and move the other out of the raw folder")
        else:
            seen[key] = f.path
    return found


def run(raw: Path, out: Path, *, allow_missing=frozenset(), check=None) -> Build:
    """``flows build``: build, then write, saying what was read and written. ``check(table)``, when
    given, runs on the new table before anything is written (``flows report`` checks its months there)."""
    with collector_paused():
        return _run(raw, out, allow_missing, check)


def refuse_overlap(raw: Path, out: Path) -> None:
    """The outputs never go into the raw folder, nor the raw folder into the outputs' swap: an
    :class:`flows.errors.OutputError` when ``out`` is, lies inside or contains ``raw`` (links resolved)."""
    r, o = Path(raw).resolve(), Path(out).resolve()
    where = "is" if o == r else "lies inside" if r in o.parents else "contains" if o in r.parents else None
    if where:
        raise OutputError(f"{out}: the output folder {where} the raw folder {raw}; raw files are never written "
                          "beside: give another --out (default data/processed)")


def _run(raw: Path, out: Path, allow_missing, check) -> Build:
    started = time.perf_counter()
    out = Path(out)
    refuse_overlap(raw, out)
    before = Snapshot.of(out)
    result = build(raw, allow_missing=allow_missing, previous=previous_raw_files(out))
    if check is not None:
        check(result.table)
    for path, family, reason in result.unused:
        logger.info(f"  not used: {path} ({family}: {reason})")
    for path, twin in result.duplicates:
        logger.info(f"  ignored {path}: a byte-identical copy of {twin}")
    old = previous_table(out, result.table_csv)
    finals = final_changes(old, result.table)
    _log_final_changes(finals, result.revisions)
    result.revisions = keep_revisions(result, out, old)
    written = write(result, out)
    t = result.table
    logger.info(f"Checked {len(t):,} values in {t.groupby(SERIES).ngroups} series "
                f"({t['month'].min()} … {t['month'].max()}): keys unique, counts whole and non-negative, "
                f"no gaps, monthly sums equal published annual totals, the publishers' own totals and growth rates "
                f"hold, every expected file and part present")
    changed = changed_outputs(before, out)
    verb = "Wrote" if changed else "Rewrote the same bytes of"
    logger.info(f"{verb} {', '.join(p.name for p in written)} to {out} "
                f"({len(result.conflicts)} conflicts, {len(result.revisions)} revisions) "
                f"in {time.perf_counter() - started:.1f} s")
    for line in what_changed(before, result, out, changed):
        logger.info(line)
    return result


def _log_final_changes(finals: pd.DataFrame, revisions: pd.DataFrame) -> None:
    """Say which final values changed: against the previous table (``finals``), and between the
    releases in the raw folder (``revisions``, this build's own)."""
    if len(finals):
        shown = "; ".join(f"{r.month} {r.origin}→{r.destination} {r.measure} {r.old_value} → {r.new_value or 'gone'}"
                          for r in finals.head(3).itertuples())
        logger.info(f"  {len(finals)} value(s) final in the previous table changed (see revisions.csv, old_status "
                    f"final): {shown}{' …' if len(finals) > 3 else ''}")
    in_raw = revisions[revisions["old_status"] == "final"]
    if len(in_raw):
        logger.info(f"  {len(in_raw)} final value(s) revised by a newer release (revisions.csv, old_status final)")
