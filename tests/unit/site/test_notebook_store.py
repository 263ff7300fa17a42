"""Notebooks are stored as JupyterLab 4 writes them, small, and with no warnings in their outputs.

The expected numbers below are what JupyterLab 4.6 wrote when it saved a notebook holding the
left-hand values (``tests/browser/test_jupyterlab.py`` repeats that round trip in a real browser).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from flows.site.execute import execute_in_place
from flows.site.notebook_store import NotebookStoreError, js_number, lab_form, write_notebook

REPO = Path(__file__).resolve().parents[3]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PLOTLY = "application/vnd.plotly.v1+json"
MAX_NOTEBOOK_BYTES = 1_500_000
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@pytest.mark.parametrize("value, saved", [
    (22096.0, 22096), (1.0, 1), (-0.0, 0), (0.1, 0.1), (1e-05, 1e-05), (1e-7, 1e-07),
    (1e16, 10000000000000000), (1e20, 100000000000000000000), (1e21, 1e21),
    (2**53 + 1, 9007199254740992), (12345678901234567890, 12345678901234567000),
    (0.30000000000000004, 0.30000000000000004), (5e-324, 5e-324), (123456.789e3, 123456789),
    (float("nan"), None), (float("inf"), None), (True, True), (7, 7),
])
def test_numbers_are_stored_as_jupyterlab_saves_them(value, saved):
    stored = js_number(value)
    assert stored == saved and type(stored) is type(saved)
    assert json.dumps(stored) == json.dumps(saved)


def test_lab_form_keeps_content_and_drops_what_describes_one_run():
    cell = new_code_cell("x", execution_count=1, metadata={
        "tags": ["parameters"], "collapsed": True,
        "execution": {"iopub.status.idle": "2026-01-01T00:00:00Z"}, "papermill": {"duration": 0.5}})
    cell.outputs = [
        new_output("stream", name="stdout", text="rows: 3"),
        new_output("stream", name="stdout", text="\n"),
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "a"},
                                         "text/plain": "backtest: 100%"}),
        new_output("stream", name="stdout", text="done\n"),
        new_output("stream", name="stderr", text="note\n"),
        new_output("display_data", data={PLOTLY: {"data": [{"y": [1.0, 2.5]}], "layout": {}}}),
    ]
    nb = new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"},
                                              "papermill": {"duration": 3.0}, "widgets": {}})
    stored = lab_form(nb, KERNELSPEC)
    assert stored.metadata == {"kernelspec": KERNELSPEC}
    assert stored.cells[0].metadata == {"tags": ["parameters"], "collapsed": True,
                                        "jupyter": {"outputs_hidden": True}}
    outputs = stored.cells[0].outputs
    assert [(o.get("name"), "".join(o.get("text", ""))) for o in outputs[:2]] == [
        ("stdout", "rows: 3\ndone\n"), ("stderr", "note\n")]  # one print, however it was flushed
    assert [list(o.data) for o in outputs[2:]] == [[PLOTLY]]  # the progress bar is gone
    assert outputs[2].data[PLOTLY]["data"][0]["y"] == [1, 2.5]
    assert nb.metadata["kernelspec"]["display_name"] == "Python 3"  # the input is not changed


def test_write_notebook_replaces_the_file_whole(tmp_path):
    path = tmp_path / "n.ipynb"
    path.write_text("old")
    write_notebook(new_notebook(cells=[new_code_cell("1")]), path, KERNELSPEC)
    assert nbformat.read(path, as_version=4).metadata == {"kernelspec": KERNELSPEC}
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert [p.name for p in tmp_path.iterdir()] == ["n.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_stored_as_jupyterlab_writes_it(path):
    """``make notebooks`` stores them this way; a notebook saved by other tools fails here."""
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    assert nbformat.writes(lab_form(nb), version=nbformat.NO_CONVERT) + "\n" == text, (
        f"{path.name} is not in JupyterLab's form: run `make notebooks`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_small_with_plotly_json_figures_and_no_warnings(path):
    size = path.stat().st_size
    assert size <= MAX_NOTEBOOK_BYTES, f"{path.name}: {size / 1e6:.2f} MB > {MAX_NOTEBOOK_BYTES / 1e6} MB"
    nb = nbformat.read(path, as_version=4)
    figures = 0
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            where = f"{path.name} cell {i}"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"{where} prints to stderr: {''.join(out.text)[:200]}"
            assert out.output_type != "error", f"{where}: {out.ename}"
            data = out.get("data", {})
            if PLOTLY in data:
                figures += 1
                assert list(data) == [PLOTLY], f"{where}: a figure also stored as {sorted(data)}"
            assert "Plotly.newPlot" not in data.get("text/html", ""), f"{where}: embedded plotly.js"
            assert "Warning" not in "".join(data.get("text/plain", "")) + "".join(out.get("text", "")), \
                f"{where}: a warning in the output"
    assert figures >= 1, f"{path.name}: no figures"


def test_executed_notebook_is_stored_clean(tmp_path, capfd):
    """A progress bar, a model fit that does not converge and a figure, run as `make notebooks`
    runs them: no warning reaches the stored notebook or the terminal."""
    processed = REPO / "data" / "processed"
    nb = new_notebook(cells=[
        new_code_cell("from tqdm.auto import tqdm\nfor _ in tqdm(range(3), desc='steps'):\n    pass"),
        new_code_cell(  # the first fit of notebook 03's backtest, which did not converge
            "import pandas as pd\nfrom flows.analysis import table as tb\n"
            "from flows.forecast import forecast, outlook as ol\n"
            "from flows.forecast.evaluation import masked\n"
            f"table = tb.load_table({str(processed)!r})\n"
            "as_of = tb.latest_month(table, None)\n"
            "y = masked(ol.build_series(table, as_of)['tw_to_jp'])\n"
            "bool(forecast(y.loc[:pd.Period('2017-12', 'M')], 12)['mean'].iloc[0] > 0)"),
        new_code_cell("from flows.viz import theme\nimport plotly.graph_objects as go\n"
                      "theme.setup_notebook()\ngo.Figure(go.Scatter(y=[1.0, 2.0]))"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    capfd.readouterr()
    execute_in_place(path, timeout=300)
    terminal = capfd.readouterr()
    assert "without encryption" not in terminal.err and "Warning" not in terminal.err, terminal.err[-500:]
    stored = nbformat.read(path, as_version=4)
    outputs = [o for c in stored.cells for o in c.outputs]
    assert [o.get("name") for o in outputs if o.output_type == "stream"] == [], outputs
    assert outputs[0].data["text/plain"] == "True"
    assert list(outputs[1].data) == [PLOTLY]
    assert path.read_text(encoding="utf-8") == nbformat.writes(lab_form(stored)) + "\n"


def test_failing_notebook_is_named_and_left_unchanged(tmp_path):
    path = tmp_path / "bad.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("1 / 0")]), path)
    before = path.read_bytes()
    with pytest.raises(NotebookStoreError, match=r"bad\.ipynb: cell 0 failed: ZeroDivisionError"):
        execute_in_place(path, timeout=120)
    assert path.read_bytes() == before


def test_finished_kernel_is_shut_down_without_an_interrupt():
    """jupyter_client sends SIGINT before asking a kernel to shut down; a kernel handling a message
    then logs "KeyboardInterrupt caught in kernel" though the run succeeded. Interrupts while the
    kernel runs still reach it."""
    import asyncio
    import signal

    from flows.site.execute import kernel_manager_class

    async def run() -> list:
        manager = kernel_manager_class()(kernel_name="python3")
        sent = []
        send = manager._async_signal_kernel

        async def spy(signum):
            sent.append(("running" if not manager.shutting_down else "shutting down", signum))
            await send(signum)

        manager._async_signal_kernel = spy
        await manager.start_kernel()
        try:
            await manager.interrupt_kernel()
        finally:
            await manager.shutdown_kernel()
        return sent

    assert asyncio.run(run()) == [("running", signal.SIGINT)]
