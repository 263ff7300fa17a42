"""Would calibrating the monthly intervals by horizon on the panel bring them to 95 %? Issue 17, item 4.

    python bench/monthly_calibration.py [--workers 2] [--window 36] [--out rows.csv]

Not part of ``make bench`` (about 4 minutes on 2 cores): it is the evidence behind the engine's
monthly spread (:mod:`flows.forecast.spec`). The default engine forecasts every series of the
reference panel (:func:`flows.forecast.panel.reference_panel`: 36 markets into Japan from 2003, 22
into Taiwan from 2011) from quarterly origins 2006-03 … 2017-12, h = 1–24, shock window set aside.
Each forecast's error is standardised on the log scale, ``z = (log(actual + c) − mean) / sd``.

The calibration is the one issue 17 asks for: a forecast from origin M of series s, h months ahead,
has its spread multiplied by ``q / 1.96``, ``q`` the 95th percentile of ``|z|`` at that horizon over
the other series (leave-one-series-out) and the forecasts whose targets fall in the ``--window``
months up to M (only errors known at M). Printed: the share of outcomes inside the 95 % and 80 %
intervals, raw and calibrated (80 % with its own percentile), for origins before 2015 and 2015–2017,
for the whole panel and the 36 markets into Japan (bench_forecast section 1's markets).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from flows.analysis import table as tb  # noqa: E402
from flows.forecast import engine  # noqa: E402
from flows.forecast import evaluation as ev  # noqa: E402
from flows.forecast import panel as pn  # noqa: E402

H = 24
ORIGINS = pd.period_range("2006-03", "2017-12", freq="M")[::3]
MIN_HISTORY = 36
Z = {0.95: 1.959964, 0.80: 1.281552}


def _standardised_errors(args) -> list[tuple]:
    name, y = args
    y = ev.masked(y.loc[:"2019-12"])
    rows = []
    for origin in ORIGINS:
        train = y.loc[:origin]
        if train.notna().sum() < MIN_HISTORY:
            continue
        actual = y.reindex(pd.period_range(origin + 1, periods=H, freq="M")).to_numpy()
        lf = engine.log_forecast(train, H)
        z = (np.log(actual + lf.offset) - lf.mean) / lf.sd
        rows += [(name, origin.ordinal, k + 1, origin.ordinal + k + 1, z[k]) for k in range(H) if np.isfinite(z[k])]
    return rows


def calibration_factors(errors: pd.DataFrame, window: int, level: float) -> np.ndarray:
    """Per row: the ``level`` percentile of ``|z|`` at its horizon over the other series' errors
    whose targets fall in the ``window`` months up to its origin, over the normal quantile (NaN: none)."""
    out = np.full(len(errors), np.nan)
    absz = errors["z"].abs().to_numpy()
    for origin, rows in errors.groupby("origin").groups.items():
        past = errors[(errors["target"] <= origin) & (errors["target"] > origin - window)]
        if past.empty:
            continue
        for h, at_h in past.groupby("horizon"):
            mine = rows[errors.loc[rows, "horizon"].to_numpy() == h]
            for series in errors.loc[mine, "series"].unique():
                others = absz[at_h.index[at_h["series"].to_numpy() != series]]
                if len(others) >= 30:
                    which = mine[errors.loc[mine, "series"].to_numpy() == series]
                    out[errors.index.get_indexer(which)] = np.quantile(others, level) / Z[level]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window", type=int, default=36, help="months of targets before the origin")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    panel = pn.reference_panel(tb.load_table(ROOT / "data" / "processed"))
    start = time.perf_counter()
    rows = []
    with ProcessPoolExecutor(args.workers) as pool:
        for i, part in enumerate(pool.map(_standardised_errors, panel.items()), 1):
            rows += part
            if i % 10 == 0:
                print(f"  {i}/{len(panel)} series ({time.perf_counter() - start:.0f} s)", flush=True)
    errors = pd.DataFrame(rows, columns=["series", "origin", "horizon", "target", "z"])
    if args.out:
        errors.to_csv(args.out, index=False)
    f95 = calibration_factors(errors, args.window, 0.95)
    f80 = calibration_factors(errors, args.window, 0.80)
    absz = errors["z"].abs()
    table = pd.DataFrame({
        "period": np.where(errors["origin"] < pd.Period("2015-01", "M").ordinal, "before 2015", "2015–2017"),
        "into": np.where(errors["series"].str.endswith("→JP"), "Japan (36)", "Taiwan (22)"),
        "raw 95": absz <= Z[0.95], "calibrated 95": (absz <= Z[0.95] * f95).where(~np.isnan(f95)),
        "raw 80": absz <= Z[0.80], "calibrated 80": (absz <= Z[0.80] * f80).where(~np.isnan(f80)),
        "factor 95": f95,
    }).dropna()
    print(f"\n{len(panel)} series, origins {ORIGINS[0]} … {ORIGINS[-1]} (quarterly), h = 1–{H}, "
          f"calibration window {args.window} months ({len(table):,} forecasts with a factor)")
    cols = ["raw 95", "calibrated 95", "raw 80", "calibrated 80", "factor 95"]
    print(table.groupby("period")[cols].mean().round(3).to_string())
    print(table.groupby(["period", "into"])[cols].mean().round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
