"""nbval settings for the notebooks.

``make test`` runs ``pytest tests notebooks --nbval-lax --nbval-current-env``: every cell must run
without error, and the cells marked ``# NBVAL_CHECK_OUTPUT`` (the printed key figures) must print
exactly what the committed notebook shows. Figures and rich displays are never compared: plotly's
JSON and HTML (and the Markdown sentences built from the same numbers) are excluded here through
nbval's ``skip_compare`` rather than by skipping cells, so those cells still execute.
"""

from __future__ import annotations

SKIP_COMPARE = (
    "application/vnd.plotly.v1+json",
    "text/html",
    "text/markdown",
    "application/javascript",
    "stderr",
)


def pytest_collectstart(collector):
    """Extend the output types nbval ignores when it compares a notebook's cells."""
    if hasattr(collector, "skip_compare") and str(getattr(collector, "path", "")).endswith(".ipynb"):
        collector.skip_compare = tuple(collector.skip_compare) + SKIP_COMPARE
