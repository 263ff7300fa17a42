"""Each figure's layout on a phone, stored with the figure for the report's pages to switch to.

A figure laid out for a notebook (about 700 px and wider) does not fit a phone: its header, axis
titles and side-by-side panels run out of a 360 px chart. :func:`narrow_layout` gives, as
``Plotly.relayout`` keys, what changes below :data:`NARROW_PX`: the header wrapped shorter (the figure
grows by as much, :func:`flows.viz.theme.header_layout`), long axis titles and category labels
wrapped, monthly ticks every quarter, and panels side by side stacked one under the other.
:func:`flows.viz.theme.finish` stores it in ``layout.meta.narrow``; ``flows/data/narrow_charts.js``
applies it on the report's pages (and wraps long legend entries), and restores the figure when the
window grows again. Notebooks in JupyterLab keep the figure as drawn.
"""

from __future__ import annotations

import re
import textwrap

import plotly.graph_objects as go

NARROW_PX = 670  # below this chart width the narrow layout applies
TITLE_CHARS, NOTE_CHARS, LEGEND_CHARS, AXIS_CHARS, CATEGORY_CHARS = 30, 50, 34, 30, 16
MIN_AXIS_CHARS, CHAR_PX = 12, 7.5  # axis titles (13 px font)
PANEL_PX, PANEL_GAP_PX, FOOT_PX = 240, 110, 90  # a stacked panel, the room between two, under the last
ROWS_PX = 120  # added to a figure of plots one above the other: its legend takes more rows on a phone


def wrap(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` characters with ``<br>`` (its own ``<br>`` become spaces)."""
    lines = textwrap.wrap(re.sub(r"\s*<br>\s*", " ", str(text)), width)
    return "<br>".join(lines) if lines else str(text)


def _axes(fig: go.Figure, prefix: str) -> list[str]:
    return sorted(k for k in fig.layout.to_plotly_json() if re.fullmatch(prefix + r"\d*", k))


def _axis_titles(fig: go.Figure, plot_px: float) -> dict:
    """Axis titles longer than :data:`AXIS_CHARS` wrapped; a y axis title no longer than its plot is
    high (``plot_px``: the height of all plots; :data:`CHAR_PX` a character)."""
    out = {}
    for name in _axes(fig, "xaxis") + _axes(fig, "yaxis"):
        text = fig.layout[name].title.text
        if not text:
            continue
        width = AXIS_CHARS
        if name.startswith("y"):
            low, high = fig.layout[name].domain or (0, 1)
            width = max(MIN_AXIS_CHARS, min(AXIS_CHARS, int((high - low) * plot_px / CHAR_PX)))
        if max(len(line) for line in text.split("<br>")) > width:
            out[f"{name}.title.text"] = wrap(text, width)
    return out


def _ticks(fig: go.Figure) -> dict:
    """Long category labels of x axes wrapped; monthly ticks of date axes every third month."""
    out = {}
    for name in _axes(fig, "xaxis"):
        axis = fig.layout[name]
        if axis.dtick == "M1":
            out[f"{name}.dtick"] = "M3"
        axis_id = "x" + name[5:]
        labels = [v for t in fig.data if (getattr(t, "xaxis", None) or "x") == axis_id
                  and getattr(t, "x", None) is not None for v in t.x if isinstance(v, str)]
        labels = list(dict.fromkeys(labels))
        if labels and axis.tickvals is None and any(len(v) > CATEGORY_CHARS for v in labels):
            out[f"{name}.tickmode"] = "array"
            out[f"{name}.tickvals"] = labels
            out[f"{name}.ticktext"] = [wrap(v, CATEGORY_CHARS) for v in labels]
    return out


def _stacked_panels(fig: go.Figure, top_px: int, is_panel_title) -> dict:
    """Panels side by side (one row of subplots) stacked one under the other, each :data:`PANEL_PX`
    high, their names moved over them; ``top_px``: the top margin (the header)."""
    xs = [k for k in _axes(fig, "xaxis") if not fig.layout[k].overlaying]
    ys = [k for k in _axes(fig, "yaxis") if not fig.layout[k].overlaying]
    columns = sorted({tuple(fig.layout[k].domain or (0, 1)) for k in xs})
    rows = {tuple(fig.layout[k].domain or (0, 1)) for k in ys}
    if len(columns) < 2 or len(rows) != 1:
        return {}
    n = len(columns)
    area = n * PANEL_PX + (n - 1) * PANEL_GAP_PX
    out = {"height": top_px + area + FOOT_PX}
    tops = []
    for k, column in enumerate(columns):
        top = 1 - k * (PANEL_PX + PANEL_GAP_PX) / area
        tops.append(top)
        for name in xs:
            if tuple(fig.layout[name].domain or (0, 1)) == column:
                out[f"{name}.domain"] = [0, 1]
                anchor = fig.layout[name].anchor or "y"
                out[f"yaxis{anchor[1:]}.domain"] = [round(top - PANEL_PX / area, 6), round(top, 6)]
    for i, annotation in enumerate(fig.layout.annotations):
        if is_panel_title(annotation):
            k = next((k for k, (x0, x1) in enumerate(columns) if x0 <= annotation.x <= x1), None)
            if k is not None:
                out[f"annotations[{i}].x"] = 0.5
                out[f"annotations[{i}].y"] = round(tops[k], 6)
    return out


def narrow_layout(fig: go.Figure, header: dict, is_panel_title) -> dict:
    """The relayout keys of ``fig`` on a phone; ``header``: its header wrapped for a phone
    (:func:`flows.viz.theme.header_layout`); ``is_panel_title``: tells a subplot's name."""
    layout = {**header, **_ticks(fig)}
    layout.update(_stacked_panels(fig, header["margin.t"], is_panel_title))
    ys = [k for k in _axes(fig, "yaxis") if not fig.layout[k].overlaying]
    if len({tuple(fig.layout[k].domain or (0, 1)) for k in ys}) > 1 and "xaxis.domain" not in layout:
        layout["height"] = header["height"] + ROWS_PX
    plot_px = layout["height"] - layout["margin.t"] - FOOT_PX
    layout.update(_axis_titles(fig, plot_px))
    if layout["height"] != header["height"]:  # the title and legend keep their place in pixels
        layout["title.y"] = 1 - (1 - header["title.y"]) * header["height"] / layout["height"]
        if header.get("legend.yanchor") == "top":
            layout["legend.y"] = 1 - (1 - header["legend.y"]) * header["height"] / layout["height"]
    return layout


def meta(fig: go.Figure, header: dict, is_panel_title) -> dict:
    """What :func:`flows.viz.theme.finish` stores in ``layout.meta``: ``{"narrow": ...}``."""
    return {"narrow": {"below_px": NARROW_PX, "legend_chars": LEGEND_CHARS,
                       "layout": narrow_layout(fig, header, is_panel_title)}}
