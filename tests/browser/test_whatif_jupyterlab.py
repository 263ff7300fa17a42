"""Notebook 05's what-if controls in a real JupyterLab: run the notebook, change three assumptions in the
browser, read the figures shown; they equal ``flows.exchange_load`` run with those values (notebook
04's chain, :func:`flows.exchange_load.whatif.full_per_path`). Saving afterwards changes no byte of
the notebook: the widget's state is not stored and its output is written the same on every run.

A JupyterLab server over a copy of notebook 05 beside a link to ``data/`` (the notebook reads
``../data/processed``), driven by Playwright with the system Chromium (:mod:`browser`).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from test_jupyterlab import KERNEL_READY, _first_differences

from flows.exchange_load import assumptions as asm
from flows.exchange_load import whatif
from lab_server import jupyterlab

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "05_what_if.ipynb"
CHANGES = {"third_country_share_tw_jp": 0.25, "break_start_multiplier": 2.0, "capacity_per_hour": 3000}



@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    base = tmp_path_factory.mktemp("whatif_lab")
    root = base / "notebooks"
    root.mkdir()
    shutil.copy2(REPO / "notebooks" / NOTEBOOK, root / NOTEBOOK)
    (base / "data").symlink_to(REPO / "data", target_is_directory=True)
    with jupyterlab(base, root, "--LabApp.expose_app_in_browser=True") as (url, token):
        yield url, token, root


def _type_into_readout(page, name: str, value: float) -> None:
    readout = page.locator(f".flows-whatif-{name} .widget-readout")
    readout.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(f"{value}")
    page.keyboard.press("Enter")


def test_controls_in_jupyterlab_show_the_models_figures_and_save_nothing(browser, lab):
    url, token, root = lab
    path = root / NOTEBOOK
    original = path.read_bytes()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{url}/lab/workspaces/whatif/tree/{NOTEBOOK}?reset&token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=90_000)
        # Run All only once the kernel is connected: clicked earlier, JupyterLab may ask which kernel to start
        # and leave Run All waiting behind that dialog.
        page.wait_for_function(KERNEL_READY, timeout=120_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_selector('.flows-whatif-figures [data-figure="records_peak_hour"]', timeout=360_000)

        _type_into_readout(page, "third_country_share_tw_jp", CHANGES["third_country_share_tw_jp"])
        _type_into_readout(page, "break_start_multiplier", CHANGES["break_start_multiplier"])
        box = page.locator(".flows-whatif-capacity_per_hour input")
        box.fill(str(CHANGES["capacity_per_hour"]))
        box.press("Enter")
        page.wait_for_function(
            "() => { const t = document.querySelector('.flows-whatif-yaml pre')?.textContent || '';"
            " return t.includes('value: 0.25') && t.includes('value: 2  #') && t.includes('value: 3000'); }",
            timeout=60_000)
        page.wait_for_function(  # the figures redrawn for those values
            "() => (document.querySelector('.flows-whatif-figures p')?.textContent || '').includes('capacity 3,000')",
            timeout=60_000)
        shown = {f: float(page.get_attribute(f'.flows-whatif-figures [data-figure="{f}"]', "data-value"))
                 for f in whatif.FIGURES}
        year = int(page.locator(".flows-whatif-year select").input_value())

        a = asm.read_assumptions(**CHANGES)
        travellers = whatif.outlook_travellers_from(REPO / "data" / "processed")
        expected = whatif.at_quantile(whatif.full_per_path(travellers, a, "tw_to_jp"), 0.5).loc[year]
        assert shown == expected.to_dict()
        yaml_default = whatif.Explorer(travellers).figures(asm.read_assumptions(), year)
        assert shown["records_peak_hour"] > yaml_default["records_peak_hour"]  # the controls did act

        before = path.stat().st_mtime_ns
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while path.stat().st_mtime_ns == before:
            assert time.monotonic() < deadline, "JupyterLab did not save within 30 s"
            time.sleep(0.2)
        time.sleep(0.5)
        saved = path.read_bytes()
        # make lab's save option drops the PNG snapshots JupyterLab's plotly renderer adds (flows.site.lab_save)
        assert saved == original, (
            "Run All, three changed controls and a save changed the notebook:\n" + _first_differences(original, saved))
    finally:
        context.close()
