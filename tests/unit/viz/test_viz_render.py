"""Figures leave the kernel with their numbers at 6 significant digits, tables as HTML and text."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from flows.viz import render, tables, theme


def test_noise_of_another_cpu_does_not_change_the_stored_figure():
    y = np.array([0.1 + 0.2, 12345.678901234, 7_325_708.0, 1 / 3, np.nan])
    fig = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5], y=y))
    noisy = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5], y=y * (1 + 1e-13)))
    bundle = render.HouseRenderer().to_mimebundle(fig.to_dict())
    assert bundle == render.HouseRenderer().to_mimebundle(noisy.to_dict())
    assert bundle != pio.renderers["plotly_mimetype"].to_mimebundle(noisy.to_dict())  # plotly's own keeps the noise
    data = bundle[render.MIMETYPE]["data"][0]["y"]
    values = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
    assert values[:4].tolist() == [0.3, 12345.7, 7_325_708.0, 0.333333] and np.isnan(values[4])


def test_counts_and_whole_numbers_are_kept_exactly():
    assert render.round_number(7_325_708.000000001) == 7_325_708
    assert render.round_number(123_456_789.25) == 123_456_789
    assert render.round_figure({"a": [1.23456789e-7, 2, "2012"], "b": 0.1 + 0.7}) == {
        "a": [1.23457e-07, 2, "2012"], "b": 0.8}


def test_setup_notebook_selects_the_house_renderer():
    theme.setup_notebook()
    assert pio.renderers.default == render.RENDERER == theme.RENDERER


def test_a_table_is_html_for_readers_and_wrapped_text_for_checks():
    frame = pd.DataFrame({f"a column of {i}": [1.5 * i, 2.25] for i in range(9)}, index=["x", "y"])
    table = tables.Table(frame, "Caption (persons)", float_format="{:.1f}".format)
    html = table._repr_html_()
    assert '<table class="dataframe flows-table">' in html and "<caption>Caption (persons)</caption>" in html
    assert "<td>12.0</td>" in html
    text = repr(table)
    assert text.startswith("Caption (persons)\n") and "12.0" in text
    assert max(len(line) for line in text.splitlines()) <= tables.LINE_WIDTH < len(frame.to_string())


def test_axes_of_years_print_years_and_counts_keep_their_separator():
    fig = theme.finish(theme.new_figure(go.Scatter(x=[2012, 2020, 2030], y=[1_000, 2_000, 3_000])), "By year")
    assert fig.layout.xaxis.separatethousands is False and fig.layout.yaxis.separatethousands is not False
    months = theme.finish(theme.new_figure(go.Scatter(x=["2012-01", "2012-02"], y=[1, 2])), "By month")
    assert months.layout.xaxis.separatethousands is None


def test_a_figure_carries_its_layout_for_a_phone():
    fig = theme.new_subplots(rows=1, cols=2, subplot_titles=["left panel", "right panel"])
    fig.add_scatter(x=[1, 2], y=[1, 2], row=1, col=1)
    fig.add_scatter(x=[1, 2], y=[2, 1], row=1, col=2)
    fig.update_yaxes(title_text="a rather long axis title in some unit (persons)", row=1, col=1)
    theme.finish(fig, "A title long enough to wrap on a phone but not in a notebook", height=400)
    narrow = fig.layout.meta["narrow"]
    layout = narrow["layout"]
    assert narrow["below_px"] == 670 and "<br>" not in fig.layout.title.text
    assert max(len(line) for line in layout["title.text"].split("<br>")) <= 30
    assert "Source: Japan National Tourism Organization<br>(JNTO)" in layout["title.subtitle.text"]
    # the panels stacked, their names over them, the figure taller
    assert layout["xaxis.domain"] == layout["xaxis2.domain"] == [0, 1]
    assert layout["yaxis.domain"][0] > layout["yaxis2.domain"][1]
    assert layout["annotations[0].x"] == layout["annotations[1].x"] == 0.5 and layout["height"] > 400
    assert "<br>" in layout["yaxis.title.text"]
