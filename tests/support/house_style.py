"""What every figure of :mod:`flows.viz` carries: its title, units on the value axis, exact hover
values and the source line (shared by the tests of each figure module)."""

from __future__ import annotations

import pandas as pd

from flows import ATTRIBUTION
from flows.viz.theme import source_text

MONTHS = pd.period_range("2019-01", "2019-06", freq="M", name="month")


def assert_house_style(fig, title, y_unit=None, x_title=None):
    assert fig.layout.title.text == title
    if y_unit is not None:
        assert y_unit in fig.layout.yaxis.title.text
    if x_title is not None:
        assert fig.layout.xaxis.title.text == x_title
    assert ATTRIBUTION in source_text(fig)
    for trace in fig.data:
        if trace.hoverinfo != "skip" and getattr(trace, "mode", None) != "text":
            assert trace.hovertemplate, f"trace {trace.name!r} has no hover template"
    fig.to_json()  # serialises (no Period objects left)
