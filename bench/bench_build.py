"""`flows build` over the whole raw folder: target ≤ 2 s on a 2-core machine.

Also prints the ratio to a bare ``pandas.read_excel(path, sheet_name=None)`` (openpyxl) of the
JNTO workbook alone, the cost of merely opening the biggest file the usual way.
Run: ``python bench/bench_build.py [--raw DIR]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from flows.cli import default_raw
from flows.extract.jnto import is_jnto_workbook

TARGET_SECONDS = 2.0


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=default_raw())
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    raw = args.raw.resolve()
    workbook = next((p for p in sorted(raw.rglob("*.xlsx")) if is_jnto_workbook(p)), None)
    if workbook is None:
        print(f"bench_build: no JNTO workbook under {raw}; skipped")
        return 0
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "flows", "build", "--raw", str(raw), "--out", out]
        build = best_of(args.repeat, lambda: subprocess.run(command, check=True, capture_output=True))
    read_excel = best_of(args.repeat, lambda: pd.read_excel(workbook, sheet_name=None))
    verdict = "OK" if build <= TARGET_SECONDS else "MISSED"
    print(f"flows build (whole raw folder, new process, best of {args.repeat}): {build:.2f} s  "
          f"target ≤ {TARGET_SECONDS:.1f} s  [{verdict}]")
    print(f"pandas.read_excel(JNTO workbook, sheet_name=None): {read_excel:.2f} s  "
          f"→ build / read_excel = {build / read_excel:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
