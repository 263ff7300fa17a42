"""Accuracy and speed of ``flows.forecast`` on the project's own series: targets of issues 4, 12 and 17.

    python bench/bench_forecast.py            # full run (about 8 minutes on 2 cores)
    python bench/bench_forecast.py --quick    # fewer markets and origins (about 1–2 minutes)

1. Rolling origins 2015-01 → 2017-12, h = 1…24, every JNTO market (country or territory) with
   full history 2003-01 → 2019-12: mean MASE of the default forecaster against seasonal naive
   (target ≤ 0.60×) and coverage of its 95 % intervals (target 93–97 %).
2. Post-COVID: Taiwan → Japan arrivals with 2020-02 → 2022-12 masked, fitted through 2024-02,
   forecasting 2024-03 → 2026-02 (2026-01/02 are JNTO estimates): MAPE (target ≤ 7.5 %).
3. Speed: 60 series × h = 24 on 2 worker processes (target ≤ 60 s).

4. Plausibility: Taiwan → Japan and Japan → Taiwan visitor arrivals, 2020-02 → 2022-12 masked,
   1,000 sample paths to 2030-12: mean and 95 % range of the 2030 total (no target; the old
   default gave 15.7 M and 3.3 M against 6.8 M and 1.3 M observed in 2025 and 2024).
5. Own series (issue 12): Taiwan → Japan and Japan → Taiwan, 2020-02 → 2022-12 masked, monthly
   origins 2014-12 → 2017-12, h = 24: geometric mean over the 74 origins of the MAE ratio to the
   seasonal naive (target ≤ 0.58), coverage of the 95 % intervals (target 90–97 %).
6. The Lunar New Year regressor, decided before the scoring years: arrivals in Japan from the seven
   markets that keep the holiday, quarterly origins 2006-03 → 2012-12, with and without it: MAE
   ratio to the seasonal naive on all months and on January–February alone (no target: it decides
   whether the outlook uses the regressor).

Points scored are the engine's published point (``POINT``, the median since issue 12).

Figures of full runs (2 cores), default combination:

                                  target   airline SARIMA   SARIMA(1,0,1)(0,1,1)12   issue 12's engine
                                           (before issue 4) + constant, ETS         (M3-tuned: + Theta,
                                                            (issue 4)               offset log, 8-IQR fence)
  [1] MASE / seasonal naive (36)  ≤ 0.85   0.609 OK         0.633 OK                0.756 OK
  [1] coverage of 95 % intervals  90–97 %  98.1 % MISSED    96.2 % OK               98.0 % MISSED
  [1] coverage of 80 % intervals                            85.2 %                  89.8 %
  [2] Taiwan → Japan MAPE         ≤ 8 %    10.1 % MISSED    7.6 % OK                8.3 % MISSED
  [3] 60 series × h = 24          ≤ 60 s                    30.5 s OK
  [4] 2030 Taiwan → Japan (mean)           15.7 M           11.8 M (95 %: 7.5–17.5)  18.2 M (4.0–53.0)
  [4] 2030 Japan → Taiwan (mean)           3.3 M            1.5 M (95 %: 0.8–2.8)    1.5 M (0.7–2.9)
  [5] own series, MAE ratio       ≤ 0.55                    0.577 (its median)      0.704 MISSED
  [5] coverage of 95 % intervals  90–97 %                                           99.2 % MISSED
  [5] foresight references                                                          0.451 / 0.488

Since issue 17 sections 2 and 5 score the outlook's forecaster, the engine with the Lunar New Year
regressor (chosen in section 6 on origins 2006–2012: MAE ratio 0.889 → 0.869 over seven markets that keep
the holiday, January–February 0.826 → 0.721): [2] 8.3 % (8.3 % without), [5] 0.700 with 95 % coverage
99.3 % (0.704 and 99.2 % without). Section 1 with ``--spec issue4`` (the candidate closest to issue 4's
engine): 0.667, 96.2 % — better here, worse on the years before 2015 (:mod:`flows.forecast.spec`).

Section 4 is the engine alone; the published outlook sets its long run on the panel of travel flows
(``flows.forecast.calibration``, ``bench/bench_panel.py``). What made issue 12's engine better on M3 (sMAPE 13.97 → 13.40)
made it worse on the travel series here; the two benchmarks pull the intervals apart too (M3's
95 % coverage needs the 1.08 scale that makes them 98–99 % here). The foresight references in [5]
(last year × each year's true growth; the engine's months × each year's true level) show how little
room the 0.55 target leaves.

The airline model's random-walk growth carried the 2023→2024 reopening surge forward (section 2
ran 7–9 % high) and its variance grew too fast with horizon (95 % coverage ~100 % beyond h = 12);
with growth reverting to its mean, coverage is 94–98 % at every horizon.

Input: ``data/processed/monthly_flows.csv`` when it exists, else the raw JNTO workbook read
with :func:`flows.extract.jnto.read_jnto_workbook`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one BLAS thread per worker process
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from flows.forecast import engine as fc  # noqa: E402
from flows.forecast import metrics, rolling, spec  # noqa: E402

PROCESSED = ROOT / "data" / "processed" / "monthly_flows.csv"
RAW_CANDIDATES = [
    ROOT / "data" / "raw" / "jnto" / "jnto_monthly_visitor_arrivals_2003_2026.xlsx",
    ROOT.parent / "shared" / "data" / "raw" / "jnto" / "jnto_monthly_visitor_arrivals_2003_2026.xlsx",
]
WORKERS = 2
H = 24
SEASON = 12


def load_arrivals() -> pd.DataFrame:
    """Visitor arrivals to Japan, wide: PeriodIndex months × origin code."""
    if PROCESSED.exists():
        table = pd.read_csv(PROCESSED, dtype={"month": str, "origin": str})
        print(f"input: {PROCESSED.relative_to(ROOT)}")
    else:
        from flows.extract.jnto import read_jnto_workbook

        raw = next(p for p in RAW_CANDIDATES if p.exists())
        table = read_jnto_workbook(raw).monthly
        print(f"input: {raw.name} (processed table not built yet)")
    table = table[(table["destination"] == "JP") & (table["measure"] == "visitor_arrivals")]
    wide = table.pivot(index="month", columns="origin", values="value").astype(float)
    wide.index = pd.PeriodIndex(wide.index, freq="M")
    return wide.sort_index()


def full_history_markets(wide: pd.DataFrame) -> list[str]:
    """Countries and territories observed every month 2003-01 → 2019-12."""
    span = wide.loc["2003-01":"2019-12"]
    is_market = [c for c in wide.columns if c != "ALL" and not c.startswith("X-")]
    return [c for c in is_market if span[c].notna().all() and len(span) == 204]


def _backtest_one(args):
    code, y, origins = args
    table = rolling.backtest(y, origins, H, ("combo", "snaive"), progress=False, detail=True)
    table.insert(0, "market", code)
    return table


def bench_backtest(wide: pd.DataFrame, quick: bool) -> None:
    markets = full_history_markets(wide)
    origins = pd.period_range("2015-01", "2017-12", freq="M")
    if quick:
        markets = markets[::4]
        origins = origins[::6]
    print(
        f"\n[1] rolling origins {origins[0]} → {origins[-1]} ({len(origins)}), h = 1…{H}, "
        f"{len(markets)} markets: {' '.join(markets)}"
    )
    jobs = [(m, wide[m].loc[:"2019-12"], origins) for m in markets]
    tables = []
    start = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        for i, table in enumerate(pool.map(_backtest_one, jobs), 1):
            tables.append(table)
            print(f"  {i}/{len(jobs)} {table['market'].iloc[0]} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    detail = pd.concat(tables, ignore_index=True)
    by_market = metrics.summarise(detail, by=["method", "market"])
    by_method = by_market.groupby("method")[["mase", "smape", "coverage_80", "coverage_95",
                                             "winkler_80", "winkler_95"]].mean()
    print(by_method.round(3).to_string())
    ratio = by_method.loc["combo", "mase"] / by_method.loc["snaive", "mase"]
    cover = by_method.loc["combo", "coverage_95"]
    print(f"  mean MASE combo / seasonal naive = {ratio:.3f}   (target ≤ 0.60, issue 17)  "
          f"{'OK' if ratio <= 0.60 else 'MISSED'}")
    print(f"  coverage of 95 % intervals      = {cover:.1%}  (target 93 %–97 %, issue 17)  "
          f"{'OK' if 0.93 <= cover <= 0.97 else 'MISSED'}")
    print(f"  coverage of 80 % intervals      = {by_method.loc['combo', 'coverage_80']:.1%}")
    horizons = metrics.summarise(detail, by=["method", "horizon"])
    pivot = horizons.pivot(index="horizon", columns="method", values=["mase", "coverage_95"])
    print(pivot.iloc[[0, 2, 5, 11, 17, 23]].round(3).to_string())
    worst = by_market[by_market["method"] == "combo"].set_index("market")
    snaive = by_market[by_market["method"] == "snaive"].set_index("market")
    rel = (worst["mase"] / snaive["mase"]).sort_values()
    print("  MASE ratio by market:", " ".join(f"{k}:{v:.2f}" for k, v in rel.items()))


def bench_post_covid(wide: pd.DataFrame) -> None:
    y = wide["TW"].copy()
    y.loc["2020-02":"2022-12"] = np.nan
    train = y.loc[:"2024-02"]
    actual = wide["TW"].loc["2024-03":"2026-02"]
    print(f"\n[2] Taiwan → Japan, 2020-02 → 2022-12 masked, fit through {train.index[-1]}, "
          f"forecast {actual.index[0]} → {actual.index[-1]}")
    results = {}
    for method in (OUTLOOK, "combo", "ets", "arima", "theta", "snaive"):
        f = _with_lunar_new_year(train, H) if method == OUTLOOK else fc.forecast(train, H, method=method)
        f["mean"] = f[fc.POINT]  # the published point
        ape = 100 * (f["mean"] - actual).abs() / actual
        inside = ((actual >= f["lower_95"]) & (actual <= f["upper_95"])).mean()
        results[method] = ape.mean()
        print(f"  {method:22s} MAPE {ape.mean():5.1f} %   95 % coverage {inside:.0%}   "
              f"12-month totals {f['mean'].iloc[:12].sum():,.0f} / {f['mean'].iloc[12:].sum():,.0f}")
    print(f"  actual 12-month totals {actual.iloc[:12].sum():,.0f} / {actual.iloc[12:].sum():,.0f}")
    print(f"  MAPE of the outlook's forecaster = {results[OUTLOOK]:.1f} %  (target ≤ 7.5 %, issue 17)  "
          f"{'OK' if results[OUTLOOK] <= 7.5 else 'MISSED'};  seasonal naive = "
          f"{results['snaive']:.1f} % (issue: about 29 %)")


def own_series() -> dict[str, pd.Series]:
    """Taiwan → Japan (JNTO arrivals) and Japan → Taiwan (Taiwan's arrivals), 2020-02 → 2022-12 masked."""
    from flows.analysis import table as tb
    from flows.forecast import evaluation
    from flows.forecast.keys import CONTINUES

    table = tb.load_table(PROCESSED.parent)
    return {name: evaluation.masked(tb.series(table, *key).astype(float)) for name, key in CONTINUES.items()}


OUTLOOK = "combo + Lunar New Year"  # how the outlook forecasts the own series (flows.forecast.outlook)


def _backtest_one_origin(args):
    """One series from one origin: the outlook's forecaster, the engine without the regressor and the
    seasonal naive (sections 5 and 6)."""
    name, y, origin = args
    methods = {OUTLOOK: _with_lunar_new_year, "combo": lambda train, h: fc.forecast(train, h),
               "snaive": lambda train, h: fc.forecast(train, h, method="snaive")}
    table = rolling.backtest(y, [origin], H, methods, progress=False, detail=True)
    table.insert(0, "series", name)
    return table


def bench_own_series(quick: bool) -> None:
    """Issue 12, item 4: origins 2014-12 … 2017-12 (monthly) × both directions, h = 24."""
    origins = pd.period_range("2014-12", "2017-12", freq="M")
    if quick:
        origins = origins[::6]
    series = own_series()
    print(f"\n[5] own series, origins {origins[0]} → {origins[-1]} ({len(origins)}) × "
          f"{' and '.join(series)}, h = {H}, point = {fc.POINT}")
    jobs = [(name, y, origin) for name, y in series.items() for origin in origins]
    with ProcessPoolExecutor(WORKERS) as pool:
        detail = pd.concat(pool.map(_backtest_one_origin, jobs), ignore_index=True)
    mae = detail.groupby(["series", "origin", "method"])["abs_error"].mean().unstack("method")
    ratio = mae[OUTLOOK] / mae["snaive"]
    geo = float(np.exp(np.log(ratio).mean()))
    plain = float(np.exp(np.log(mae["combo"] / mae["snaive"]).mean()))
    by_series = ratio.groupby(level="series").apply(lambda r: np.exp(np.log(r).mean()))
    combo = detail[detail["method"] == OUTLOOK]
    cover95, cover80 = combo["covered_95"].mean(), combo["covered_80"].mean()
    print(f"  the outlook's forecaster ({OUTLOOK}); without the regressor: MAE ratio {plain:.3f}, "
          f"95 % coverage {detail.loc[detail['method'] == 'combo', 'covered_95'].mean():.1%}")
    print(f"  geometric-mean MAE ratio to seasonal naive = {geo:.3f}  (target ≤ 0.58, issue 17)  "
          f"{'OK' if geo <= 0.58 else 'MISSED'};  per origin {ratio.min():.2f}–{ratio.max():.2f}; "
          + ", ".join(f"{k} {v:.3f}" for k, v in by_series.items()))
    december = ratio[ratio.index.get_level_values("origin").month == 12]
    print(f"  (December origins only: {np.exp(np.log(december).mean()):.3f} over {len(december)})")
    print(f"  coverage of 95 % intervals = {cover95:.1%}  (target 90–97 %)  "
          f"{'OK' if 0.90 <= cover95 <= 0.97 else 'MISSED'};  80 %: {cover80:.1%}")
    mape = combo.groupby("series")["ape"].mean()
    print("  MAPE " + ", ".join(f"{k} {v:.1f} %" for k, v in mape.items()))
    foresight = foresight_ratios(series, detail, origins)
    print("  for scale, with foresight no forecaster has (each forecast year's true total): "
          + "; ".join(f"{label} {value:.3f}" for label, value in foresight.items()))


def _with_lunar_new_year(train: pd.Series, h: int) -> pd.DataFrame:
    """The engine with the outlook's Lunar New Year regressor (:func:`flows.forecast.inputs.lunar_new_year_regressor`)."""
    from flows.forecast.inputs import as_monthly, lunar_new_year_regressor

    train = as_monthly(train)
    return fc.forecast(train, h, **lunar_new_year_regressor(train, train.index[-1] + h))


LUNAR_MARKETS = ("TW", "HK", "CN", "KR", "SG", "MY", "VN")  # JNTO markets whose origin keeps the Lunar New Year


def bench_lunar_new_year(wide: pd.DataFrame, quick: bool) -> None:
    """Issue 17, item 1: does the Lunar New Year regressor (window days per month) earn its place in the
    outlook? Decided before the scoring years of [1], [2] and [5]: arrivals in Japan from the markets that
    keep the holiday, quarterly origins 2006-03 … 2012-12 (targets up to 2014-12); scored on all months and
    on January–February alone. (Japan → Taiwan starts in 2011: too short for origins before 2015.)"""
    origins = pd.period_range("2006-03", "2012-12", freq="M")[::3]
    if quick:
        origins = origins[::4]
    print(f"\n[6] Lunar New Year regressor: arrivals in Japan from {' '.join(LUNAR_MARKETS)}, "
          f"origins {origins[0]} → {origins[-1]} ({len(origins)}), h = {H}")
    jobs = [(m, wide[m].loc[:"2014-12"], origin) for m in LUNAR_MARKETS for origin in origins]
    with ProcessPoolExecutor(WORKERS) as pool:
        detail = pd.concat(pool.map(_backtest_one_origin, jobs), ignore_index=True)
    detail["jan_feb"] = pd.PeriodIndex(detail["month"], freq="M").month <= 2
    for label, rows in (("all months", detail), ("January–February", detail[detail["jan_feb"]])):
        mae = rows.groupby(["series", "method"])["abs_error"].mean().unstack("method")
        ratio = mae[["combo", OUTLOOK]].div(mae["snaive"], axis=0)
        cover = rows.groupby("method")["covered_95"].mean()
        print(f"  {label}: geometric-mean MAE ratio to seasonal naive "
              f"{np.exp(np.log(ratio['combo']).mean()):.3f} without, "
              f"{np.exp(np.log(ratio[OUTLOOK]).mean()):.3f} with "
              f"(better in {int((ratio[OUTLOOK] < ratio['combo']).sum())} of {len(ratio)} markets); "
              f"95 % coverage {cover['combo']:.1%} / {cover[OUTLOOK]:.1%}")
        print("    " + ", ".join(f"{m} {r['combo']:.2f}→{r[OUTLOOK]:.2f}" for m, r in ratio.iterrows()))


def foresight_ratios(series: dict[str, pd.Series], detail: pd.DataFrame, origins) -> dict[str, float]:
    """Geometric-mean MAE ratios to the seasonal naive of two forecasts that know the future's level:

    * last year's months scaled by the true growth of the calendar year they stand for;
    * the engine's own months scaled so that each calendar year's forecast months add up to the actual.

    What is left of their error is the monthly pattern alone: a floor no growth model can go below
    with that pattern, to judge how demanding the ≤ 0.55 target is."""
    rows = {"last year × true growth": [], "engine × true level": []}
    for name, y in series.items():
        annual = y.groupby(y.index.year).sum(min_count=12)
        for origin in origins:
            months = pd.period_range(origin + 1, periods=H, freq="M")
            source = pd.PeriodIndex([m - SEASON * (k // SEASON + 1) for k, m in enumerate(months)])
            actual, naive = y.reindex(months).to_numpy(), y.reindex(source).to_numpy()
            growth = annual.reindex(months.year).to_numpy() / annual.reindex(source.year).to_numpy()
            base = np.nanmean(np.abs(naive - actual))
            rows["last year × true growth"].append(np.nanmean(np.abs(naive * growth - actual)) / base)
            one = detail[(detail["series"] == name) & (detail["origin"] == origin) & (detail["method"] == OUTLOOK)]
            level = one.groupby(pd.PeriodIndex(one["month"], freq="M").year)
            scaled = one["forecast"] * level["actual"].transform("sum") / level["forecast"].transform("sum")
            rows["engine × true level"].append(np.nanmean(np.abs(scaled - one["actual"])) / base)
    return {k: float(np.exp(np.mean(np.log(v)))) for k, v in rows.items()}


def _forecast_one(y):
    return fc.forecast(y, H)


def bench_speed(wide: pd.DataFrame, quick: bool) -> None:
    markets = [c for c in wide.columns if wide[c].notna().sum() >= 60]
    series = [wide[m].loc[:"2024-02"].loc["2003-01":] for m in markets]
    n = 20 if quick else 60
    series = (series * (n // len(series) + 1))[:n]
    print(f"\n[3] speed: {n} series × h = {H} on {WORKERS} processes")
    start = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        out = list(pool.map(_forecast_one, series))
    elapsed = time.perf_counter() - start
    assert all(len(o) == H for o in out)
    target = 60 * n / 60
    print(f"  {elapsed:.1f} s ({elapsed / n:.2f} s per series)   (target ≤ {target:.0f} s)  "
          f"{'OK' if elapsed <= target else 'MISSED'}")


def bench_outlook() -> None:
    table = pd.read_csv(PROCESSED, dtype={"month": str, "origin": str})
    table = table[table["measure"] == "visitor_arrivals"]
    print("\n[4] 2030 outlook, 2020-02 → 2022-12 masked, 1,000 sample paths")
    for origin, destination in (("TW", "JP"), ("JP", "TW")):
        rows = table[(table["origin"] == origin) & (table["destination"] == destination)]
        y = rows.set_index("month")["value"].astype(float)
        y.index = pd.PeriodIndex(y.index, freq="M")
        y = y.sort_index()
        h = (pd.Period("2030-12", "M") - y.index[-1]).n
        paths = fc.sample_paths(y, h, interventions=[("2020-02", "2022-12")])
        total = paths.loc["2030-01":"2030-12"].sum() / 1e6
        print(f"  {origin} → {destination} (data to {y.index[-1]}; 2019 {y.loc['2019'].sum() / 1e6:.2f} M): "
              f"2030 mean {total.mean():.2f} M, 95 % of paths {total.quantile(0.025):.2f}–"
              f"{total.quantile(0.975):.2f} M")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer markets, origins, series")
    parser.add_argument("--only", choices=["backtest", "covid", "speed", "outlook", "own", "lunar"],
                        help="one section")
    parser.add_argument("--spec", choices=sorted(spec.CANDIDATES), default=None,
                        help="score this candidate of flows.forecast.spec instead of the default")
    args = parser.parse_args(argv)
    if args.spec:
        fc.DEFAULT_SPEC = spec.CANDIDATES[args.spec]  # worker processes are forked and inherit it
    print(f"engine spec: {fc.DEFAULT_SPEC.name}")
    wide = load_arrivals()
    if args.only in (None, "own") and PROCESSED.exists():
        bench_own_series(args.quick)
    if args.only in (None, "lunar"):
        bench_lunar_new_year(wide, args.quick)
    if args.only in (None, "covid"):
        bench_post_covid(wide)
    if args.only in (None, "speed"):
        bench_speed(wide, args.quick)
    if args.only in (None, "outlook") and PROCESSED.exists():
        bench_outlook()
    if args.only in (None, "backtest"):
        bench_backtest(wide, args.quick)


if __name__ == "__main__":
    main()
