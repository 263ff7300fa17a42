"""The house style of every figure: the plotly template, the notebook renderer, colours, the source line.

Every figure has a title, units on its value axis, hover labels with exact values, and the source
line :data:`flows.ATTRIBUTION` under the plot (:func:`finish`). The figures themselves live in one
module per subject (:mod:`flows.viz.audit`, :mod:`flows.viz.trends`, :mod:`flows.viz.forecast`,
:mod:`flows.viz.exchange_load`) and start from :func:`new_figure` or :func:`new_subplots`.

In a notebook call :func:`setup_notebook` once: it selects the template and plotly's JSON mimetype
as the only output of a figure (JupyterLab draws it with the plotly extension that ships with
plotly; the report gives it an HTML rendering), so a stored notebook carries no copy of plotly.js.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from flows import ATTRIBUTION

PERSONS = "visitors per month (persons)"
COLORS = {"tw_to_jp": "#1f5aa6", "jp_to_tw": "#c8102e", "two_way": "#4d4d4d", "other": "#8c8c8c"}
COLORWAY = ["#1f5aa6", "#c8102e", "#4d4d4d", "#e69f00", "#009e73", "#8c6bb1", "#56b4e9", "#d55e00"]
DIRECTION_LABELS = {"tw_to_jp": "Taiwan → Japan", "jp_to_tw": "Japan → Taiwan", "two_way": "two-way"}
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Self-contained (not layered on plotly_white): a small template keeps every figure light to build
# and to store, which matters for the notebooks' runtime and size.
TEMPLATE = go.layout.Template(
    layout=dict(
        autotypenumbers="strict",
        font=dict(family="Helvetica Neue, Arial, sans-serif", size=13, color="#222222"),
        title=dict(x=0.0, xanchor="left", font=dict(size=17)),
        colorway=COLORWAY,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        margin=dict(l=80, r=30, t=80, b=110),
        xaxis=dict(showgrid=False, linecolor="#999999", ticks="outside", automargin=True,
                   title=dict(standoff=12)),
        yaxis=dict(gridcolor="#e6e6e6", zerolinecolor="#bbbbbb", separatethousands=True, automargin=True,
                   title=dict(standoff=12)),
        hoverlabel=dict(namelength=-1, align="left"),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0.0),
        separators=".,",
    )
)
pio.templates["flows"] = TEMPLATE
TEMPLATE_NAME = "flows"


# --- the notebook renderer ----------------------------------------------------------------------------

# plotly's own mimetype, nothing else: no plotly.js bundle (4.9 MB) and no HTML copy of each figure
# in a stored notebook, and no random element ids to change on every run.
RENDERER = "plotly_mimetype"


def setup_notebook() -> None:
    """House template + plotly's JSON mimetype as the renderer; call once at the top of a notebook.

    Also marks the optional ``rfc3987_syntax`` module as absent in the kernel: plotly imports
    nbformat (only to read its version) when it first renders, nbformat imports jsonschema, and
    jsonschema's optional IRI-format checker compiles a grammar when imported — 1–3 s per kernel,
    for a check notebooks never use. An already imported module is left alone.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    pio.renderers.default = RENDERER
    pio.templates.default = TEMPLATE_NAME


# --- shared finishing ---------------------------------------------------------------------------------

def finish(fig: go.Figure, title: str, y_title: str | None = None, x_title: str | None = None,
           note: str | None = None, height: int = 480) -> go.Figure:
    """Apply the house template, title, axis titles and the source line (plus an optional note)."""
    source = ATTRIBUTION if note is None else f"{note}<br>{ATTRIBUTION}"
    if fig.layout.template.layout.font.family != TEMPLATE.layout.font.family:
        fig.update_layout(template=TEMPLATE_NAME)
    fig.update_layout(title=dict(text=title), height=height)
    if y_title is not None:
        fig.layout.yaxis.title.text = y_title
    if x_title is not None:
        _bottom_xaxis(fig).title.text = x_title
    fig.add_annotation(text=source, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                       yshift=-60 if x_title else -45, showarrow=False, align="left",
                       font=dict(size=10, color="#666666"), name="source")
    return fig


def _bottom_xaxis(fig: go.Figure):
    """The x axis of the lowest subplot (the only one that gets a title)."""
    names = [k for k in fig.layout.to_plotly_json() if k.startswith("xaxis")] or ["xaxis"]

    def bottom(name):
        anchor = fig.layout[name].anchor
        y = fig.layout["yaxis" + (anchor[1:] if anchor and anchor != "free" else "")]
        return y.domain[0] if y.domain else 0

    return fig.layout[min(sorted(names), key=bottom)]


def new_figure(*traces) -> go.Figure:
    """An empty figure already on the house template (cheaper than re-templating it later)."""
    return go.Figure(data=list(traces), layout=dict(template=TEMPLATE_NAME))


def new_subplots(**kwargs) -> go.Figure:
    """:func:`plotly.subplots.make_subplots` on the house template."""
    fig = make_subplots(**kwargs)
    if fig.layout.template.layout.font.family != TEMPLATE.layout.font.family:
        fig.update_layout(template=TEMPLATE_NAME)
    return fig


def source_text(fig: go.Figure) -> str:
    """The source line of a figure drawn here (tests and readers use it to check attribution)."""
    return " ".join(a.text for a in fig.layout.annotations if a.name == "source")


def x_values(index: pd.Index):
    """Months as plotly draws them: a ``PeriodIndex`` becomes timestamps, anything else is kept."""
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def persons_hover(name: str, unit: str = "persons", fmt: str = ",.0f") -> str:
    """Hover text of a monthly line: month, exact value and unit, the trace's name."""
    return f"%{{x|%b %Y}}<br>%{{y:{fmt}}} {unit}<extra>{name}</extra>"


def add_shocks(fig: go.Figure, shocks: Iterable, start=None, end=None) -> go.Figure:
    """Shade each shock's months (a dotted line for a one-month event) over the full height, with its
    name on top, within [start, end]; ``shocks`` are :class:`flows.analysis.trends.Shock`. Shapes are added in
    one layout update (plotly's ``add_vrect`` is slow when called once per shock)."""
    lo = pd.Period(start, "M") if start is not None else None
    hi = pd.Period(end, "M") if end is not None else None
    shapes, labels = [], []
    for shock in shocks:
        s, e = pd.Period(shock.start, "M"), pd.Period(shock.end, "M")
        if (hi is not None and s > hi) or (lo is not None and e < lo):
            continue
        x0 = s.start_time.strftime("%Y-%m-%d")
        if s == e:
            shapes.append(dict(type="line", xref="x", yref="paper", x0=x0, x1=x0, y0=0, y1=1,
                               line=dict(color="#777777", width=1, dash="dot")))
        else:
            shapes.append(dict(type="rect", xref="x", yref="paper", x0=x0, x1=(e + 1).start_time.strftime("%Y-%m-%d"),
                               y0=0, y1=1, fillcolor="#999999", opacity=0.15, line_width=0, layer="below"))
        labels.append(dict(x=x0, xref="x", yref="paper", y=1.0, yanchor="top", xanchor="left", xshift=1,
                           text=shock.name, showarrow=False, textangle=-90, font=dict(size=10, color="#555555"),
                           hovertext=shock.description))
    if shapes:
        fig.update_layout(shapes=list(fig.layout.shapes) + shapes,
                          annotations=list(fig.layout.annotations) + labels)
    return fig
