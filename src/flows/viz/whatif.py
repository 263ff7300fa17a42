"""Figures of notebook 05: how far each assumption moves the load across its range.

Drawn on the house template of :mod:`flows.viz.theme` (title, units, source line); the numbers come
from :func:`flows.exchange_load.whatif.sensitivity`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from flows.viz.theme import COLORS, finish, new_figure

NOTE = "Model: flows.exchange_load (assumptions in border_assumptions.yaml) on the outlook's sample paths"


def sensitivity_chart(ranking: pd.DataFrame, unit: str, title: str, note: str | None = NOTE) -> go.Figure:
    """Per assumption (largest swing on top), the figure with the assumption at the low and at the high
    end of its range, and a dashed line at the figure under the YAML's values. ``ranking``:
    :func:`flows.exchange_load.whatif.sensitivity`."""
    rows = ranking.iloc[::-1]
    fig = new_figure()
    for column, name, color in (("figure at low end", "at the low end of its range", COLORS["other"]),
                                ("figure at high end", "at the high end of its range", COLORS["tw_to_jp"])):
        ends = rows["low end"] if "low" in column else rows["high end"]
        fig.add_bar(y=rows["assumption"], x=rows[column], orientation="h", name=name, marker_color=color,
                    customdata=ends, hovertemplate=f"%{{y}} = %{{customdata}}: %{{x:,.0f}} {unit}<extra></extra>")
    at_value = float(ranking["figure at value"].iloc[0])
    fig.add_scatter(x=[at_value, at_value], y=[rows["assumption"].iloc[0], rows["assumption"].iloc[-1]],
                    mode="lines", line=dict(color=COLORS["jp_to_tw"], width=1.5, dash="dash"),
                    name=f"at the YAML's values: {at_value:,.0f}", hoverinfo="skip")
    fig.update_layout(barmode="group")
    fig.update_xaxes(rangemode="tozero")
    return finish(fig, title, x_title=unit, note=note, height=460)
