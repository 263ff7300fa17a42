"""`flows build` against merely reading the raw files: target build ≤ 2.5 × read.

All are measured in this run, alternately, best of ``--repeat``:

- build: ``python -m flows build`` over the whole raw folder in a new process (interpreter start,
  imports, reading, checks, resolution and writing every output);
- build in this process: :func:`flows.assemble.run` into the same folder, in the interpreter this
  script runs in (the same work, without starting Python and importing pandas and the rest; the
  workbooks' sheet names, which recognising a file asks for, stay cached from the first run);
- read: every data file of the raw folder read once in this process, nothing else — every
  sheet of every workbook through python-calamine, every CSV through the csv module;
- read in a new process: the same read in a fresh interpreter (Python started, python-calamine
  imported), for information.

Two lines are printed against the target, each with its own [OK] or [FAIL]: the issue's target
(issue 9) — the build command against the read in this process — and the like-for-like one — the
build in this process against the read in this process. The first is not like for like: the
build pays for starting Python and importing pandas (about 0.3 s by itself) and the read does
not; the second compares the same kind of work.

The build must also check, resolve and write, hence a multiple rather than parity.
Run: ``python bench/bench_build.py [--raw DIR] [--repeat N]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_calamine

TARGET_RATIO = 2.5


def read_every_file(paths: list[Path]) -> int:
    """Read every workbook sheet and CSV record; the number of rows seen (so nothing is skipped)."""
    rows = 0
    for path in paths:
        if path.suffix.lower() == ".csv":
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            rows += sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
        else:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                rows += len(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
    return rows


if __name__ == "__main__" and sys.argv[1:2] == ["--read-files"]:  # the read in a new process: no flows, no pandas
    read_every_file([Path(p) for p in sys.argv[2:]])
    sys.exit(0)

from flows.assemble import data_files  # noqa: E402
from flows.config import default_raw  # noqa: E402


def seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=default_raw())
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    raw = args.raw.resolve()
    paths = [raw / p for p in data_files(raw)] if raw.is_dir() else []
    if not paths:
        print(f"bench_build: no raw files under {raw}; skipped")
        return 0
    from flows.assemble import run

    builds, reads, fresh_reads, in_process = [], [], [], []
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "flows", "build", "--raw", str(raw), "--out", out]
        reader = [sys.executable, __file__, "--read-files", *map(str, paths)]
        for _ in range(args.repeat):
            builds.append(seconds(lambda: subprocess.run(command, check=True, capture_output=True)))
            reads.append(seconds(lambda: read_every_file(paths)))
            fresh_reads.append(seconds(lambda: subprocess.run(reader, check=True, capture_output=True)))
            in_process.append(seconds(lambda: run(raw, Path(out))))
    build, read, fresh_read, inside = min(builds), min(reads), min(fresh_reads), min(in_process)
    print(f"flows build (whole raw folder, new process, best of {args.repeat}): {build:.2f} s")
    print(f"flows build in this process (build and write, best of {args.repeat}): {inside:.2f} s")
    print(f"read every raw file ({len(paths)} files: python-calamine, csv; one process, best of {args.repeat}): "
          f"{read:.2f} s (in a new process: {fresh_read:.2f} s)")
    print(_against("issue 9's target: build command / read in this process", build / read))
    print(_against("like for like: build in this process / read in this process", inside / read))
    return 0


def _against(what: str, ratio: float) -> str:
    return f"{what} = {ratio:.1f}  target ≤ {TARGET_RATIO}  [{'OK' if ratio <= TARGET_RATIO else 'FAIL'}]"


if __name__ == "__main__":
    sys.exit(main())
