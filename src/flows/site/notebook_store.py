"""Write notebooks exactly as JupyterLab 4 saves them, so that opening one and saving changes no byte.

JupyterLab reads a notebook into the browser and sends it back as JSON built by JavaScript;
jupyter_server then writes it with nbformat (keys sorted, indent 1, non-ASCII kept, multi-line
strings split into lists, a final newline). Saving committed notebooks from JupyterLab 4.6 in
headless Chromium (``tests/browser/test_jupyterlab.py`` does it for every notebook) showed what changes
on the way, and :func:`lab_form` makes those changes before a notebook is stored:

- **numbers** become JavaScript numbers: ``22096.0`` → ``22096``, ``-0.0`` → ``0``, an integer
  beyond 2**53 is rounded as a double and written with zeros (``12345678901234567890`` →
  ``12345678901234567000``), NaN and ±Infinity → ``null``; other floats keep Python's shortest
  form (``0.1``, ``1e-05``: JavaScript writes ``0.00001``, Python reads and writes it back as
  ``1e-05``).
- **kernelspec** becomes the installed kernel's (``make`` installs ``python3``,
  ``"Python 3 (ipykernel)"``); ``language_info`` becomes the kernel's own reply, which an
  executed notebook already carries.
- a cell's legacy ``collapsed`` flag is mirrored into ``jupyter.outputs_hidden``.

Besides, what only describes one run is dropped, so re-executing unchanged code changes nothing:
papermill's and nbclient's timing metadata (``papermill``, ``execution``) and progress-bar widgets
(outputs that only show a widget, and the ``widgets`` state: a stored bar cannot be redrawn) — but
not a widget displayed under a fixed model id starting ``flows-`` (:data:`STABLE_WIDGET`, the
what-if explorer): running the notebook again in JupyterLab writes that output unchanged; and
consecutive outputs of one stream are joined (a print may reach the notebook in one message or
two). JupyterLab keeps all of that as it finds it.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import nbformat

from flows.atomic import replace_files

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STABLE_WIDGET = "flows-"  # model ids the project gives widgets it displays (kept in stored notebooks)
RUN_METADATA = ("execution", "papermill")  # cell metadata written by executors, one run's timings
_EXACT_INT = 2**53


class NotebookStoreError(Exception):
    """A notebook could not be stored; one line naming the file."""


def js_number(value):
    """``value`` as it comes back after JavaScript's ``JSON.parse`` and ``JSON.stringify`` and
    Python's ``json.loads``: the number jupyter_server writes when JupyterLab saves."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) <= _EXACT_INT:
        return value
    try:
        x = float(value)
    except OverflowError:  # an integer beyond the double range: Infinity in JavaScript
        return None
    if not math.isfinite(x):
        return None  # JSON.stringify(NaN) === "null"
    if x == 0:
        return 0
    # JavaScript writes the shortest digits that round-trip (as Python's repr), without an
    # exponent and without a decimal point when the number is whole and below 1e21.
    sign, digits, exponent = Decimal(repr(x)).normalize().as_tuple()
    k, n = len(digits), exponent + len(digits)
    if k <= n <= 21:
        return int(("-" if sign else "") + "".join(map(str, digits)) + "0" * (n - k))
    return x


def _numbers_as_js(node):
    if isinstance(node, dict):
        return {key: _numbers_as_js(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_numbers_as_js(value) for value in node]
    if isinstance(node, (int, float)):
        return js_number(node)
    return node


def installed_kernelspec(name: str = "python3") -> dict:
    """The notebook ``kernelspec`` JupyterLab writes for kernel ``name`` as installed here."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise NotebookStoreError(
            f"kernel {name!r} is not installed: run `python -m ipykernel install --sys-prefix "
            f"--name {name}` (make does it)") from None
    return {"display_name": spec.display_name, "language": spec.language, "name": name}


def _is_widget_only(output) -> bool:
    data = output.get("data", {})
    if WIDGET_VIEW not in data or not set(data) <= {WIDGET_VIEW, "text/plain"}:
        return False
    return not str(data[WIDGET_VIEW].get("model_id", "")).startswith(STABLE_WIDGET)


def lab_form(nb, kernelspec: dict | None = None):
    """A copy of notebook ``nb`` (nbformat 4) in the form JupyterLab 4 saves it.

    ``kernelspec``: defaults to :func:`installed_kernelspec` for the notebook's kernel name.
    """
    nb = nbformat.from_dict(_numbers_as_js(nb))
    metadata = nb.metadata
    if kernelspec is None:
        kernelspec = installed_kernelspec(metadata.get("kernelspec", {}).get("name", "python3"))
    metadata["kernelspec"] = nbformat.from_dict(kernelspec)
    for key in ("papermill", "widgets"):
        metadata.pop(key, None)
    for cell in nb.cells:
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if "collapsed" in cell.metadata:
            cell.metadata.setdefault("jupyter", {})["outputs_hidden"] = cell.metadata["collapsed"]
        if cell.cell_type == "code":
            cell.outputs = _merge_streams([o for o in cell.outputs if not _is_widget_only(o)])
    return nb


def _merge_streams(outputs: list) -> list:
    """Consecutive outputs of one stream joined: how the kernel happened to flush a print (one
    message or two) must not change the stored file."""
    merged = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and last is not None
                and last.get("output_type") == "stream" and last.get("name") == out.get("name")):
            last["text"] = "".join(last["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def write_notebook(nb, path: Path, kernelspec: dict | None = None) -> Path:
    """Write ``nb`` to ``path`` in JupyterLab's form, atomically (:func:`flows.atomic.replace_files`)."""
    path = Path(path)
    text = nbformat.writes(lab_form(nb, kernelspec), version=nbformat.NO_CONVERT)
    if not text.endswith("\n"):
        text += "\n"  # as nbformat.write and jupyter_server add
    replace_files(path.parent, {path.name: text})
    return path

