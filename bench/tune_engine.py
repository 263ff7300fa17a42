"""Choose the engine's settings on travel flows: tune on origins before 2015, score on later ones.

    python bench/tune_engine.py [--workers 2] [--out rows.csv]

Not part of ``make bench`` (about 30 minutes on 2 cores): it is run when the engine's settings are
reconsidered, and its printed table is quoted in :mod:`flows.forecast.spec`.

Each candidate (:data:`flows.forecast.spec.CANDIDATES`) forecasts every series of the reference panel
(:func:`flows.forecast.panel.reference_panel`) from the tuning origins (quarterly, 2011-03 … 2013-12,
h = 1–24, shock window set aside) and, for the one chosen, from section 1's scoring origins of
``bench_forecast.py``. Printed per candidate: the mean MASE ratio to the seasonal naive and the 80 % /
95 % coverage, before and after the per-horizon interval factors that :func:`flows.forecast.spec.
horizon_factors` derives from the tuning rows.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402

from flows.analysis import table as tb  # noqa: E402
from flows.forecast import panel as pn  # noqa: E402
from flows.forecast import spec as sp  # noqa: E402

TUNING_ORIGINS = pd.period_range("2011-03", "2013-12", freq="M")[::3]


def _one(args):
    name, y, origins, candidate = args
    return pn.monthly_backtest({name: y}, origins, spec=sp.CANDIDATES[candidate]).assign(candidate=candidate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--candidates", nargs="*", default=list(sp.CANDIDATES))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    table = tb.load_table(ROOT / "data" / "processed")
    panel = pn.reference_panel(table)
    jobs = [(name, y, TUNING_ORIGINS, c) for c in args.candidates for name, y in panel.items()]
    start = time.perf_counter()
    frames = []
    with ProcessPoolExecutor(args.workers) as pool:
        for i, rows in enumerate(pool.map(_one, jobs), 1):
            frames.append(rows)
            if i % 20 == 0:
                print(f"  {i}/{len(jobs)} ({time.perf_counter() - start:.0f} s)", flush=True)
    rows = pd.concat(frames, ignore_index=True)
    if args.out:
        rows.to_csv(args.out, index=False)
    print(f"tuning: {len(panel)} series, origins {TUNING_ORIGINS[0]} … {TUNING_ORIGINS[-1]} (quarterly), h = 1–24")
    print(pn.monthly_score(rows, by=("candidate",)).round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
