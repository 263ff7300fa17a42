"""flows.viz.theme: the notebook renderer embeds plotly.js and gives figures stable ids."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio

from flows.viz import theme, trends
from house_style import MONTHS


def test_notebook_renderer_embeds_plotlyjs_and_has_stable_ids():
    renderer = theme.StableNotebookRenderer()
    fig = trends.monthly_lines(pd.DataFrame({"x": [1, 2]}, index=MONTHS[:2]), "t").to_dict()
    first = renderer.to_mimebundle(fig)["text/html"]
    again = theme.StableNotebookRenderer().to_mimebundle(fig)["text/html"]
    assert first == again and "flows-figure-1-" in first
    assert "cdn" not in first.lower()
    assert renderer.connected is False  # plotly.js is embedded when the renderer activates
    theme.setup_notebook()
    assert pio.renderers.default == theme.RENDERER and pio.templates.default == theme.TEMPLATE_NAME
