"""Printed figures compared with a tolerance: nbval's check of the notebooks that fit models.

nbval compares a checked cell's printed text exactly. Figures that come from fitted models (the
forecasts of notebook 03, the load of notebook 04) move in their last digits from one CPU to
another (BLAS kernels differ, optimisers land a hair apart), and no rounding holds across CPUs: a
value near a rounding boundary prints 1.65 on one machine and 1.66 on the next. So for those
notebooks ``notebooks/conftest.py`` asks :func:`same_figures` first: the words, labels and layout
must be the same (runs of spaces may differ, as columns widen), and each number must be within
:data:`RELATIVE` of the committed one, or one unit of its last printed digit. A headline that
really moves (a few percent) or a changed label still fails.
"""

from __future__ import annotations

import re

RELATIVE = 0.01  # as a forecast's point (flows.forecast.tolerance.POINT)
# Dates are labels, never figures; a number is a run of digits with thousands separators and decimals.
_DATE = r"\d{4}-\d{2}(?:-\d{2})?(?![\d.])"
_NUMBER = re.compile(rf"({_DATE})|([-+]?\d[\d,]*(?:\.\d+)?)")


def _split(text: str) -> tuple[list[str], list[str]]:
    """The words between numbers (spaces collapsed; dates kept among the words) and the numbers."""
    words, numbers, last = [], [], 0
    for match in _NUMBER.finditer(text):
        if match.group(1):
            continue
        words.append(text[last:match.start()])
        numbers.append(match.group(2))
        last = match.end()
    words.append(text[last:])
    return [re.sub(r"\s+", " ", w).strip() for w in words], numbers


def _close(expected: str, got: str, relative: float) -> bool:
    """Within one unit of the last printed digit; figures (a separator, decimals or five digits and
    more) also within ``relative``. Short plain integers (years, counts, percentages) get no more."""
    a, b = float(expected.replace(",", "")), float(got.replace(",", ""))
    decimals = len(expected.split(".")[1]) if "." in expected else 0
    figure = "," in expected or "." in expected or len(expected.lstrip("+-")) >= 5
    return abs(a - b) <= max(relative * abs(a) if figure else 0.0, 10.0 ** -decimals + 1e-12)


def same_figures(expected: str, got: str, relative: float = RELATIVE) -> bool:
    """True when ``got`` prints what ``expected`` prints, each number within ``relative`` (or one
    unit of its last printed digit) and everything else equal but for the width of spaces."""
    words_a, numbers_a = _split(expected)
    words_b, numbers_b = _split(got)
    return (words_a == words_b and len(numbers_a) == len(numbers_b)
            and all(_close(x, y, relative) for x, y in zip(numbers_a, numbers_b)))


# The notebooks whose outputs come from fitted models: their figures move in the last digits from one CPU
# to another (nbval compares their printed text with same_figures; the JupyterLab test their saved file
# with same_notebook).
FITTED = ("03_forecast.ipynb", "04_border_sharing_load.ipynb")
FIGURE_RELATIVE = 0.02  # a chart's numbers: as a forecast's bounds (flows.forecast.tolerance.BOUND)


def same_notebook(expected, got) -> bool:
    """Two notebooks (parsed JSON) that differ only where a fitted model's numbers may move: text with the
    same words and every number within :func:`same_figures`, plotly's binary arrays (``bdata``) within
    :data:`FIGURE_RELATIVE`; everything else equal."""
    import base64

    import numpy as np

    if isinstance(expected, dict) and isinstance(got, dict):
        if expected.keys() != got.keys():
            return False
        if "bdata" in expected and "dtype" in expected:
            if expected["dtype"] != got["dtype"] or expected.get("shape") != got.get("shape"):
                return False
            a, b = (np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).astype(float) for x in (expected, got))
            return a.shape == b.shape and bool(np.allclose(b, a, rtol=FIGURE_RELATIVE, atol=0, equal_nan=True))
        return all(same_notebook(expected[k], got[k]) for k in expected)
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(same_notebook(a, b) for a, b in zip(expected, got))
    if isinstance(expected, str) and isinstance(got, str):
        return expected == got or same_figures(expected, got)
    return expected == got or (isinstance(expected, float) and isinstance(got, float)
                               and abs(got - expected) <= FIGURE_RELATIVE * abs(expected))
