"""The report's charts really draw in a browser with no network (headless Chromium).

Skipped when no Chromium is found, unless ``FLOWS_REQUIRE_BROWSER`` is set (CI), in which case
a missing browser fails (:mod:`browser`).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from browser import launch_playwright_chromium, require_chromium
from site_inputs import sample_report

pytestmark = pytest.mark.slow  # executes notebooks and drives a browser: not in `make check`


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return sample_report(tmp_path_factory.mktemp("browser"))


def rendered_dom(chromium: str, page: Path, profile: Path) -> str:
    """The DOM after scripts ran; every request off this machine goes to a closed port."""
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions",
        "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
        f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _graph_divs(html: str) -> int:
    return len(re.findall(r'<div\b[^>]*\bclass="plotly-graph-div\b', html))


@pytest.mark.parametrize("page", ["index.html", "02_trends.html"])
def test_plotly_charts_render_offline(chromium, report, page, tmp_path):
    path = report.index.parent / page
    expected = _graph_divs(path.read_text(encoding="utf-8"))
    assert expected >= 1, f"{page} has no chart to render"

    dom = rendered_dom(chromium, path, tmp_path / "profile")

    drawn = len(re.findall(r'<div class="[^"]*\bsvg-container\b', dom))
    assert drawn == expected, f"{page}: {drawn} of {expected} charts drew"
    assert len(re.findall(r'<svg class="main-svg"', dom)) >= expected
    assert "js-plotly-plot" in dom


def test_code_is_hidden_until_the_reader_asks_for_it(report):
    playwright, browser = launch_playwright_chromium()
    try:
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto((report.index.parent / "01_audit.html").resolve().as_uri())
        code = page.locator(".jp-CodeCell .jp-Cell-inputWrapper", has_text="import flows")
        printed = page.locator(".jp-OutputArea-output pre", has_text="raw_dir=../data/raw")
        assert printed.is_visible() and not code.is_visible()
        page.click("#flows-code-toggle")
        assert code.is_visible() and page.inner_text("#flows-code-toggle") == "Hide code"
        page.click("#flows-code-toggle")
        assert not code.is_visible()
    finally:
        browser.close()
        playwright.stop()
