"""`make_report`: executed notebooks, offline HTML pages, and an index of computed key figures."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from flows.site.report import ReportError, _drop_plotly_bundles, key_figures, make_report, remote_script_sources, render_index

# 2024 totals of Taiwan's own counts (DESIGN.md); the fixture spreads them over 12 months.
TW_JP_DEPARTURES_2024 = 6_006_116
JP_TW_ARRIVALS_2024 = 1_319_592
TW_JP_JNTO_2024 = 6_044_316


def _spread(total: int, n: int = 12) -> list[int]:
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
        for year, values in ((2023, _spread(y2023)), (2024, _spread(y2024))):
            for month, v in enumerate(values, 1):
                rows.append((f"{year}-{month:02d}", o, d, m, v, "final", source))
        last = 3 if m == "national_departures" or o == "JP" else 2  # JNTO one month behind
        for month in range(1, last + 1):
            status = "estimate" if (source == "jnto" and month == last) else "provisional"
            rows.append((f"2025-{month:02d}", o, d, m, per_month_2025 + month, status, source))
    pd.DataFrame(rows, columns=["month", "origin", "destination", "measure", "value", "status",
                                "source"]).to_csv(directory / "monthly_flows.csv", index=False)
    if forecasts:
        fc = []
        for month in pd.period_range("2025-04", "2030-12", freq="M"):
            mean = 600_000.0
            fc.append(("TW-JP national_departures", str(month), mean, mean - 50_000,
                       mean + 50_000, mean - 90_000, mean + 90_000, "ets", "2025-03"))
        pd.DataFrame(fc, columns=["series", "month", "mean", "lower_80", "upper_80", "lower_95",
                                  "upper_95", "model", "as_of"]).to_csv(
            directory / "forecasts.csv", index=False)
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


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    processed = write_processed(root / "data" / "processed")
    notebooks = write_notebooks(root / "notebooks")
    (root / "data" / "raw").mkdir()
    out = root / "reports"
    report = make_report(root / "data" / "raw", out=out, horizon_end="2030-12",
                         notebooks_dir=notebooks, progress=False, processed_dir=processed)
    return report, out


def test_report_executes_notebooks_in_order_with_parameters(built):
    report, out = built
    assert [p.name for p in report.notebooks] == ["01_audit.ipynb", "02_trends.ipynb"]
    assert [p.name for p in report.pages] == ["01_audit.html", "02_trends.html"]
    nb = nbformat.read(out / "01_audit.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert printed.strip() == "raw_dir=../data/raw as_of=None horizon_end=2030-12"
    assert not (out / "scratch.html").exists()


def test_index_has_computed_headline_and_links(built):
    report, out = built
    index = report.index.read_text(encoding="utf-8")
    total = TW_JP_DEPARTURES_2024 + JP_TW_ARRIVALS_2024
    assert re.search(r'id="headline-total">7,325,708<', index)
    assert f"{total:,}" == "7,325,708"
    assert f"{TW_JP_DEPARTURES_2024:,}" in index and f"{JP_TW_ARRIVALS_2024:,}" in index
    assert 'href="01_audit.html">Audit of the inputs</a>' in index
    assert 'href="02_trends.html">Trends</a>' in index
    assert "Outlook 2030" in index and "7,200,000" in index  # 12 × 600,000


def test_pages_open_without_network(built):
    report, out = built
    for page in [report.index, *report.pages]:
        text = page.read_text(encoding="utf-8")
        assert remote_script_sources(text) == [], page.name
        assert not re.search(r"<script[^>]+src=[\"']?https?://", text), page.name
        outside_plotlyjs = _drop_plotly_bundles(text)  # the bundle names a map-data URL
        assert "cdn.plot.ly" not in outside_plotlyjs and "require" not in outside_plotlyjs
        assert "cdnjs" not in outside_plotlyjs and "mathjax/" not in outside_plotlyjs.lower()
    for page in (report.index, out / "02_trends.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("* plotly.js v") == 1, f"{page.name}: plotly.js must be embedded once"
        assert text.index("* plotly.js v") < text.index("</head>")
    trends = (out / "02_trends.html").read_text(encoding="utf-8")
    assert trends.count('class="plotly-graph-div"') == 3  # incl. the mimetype-only figure
    assert "* plotly.js v" not in (out / "01_audit.html").read_text(encoding="utf-8")


def test_key_figures_latest_month_status_and_12_month_totals(tmp_path):
    f = key_figures(write_processed(tmp_path))
    by = {(s.origin, s.destination, s.measure): s for s in f.series}
    dep = by[("TW", "JP", "national_departures")]
    assert (dep.latest_month, dep.latest_status, dep.latest_value) == ("2025-03", "provisional",
                                                                       500_003)
    assert dep.window_start == "2024-04"
    expected = sum(_spread(TW_JP_DEPARTURES_2024)[3:]) + 500_001 + 500_002 + 500_003
    assert dep.total_12m == expected
    assert dep.window_statuses == {"final": 9, "provisional": 3}
    jnto = by[("TW", "JP", "visitor_arrivals")]
    assert (jnto.latest_month, jnto.latest_status) == ("2025-02", "estimate")
    assert f.headline.total == TW_JP_DEPARTURES_2024 + JP_TW_ARRIVALS_2024
    assert f.data_as_of == "2025-03"
    [o] = f.outlook
    assert (o.year, o.year_total, o.month, o.mean, o.lower_95) == (2030, 7_200_000, "2030-12",
                                                                   600_000, 510_000)


def test_as_of_cuts_later_months(tmp_path):
    f = key_figures(write_processed(tmp_path), as_of="2024-12")
    assert {s.latest_month for s in f.series} == {"2024-12"}
    assert all(s.total_12m is not None for s in f.series)


def test_missing_forecasts_gives_a_note_not_an_error(tmp_path):
    f = key_figures(write_processed(tmp_path, forecasts=False))
    assert f.outlook is None and "forecasts.csv" in f.outlook_note
    page = render_index(f, [("01_audit.html", "Audit", None)])
    assert 'id="outlook-note"' in page and "7,325,708" in page


def test_incomplete_headline_year_is_not_summed(tmp_path):
    processed = write_processed(tmp_path)
    df = pd.read_csv(processed / "monthly_flows.csv")
    df = df[~((df.origin == "JP") & (df.month == "2024-07"))]
    df.to_csv(processed / "monthly_flows.csv", index=False)
    f = key_figures(processed)
    assert f.headline.total is None and f.headline.months == (12, 11)
    assert "7,325,708" not in render_index(f, [])


def test_failing_notebook_stops_the_report_and_says_which(tmp_path):
    processed = write_processed(tmp_path / "processed")
    notebooks = write_notebooks(tmp_path / "notebooks", failing=True)
    (notebooks / "02_trends.ipynb").unlink()
    out = tmp_path / "reports"
    with pytest.raises(ReportError, match=r"03_forecast\.ipynb failed: ZeroDivisionError"):
        make_report(None, out=out, notebooks_dir=notebooks, progress=False,
                    processed_dir=processed)
    assert (out / "03_forecast.html").exists()
    assert not (out / "04_border.ipynb").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Report incomplete" in index and "04_border" in index


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(ReportError, match="no notebooks"):
        make_report(None, out=tmp_path / "r", notebooks_dir=tmp_path, progress=False,
                    processed_dir=tmp_path)
