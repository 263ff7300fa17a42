"""No text collides in any chart of the report, at a wide and a narrow window (headless Chromium).

The report is built from the committed processed table (the notebooks executed as ``flows report``
runs them), every page is opened 1280 px and 800 px wide, and the boxes of every title, note and
source line, legend, axis title, annotation and tick label of every chart are read back from the
drawn SVG (:mod:`chart_layout`). Skips without Chromium or Playwright unless
``FLOWS_REQUIRE_BROWSER`` is set (:mod:`browser`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from browser import launch_playwright_chromium
from chart_layout import measure_page, problems
from flows import ATTRIBUTION
from flows.site import make_report
from flows.viz import trends
from house_style import MONTHS

pytestmark = pytest.mark.slow  # executes notebooks: not in `make check`

REPO = Path(__file__).resolve().parents[1]
WIDTHS = (1280, 800)


@pytest.fixture(scope="module")
def browser():
    playwright, browser = launch_playwright_chromium()
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def report(browser, tmp_path_factory):
    """The real report (all four notebooks) from the committed table; built only when a browser is there."""
    return make_report(None, out=tmp_path_factory.mktemp("layout") / "reports", notebooks_dir=REPO / "notebooks",
                       processed_dir=REPO / "data" / "processed", progress=False)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_text_collides_in_any_chart_of_the_report(browser, report, width):
    found, charts = [], 0
    for page in [report.index, *report.pages]:
        expected, measured = measure_page(browser, page, width)
        assert len(measured) == expected > 0, f"{page.name}: {len(measured)} of {expected} charts drew"
        charts += expected
        for chart in measured:
            kinds = {item["kind"] for item in chart["items"]}
            assert {"title", "note and source"} <= kinds, f"{page.name}: {chart['title']!r} lacks its header"
            assert any(ATTRIBUTION in item["label"] for item in chart["items"]), f"{chart['title']!r} lacks its source"
            found += [f"{page.name} | {chart['title']} | {p}" for p in problems(chart)]
    assert charts >= 25, f"only {charts} charts in the report"
    assert not found, f"{len(found)} collisions at {width} px:\n" + "\n".join(found)


def _page(tmp_path: Path, *figures: go.Figure) -> Path:
    body = "".join(f.to_html(include_plotlyjs=False, full_html=False, div_id=f"fig{i}")
                   for i, f in enumerate(figures))
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><meta charset='utf-8'><script>{get_plotlyjs()}</script></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    return page


def test_the_check_sees_text_that_collides(browser, tmp_path):
    """The layouts the report used to have: a wrapped legend on the title, the source line under
    rotated labels, a label over the line, a log axis labelled with bare digits."""
    years = [f"{y}<br>LNY Feb" for y in range(1997, 2027)]
    bad = go.Figure(layout=dict(title=dict(text="A title the legend sits on", x=0), height=480, width=640,
                                legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0)))
    for i in range(8):
        bad.add_scatter(x=years, y=[(i * j) % 7 + 1 for j in range(30)], name=f"a long legend entry {i}")
    bad.add_annotation(text=ATTRIBUTION, xref="paper", yref="paper", x=0, y=0, yanchor="top", yshift=-45,
                       showarrow=False)
    bad.add_annotation(text="over the data", x=years[10], y=4, showarrow=False)
    log = go.Figure(go.Scatter(y=[30, 3_000, 600_000]), layout=dict(yaxis=dict(type="log"), width=640))
    _, charts = measure_page(browser, _page(tmp_path, bad, log), 800)
    found = "\n".join(problems(charts[0]) + problems(charts[1]))
    assert "legend 'legend' overlaps title 'A title the legend sits on'" in found or \
           "title 'A title the legend sits on' overlaps legend" in found
    assert "annotation 'Source: Japan National Tourism Organization (JNTO)" in found
    assert "overlaps tick label '1997LNY Feb'" in found
    assert "annotation 'over the data' is written over the data" in found
    assert "log axis y: label '2' marks 200,000" in found and "log axis y: label '1M' marks 1e+06" in found


def test_the_house_style_passes_the_same_check(browser, tmp_path):
    months = MONTHS.append(MONTHS + 6)
    frame = {f"a long legend entry {i}": [(i * j) % 7 + 1 for j in range(12)] for i in range(8)}
    fig = trends.monthly_lines(pd.DataFrame(frame, index=months), "A title the legend used to sit on, long enough "
                               "to wrap onto a second line", log_y=True, note="A note under the title.")
    _, charts = measure_page(browser, _page(tmp_path, fig), 800)
    assert problems(charts[0]) == []
