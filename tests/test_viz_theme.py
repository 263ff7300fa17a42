"""flows.viz.theme: a notebook figure is plotly's JSON mimetype alone."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio

from flows.viz import theme, trends
from house_style import MONTHS


def test_notebook_figures_are_plotly_json_only():
    """No plotly.js, no HTML copy, no random id: the stored output is the figure's JSON."""
    theme.setup_notebook()
    assert pio.renderers.default == theme.RENDERER and pio.templates.default == theme.TEMPLATE_NAME
    fig = trends.monthly_lines(pd.DataFrame({"x": [1, 2]}, index=MONTHS[:2]), "t")
    bundle = pio.renderers[theme.RENDERER].to_mimebundle(fig.to_dict())
    assert list(bundle) == ["application/vnd.plotly.v1+json"]
    assert bundle == pio.renderers[theme.RENDERER].to_mimebundle(fig.to_dict())
    assert bundle["application/vnd.plotly.v1+json"]["layout"]["title"]["text"] == "t"
