"""Speed of ``flows.border`` and of notebook 04 against the targets of project issue 5.

    python bench/bench_border.py [--no-notebook]

Target: 1,000 monthly sample paths x 72 months (2025-01 .. 2030-12) disaggregated to whole records
per day (third-country travellers added, weekday/holiday profile, days summing to their month)
in <= 2 s. Also printed, for information (no target): the yearly summary with hours, peaks and
the 99 %-of-hours capacity. Paths are synthetic, near Taiwan's 2024 level (~500,000 a month).

Notebook target: ``notebooks/04_border_sharing_load.ipynb`` executes top to bottom in <= 15 s,
kernel start included (run as nbval and ``flows report`` do: nbclient, fresh kernel, from
``notebooks/``). It forecasts nothing (its travellers are the outlook's paths, read from
``data/processed/forecast_paths.csv``); the time of each cell is printed so the slow ones can be found.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from flows.exchange_load import assumptions as asm  # noqa: E402
from flows.exchange_load import hours as hrs
from flows.exchange_load import records as rec
from flows.exchange_load import scenarios as scn  # noqa: E402
from flows.exchange_load import summaries as summ

N_PATHS, MONTHS, TARGET_SECONDS, REPEATS = 1000, pd.period_range("2025-01", "2030-12", freq="M"), 2.0, 3
NOTEBOOK, NOTEBOOK_TARGET_SECONDS = ROOT / "notebooks" / "04_border_sharing_load.ipynb", 15.0


def synthetic_paths() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    values = 500_000 * rng.lognormal(0.0, 0.15, size=(len(MONTHS), N_PATHS))
    return pd.DataFrame(values, index=MONTHS, columns=pd.RangeIndex(N_PATHS))


def best_time(function) -> tuple[float, object]:
    """Fastest of REPEATS runs (the first also pays for imports and caches), and the last result."""
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def time_notebook(path: Path = NOTEBOOK) -> tuple[float, list[tuple[float, str]]]:
    """Execute the notebook in a fresh kernel; total seconds (kernel start included) and the
    seconds of each code cell with its first line."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    total = time.perf_counter() - started
    cells = []
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" in timing:
            seconds = (pd.Timestamp(timing["shell.execute_reply"]) - pd.Timestamp(timing["iopub.execute_input"]))
            first = next((line for line in cell.source.splitlines() if not line.startswith("#")), "")
            cells.append((seconds.total_seconds(), first[:60]))
    return total, cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-notebook", action="store_true", help="time the model only")
    args = parser.parse_args()
    a, paths = asm.read_assumptions(), synthetic_paths()
    seconds, daily = best_time(lambda: rec.daily_records(rec.monthly_records(paths, a), a))
    assert daily.shape == (int(np.sum(MONTHS.days_in_month)), N_PATHS)
    ok = seconds <= TARGET_SECONDS
    print(f"months -> days, {N_PATHS} paths x {len(MONTHS)} months ({daily.size:,} day values): "
          f"{seconds:.3f} s (target <= {TARGET_SECONDS:.0f} s) {'OK' if ok else 'MISSED'}")
    start = time.perf_counter()
    base = scn.baseline(paths, a)
    hours = hrs.hourly_pass(base, a)
    summ.intervals(summ.yearly_per_path(base, hours.peak_hour, hours))
    seconds = time.perf_counter() - start
    print(f"yearly summary with hours and capacity, same paths: {seconds:.2f} s (information, no target)")
    if not args.no_notebook:
        total, cells = time_notebook()
        for seconds, first in sorted(cells, reverse=True)[:5]:
            print(f"  {seconds:6.2f} s  {first}")
        notebook_ok = total <= NOTEBOOK_TARGET_SECONDS
        print(f"notebook 04 executed in {total:.1f} s (target <= {NOTEBOOK_TARGET_SECONDS:.0f} s, kernel start "
              f"included) {'OK' if notebook_ok else 'MISSED'}; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}")
        ok = ok and notebook_ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
