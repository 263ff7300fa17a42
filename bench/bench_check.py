"""Time ``make check`` (the tests not marked ``slow``) against its target.

    python bench/bench_check.py        # or `make bench`

Runs the same pytest command as the Makefile (one BLAS thread) in a new process; exit status 1 when
it fails or is slower than the target.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60.0
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}  # as the Makefile


def main() -> int:
    started = time.perf_counter()
    env = {**os.environ, **ONE_THREAD}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "tests", "-m", "not slow"], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    last = (done.stdout.strip().splitlines() or ["no output"])[-1]
    ok = done.returncode == 0 and seconds <= TARGET_SECONDS
    print(f"make check ({last}): {seconds:.0f} s  target ≤ {TARGET_SECONDS:.0f} s  [{'ok' if ok else 'FAIL'}]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
