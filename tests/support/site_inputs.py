"""Inputs for the tests of :mod:`flows.site`: a small processed table (with or without an outlook)
and numbered notebooks to execute."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from flows.site import make_report
from flows.site.runner import Report

# 2024 totals of Taiwan's own counts (DESIGN.md); the fixture spreads them over 12 months.
TW_JP_DEPARTURES_2024 = 6_006_116
JP_TW_ARRIVALS_2024 = 1_319_592
TW_JP_JNTO_2024 = 6_044_316


def spread(total: int, n: int = 12) -> list[int]:
    base, rest = divmod(total, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def write_processed(directory: Path, *, forecasts: bool = True) -> Path:
    """A small monthly_flows.csv (2023-01 … 2025-03) and, optionally, forecasts.csv."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    series = {
        ("TW", "JP", "national_departures"): (4_225_804, TW_JP_DEPARTURES_2024, 500_000, "tourism_tw"),
        ("JP", "TW", "visitor_arrivals"): (928_235, JP_TW_ARRIVALS_2024, 120_000, "tourism_tw"),
        ("TW", "JP", "visitor_arrivals"): (4_202_434, TW_JP_JNTO_2024, 590_000, "jnto"),
    }
    for (o, d, m), (y2023, y2024, per_month_2025, source) in series.items():
        for year, values in ((2023, spread(y2023)), (2024, spread(y2024))):
            for month, v in enumerate(values, 1):
                rows.append((f"{year}-{month:02d}", o, d, m, v, "final", source))
        last = 3 if m == "national_departures" or o == "JP" else 2  # JNTO one month behind
        for month in range(1, last + 1):
            status = "estimate" if (source == "jnto" and month == last) else "provisional"
            rows.append((f"2025-{month:02d}", o, d, m, per_month_2025 + month, status, source))
    pd.DataFrame(rows, columns=["month", "origin", "destination", "measure", "value", "status",
                                "source"]).to_csv(directory / "monthly_flows.csv", index=False)
    if forecasts:
        key = ("tw_to_jp", "TW", "JP", "visitor_arrivals")
        fc = []
        for month in pd.period_range("2025-04", "2030-12", freq="M"):
            mean = 600_000.0
            fc.append((*key, str(month), mean, mean - 50_000, mean + 50_000, mean - 90_000, mean + 90_000,
                       "2025-03", "ets"))
        pd.DataFrame(fc, columns=["direction", "origin", "destination", "measure", "month", "mean", "lower_80",
                                  "upper_80", "lower_95", "upper_95", "as_of", "method_version"]).to_csv(
            directory / "forecasts.csv", index=False)
        pd.DataFrame([(*key, year, 7_000_000 + 100 * year, 7_200_000, 6_000_000, 8_500_000, 5_500_000, 9_800_000,
                       "2025-03", "ets") for year in range(2025, 2031)],
                     columns=["direction", "origin", "destination", "measure", "year", "median", "mean", "lower_80",
                              "upper_80", "lower_95", "upper_95", "as_of", "method_version"]).to_csv(
            directory / "forecast_annual.csv", index=False)
    return directory


def _notebook(cells, kernel=True):
    nb = new_notebook(cells=cells)
    if kernel:
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
    return nb


def write_notebooks(directory: Path, *, failing: bool = False) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    params = new_code_cell('raw_dir = "../data/raw"\nas_of = None\nhorizon_end = "2030-12"')
    params.metadata["tags"] = ["parameters"]
    nb1 = _notebook([
        new_markdown_cell("# Audit of the inputs\nChecks the parameters arrive."),
        params,
        new_code_cell("import flows\nprint(f'raw_dir={raw_dir} as_of={as_of} "
                      "horizon_end={horizon_end}')"),
    ])
    # No parameters cell: papermill only warns.
    nb2 = _notebook([
        new_markdown_cell("# Trends\nTwo charts."),
        new_code_cell("import plotly.io as pio\nimport plotly.graph_objects as go\n"
                      "pio.renderers.default = 'notebook+plotly_mimetype'\n"
                      "go.Figure(go.Scatter(y=[1, 3, 2], name='a')).show()"),
        new_code_cell("go.Figure(go.Bar(y=[2, 1, 4])).show()"),
        new_code_cell("go.Figure(go.Scatter(y=[5, 4, 6])).show(renderer='plotly_mimetype')"),
    ])
    nbformat.write(nb1, directory / "01_audit.ipynb")
    nbformat.write(nb2, directory / "02_trends.ipynb")
    if failing:
        nbformat.write(_notebook([new_code_cell("1 / 0")]), directory / "03_forecast.ipynb")
        nbformat.write(_notebook([new_code_cell("print('never')")]), directory / "04_border.ipynb")
    (directory / "scratch.ipynb").write_text("not a numbered notebook, never run")
    return directory


def sample_report(root: Path, raw: Path | None = None) -> Report:
    """``make_report`` on the sample table and notebooks written under ``root``, into ``root/reports``."""
    processed = write_processed(root / "data" / "processed")
    notebooks = write_notebooks(root / "notebooks")
    return make_report(raw, out=root / "reports", horizon_end="2030-12", notebooks_dir=notebooks,
                       progress=False, processed_dir=processed)
