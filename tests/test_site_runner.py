"""`make_report`: executed notebooks, offline HTML pages, and an index of computed key figures."""

from __future__ import annotations

import re

import nbformat
import pytest

from flows.site import ReportError, make_report
from flows.site.offline import drop_plotly_bundles
from site_inputs import JP_TW_ARRIVALS_2024, TW_JP_DEPARTURES_2024, sample_report, write_notebooks, write_processed


def remote_script_sources(page: str) -> list[str]:
    """``src`` (or ``import``) URLs of scripts in ``page`` that would need the network."""
    found = re.findall(r"<script\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", page, re.I)
    found += re.findall(r"<script\b[^>]*>\s*import\s*[\"']((?:https?:)?//[^\"']+)", page, re.I)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "data" / "raw").mkdir(parents=True)
    return sample_report(root, raw=root / "data" / "raw"), root / "reports"


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
        outside_plotlyjs = drop_plotly_bundles(text)  # the bundle names a map-data URL
        assert "cdn.plot.ly" not in outside_plotlyjs and "require" not in outside_plotlyjs
        assert "cdnjs" not in outside_plotlyjs and "mathjax/" not in outside_plotlyjs.lower()
    for page in (report.index, out / "02_trends.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("* plotly.js v") == 1, f"{page.name}: plotly.js must be embedded once"
        assert text.index("* plotly.js v") < text.index("</head>")
    trends = (out / "02_trends.html").read_text(encoding="utf-8")
    assert trends.count('class="plotly-graph-div"') == 3  # incl. the mimetype-only figure
    assert "* plotly.js v" not in (out / "01_audit.html").read_text(encoding="utf-8")


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
