"""Headless Chromium for the tests that render pages: the system's browser (Debian's ``chromium``),
driven directly or through Playwright for Python; no browser is ever downloaded.

Without Chromium (or Playwright) these tests skip and say why, unless ``FLOWS_REQUIRE_BROWSER`` is
set (CI), in which case they fail. ``FLOWS_CHROMIUM`` may name the binary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
              "headless_shell")
# No first-run work, no calls home: the pages under test must draw with what is on disk.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]


def chromium_path() -> str | None:
    named = os.environ.get("FLOWS_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).exists() else None)
    return next((found for c in CANDIDATES if (found := shutil.which(c))), None)


def unavailable(message: str):
    """Skip with ``message``, or fail when ``FLOWS_REQUIRE_BROWSER`` says the browser must be there."""
    if os.environ.get("FLOWS_REQUIRE_BROWSER"):
        pytest.fail(f"{message}; FLOWS_REQUIRE_BROWSER is set")
    pytest.skip(message)


def require_chromium() -> str:
    binary = chromium_path()
    if binary is None:
        unavailable("headless Chromium not found (apt-get install chromium, or set FLOWS_CHROMIUM)")
    return binary


def launch_playwright_chromium():
    """``(playwright, browser)``: Playwright driving the system Chromium. Stop both when done."""
    binary = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[browser]')")
    playwright = sync_playwright().start()
    try:
        return playwright, playwright.chromium.launch(executable_path=binary, args=LAUNCH_ARGS)
    except Exception:
        playwright.stop()
        raise
