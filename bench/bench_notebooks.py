"""Execute notebooks 01 and 02 top to bottom: target ≤ 20 s for both together on a 2-core machine.

Runs each notebook in a fresh kernel with nbclient (as nbval and ``flows report`` do), from the
``notebooks/`` folder, with the parameters committed in the notebook (``raw_dir`` None = the
``FLOWS_RAW`` variable: with raw files present, notebook 01 also rebuilds the table and compares it
with the committed one). Prints the time of each notebook, kernel start included, and the total
beside the target. Run: ``python bench/bench_notebooks.py [--raw DIR] [--repeat N]`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("01_data_audit.ipynb", "02_trends.ipynb")
TARGET_SECONDS = 20.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def execute(path: Path) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of the kernel process (load-independent, for a busy machine)."""
    nb = nbformat.read(path, as_version=4)
    cpu, started = _children_cpu(), time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - started, _children_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw", type=Path, default=None,
                        help="raw folder for notebook 01's rebuild check (default: $FLOWS_RAW; 'none' to skip)")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best total is reported")
    args = parser.parse_args()
    if args.raw is not None:
        if str(args.raw).lower() == "none":
            os.environ.pop("FLOWS_RAW", None)
        else:
            os.environ["FLOWS_RAW"] = str(args.raw.resolve())
    raw = os.environ.get("FLOWS_RAW")
    raw_note = f"rebuild check from {raw}" if raw and Path(raw if os.path.isabs(raw) else REPO / raw).is_dir() \
        else "no raw files: rebuild check skipped"

    best = None
    for _ in range(max(1, args.repeat)):
        times = {name: execute(REPO / "notebooks" / name) for name in NOTEBOOKS}
        if best is None or sum(t for t, _ in times.values()) < sum(t for t, _ in best.values()):
            best = times
    for name, (seconds, cpu) in best.items():
        print(f"  {name:<24} {seconds:6.1f} s  (kernel CPU {cpu:.1f} s)")
    total = sum(t for t, _ in best.values())
    verdict = "ok" if total <= TARGET_SECONDS else "OVER TARGET"
    print(f"notebooks 01+02 executed in {total:.1f} s (target ≤ {TARGET_SECONDS:.0f} s on 2 cores): {verdict}; "
          f"{raw_note}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
