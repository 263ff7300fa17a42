"""Tables a reader looks at, shown as HTML tables (styled by the house CSS) with a text copy for checks.

``show(frame, caption, **to_string_options)`` displays one output carrying both forms: ``text/html``
(:meth:`pandas.DataFrame.to_html`, class ``flows-table``), which JupyterLab and the report show, and
``text/plain`` (:meth:`pandas.DataFrame.to_string` with the same options, wrapped at
:data:`LINE_WIDTH` characters), which nbval compares in the cells marked ``# NBVAL_CHECK_OUTPUT``.
The options are the ones both methods take (``formatters``, ``float_format``, ``index``, ``header``,
``na_rep``…), so one call formats both alike; the caption names the table and its unit.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

LINE_WIDTH = 100  # no printed line is wider (tests/integration/test_notebook_outputs.py)
CSS_CLASS = "flows-table"


class Table:
    """One table as IPython displays it: HTML for readers, wrapped text for ``text/plain``."""

    def __init__(self, frame: pd.DataFrame | pd.Series, caption: str | None = None, **options):
        if isinstance(frame, pd.Series):
            if frame.name is None:
                options.setdefault("header", False)
            frame = frame.to_frame()
        self.frame = frame
        self.caption = caption
        self.options = options

    def _repr_html_(self) -> str:
        body = self.frame.to_html(classes=CSS_CLASS, border=0, **self.options)
        if self.caption:
            body = body.replace(">\n", f">\n  <caption>{html.escape(self.caption)}</caption>\n", 1)
        return body

    def __repr__(self) -> str:
        text = self.frame.to_string(line_width=LINE_WIDTH, **self.options)
        return f"{textwrap.fill(self.caption, LINE_WIDTH)}\n{text}" if self.caption else text


def show(frame: pd.DataFrame | pd.Series, caption: str | None = None, **options) -> None:
    """Display ``frame`` as a :class:`Table` (in a notebook; elsewhere print its text)."""
    from IPython.display import display

    display(Table(frame, caption, **options))
