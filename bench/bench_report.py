"""Time one ``make_report`` run and compare it with the target (60 s on a warm venv).

    python bench/bench_report.py            # the project's notebooks if data/processed is built,
                                            # else four synthetic notebooks of the same shape
    python bench/bench_report.py --synthetic

Reports go to a temporary directory, so ``reports/`` is left alone. Exit status 1 when the
run is slower than the target or fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from flows.site import ReportError, make_report  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_MB = 12.0  # the whole reports/ folder (issue 11)


def _synthetic(root: Path) -> tuple[Path, Path]:
    """Four notebooks like the project's (parameters, pandas, plotly) and processed CSVs."""
    import nbformat
    import numpy as np
    import pandas as pd
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    processed = root / "data" / "processed"
    processed.mkdir(parents=True)
    months = pd.period_range("2011-01", "2026-02", freq="M").astype(str)
    rng = np.random.default_rng(0)
    rows = []
    for o, d, m, level in (("TW", "JP", "national_departures", 400_000),
                           ("TW", "JP", "visitor_arrivals", 400_000),
                           ("JP", "TW", "visitor_arrivals", 120_000)):
        for month in months:
            status = "final" if month < "2025-01" else "provisional"
            rows.append((month, o, d, m, int(level * (1 + 0.1 * rng.standard_normal())), status,
                         "synthetic"))
    pd.DataFrame(rows, columns=["month", "origin", "destination", "measure", "value", "status",
                                "source"]).to_csv(processed / "monthly_flows.csv", index=False)

    notebooks = root / "notebooks"
    notebooks.mkdir()
    for n, title in enumerate(("Audit", "Trends", "Forecast", "Border-sharing load"), 1):
        params = new_code_cell('raw_dir = "../data/raw"\nas_of = None\nhorizon_end = "2030-12"')
        params.metadata["tags"] = ["parameters"]
        cells = [
            new_markdown_cell(f"# {title}"),
            params,
            new_code_cell("import pandas as pd\nimport plotly.express as px\nimport plotly.io as pio\n"
                          "pio.renderers.default = 'notebook+plotly_mimetype'\n"
                          "df = pd.read_csv('../data/processed/monthly_flows.csv')"),
            new_code_cell("px.line(df, x='month', y='value', color='measure', "
                          "line_dash='origin').show()"),
            new_code_cell("df.groupby(['origin', 'destination', 'measure']).value.describe()"),
        ]
        if n == 3:
            cells.append(new_code_cell(
                "months = pd.period_range('2026-03', horizon_end, freq='M').astype(str)\n"
                "fc = pd.DataFrame({'direction': 'tw_to_jp', 'origin': 'TW', 'destination': 'JP',\n"
                "    'measure': 'visitor_arrivals', 'month': months, 'mean': 600_000.0, 'as_of': '2026-02',\n"
                "    'method_version': 'synthetic'})\n"
                "for p, w in (('80', 50_000), ('95', 90_000)):\n"
                "    fc[f'lower_{p}'] = fc['mean'] - w\n"
                "    fc[f'upper_{p}'] = fc['mean'] + w\n"
                "fc.to_csv('../data/processed/forecasts.csv', index=False)"))
        nb = new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, notebooks / f"{n:02d}_{title.split()[0].lower()}.ipynb")
    return notebooks, processed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--synthetic", action="store_true", help="ignore the project's notebooks")
    ap.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    ap.add_argument("--processed", type=Path, default=ROOT / "data" / "processed")
    ap.add_argument("--target", type=float, default=TARGET_SECONDS)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="flows-bench-") as tmp:
        tmp = Path(tmp)
        real = (not args.synthetic and any(args.notebooks.glob("[0-9][0-9]_*.ipynb"))
                and (args.processed / "monthly_flows.csv").exists())
        if real:
            notebooks, processed, kind = args.notebooks, args.processed, "project notebooks"
        else:
            notebooks, processed = _synthetic(tmp)
            kind = "synthetic notebooks"
        count = len(list(notebooks.glob("[0-9][0-9]_*.ipynb")))
        start = time.perf_counter()
        try:
            make_report(None, out=tmp / "reports", notebooks_dir=notebooks, progress=False,
                        processed_dir=processed)
        except ReportError as e:
            print(f"make_report failed: {e}")
            return 1
        seconds = time.perf_counter() - start
        mb = sum(p.stat().st_size for p in (tmp / "reports").rglob("*") if p.is_file()) / 1e6

    verdict = "OK" if seconds <= args.target else "TOO SLOW"
    print(f"make_report ({count} {kind}): {seconds:.1f} s  (target <= {args.target:.0f} s)  "
          f"{verdict}")
    print(f"reports/ size: {mb:.1f} MB  (target <= {TARGET_MB:.0f} MB)  {'OK' if mb <= TARGET_MB else 'TOO BIG'}")
    return 0 if seconds <= args.target and mb <= TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
