"""What JupyterLab saves: no static image beside a plotly figure, so Run All → save changes nothing.

JupyterLab's plotly extension draws a figure from its JSON (``application/vnd.plotly.v1+json``) and
then puts a PNG snapshot of it into the output (``image/png``, 50–300 KB a figure), which a save
writes into the notebook: after Run All every figure would gain one, and a notebook re-run on
unchanged data would no longer be byte-identical (01: 391 KB → 702 KB). The extension has no
option to stop it, so the Jupyter server drops the snapshot as it saves: :func:`drop_plotly_images`
is a ``ContentsManager.pre_save_hook``, passed by ``make lab`` (:data:`SERVER_OPTION`) and by the
JupyterLab test. An image an output carries without plotly's JSON (a matplotlib chart) is kept.
"""

from __future__ import annotations

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
IMAGE = "image/png"
SERVER_OPTION = "--ContentsManager.pre_save_hook=flows.site.lab_save.drop_plotly_images"


def drop_plotly_images(model: dict, **_) -> None:
    """Remove ``image/png`` from every output that also carries a plotly figure (in place)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data")
            if isinstance(data, dict) and PLOTLY_MIMETYPE in data:
                data.pop(IMAGE, None)
