"""flows.viz.theme: a notebook figure is plotly's JSON mimetype alone."""

from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

from flows import ATTRIBUTION
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


def test_the_header_wraps_the_title_and_puts_the_legend_under_it():
    fig = theme.finish(theme.new_figure(), "A title long enough to need a second line in a narrow notebook page",
                       note="A note.", height=500)
    assert fig.layout.title.text.count("<br>") == 1
    assert theme.source_text(fig) == f"A note. {ATTRIBUTION}"
    header = theme.header_height(2, 2)
    assert theme.TEMPLATE.layout.legend.yref == "container"  # placed in pixels from the top
    assert fig.layout.legend.y == pytest.approx(1 - header / 500) and fig.layout.margin.t == header + 8


def test_panels_named_above_their_plots_send_the_legend_to_the_foot():
    fig = theme.new_subplots(rows=1, cols=2, subplot_titles=["left", "right"])
    fig.add_scatter(x=[1], y=[1], row=1, col=1)
    theme.finish(fig, "Panels", note=None)
    assert (fig.layout.legend.y, fig.layout.legend.yanchor) == (0, "bottom")
    assert fig.layout.margin.t == theme.header_height(1, 1) + theme.PANEL_TITLE
