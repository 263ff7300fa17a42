"""No text collides in any chart of the report, in a wide window, a narrow one and on a phone (headless Chromium).

The report is built from the committed processed table (the notebooks executed as ``flows report``
runs them), every page is opened 1280, 800 and 390 px wide, and the boxes of every title, note and
source line, legend, axis title, annotation, tick label and the toolbar of every chart are read back
from the drawn SVG (:mod:`chart_layout`); an axis of years must print years ("2012", not "2,012").
No page may scroll sideways, and nothing may pass the window's right edge except inside a box of
its own that scrolls (a wide table). Skips without Chromium or Playwright unless
``FLOWS_REQUIRE_BROWSER`` is set (:mod:`browser`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from chart_layout import measure_page, page_overflow, problems
from flows import ATTRIBUTION
from flows.site import make_report
from flows.viz import trends
from flows.viz.theme import finish, new_figure
from house_style import MONTHS

pytestmark = pytest.mark.slow  # executes notebooks: not in `make check`

REPO = Path(__file__).resolve().parents[2]
WIDTHS = (1280, 800, 390)



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
            assert any(ATTRIBUTION.replace(" ", "") in item["label"].replace(" ", "") for item in chart["items"]), \
                f"{chart['title']!r} lacks its source"
            found += [f"{page.name} | {chart['title']} | {p}" for p in problems(chart)]
            if chart["figure"][1][0] > width + 1:
                found.append(f"{page.name} | {chart['title']} | the chart is wider than the window")
    assert charts >= 25, f"only {charts} charts in the report"
    assert not found, f"{len(found)} collisions at {width} px:\n" + "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_the_report_scrolls_sideways(browser, report, width):
    found = [f"{page.name}: {p}" for page in [report.index, *report.pages] for p in page_overflow(browser, page, width)]
    assert not found, f"at {width} px:\n" + "\n".join(found)


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
    years = go.Figure(go.Scatter(x=list(range(2012, 2031)), y=list(range(19))),
                      layout=dict(xaxis=dict(separatethousands=True), width=640,
                                  title=dict(text="A long title that runs under the toolbar at the top right", x=0,
                                             y=0.995, yanchor="top")))
    _, charts = measure_page(browser, _page(tmp_path, bad, log, years), 800)
    found = "\n".join(problems(charts[0]) + problems(charts[1]) + problems(charts[2]))
    assert "legend 'legend' overlaps title 'A title the legend sits on'" in found or \
           "title 'A title the legend sits on' overlaps legend" in found
    assert "annotation 'Source: Japan National Tourism Organization (JNTO)" in found
    assert "overlaps tick label '1997LNY Feb'" in found
    assert "annotation 'over the data' is written over the data" in found
    assert "log axis y: label '2' marks 200,000" in found and "log axis y: label '1M' marks 1e+06" in found
    assert "axis of years x: labels with a thousands separator (2,015" in found
    assert "toolbar 'toolbar' overlaps title 'A long title" in found or "overlaps toolbar 'toolbar'" in found


def test_the_check_sees_a_page_that_scrolls_sideways(browser, tmp_path):
    wide = tmp_path / "wide.html"
    wide.write_text("<html><body><p style='width:700px'>a paragraph 700 px wide</p>"
                    "<div style='overflow-x:auto'><table style='width:900px'><tr><td>a table in its box"
                    "</td></tr></table></div></body></html>", encoding="utf-8")
    found = "\n".join(page_overflow(browser, wide, 390))
    assert "the page scrolls sideways" in found and "'a paragraph 700 px wide' reaches" in found
    assert "a table in its box" not in found


def test_the_house_style_passes_the_same_check(browser, tmp_path):
    months = MONTHS.append(MONTHS + 6)
    frame = {f"a long legend entry {i}": [(i * j) % 7 + 1 for j in range(12)] for i in range(8)}
    fig = trends.monthly_lines(pd.DataFrame(frame, index=months), "A title the legend used to sit on, long enough "
                               "to wrap onto a second line", log_y=True, note="A note under the title.")
    by_year = finish(new_figure(go.Scatter(x=list(range(2012, 2031)), y=list(range(19)))), "Visits by year",
                     y_title="visits (persons)", x_title="year")
    _, charts = measure_page(browser, _page(tmp_path, fig, by_year), 800)
    assert problems(charts[0]) == [] and problems(charts[1]) == []
