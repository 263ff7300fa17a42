"""JupyterLab saves no PNG snapshot beside a plotly figure (``make lab``'s server option)."""

from __future__ import annotations

import json
from pathlib import Path

from flows.site.lab_save import SERVER_OPTION, drop_plotly_images


def test_jupyterlab_saves_no_snapshot_beside_a_plotly_figure():
    figure = {"application/vnd.plotly.v1+json": {"data": []}, "image/png": "iVBOR", "text/plain": "fig"}
    chart = {"image/png": "iVBOR", "text/plain": "<Figure>"}  # a matplotlib chart keeps its image
    model = {"type": "notebook", "content": {"cells": [
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": json.loads(json.dumps(figure))},
                                          {"output_type": "display_data", "data": dict(chart)}]},
        {"cell_type": "markdown"}]}}
    drop_plotly_images(model=model, path="x.ipynb", contents_manager=None)
    outputs = model["content"]["cells"][0]["outputs"]
    assert outputs[0]["data"] == {"application/vnd.plotly.v1+json": {"data": []}, "text/plain": "fig"}
    assert outputs[1]["data"] == chart


def test_make_lab_passes_the_save_hook():
    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text(encoding="utf-8")
    assert f"LAB_SAVE := {SERVER_OPTION}" in makefile and "jupyter lab notebooks $(LAB_SAVE)" in makefile
