"""Build the processed table from the raw folder: read, check, resolve, write atomically.

The build knows the table's rules and nothing about file layouts (those live in
``flows.sources``). Steps:

1. recognise every file in the raw folder by its content and read it;
2. check each file's monthly figures against the annual totals it publishes, and annual-only
   files (Taiwan's departures by destination) against the resolved monthly sums;
3. resolve keys published more than once: the higher-ranked file family wins (an official
   monthly table over a re-tabulation), then the newer release. Disagreements between families
   go to ``conflicts.csv``; changes between releases of one family go to ``revisions.csv``;
4. check the table (unique keys, non-negative integers, no gap inside a series);
5. only then write every output to a temporary file and rename them all into place.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from flows.config import ATTRIBUTION, CONFLICTS, DESCRIPTOR, LINEAGE, REVISIONS, TABLE
from flows.errors import RawFileError, ValidationError
from flows.schema import FIELDS, KEY, SERIES, WARNING, bad_values, duplicate_keys, gaps, month_number
from flows.sources import ANNUAL_COLUMNS, MONTHLY_COLUMNS, PUBLISHERS, TABLE_COLUMNS, Reader, all_readers

DATA_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
LINEAGE_COLUMNS = KEY + ["source", "file", "sheet", "cell", "release"]
CONFLICT_COLUMNS = KEY + ["value", "source", "file", "cell", "other_value", "other_source", "other_file",
                          "other_cell"]
REVISION_COLUMNS = KEY + ["old_value", "new_value", "old_status", "new_status", "old_release", "new_release",
                          "source", "old_file", "new_file"]


@dataclass
class RawFile:
    path: Path
    relative: str
    reader: Reader
    sha256: str
    size: int


@dataclass
class Build:
    """Everything a build produces, before it is written."""

    table: pd.DataFrame
    lineage: pd.DataFrame
    conflicts: pd.DataFrame
    revisions: pd.DataFrame
    raw_files: list[RawFile]
    skipped: list[str] = field(default_factory=list)

    @functools.cached_property
    def table_csv(self) -> str:
        """The table as written: rendered once, compared with the previous file and written."""
        return _csv(self.table)


def data_files(raw: Path) -> list[str]:
    """Paths (relative to ``raw``) of the files that look like data: spreadsheets and CSVs."""
    if not raw.is_dir():
        raise RawFileError(raw, "raw data folder not found (fill it with `flows fetch` or pass --raw DIR)")
    return [p.relative_to(raw).as_posix() for p in sorted(raw.rglob("*"))
            if p.is_file() and p.suffix.lower() in DATA_SUFFIXES]


def _recognise(job: tuple[Path, str]) -> RawFile | None:
    """The file's reader and checksum, or None when no reader recognises it."""
    raw, relative = job
    path = raw / relative
    if path.stat().st_size == 0:
        raise RawFileError(path, "file is empty")
    matching = [r for r in all_readers() if r.matches(path)]
    if not matching:
        if path.suffix.lower() in {".xlsx", ".xlsm"} and not zipfile.is_zipfile(path):
            raise RawFileError(path, "not a readable .xlsx workbook (truncated or corrupt zip)")
        return None
    data = path.read_bytes()
    return RawFile(path, relative, matching[0], hashlib.sha256(data).hexdigest(), len(data))


def _recognise_and_read(job: tuple[Path, str]):
    found = _recognise(job)
    if found is None:
        return None, None, None
    extract = found.reader.read(found.path)
    return found, extract.monthly, extract.annual


def read_raw(raw: Path, candidates: list[str], log=print) -> tuple[list[RawFile], list[str], pd.DataFrame, pd.DataFrame]:
    """Recognise and read the ``candidates`` (from :func:`data_files`) of the raw folder:
    (files, skipped, monthly, annual). The ``file`` column holds paths relative to the raw folder.
    """
    # biggest files first, so the two workers finish together
    order = sorted(candidates, key=lambda r: -(raw / r).stat().st_size)
    results = dict(zip(order, _map(_recognise_and_read, [(raw, r) for r in order])))
    files, monthly, annual, skipped = [], [], [], []
    for relative in candidates:
        found, m, a = results[relative]
        if found is None:
            skipped.append(relative)
            continue
        files.append(found)
        monthly.append(m)
        annual.append(a)
        log(f"  read {relative}: {len(m):,} monthly, {len(a):,} annual values ({found.reader.source})")
    if not files:
        raise RawFileError(raw, "no recognised official files in this folder (see data/raw/README.md)")
    m = _stack(monthly, files, MONTHLY_COLUMNS)
    m["rank"] = np.repeat([f.reader.rank for f in files], [len(x) for x in monthly])
    m["value"] = m["value"].astype("int64")
    return files, skipped, m, _stack(annual, files, ANNUAL_COLUMNS)


