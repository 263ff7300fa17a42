"""Figures of the data audit (notebook 01): coverage and status heatmap, headline bars, mirror chart.

Drawn on the house template of :mod:`flows.viz.theme` with its source line; the numbers come from
:mod:`flows.analysis.audit` and :mod:`flows.analysis.trends`. Nothing here computes statistics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from flows.viz import theme

STATUS_CODES = {"missing": 0, "estimate": 1, "provisional": 2, "final": 3}
STATUS_COLORS = {"missing": "#f2f2f2", "estimate": "#e69f00", "provisional": "#56b4e9", "final": "#1f5aa6"}


def coverage_heatmap(coverage: pd.DataFrame, title: str = "Coverage and status of every series, by month"
                     ) -> go.Figure:
    """One row per series, one column per month, coloured by status (not published / estimate /
    provisional / final); hover gives the exact value. ``coverage``: :func:`flows.analysis.audit.coverage`.

    Rows are labelled and the hover names the status too: for a few dozen series. Every series of the
    table (hundreds of rows no one can read) is drawn grouped instead: :func:`coverage_group_chart`."""
    order = list(dict.fromkeys(coverage["series"]))
    months = pd.period_range(coverage["month"].min(), coverage["month"].max(), freq="M")
    wide_status = coverage.pivot(index="series", columns="month", values="status").reindex(index=order,
                                                                                          columns=months)
    wide_value = coverage.pivot(index="series", columns="month", values="value").reindex(index=order,
                                                                                        columns=months)
    status = wide_status.fillna("missing").to_numpy(dtype=str)
    z = np.zeros(status.shape, dtype=np.uint8)
    for name, code in STATUS_CODES.items():
        z[status == name] = code
    values = wide_value.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    text = np.array([[f"{v:,.0f} persons" if not np.isnan(v) else "not published" for v in row] for row in values])
    customdata = np.dstack([text, status])
    hover = "%{y}<br>%{x|%Y-%m}: %{customdata[0]} (%{customdata[1]})<extra></extra>"
    n = len(STATUS_CODES)
    scale = []
    for status_name, code in STATUS_CODES.items():
        scale += [[code / n, STATUS_COLORS[status_name]], [(code + 1) / n, STATUS_COLORS[status_name]]]
    fig = theme.new_figure(go.Heatmap(
        z=z, x=theme.x_values(months), y=order, zmin=0, zmax=n, colorscale=scale,
        customdata=customdata, hovertemplate=hover,
        colorbar=dict(tickvals=[c + 0.5 for c in STATUS_CODES.values()],
                      ticktext=["not published" if k == "missing" else k for k in STATUS_CODES],
                      title=dict(text="status")),
        xgap=0, ygap=1,
    ))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=10), separatethousands=False, showgrid=False)
    return theme.finish(fig, title, y_title="series", x_title="month", height=22 * len(order) + 260)


def coverage_group_chart(groups: pd.DataFrame, title: str) -> go.Figure:
    """One panel per group of series (arrivals in Japan, in Taiwan, departures from Taiwan …): how many
    of its series are published each month, stacked by status, out of the group's series.
    ``groups``: :func:`flows.analysis.audit.coverage_groups`."""
    names = list(dict.fromkeys(groups["group"]))
    fig = theme.new_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.06)
    for row, name in enumerate(names, start=1):
        part = groups[groups["group"] == name]
        of = int(part["of"].iloc[0])
        for status in ("final", "provisional", "estimate"):
            g = part[part["status"] == status]
            fig.add_scatter(x=theme.x_values(pd.PeriodIndex(g["month"], freq="M")), y=g["series"], mode="lines",
                            stackgroup=f"g{row}", name=status, legendgroup=status, showlegend=row == 1,
                            line=dict(width=0.5, color=STATUS_COLORS[status]), fillcolor=STATUS_COLORS[status],
                            hovertemplate=f"{name}<br>%{{x|%Y-%m}}: %{{y}} of {of} series {status}<extra></extra>",
                            row=row, col=1)
        fig.update_yaxes(title_text=f"{name}<br>(series, of {of})", range=[0, of * 1.05], row=row, col=1)
    return theme.finish(fig, title, x_title="month", height=200 * len(names) + 200)


def headline_bars(totals: pd.DataFrame, year: int, title: str | None = None) -> go.Figure:
    """Two-way visits in ``year`` from each side's statistics, stacked by direction.

    ``totals``: index = perspective label, columns ``tw_to_jp`` and ``jp_to_tw`` (persons)."""
    fig = theme.new_figure()
    for col in ("tw_to_jp", "jp_to_tw"):
        fig.add_bar(x=totals.index.tolist(), y=totals[col], name=theme.DIRECTION_LABELS[col],
                    marker_color=theme.COLORS[col],
                    hovertemplate=f"%{{x}}<br>{theme.DIRECTION_LABELS[col]}: %{{y:,.0f}} persons<extra></extra>")
    two_way = totals["tw_to_jp"] + totals["jp_to_tw"]
    fig.add_scatter(x=totals.index.tolist(), y=two_way, mode="text", text=[f"{v:,.0f}" for v in two_way],
                    textposition="top center", showlegend=False, hoverinfo="skip")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, 1.15 * float(two_way.max())])
    return theme.finish(fig, title or f"Two-way visits between Taiwan and Japan, {year}",
                  y_title="visits per year (persons)", x_title="whose statistics")


def mirror_chart(mirror: pd.DataFrame, a_label: str, b_label: str, title: str, shocks=()) -> go.Figure:
    """Two counts of the same trips (top, persons) and their ratio a / b (bottom).
    ``mirror``: :func:`flows.analysis.trends.mirror`."""
    fig = theme.new_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.06)
    x = theme.x_values(mirror.index)
    fig.add_scatter(x=x, y=mirror["a"], name=a_label, line=dict(color=theme.COLORS["tw_to_jp"]),
                    hovertemplate=theme.persons_hover(a_label), row=1, col=1)
    fig.add_scatter(x=x, y=mirror["b"], name=b_label, line=dict(color=theme.COLORS["other"], dash="dash"),
                    hovertemplate=theme.persons_hover(b_label), row=1, col=1)
    fig.add_scatter(x=x, y=mirror["ratio"], name="ratio", line=dict(color=theme.COLORS["two_way"]), showlegend=False,
                    hovertemplate="%{x|%b %Y}<br>ratio %{y:.3f}<extra>ratio</extra>", row=2, col=1)
    fig.add_hline(y=1, line=dict(color="#999999", width=1), row=2, col=1)
    fig.update_yaxes(title_text=theme.PERSONS, row=1, col=1)
    fig.update_yaxes(title_text="ratio (arrivals / departures)", row=2, col=1)
    theme.log_axis(fig, mirror["ratio"], row=2, col=1)
    theme.add_shocks(fig, shocks, mirror.index.min(), mirror.index.max())
    return theme.finish(fig, title, x_title="month", height=600)
