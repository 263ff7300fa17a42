"""`make_report`: executed notebooks, offline HTML pages, and an index of computed key figures."""

from __future__ import annotations

import re

import nbformat
import pytest

from flows.site import ReportError, make_report
from flows.site.offline import drop_plotly_bundles
from site_inputs import JP_TW_ARRIVALS_2024, TW_JP_DEPARTURES_2024, sample_report, write_notebooks, write_processed

pytestmark = pytest.mark.slow  # executes notebooks: not in `make check`


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
    assert "Outlook 2030" in index and "7,203,000" in index  # the annual outlook (forecast_annual.csv)
    assert '<p class="note" id="built-from">Built for this report from' in index  # a raw folder was passed
    assert "Data as of <strong>2025-03</strong>" in index


def test_pages_leave_out_parameter_cells_and_keep_code_behind_a_toggle(built):
    report, out = built
    page = (out / "01_audit.html").read_text(encoding="utf-8")
    assert "celltag_injected-parameters" not in page and "celltag_parameters" not in page
    assert "# Parameters" not in page and "as_of = None" not in page  # papermill's cell, the notebook's
    assert "raw_dir=../data/raw as_of=None" in page  # what the notebook printed stays
    assert 'id="flows-code-toggle"' in page and 'href="index.html"' in page
    assert '<span class="nn">flows</span>' in page  # `import flows`: the code is there, hidden until asked


def test_pages_open_without_network(built):
    report, out = built
    for page in [report.index, *report.pages]:
        text = page.read_text(encoding="utf-8")
        assert remote_script_sources(text) == [], page.name
        assert not re.search(r"<script[^>]+src=[\"']?https?://", text), page.name
        outside_plotlyjs = drop_plotly_bundles(text)  # the bundle names a map-data URL
        assert "cdn.plot.ly" not in outside_plotlyjs and "require" not in outside_plotlyjs
        assert "cdnjs" not in outside_plotlyjs and "mathjax/" not in outside_plotlyjs.lower()
    asset = '<script type="text/javascript" src="plotly.min.js"></script>'
    for page in (report.index, out / "02_trends.html"):
        text = page.read_text(encoding="utf-8")
        assert "* plotly.js v" not in text, f"{page.name}: plotly.js must not be inlined in each page"
        assert text.count(asset) == 1 and text.index(asset) < text.index("</head>"), page.name
    assert (out / "plotly.min.js").read_text(encoding="utf-8").lstrip().startswith("/**\n* plotly.js v")
    trends = (out / "02_trends.html").read_text(encoding="utf-8")
    assert trends.count('class="plotly-graph-div"') == 3  # incl. the mimetype-only figure
    assert asset not in (out / "01_audit.html").read_text(encoding="utf-8")
    assert "copy or send this folder whole" in report.index.read_text(encoding="utf-8")


def test_standalone_pages_each_carry_plotly_js(tmp_path):
    """``flows report --standalone``: every page that plots opens alone (saved or mailed on its own)."""
    processed = write_processed(tmp_path / "processed")
    notebooks = write_notebooks(tmp_path / "notebooks")
    out = tmp_path / "reports"
    report = make_report(None, out=out, notebooks_dir=notebooks, progress=False, processed_dir=processed,
                         standalone=True)
    assert not (out / "plotly.min.js").exists()
    for page in (report.index, out / "02_trends.html"):
        text = page.read_text(encoding="utf-8")
        assert text.count("* plotly.js v") == 1 and 'src="plotly.min.js"' not in text, page.name
        assert text.index("* plotly.js v") < text.index("</head>") < text.index("Plotly.newPlot"), page.name
    assert "opens alone" in report.index.read_text(encoding="utf-8")


def test_failing_notebook_stops_the_report_and_says_which(tmp_path):
    processed = write_processed(tmp_path / "processed")
    notebooks = write_notebooks(tmp_path / "notebooks", failing=True)
    (notebooks / "02_trends.ipynb").unlink()
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.html").write_text("the previous report", encoding="utf-8")
    with pytest.raises(ReportError, match=r"03_forecast\.ipynb failed: ZeroDivisionError.*reports\.failed.*"
                                          r"the previous report in .*reports is unchanged"):
        make_report(None, out=out, notebooks_dir=notebooks, progress=False,
                    processed_dir=processed)
    assert [p.name for p in out.iterdir()] == ["index.html"]  # the previous report, untouched
    assert (out / "index.html").read_text(encoding="utf-8") == "the previous report"
    failed = tmp_path / "reports.failed"
    assert (failed / "03_forecast.html").exists()
    assert not (failed / "04_border.ipynb").exists()
    index = (failed / "index.html").read_text(encoding="utf-8")
    assert "Report incomplete" in index and "04_border" in index
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [
        "notebooks", "processed", "reports", "reports.failed"]


def test_a_successful_report_replaces_the_previous_one_whole(tmp_path):
    processed = write_processed(tmp_path / "processed")
    notebooks = write_notebooks(tmp_path / "notebooks")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "stale.html").write_text("from an older report", encoding="utf-8")
    report = make_report(None, out=out, notebooks_dir=notebooks, progress=False, processed_dir=processed)
    assert not (out / "stale.html").exists() and report.index == out / "index.html" and report.index.exists()
    assert all(p.parent == out and p.exists() for p in report.pages)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["notebooks", "processed", "reports"]


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(ReportError, match="no notebooks"):
        make_report(None, out=tmp_path / "r", notebooks_dir=tmp_path, progress=False,
                    processed_dir=tmp_path)


def test_an_output_path_that_is_a_file_is_refused(tmp_path):
    notebooks = write_notebooks(tmp_path / "notebooks")
    (tmp_path / "reports").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ReportError, match="reports is a file"):
        make_report(None, out=tmp_path / "reports", notebooks_dir=notebooks, progress=False, processed_dir=tmp_path)
    assert (tmp_path / "reports").read_text(encoding="utf-8") == "not a folder"
