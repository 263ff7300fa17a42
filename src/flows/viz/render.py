"""How a figure leaves the kernel: plotly's JSON mimetype, its numbers at a precision that means something.

:data:`RENDERER` (``"flows"``) is plotly's own ``plotly_mimetype`` renderer (JupyterLab draws it with
the extension that ships with plotly; the report gives it an HTML rendering) with one change: every
number of the figure is stored to :data:`SIGNIFICANT` significant digits (:func:`round_figure`). Model
output such as an STL trend or a forecast path differs in its last bits from one CPU to another (BLAS
kernels); at 6 digits those differences vanish, so re-executing a notebook on another machine
stores the same bytes, and no chart changes by a visible amount (a pixel is 1 part in ~1,000).
Whole numbers are kept whole and numbers of more than 6 digits before the point lose only their
fraction, so a published count (7,325,708 persons) is stored exactly.
"""

from __future__ import annotations

import base64
import math

import numpy as np
import plotly.io as pio
from plotly.io._base_renderers import PlotlyRenderer

SIGNIFICANT = 6
RENDERER = "flows"
MIMETYPE = "application/vnd.plotly.v1+json"


def round_number(x: float, digits: int = SIGNIFICANT) -> float | int:
    """``x`` to ``digits`` significant digits, and never to fewer than its integer digits."""
    if not math.isfinite(x) or x == int(x):
        return x
    keep = max(digits, int(math.floor(math.log10(abs(x)))) + 1)
    return float(f"{x:.{keep}g}")


def round_array(a: np.ndarray, digits: int = SIGNIFICANT) -> np.ndarray:
    """Floating-point ``a`` with each element rounded by :func:`round_number`; others unchanged."""
    if not np.issubdtype(a.dtype, np.floating):
        return a
    return np.array([round_number(float(v), digits) for v in a.ravel()], dtype=a.dtype).reshape(a.shape)


def _typed_array(node: dict, digits: int) -> dict:
    """A plotly typed array (``{"dtype": "f8", "bdata": base64}``) with its numbers rounded."""
    dtype = np.dtype(node["dtype"])
    if not np.issubdtype(dtype, np.floating):
        return node
    values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=dtype)
    rounded = round_array(values, digits)
    return {**node, "bdata": base64.b64encode(rounded.astype(dtype).tobytes()).decode("ascii")}


def round_figure(node, digits: int = SIGNIFICANT):
    """A JSON-compatible figure (or any part of one) with every float to ``digits`` significant digits."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            return _typed_array(node, digits)
        return {key: round_figure(value, digits) for key, value in node.items()}
    if isinstance(node, list):
        return [round_figure(value, digits) for value in node]
    if isinstance(node, float):
        return round_number(node, digits)
    return node


class HouseRenderer(PlotlyRenderer):
    """plotly's JSON mimetype, with the figure's numbers rounded by :func:`round_figure`."""

    def to_mimebundle(self, fig_dict):
        bundle = super().to_mimebundle(fig_dict)
        return {MIMETYPE: round_figure(bundle[MIMETYPE])}


pio.renderers[RENDERER] = HouseRenderer()
