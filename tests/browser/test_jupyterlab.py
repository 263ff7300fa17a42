"""Notebooks stay put in JupyterLab 4: opening one and saving, or running it all and saving, changes no byte.

One real JupyterLab server (127.0.0.1, a free port, a token, no browser), started with the option
``make lab`` passes (:data:`flows.site.lab_save.SERVER_OPTION`), serves a copy of ``notebooks/``
(beside a link to ``data/``, so the notebooks read the committed table) plus a notebook of edge
cases written by :mod:`flows.site.notebook_store`. Each is opened in headless Chromium driven by
Playwright, as a reader would: JupyterLab starts its kernel, draws every plotly figure, the page is
scrolled to the end; then Ctrl+S saves it. The saved file must equal the original byte for byte,
the notebook must not have been marked modified, and the number of drawn plotly charts must equal
the number of figure outputs. Then, as an analyst would, each notebook is run whole (Run All),
scrolled through so that every new figure is drawn (JupyterLab's plotly extension snapshots each
drawn figure into the output as a PNG), and saved: the file must again be byte-identical.

Skipped when Chromium or the ``playwright`` package is missing, unless ``FLOWS_REQUIRE_BROWSER``
is set (CI), in which case that fails (:mod:`browser`). ``FLOWS_CHROMIUM`` may name the browser
binary (Playwright's own browser download is not needed: the system Chromium is driven).
"""

from __future__ import annotations

import difflib
import json
import shutil
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from flows.site.notebook_store import write_notebook
from flows.site.printed_figures import FITTED, same_notebook
from lab_server import jupyterlab

pytestmark = pytest.mark.slow  # a JupyterLab server and a browser: not in `make check`

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PLOTLY = "application/vnd.plotly.v1+json"
EDGE_CASES = "zz_edge_cases.ipynb"
VIEWPORT = {"width": 1280, "height": 900}
RUN_ALL_TIMEOUT_MS = 600_000  # notebook 03 forecasts and backtests in the kernel



def kernel_language_info(name: str = "python3") -> dict:
    """The ``language_info`` the kernel reports (JupyterLab stores it, as executing does)."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name=name)
    try:
        return client.kernel_info(reply=True, timeout=60)["content"]["language_info"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def edge_case_notebook(language_info: dict):
    """Numbers, metadata and outputs whose stored form JupyterLab would change if the store got
    them wrong. The figure sits below a tall markdown cell, out of the first screen (see
    :func:`test_notebook_round_trips_through_jupyterlab` on figures drawn in view)."""
    figure = {
        "data": [{"type": "scatter", "x": [1.0, 0.1, 1e-05, 1e-7, 1e16, 1e20, 1e21, -0.0, 2**53 + 1,
                                            12345678901234567890, 0.30000000000000004, 5e-324,
                                            float("nan"), 123456789.0, -2.5e-8],
                  "y": [22096.0, None, 3]}],
        "layout": {"height": 300.0, "title": {"text": "é — 日本 \u2028"}, "yaxis": {"range": [0.0, 1.5]}},
        "config": {"displaylogo": False},
    }
    run = {"papermill": {"duration": 1.25}, "execution": {"iopub.status.idle": "2026-01-01T00:00:00Z"}}
    cells = [
        new_markdown_cell("# Edge cases\n" + "\n".join(f"Line {i} of a tall cell.\n" for i in range(60))),
        new_code_cell("print('a'); print('b')", execution_count=1, metadata={"tags": ["x"], **run},
                      outputs=[new_output("stream", name="stdout", text="a\n"),
                               new_output("stream", name="stdout", text="b\n"),
                               new_output("stream", name="stderr", text="10%\r50%\r100%\n")]),
        new_code_cell("fig", execution_count=2, metadata={"collapsed": False, "scrolled": True},
                      outputs=[new_output("display_data", data={PLOTLY: figure}, metadata={}),
                               new_output("execute_result", execution_count=2,
                                          data={"text/plain": "2.0", "text/markdown": "**2**\nnext"},
                                          metadata={"weight": 2.0})]),
        new_code_cell("x = 1", execution_count=3, metadata={"collapsed": True}),
        new_code_cell("", execution_count=None),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata.update({"language_info": language_info, "papermill": {"duration": 9.0},
                        "project": {"share": 0.5, "count": 3.0}})
    return nb


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    """A JupyterLab server over a copy of notebooks/ (and the edge cases); yields (url, token, root)."""
    base = tmp_path_factory.mktemp("jupyterlab")
    root = base / "notebooks"
    root.mkdir()
    (base / "data").symlink_to(REPO / "data", target_is_directory=True)  # the notebooks' ../data/processed
    for path in NOTEBOOKS:
        shutil.copy2(path, root / path.name)
    write_notebook(edge_case_notebook(kernel_language_info()), root / EDGE_CASES)
    with jupyterlab(base, root, "--LabApp.expose_app_in_browser=True") as (url, token):
        yield url, token, root


def figure_outputs(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(PLOTLY in out.get("data", {}) for cell in nb["cells"] for out in cell.get("outputs", []))


def _first_differences(before: bytes, after: bytes, limit: int = 12) -> str:
    old = before.decode("utf-8", "replace").splitlines()
    new = after.decode("utf-8", "replace").splitlines()
    lines = [line[:160] for line in difflib.unified_diff(old, new, "stored", "saved by JupyterLab",
                                                          lineterm="", n=0)]
    return "\n".join(lines[2:2 + limit])


def _open(page, url: str, token: str, path: Path) -> None:
    """Open the notebook ``path`` alone in a workspace of its own and wait until its kernel is idle."""
    workspace = "".join(c if c.isalnum() else "-" for c in path.stem)
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path.name}?reset&token={token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
    panels = page.locator(".jp-NotebookPanel").count()
    assert panels == 1, f"{path.name}: {panels} notebooks open, expected only this one"
    # JupyterLab rewrites kernelspec and language_info once the kernel answers: wait for it.
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=60_000)


def _read_through(page, expected: int) -> dict:
    """Wait for ``expected`` plotly charts, scroll to the end; what was drawn and whether it is modified."""
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-NotebookPanel .jp-RenderedPlotly.js-plotly-plot')"
        ".length >= n", arg=expected, timeout=60_000)
    scroller = ".jp-NotebookPanel .jp-WindowedPanel-outer"
    page.eval_on_selector(scroller, "el => el.scrollTop = 0")
    at_end = False
    while not at_end:
        page.wait_for_timeout(250)
        at_end = page.eval_on_selector(
            scroller, "el => { el.scrollTop += el.clientHeight * 0.8; "
                      "return el.scrollTop + el.clientHeight >= el.scrollHeight - 2; }")
    page.wait_for_timeout(1500)  # any late change to the model (a renderer's) lands now
    drawn = page.locator(".jp-NotebookPanel .jp-RenderedPlotly.js-plotly-plot").count()
    dirty = page.locator(".jp-NotebookPanel.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty").count() > 0
    return {"expected": expected, "drawn": drawn, "dirty": dirty}


def _save(page, path: Path, before: int) -> None:
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name}: JupyterLab did not save within 30 s")
        time.sleep(0.2)
    time.sleep(0.5)  # the rename of the saved file is complete


def open_read_and_save(browser, url: str, token: str, root: Path, name: str) -> dict:
    """Open ``name`` in JupyterLab, wait for its kernel and figures, scroll to the end, save."""
    path = root / name
    before = path.stat().st_mtime_ns
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        _open(page, url, token, path)
        seen = _read_through(page, figure_outputs(path))
        _save(page, path, before)
        return seen
    finally:
        context.close()


# Outputs of the open notebook's model that carry a PNG snapshot beside a plotly figure.
_SNAPSHOTS = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  let n = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (let j = 0; j < cell.outputs.length; j++) {
      const data = cell.outputs.get(j).data;
      if ('image/png' in data && 'application/vnd.plotly.v1+json' in data) n++;
    }
  }
  return n;
}"""


