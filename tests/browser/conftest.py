"""The browser tests' one headless Chromium (Playwright over the system's browser: :mod:`browser`)."""

from __future__ import annotations

import pytest

from browser import launch_playwright_chromium


@pytest.fixture(scope="module")
def browser():
    playwright, launched = launch_playwright_chromium()
    yield launched
    launched.close()
    playwright.stop()
