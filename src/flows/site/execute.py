"""Re-execute notebooks in place, top to bottom, and store them as JupyterLab writes them.

``make notebooks`` (``flows notebooks``) runs each ``notebooks/NN_*.ipynb`` in a fresh kernel
started in the notebook's folder, then writes it with :mod:`flows.site.notebook_store`, so the
committed file is exactly what JupyterLab would save and re-running unchanged code on unchanged
data changes no byte. A notebook whose cell fails is left as it was.

Kernels are started with CurveZMQ transport encryption when the kernelspec declares it
(ipykernel ≥ 7.4 does). jupyter_client's default policy is ``disabled``; ipykernel then warns
"Kernel is running over TCP without encryption" on every start, which is what ``make report``
printed once per notebook. And a finished notebook's kernel is shut down without the SIGINT
jupyter_client sends first: a kernel that receives it while handling a message (the shutdown
request itself, which races it) logs "ERROR | KeyboardInterrupt caught in kernel" on a run that
succeeded. :func:`kernel_manager_class` is used here and by the report.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flows.site.notebook_store import NotebookStoreError, write_notebook

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"

logger = logging.getLogger(__name__)


def kernel_manager_class():
    """jupyter_client's async kernel manager, asking for transport encryption where the kernel
    and this pyzmq support it (older jupyter_client: not asked), and not interrupting a kernel
    it is shutting down."""
    import zmq
    from jupyter_client import AsyncKernelManager
    from traitlets import default

    encrypt = bool(AsyncKernelManager.class_traits().get("transport_encryption")) and zmq.has("curve")

    class QuietKernelManager(AsyncKernelManager):
        if encrypt:
            @default("transport_encryption")
            def _encrypt_when_supported(self):
                return "auto"

        async def _async_interrupt_kernel(self):
            if self.shutting_down:  # the notebook has finished: there is nothing to interrupt
                return
            await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel

    return QuietKernelManager


def execute_in_place(path: Path, *, kernel_name: str = "python3", timeout: int = 900) -> Path:
    """Execute the notebook ``path`` in its folder and store it; :class:`NotebookStoreError`
    (one line: file, cell, error) when a cell fails."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, record_timing=False,
                            resources={"metadata": {"path": str(path.parent.resolve())}},
                            kernel_manager_class=kernel_manager_class())
    try:
        client.execute()
    except CellExecutionError as exc:
        cell = next((i for i, c in enumerate(nb.cells)
                     if any(o.get("output_type") == "error" for o in c.get("outputs", []))), "?")
        raise NotebookStoreError(f"{path}: cell {cell} failed: {exc.ename}: "
                                 f"{str(exc.evalue).splitlines()[0] if exc.evalue else ''}") from None
    return write_notebook(nb, path)


def execute_notebooks(paths: list[Path]) -> None:
    """Execute and store each of ``paths`` in order, one line each on this module's logger (printed by
    ``flows notebooks``); stops at the first failure."""
    for path in paths:
        started = time.perf_counter()
        execute_in_place(path)
        size = Path(path).stat().st_size / 1e6
        logger.info(f"executed {path} in {time.perf_counter() - started:.0f} s ({size:.2f} MB)")


def default_notebooks(folder: Path = Path("notebooks")) -> list[Path]:
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))
