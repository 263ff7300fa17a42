"""Choose the engine's settings on travel flows: tune on origins before 2015, score on later ones.

    python bench/tune_engine.py [--workers 2] [--out rows.csv] [--candidates NAME ...]
                                [--origins FIRST LAST STEP]

Not part of ``make bench`` (about 30 minutes on 2 cores): it is run when the engine's settings are
reconsidered, and its printed table is quoted in :mod:`flows.forecast.spec`.

Each candidate (:data:`flows.forecast.spec.CANDIDATES`) forecasts every series of the reference panel
(:func:`flows.forecast.panel.reference_panel`) from the tuning origins (quarterly, 2011-03 … 2013-12, or
``--origins``, with three years of history behind them, h = 1–24, shock window set aside:
:func:`flows.forecast.evaluation.run_backtests`). Printed per candidate: the MASE ratio to the seasonal
naive, sMAPE and the 80 % / 95 % coverage. The chosen spec is then scored on origins the tuning never
saw by ``bench_forecast.py`` and ``bench_m3.py``.
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
from flows.forecast import engine  # noqa: E402
from flows.forecast import evaluation as ev  # noqa: E402
from flows.forecast import panel as pn  # noqa: E402
from flows.forecast import spec as sp  # noqa: E402

TUNING_ORIGINS = pd.period_range("2011-03", "2013-12", freq="M")[::3]
H = 24


MIN_HISTORY = 36  # observed months an origin needs behind it


def _one(args):
    name, y, origins, candidate = args
    spec = sp.CANDIDATES[candidate]
    origins = [o for o in origins if y.loc[:o].notna().sum() >= MIN_HISTORY]
    if not origins:
        return None
    methods = {"combo": lambda train, h: engine.forecast(train, h, spec=spec),
               "snaive": lambda train, h: engine.forecast(train, h, method="snaive")}
    rows = ev.run_backtests({name: y}, {"tuning": origins}, H, methods)
    return rows.assign(candidate=candidate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--candidates", nargs="*", default=list(sp.CANDIDATES))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--origins", nargs=3, metavar=("FIRST", "LAST", "STEP"), default=None,
                        help="origin months FIRST … LAST every STEP months (default 2011-03 2013-12 3)")
    args = parser.parse_args(argv)
    table = tb.load_table(ROOT / "data" / "processed")
    panel = pn.reference_panel(table)
    origins = TUNING_ORIGINS
    if args.origins:
        first, last, step = args.origins
        origins = pd.period_range(first, last, freq="M")[::int(step)]
    jobs = [(name, y, origins, c) for c in args.candidates for name, y in panel.items()]
    start = time.perf_counter()
    frames = []
    with ProcessPoolExecutor(args.workers) as pool:
        for i, rows in enumerate(pool.map(_one, jobs), 1):
            if rows is not None:
                frames.append(rows)
            if i % 20 == 0:
                print(f"  {i}/{len(jobs)} ({time.perf_counter() - start:.0f} s)", flush=True)
    rows = pd.concat(frames, ignore_index=True)
    if args.out:
        rows.to_csv(args.out, index=False)
    print(f"tuning: {len(panel)} series, origins {origins[0]} … {origins[-1]} ({len(origins)}), h = 1–24")
    summary = ev.backtest_summary(rows, by=("candidate", "method"))
    print(summary[summary["method"] == "combo"].set_index("candidate")[
        ["n", "mase_vs_snaive", "smape", "coverage_80", "coverage_95"]].round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
