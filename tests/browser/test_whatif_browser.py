"""The what-if explorers in a real browser: the report's page offline, and notebook 05's controls in
JupyterLab; each shows the numbers of ``flows.exchange_load`` run with the values set.

Skipped without Chromium or Playwright unless ``FLOWS_REQUIRE_BROWSER`` is set (:mod:`browser`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chart_layout import measure_page, problems
from flows import ATTRIBUTION
from flows.exchange_load import whatif
from flows.site.offline import write_plotly_asset
from flows.site.whatif_page import GRID_POINTS, PAGE, write_whatif_page

pytestmark = pytest.mark.slow  # a browser, and the grid of the whole outlook: not in `make check`

REPO = Path(__file__).resolve().parents[2]
PROCESSED = REPO / "data" / "processed"
WIDTHS = (1280, 390)



@pytest.fixture(scope="module")
def explorer():
    return whatif.outlook_explorer(PROCESSED)


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("whatif")
    write_plotly_asset(out)
    return write_whatif_page(out, PROCESSED)


def _open(browser, path: Path, width: int):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
              else route.abort())
    tab.goto(path.resolve().as_uri())
    tab.wait_for_function("() => document.querySelector('#flows-whatif-chart svg.main-svg')", timeout=60_000)
    return tab


def _grid_names(tab) -> list[str]:
    return tab.evaluate("JSON.parse(document.getElementById('flows-whatif-data').textContent).names")


@pytest.mark.parametrize("width", WIDTHS)
def test_report_explorer_shows_the_models_figures_offline(browser, page, explorer, a, width):
    tab = _open(browser, page, width)
    try:
        names = _grid_names(tab)
        assert len(names) == 2
        values = {n: whatif.grid_values(a, n, GRID_POINTS) for n in names}
        settings = [  # three settings of the grid: both high, one low, and the YAML's with another capacity
            ({names[0]: values[names[0]][-1], names[1]: values[names[1]][-1]}, explorer.years[-1], 0.95, 5000),
            ({names[0]: values[names[0]][0], names[1]: values[names[1]][-1]}, explorer.years[1], 0.5, 2000),
            ({names[0]: float(getattr(a, names[0])), names[1]: float(getattr(a, names[1]))}, explorer.years[0], 0.05, 1000),
        ]
        for chosen, year, q, capacity in settings:
            for name, value in chosen.items():
                tab.select_option(f"#flows-whatif-{name}", repr(value))
            tab.select_option("#flows-whatif-year", repr(year))
            tab.select_option("#flows-whatif-quantile", repr(q))
            tab.select_option("#flows-whatif-capacity", repr(capacity))
            shown = {f: float(tab.get_attribute(f'[data-figure="{f}"]', "data-value")) for f in whatif.FIGURES}
            expected = explorer.figures(a.replace(**chosen, capacity_per_hour=capacity), year, q)
            assert shown == expected.to_dict(), f"{chosen}, {year}, q={q}, capacity {capacity}"
            text = tab.inner_text('[data-figure="records_peak_hour"]')
            assert text == f"{round(expected['records_peak_hour']):,}"
        # the chart follows: the busiest hour at the chosen quantile, per year
        line = tab.evaluate("document.getElementById('flows-whatif-chart').data[1].y")
        last = settings[-1]
        assert line == [explorer.figures(a.replace(**last[0]), y, last[2])["records_peak_hour"] for y in explorer.years]
    finally:
        tab.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_report_explorer_has_no_overlapping_or_cut_text(browser, page, width):
    expected, charts = measure_page(browser, page, width)
    assert expected == len(charts) == 1
    chart = charts[0]
    squeezed = ATTRIBUTION.replace(" ", "")  # the source line may wrap: its lines are read without the breaks
    assert any(squeezed in item["label"].replace(" ", "") for item in chart["items"])
    assert not problems(chart), problems(chart)
    tab = _open(browser, page, width)
    try:
        found = tab.evaluate("""() => {
          const out = [], W = document.documentElement.clientWidth;
          const scroll = document.documentElement.scrollWidth;
          if (scroll > W) out.push('page scrolls sideways: ' + scroll);
          const items = [...document.querySelectorAll(
            'h1, h2, p, label, select, .about, table.figures th, table.figures td, nav a')];
          for (const el of items) {
            const r = el.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < -1 || r.right > W + 1) out.push('outside the window: ' + el.textContent.slice(0, 40));
            if (el.tagName !== 'SELECT' && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'auto')
              out.push('cut: ' + el.textContent.slice(0, 40));
          }
          const boxes = [...document.querySelectorAll('.control')].map(e => e.getBoundingClientRect());
          boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
              out.push('controls overlap');
          }));
          return out;
        }""")
        assert not found, f"at {width} px: {found}"
    finally:
        tab.close()


def test_report_explorer_refuses_nothing_it_cannot_show(page, a):
    """Every option of every control is a setting the page holds (no option without numbers)."""
    text = page.read_text(encoding="utf-8")
    assert PAGE == page.name and "Plotly.newPlot" in text and "https://" not in text.split("<main>")[1]
