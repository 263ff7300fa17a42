"""The long run of Taiwan → Japan: the annual view against the monthly engine, 3–5 years ahead.

    python bench/bench_longrun.py

Prints, from ``flows.forecast.longrun_backtest`` on the committed tables (origins 2005 … 2014, years
scored up to 2019): each method's CRPS, MAPE, bias and interval coverage 3–5 years ahead, the
weights of the outlook's pool, and how the pool would have scored for every share of annual-view
paths. Target: the pool at the chosen weights scores (CRPS) no worse than the better of the two
alone — in sample, since the weights come from the same forecasts. For information, no target: the
annual view's scores with other damping factors φ (the outlook uses φ = 0.9, fixed in advance;
these are a disclosure, not a way to choose it), Japan → Taiwan's short backtest, and the wall time.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402

from flows.analysis import table as tb  # noqa: E402
from flows.forecast import longrun as lr, longrun_backtest as lb  # noqa: E402

PROCESSED = ROOT / "data" / "processed"
COLUMNS = ["n", "crps_pct", "mape", "mape_median", "bias", "coverage_80", "coverage_95"]


def main() -> int:
    pd.set_option("display.width", 200)
    table, annual = tb.load_table(PROCESSED), tb.load_annual(PROCESSED)
    started = time.perf_counter()
    bt = lb.backtest(table, annual, "tw_to_jp")
    w = lb.weights_from(lb.tidy(bt.rows))
    rows = lb.tidy(pd.concat([bt.rows, lb.pooled(bt, w)], ignore_index=True))
    seconds = time.perf_counter() - started
    s = lb.skill(rows)
    print("Taiwan → Japan per year, 3–5 years ahead, origins 2005–2014 (percent of the published total)")
    print(s[COLUMNS].to_string(float_format="{:.2f}".format))
    print("weights:", ", ".join(f"{k} {v:.3f}" for k, v in w.items()))
    pool = lb.pool_scores(bt)
    print("pool CRPS by share of annual-view paths:", " ".join(f"{k:.2f}:{v:.1f}" for k, v in pool.items()))
    best_alone = min(s.loc[lr.ENGINE, "crps_pct"], s.loc[lr.ANNUAL_VIEW, "crps_pct"])
    ok = s.loc[lr.COMBINATION, "crps_pct"] <= best_alone
    print(f"pool CRPS {s.loc[lr.COMBINATION, 'crps_pct']:.2f} % (target <= {best_alone:.2f} %, the better alone) "
          f"{'OK' if ok else 'MISSED'}; backtest {seconds:.1f} s")
    for phi in (0.8, 0.98, 1.0):
        other = lb.skill(lb.backtest(table, annual, "tw_to_jp", phi=phi).rows).loc[lr.ANNUAL_VIEW]
        print(f"  annual view with phi = {phi}: CRPS {other['crps_pct']:.2f} %, MAPE {other['mape']:.2f} %, "
              f"bias {other['bias']:+.2f} %, 95 % coverage {other['coverage_95']:.2f} (information)")
    jp = lb.skill(lb.backtest(table, annual, "jp_to_tw").rows, horizons=range(1, 6))
    print("Japan → Taiwan, origins 2013–2016, 1–5 years ahead (information)")
    print(jp[COLUMNS].to_string(float_format="{:.2f}".format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
