"""The engine's annual totals on the reference panel of travel flows, beside issue 17's targets.

    python bench/bench_panel.py [--origins 2006 2014] [--paths 1000]

The panel (``flows.forecast.panel.reference_panel``): every JNTO country market into Japan with
monthly counts from 2003 and every Taiwan inbound market still published, each with at least
10,000 visits in 2019. December origins 2006 … 2014, annual totals 1–5 years ahead, targets up to
2019. Printed per years ahead: the 80 % and 95 % coverage (targets 75–85 % and 90–97 % at each
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

from flows.analysis import table as tb  # noqa: E402
from flows.forecast import panel as pn  # noqa: E402


def ok(flag: bool) -> str:
    return "[OK]" if flag else "[FAIL]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--origins", nargs=2, type=int, default=(2006, 2014), metavar=("FIRST", "LAST"))
    parser.add_argument("--paths", type=int, default=1000)
    args = parser.parse_args(argv)
    table = tb.load_table(ROOT / "data" / "processed")
    panel = pn.reference_panel(table)
    n_jp = sum(name.endswith("→JP") for name in panel)
    print(f"panel: {len(panel)} series ({n_jp} JNTO markets into Japan, {len(panel) - n_jp} Taiwan inbound markets); "
          f"December origins {args.origins[0]}…{args.origins[1]}, annual totals 1–5 years ahead, targets ≤ 2019")
    start = time.perf_counter()
    rows = pn.annual_backtest(panel, range(args.origins[0], args.origins[1] + 1), n_paths=args.paths)
    seconds = time.perf_counter() - start
    scores = pn.score(rows)
    engine, naive = scores.loc[pn.ENGINE], scores.loc[pn.NO_CHANGE]
    print(f"{len(rows) // 2} forecasts per method in {seconds:.0f} s")
    print("years  n    cover80 (75–85 %)   cover95 (90–97 %)   MdAPE engine / no change   IS95/last  CRPS %  width95")
    for k, r in engine.iterrows():
        print(f"{k:>5} {int(r['n']):>4}   {100 * r['coverage_80']:5.1f} % {ok(75 <= 100 * r['coverage_80'] <= 85):>6}"
              f"      {100 * r['coverage_95']:5.1f} % {ok(90 <= 100 * r['coverage_95'] <= 97):>6}"
              f"      {r['mdape']:5.1f} / {naive.loc[k, 'mdape']:5.1f} %"
              f"{'' if k < 3 else ' ' + ok(r['mdape'] < naive.loc[k, 'mdape']):>7}"
              f"        {r['is95']:6.2f}   {r['crps']:5.1f}    {r['width95']:5.2f}")
    late = engine.loc[3:5]
    print(f"3–5 years ahead, mean 95 % interval score / last year: {late['is95'].mean():.2f} "
          "(today's engine: the anchor; target ≥ 30 % lower for a calibrated one)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
