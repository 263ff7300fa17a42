"""Time of one what-if update (issue 21): the explorer's figures after one assumption changes.

    python bench/bench_whatif.py

Target: <= 0.5 s per update for 1,000 paths, for every year of the outlook (the outlook's own paths from
``data/processed`` when present, else 1,000 synthetic paths near Taiwan's 2024 level). The update timed is the
slowest kind: a day factor changes, so the year's days and hours are split again (a change of capacity or
quantile reuses them). The report's size is printed by bench_report.py.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from flows.config import FORECAST_PATHS  # noqa: E402
from flows.exchange_load import assumptions as asm  # noqa: E402
from flows.exchange_load import whatif

TARGET_SECONDS = 0.5
PROCESSED = ROOT / "data" / "processed"


def travellers() -> tuple[pd.DataFrame, str]:
    if (PROCESSED / FORECAST_PATHS).exists():
        return whatif.outlook_travellers_from(PROCESSED), "the outlook's paths"
    months = pd.period_range("2025-01", "2030-12", freq="M")
    values = 500_000 * np.random.default_rng(0).lognormal(0.0, 0.15, size=(len(months), 1000))
    return pd.DataFrame(values, index=months), "synthetic paths"


def main() -> int:
    paths, kind = travellers()
    a = asm.read_assumptions()
    explorer = whatif.Explorer(paths)
    times = {}
    for year in explorer.years:
        explorer.figures(a, year)  # the controls' first draw
        started = time.perf_counter()
        explorer.figures(a.replace(break_start_multiplier=a.break_start_multiplier + 0.1), year)
        times[year] = time.perf_counter() - started
    slowest = max(times.values())
    started = time.perf_counter()
    explorer.figures(a.replace(capacity_per_hour=a.capacity_per_hour + 100), explorer.years[-1], 0.95)
    light = time.perf_counter() - started
    ok = slowest <= TARGET_SECONDS
    print(f"what-if update, {paths.shape[1]:,} paths ({kind}), one year of {explorer.years[0]}–{explorer.years[-1]}: "
          f"slowest {slowest:.3f} s, median {np.median(list(times.values())):.3f} s (target <= {TARGET_SECONDS} s) "
          f"{'OK' if ok else 'MISSED'}; capacity or quantile only: {light:.3f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