# The open notebook's kernel is connected and idle (the toolbar's indicator can read idle before).
KERNEL_READY = """() => {
  const widget = window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext.session && widget.sessionContext.session.kernel;
  return Boolean(kernel) && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""


def run_all_and_save(browser, url: str, token: str, root: Path, name: str) -> dict:
    """Open ``name``, Run All (JupyterLab's own command), read it through so every figure is drawn, save."""
    path = root / name
    before = path.stat().st_mtime_ns
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(RUN_ALL_TIMEOUT_MS)
    try:
        _open(page, url, token, path)
        page.wait_for_function(KERNEL_READY, timeout=120_000)  # a fresh kernel would leave Run All queued
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=RUN_ALL_TIMEOUT_MS)
        seen = _read_through(page, figure_outputs(path))
        seen["snapshots"] = page.evaluate(_SNAPSHOTS)
        _save(page, path, before)
        return seen
    finally:
        context.close()


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS] + [EDGE_CASES])
def test_notebook_round_trips_through_jupyterlab(browser, lab, name):
    url, token, root = lab
    original = (root / name).read_bytes()
    seen = open_read_and_save(browser, url, token, root, name)
    saved = (root / name).read_bytes()
    png = b'"image/png"' in saved and b'"image/png"' not in original
    assert saved == original, (
        f"{name}: saving from JupyterLab changed the file (marked modified: {seen['dirty']}"
        + ("; JupyterLab's plotly renderer added an image/png to a figure drawn in view" if png
           else "") + f"):\n{_first_differences(original, saved)}")
    assert not seen["dirty"], f"{name}: JupyterLab marked the notebook modified on opening"
    assert seen["drawn"] == seen["expected"], (
        f"{name}: {seen['drawn']} plotly charts drawn for {seen['expected']} figure outputs")
    if name != EDGE_CASES:
        assert seen["expected"] >= 1, f"{name}: no figure to draw"


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_run_all_and_save_leaves_the_notebook_unchanged(browser, lab, name):
    """Re-running unchanged code on unchanged data and saving from JupyterLab changes no byte: the
    outputs are the committed ones (figures at 6 digits, tables, streams as stored) and the PNG
    snapshots JupyterLab's plotly extension adds are not saved (``make lab``'s server option)."""
    url, token, root = lab
    original = (root / name).read_bytes()
    seen = run_all_and_save(browser, url, token, root, name)
    saved = (root / name).read_bytes()
    # A fitted model's figures move in the last digits on another CPU: there, within their tolerance.
    tolerated = name in FITTED and same_notebook(json.loads(original), json.loads(saved))
    assert saved == original or tolerated, (
        f"{name}: Run All then save in JupyterLab changed the file "
        f"({seen['snapshots']} PNG snapshots in the open notebook, {len(original):,} → {len(saved):,} bytes):"
        f"\n{_first_differences(original, saved)}")
    assert seen["drawn"] == seen["expected"], (
        f"{name}: {seen['drawn']} plotly charts drawn for {seen['expected']} figure outputs")