def _map(function, items: list) -> list:
    """``[function(x) for x in items]``, on two worker processes where the platform can fork.

    A build parses ~150 files; parsing, not disk, is the cost, and it splits cleanly. Only a
    single-threaded process forks (forking a Jupyter kernel's threads could deadlock).
    """
    if (len(items) < 8 or (os.cpu_count() or 1) < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [function(x) for x in items]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        return pool.map(function, items, chunksize=4)


def _stack(frames: list[pd.DataFrame], files: list[RawFile], columns: list[str]) -> pd.DataFrame:
    """One frame from every file's rows, its ``file`` column the path relative to the raw folder."""
    kept = [(f, x) for f, x in zip(files, frames) if len(x)]
    if not kept:
        return pd.DataFrame(columns=columns)
    stacked = pd.concat([x for _, x in kept], ignore_index=True)
    stacked["file"] = np.repeat([f.relative for f, _ in kept], [len(x) for _, x in kept])
    return stacked


def check_annual_totals(monthly: pd.DataFrame, annual: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """Monthly sums against every published annual total.

    A file that publishes months checks its own months (a year-to-date total such as JNTO's
    累計 for a year in progress is compared with the months it covers). An annual-only file is
    checked against the resolved table, for years the table holds in full.
    """
    if annual.empty:
        return []
    series = ["origin", "destination", "measure"]
    monthly = monthly.assign(year=month_number(monthly["month"]) // 12)
    own = monthly.groupby(["file", "year"] + series, as_index=False).agg(summed=("value", "sum"))
    published = annual.assign(year=annual["year"].astype(int))
    with_months = published.merge(own, on=["file", "year"] + series, how="inner", validate="1:1")

    files_with_months = set(monthly["file"])
    annual_only = published[~published["file"].isin(files_with_months)]
    resolved = table.assign(year=month_number(table["month"]) // 12)
    full_years = resolved.groupby(["year"] + series, as_index=False).agg(summed=("value", "sum"),
                                                                         months=("value", "size"))
    full_years = full_years[full_years["months"] == 12].drop(columns="months")
    against_table = annual_only.merge(full_years, on=["year"] + series, how="inner", validate="m:1")

    problems = []
    for row in pd.concat([with_months, against_table]).itertuples(index=False):
        if row.value != row.summed:
            place = f"sheet '{row.sheet}', cell {row.cell}" if row.sheet else row.cell
            problems.append(f"{row.file} [{place}]: {row.year} {row.origin}→"
                            f"{row.destination} {row.measure} published total {row.value:,} but the months "
                            f"sum to {row.summed:,}")
    return problems


def resolve(monthly: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One row per key: (table, lineage, conflicts, revisions). See the module docstring for precedence."""
    repeated = monthly.duplicated(KEY, keep=False)
    ordered = monthly[repeated].sort_values(KEY + ["rank", "release", "file", "cell"],
                                            ascending=[True] * len(KEY) + [False, False, True, True],
                                            kind="mergesort")
    first = ~ordered.duplicated(KEY, keep="first")
    winners = pd.concat([monthly[~repeated], ordered[first]])
    losers = ordered[~first].merge(ordered[first], on=KEY, suffixes=("", "_win"), validate="m:1")
    differ = losers[losers["value"] != losers["value_win"]]
    same_family = differ["source"] == differ["source_win"]

    revisions = differ[same_family]
    revisions = pd.DataFrame({
        **{k: revisions[k] for k in KEY},
        "old_value": revisions["value"], "new_value": revisions["value_win"],
        "old_status": revisions["status"], "new_status": revisions["status_win"],
        "old_release": revisions["release"], "new_release": revisions["release_win"],
        "source": revisions["source"], "old_file": revisions["file"], "new_file": revisions["file_win"],
    }, columns=REVISION_COLUMNS)

    conflicts = differ[~same_family]
    conflicts = pd.DataFrame({
        **{k: conflicts[k] for k in KEY},
        "value": conflicts["value_win"], "source": conflicts["source_win"], "file": conflicts["file_win"],
        "cell": conflicts["cell_win"], "other_value": conflicts["value"], "other_source": conflicts["source"],
        "other_file": conflicts["file"], "other_cell": conflicts["cell"],
    }, columns=CONFLICT_COLUMNS)

    winners = winners.sort_values(["measure", "origin", "destination", "month"], kind="mergesort")
    table = winners[TABLE_COLUMNS].reset_index(drop=True)
    lineage = winners[LINEAGE_COLUMNS].reset_index(drop=True)
    return (table, lineage,
            conflicts.sort_values(KEY, kind="mergesort").reset_index(drop=True),
            revisions.sort_values(KEY, kind="mergesort").reset_index(drop=True))


def known_gaps() -> pd.DataFrame:
    """Documented upstream gaps (``flows/data/known_gaps.csv``), each with its reason."""
    from importlib import resources

    with (resources.files("flows") / "data" / "known_gaps.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str)


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
    problems = (duplicate_keys(table) + bad_values(table) + gaps(table, known_gaps())
                + check_annual_totals(monthly, annual, table))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ValidationError(problems[0] + more)
    return Build(table, lineage, conflicts, revisions, files, skipped)


def keep_revisions(result: Build, out: Path) -> pd.DataFrame:
    """Revisions from the raw releases, plus changes against the previous processed table, plus
    every revision recorded before: nothing is lost when an old release leaves the raw folder.
    """
    frames = [result.revisions]
    previous_table, previous_lineage = out / TABLE, out / LINEAGE
    unchanged = previous_table.exists() and previous_table.read_text(encoding="utf-8") == result.table_csv
    if previous_table.exists() and previous_lineage.exists() and not unchanged:
        old = pd.read_csv(previous_table, dtype=str).merge(
            pd.read_csv(previous_lineage, dtype=str, keep_default_na=False), on=KEY + ["source"], how="left")
        new = result.table.merge(result.lineage, on=KEY + ["source"])
        both = old.merge(new.astype({"value": str}), on=KEY, suffixes=("_old", "_new"), validate="1:1")
        changed = both[both["value_old"] != both["value_new"]]
        frames.append(pd.DataFrame({
            **{k: changed[k] for k in KEY},
            "old_value": changed["value_old"], "new_value": changed["value_new"],
            "old_status": changed["status_old"], "new_status": changed["status_new"],
            "old_release": changed["release_old"], "new_release": changed["release_new"],
            "source": changed["source_new"], "old_file": changed["file_old"], "new_file": changed["file_new"],
        }, columns=REVISION_COLUMNS))
    if (out / REVISIONS).exists():
        frames.append(pd.read_csv(out / REVISIONS, dtype=str, keep_default_na=False))
    kept = pd.concat([f.astype(str) for f in frames if len(f)], ignore_index=True) if any(
        len(f) for f in frames) else result.revisions
    if kept is result.revisions:
        return kept
    kept = kept[REVISION_COLUMNS].drop_duplicates(KEY + ["old_value", "new_value", "old_release", "new_release"])
    return kept.sort_values(KEY + ["new_release"], kind="mergesort").reset_index(drop=True)


def descriptor(result: Build) -> dict:
    """A Frictionless-style data package describing the outputs and the raw files behind them."""
    sources = sorted({f.reader.source for f in result.raw_files})
    return {
        "profile": "tabular-data-package",
        "name": "flows-taiwan-japan-monthly",
        "title": "Taiwan–Japan travel: official monthly arrivals and departures",
        "attribution": ATTRIBUTION,
        "sources": [{"name": s, **PUBLISHERS.get(s, {})} for s in sources],
        "raw_files": [{"path": f.relative, "sha256": f.sha256, "bytes": f.size, "source": f.reader.source}
                      for f in result.raw_files],
        "resources": [
            {"name": "monthly_flows", "path": TABLE, "profile": "tabular-data-resource",
             "description": WARNING,
             "schema": {"fields": FIELDS, "primaryKey": KEY}},
            {"name": "lineage", "path": LINEAGE,
             "description": "For every key of monthly_flows: the raw file, sheet and cell it came from."},
            {"name": "conflicts", "path": CONFLICTS,
             "description": "Keys published by two file families with different values: the value kept "
                            "(higher-ranked family) and the one set aside."},
            {"name": "revisions", "path": REVISIONS,
             "description": "Values changed by a newer release (between two releases in the raw folder, or "
                            "against the previous processed table): old and new value, status and release. "
                            "Rows are kept across builds."},
        ],
    }


def write(result: Build, out: Path) -> list[Path]:
    """Write every output atomically: all to temporary files first, then rename them together."""
    out.mkdir(parents=True, exist_ok=True)
    mode = 0o666 & ~_umask()
    contents = {
        TABLE: result.table_csv,
        LINEAGE: _csv(result.lineage),
        CONFLICTS: _csv(result.conflicts),
        REVISIONS: _csv(result.revisions),
        DESCRIPTOR: json.dumps(descriptor(result), ensure_ascii=False, indent=2) + "\n",
    }
    staged = []
    try:
        for name, text in contents.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            os.chmod(tmp, mode)
            staged.append((Path(tmp), out / name))
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [final for _, final in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def run(raw: Path, out: Path, log=print) -> Build:
    """``flows build``: build, then write, printing what was read and written."""
    started = time.perf_counter()
    result = build(raw, log=log)
    for name in result.skipped:
        log(f"  skipped {name}: not a table this project reads")
    result.revisions = keep_revisions(result, Path(out))
    written = write(result, out)
    t = result.table
    log(f"Checked {len(t):,} values in {t.groupby(SERIES).ngroups} series "
        f"({t['month'].min()} … {t['month'].max()}): keys unique, counts whole and non-negative, "
        f"no gaps, monthly sums equal published annual totals")
    log(f"Wrote {', '.join(p.name for p in written)} to {out} "
        f"({len(result.conflicts)} conflicts, {len(result.revisions)} revisions) "
        f"in {time.perf_counter() - started:.1f} s")
    return result
