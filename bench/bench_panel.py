"""The engine's annual totals on the reference panel of travel flows, beside issue 17's targets.

    python bench/bench_panel.py [--origins 2006 2014] [--paths 1000]

The panel (``flows.forecast.panel.reference_panel``): every JNTO country market into Japan with
monthly counts from 2003 and every Taiwan inbound market still published, each with at least
10,000 visits in 2019. December origins 2006 … 2014, annual totals 1–5 years ahead, targets up to
2019. Printed for issue 12's engine (the anchor), today's engine as it draws, and today's engine
calibrated leave-one-series-out (:mod:`flows.forecast.calibration`, what the outlook does) and, beside
it, calibrated only on windows that ended before each origin. Printed per years ahead: the 80 % and
95 % coverage (targets 75–85 % and 90–97 % at each
horizon), the median absolute percentage error of the median beside the no-change forecast's
(target: below it at 3–5 years), the 95 % interval score and the CRPS (both per the origin year's
total), and the median width of the 95 % interval (upper / lower). Today's engine is the anchor a
calibrated one must beat by 30 % on the interval score at 3–5 years.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import pandas as pd  # noqa: E402

from flows.analysis import table as tb  # noqa: E402
from flows.forecast import calibration as cal  # noqa: E402
from flows.forecast import metrics  # noqa: E402
from flows.forecast import panel as pn  # noqa: E402
from flows.forecast import spec as sp  # noqa: E402
from flows.forecast.engine import single_threaded  # noqa: E402


def ok(flag: bool) -> str:
    return "[OK]" if flag else "[FAIL]"


def print_scores(label: str, scores: pd.DataFrame, naive: pd.DataFrame, targets: bool = True) -> None:
    print(f"\n{label}")
    print("years  n    cover80 (75–85 %)   cover95 (90–97 %)   MdAPE engine / no change   IS95/last  CRPS %  width95")
    for k, r in scores.iterrows():
        mark = (lambda flag: ok(flag)) if targets else (lambda flag: "")
        print(f"{k:>5} {int(r['n']):>4}   {100 * r['coverage_80']:5.1f} % {mark(75 <= 100 * r['coverage_80'] <= 85):>6}"
              f"      {100 * r['coverage_95']:5.1f} % {mark(90 <= 100 * r['coverage_95'] <= 97):>6}"
              f"      {r['mdape']:5.1f} / {naive.loc[k, 'mdape']:5.1f} %"
              f"{'' if k < 3 else ' ' + mark(r['mdape'] < naive.loc[k, 'mdape']):>7}"
              f"        {r['is95']:6.2f}   {r['crps']:5.1f}    {r['width95']:5.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--origins", nargs=2, type=int, default=(2006, 2014), metavar=("FIRST", "LAST"))
    parser.add_argument("--paths", type=int, default=1000)
    args = parser.parse_args(argv)
    table = tb.load_table(ROOT / "data" / "processed")
    panel = pn.reference_panel(table)
    n_jp = sum(name.endswith("→JP") for name in panel)
    origins = range(args.origins[0], args.origins[1] + 1)
    print(f"panel: {len(panel)} series ({n_jp} JNTO markets into Japan, {len(panel) - n_jp} Taiwan inbound markets); "
          f"December origins {args.origins[0]}…{args.origins[1]}, annual totals 1–5 years ahead, targets ≤ 2019")
    with single_threaded():
        start = time.perf_counter()
        today = pn.annual_backtest(panel, origins, n_paths=args.paths, spec=sp.M3_TUNED)
        same = sp.DEFAULT == sp.M3_TUNED  # the spec stayed issue 12's: one run serves both
        rows = today if same else pn.annual_backtest(panel, origins, n_paths=args.paths, spec=sp.DEFAULT)
    print(f"{len(rows) // 2} forecasts per method and engine in {time.perf_counter() - start:.0f} s")
    naive = metrics.annual_scores(rows).loc[pn.NO_CHANGE]
    anchor = metrics.annual_scores(today).loc[pn.ENGINE]
    engine = rows[rows["method"] == pn.ENGINE]
    print("\nthe damping d of growth after the first year, chosen on origins 2006–2010, scored on 2011–2014 "
          "(mean 95 % interval score / last year, 3–5 years ahead, calibrated leave-one-series-out):")
    for d in (0.0, 0.25, 0.5, 0.75, 1.0):
        scored = cal.leave_one_out(cal.damped(engine, d))
        parts = [metrics.annual_scores(scored[mask]).loc[pn.ENGINE].loc[3:5, "is95"].mean()
                 for mask in (scored["origin"] <= 2010, scored["origin"] >= 2011, scored["origin"] > 0)]
        chosen = "  <- flows.forecast.calibration.DAMPING" if d == cal.DAMPING else ""
        print(f"  d = {d:4.2f}   tune {parts[0]:5.2f}   score {parts[1]:5.2f}   all {parts[2]:5.2f}{chosen}")
    damped = cal.damped(engine)
    loso = metrics.annual_scores(cal.leave_one_out(damped)).loc[pn.ENGINE]
    before = metrics.annual_scores(cal.leave_one_out(damped, before_origin=True)).loc[pn.ENGINE]
    print_scores(f"anchor: issue 12's engine ({sp.M3_TUNED.name}), uncalibrated", anchor, naive, targets=False)
    print_scores(f"engine {sp.DEFAULT.name}, uncalibrated", metrics.annual_scores(engine).loc[pn.ENGINE], naive, targets=False)
    print_scores(f"engine {sp.DEFAULT.name}, growth damped (d = {cal.DAMPING}), calibrated leave-one-series-out "
                 "(the outlook's method)", loso, naive)
    print_scores("the same, calibrated only on windows that ended before each origin (no target: common shocks)",
                 before, naive, targets=False)
    gain = 1 - loso.loc[3:5, "is95"].mean() / anchor.loc[3:5, "is95"].mean()
    print(f"\n3–5 years ahead, mean 95 % interval score / last year: {loso.loc[3:5, 'is95'].mean():.2f} calibrated "
          f"against {anchor.loc[3:5, 'is95'].mean():.2f} for issue 12's engine: {gain:.0%} lower "
          f"(target ≥ 30 %) {ok(gain >= 0.30)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
