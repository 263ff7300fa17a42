"""The house style of every figure: the plotly template, the notebook renderer, colours, the source line.

Every figure has a title, units on its value axis, hover labels with exact values, and the source
line :data:`flows.ATTRIBUTION` (:func:`finish`). The figures themselves live in one module per subject
(:mod:`flows.viz.audit`, :mod:`flows.viz.trends`, :mod:`flows.viz.forecast`,
:mod:`flows.viz.exchange_load`) and start from :func:`new_figure` or :func:`new_subplots`.

Text never collides, at any width from a phone-sized notebook to a wide screen, because every piece
of it has a place of its own that plotly lays out (``tests/browser/test_site_layout.py`` checks it in a
browser): the title (wrapped) and under it a grey block of the note and the source line at the top
of the figure, then the legend (placed in pixels under that block, so plotly keeps the plot below
it however many rows it wraps to), the plot, and under it the tick labels and axis titles, which
plotly's automargin keeps apart. Shock names are tick labels of an axis along the top of the plot
(:func:`add_shocks`), never text over the data; log axes are labelled with whole numbers
(:func:`log_axis`).

In a notebook call :func:`setup_notebook` once: it selects the template and plotly's JSON mimetype
as the only output of a figure, its numbers stored to 6 significant digits (:mod:`flows.viz.render`;
JupyterLab draws it with the plotly extension that ships with plotly; the report gives it an HTML
rendering), so a stored notebook carries no copy of plotly.js and no CPU's rounding noise.

Axes of years print years (:func:`year_axes`, applied by :func:`finish`): the thousands separator
of the template is for counts, and would label 2012 "2,012".
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from flows import ATTRIBUTION
from flows.viz import narrow, render

PERSONS = "visitors per month (persons)"
COLORS = {"tw_to_jp": "#1f5aa6", "jp_to_tw": "#c8102e", "two_way": "#4d4d4d", "other": "#8c8c8c"}
COLORWAY = ["#1f5aa6", "#c8102e", "#4d4d4d", "#e69f00", "#009e73", "#8c6bb1", "#56b4e9", "#d55e00"]
DIRECTION_LABELS = {"tw_to_jp": "Taiwan → Japan", "jp_to_tw": "Japan → Taiwan", "two_way": "two-way"}
# The header at the top of every figure: title lines, then the note and source lines (px per line;
# characters per line chosen so a wrapped line fits a 670 px-wide notebook output).
TITLE_SIZE, TITLE_LINE, TITLE_CHARS = 17, 22, 60
NOTE_SIZE, NOTE_LINE, NOTE_CHARS = 11, 14, 100
TOP_PAD, HEADER_GAP = 12, 12
AXIS_CHARS = 40  # a y-axis title longer than this is wrapped, so it is not longer than the plot is high
PANEL_TITLE = 30  # px above the plots for the names of subplots
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Self-contained (not layered on plotly_white): a small template keeps every figure light to build
# and to store, which matters for the notebooks' runtime and size.
TEMPLATE = go.layout.Template(
    layout=dict(
        autotypenumbers="strict",
        font=dict(family="Helvetica Neue, Arial, sans-serif", size=13, color="#222222"),
        title=dict(x=0.0, xref="container", xanchor="left", y=1.0, yref="container", yanchor="top",
                   pad=dict(l=12), font=dict(size=TITLE_SIZE),
                   subtitle=dict(font=dict(size=NOTE_SIZE, color="#666666"))),
        colorway=COLORWAY,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        margin=dict(l=80, r=30, t=80, b=20),
        xaxis=dict(showgrid=False, linecolor="#999999", ticks="outside", automargin=True,
                   title=dict(standoff=12), exponentformat="none", separatethousands=True),
        yaxis=dict(gridcolor="#e6e6e6", zerolinecolor="#bbbbbb", separatethousands=True, automargin=True,
                   title=dict(standoff=12), exponentformat="none"),
        hoverlabel=dict(namelength=-1, align="left"),
        legend=dict(orientation="h", xref="paper", x=0.0, xanchor="left", yref="container", yanchor="top",
                    y=0.8),
        separators=".,",
    )
)
pio.templates["flows"] = TEMPLATE
TEMPLATE_NAME = "flows"


# --- the notebook renderer ----------------------------------------------------------------------------

# plotly's own mimetype, nothing else: no plotly.js bundle (4.9 MB) and no HTML copy of each figure
# in a stored notebook, and no random element ids to change on every run; numbers to 6 digits.
RENDERER = render.RENDERER


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
           note: str | None = None, height: int = 480, chars: tuple[int, int] = (TITLE_CHARS, NOTE_CHARS),
           ) -> go.Figure:
    """Apply the house template, title, axis titles and the header's note and source line.

    The title and the note are wrapped to fit a narrow notebook (``chars``: characters per line of the
    title and of the note; a page drawn for phones alone passes fewer); the legend is placed in pixels under
    the header, and the top margin leaves room for the header when there is no legend
    (:func:`header_layout`). The figure's layout on a phone (:func:`flows.viz.narrow.narrow_layout`)
    is stored in ``layout.meta.narrow`` for the report's pages to switch to.
    """
    if fig.layout.template.layout.font.family != TEMPLATE.layout.font.family:
        fig.update_layout(template=TEMPLATE_NAME)
    panels = any(_is_panel_title(a) for a in fig.layout.annotations)
    wide = header_layout(title, note, height, panels, *chars)
    fig.update_layout(wide)
    header = header_layout(title, note, height, panels, narrow.TITLE_CHARS, narrow.NOTE_CHARS)
    if y_title is not None:
        fig.layout.yaxis.title.text = "<br>".join(wrap(y_title, AXIS_CHARS))
    if x_title is not None:
        _bottom_xaxis(fig).title.text = x_title
    year_axes(fig)
    fig.update_layout(meta=narrow.meta(fig, header, _is_panel_title))
    return fig


YEARS = (1800, 2200)  # numbers an x axis of calendar years holds


def year_axes(fig: go.Figure) -> go.Figure:
    """Turn off the thousands separator on every x axis whose traces' x are all numbers within
    :data:`YEARS` (calendar years), so ticks and hover read 2012, not 2,012."""
    numeric: dict[str, bool] = {}
    for trace in fig.data:
        x = getattr(trace, "x", None)
        if x is None or not hasattr(trace, "xaxis"):
            continue
        axis = "xaxis" + (trace.xaxis or "x")[1:]
        values = np.asarray(x, dtype=object).ravel()
        years = len(values) > 0 and all(
            isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
            and YEARS[0] <= v <= YEARS[1] for v in values)
        numeric[axis] = numeric.get(axis, True) and years
    for axis, years in numeric.items():
        if years:
            fig.layout[axis].separatethousands = False
    return fig


def header_layout(title: str, note: str | None, height: int, panels: bool, title_chars: int,
                  note_chars: int) -> dict:
    """The layout of a figure's header (title, note and source line wrapped to ``title_chars`` and
    ``note_chars``), as plotly.relayout keys: the figure grows by the header's extra lines, so the
    plot keeps its height; the legend goes under the header, or to the foot when ``panels`` (subplot
    names) sit above the plots."""
    title_lines = wrap(title, title_chars)
    note_lines = (wrap(note, note_chars) if note else []) + wrap(ATTRIBUTION, note_chars)
    header = header_height(len(title_lines), len(note_lines))
    height += header - header_height(len(wrap(title, TITLE_CHARS)),
                                     len((wrap(note, NOTE_CHARS) if note else []) + wrap(ATTRIBUTION, NOTE_CHARS)))
    # the top gap as a position, not title.pad: plotly ignores the pad of a title of several lines
    # and draws such a title half a line higher than a title of one line
    top = TOP_PAD + (TITLE_LINE // 2 if len(title_lines) > 1 else 0)
    layout = {"title.text": "<br>".join(title_lines), "title.y": 1 - top / height,
              "title.subtitle.text": "<br>".join(note_lines), "height": height}
    if panels:
        return {**layout, "legend.y": 0, "legend.yanchor": "bottom", "margin.t": header + PANEL_TITLE}
    return {**layout, "legend.y": 1 - header / height, "legend.yanchor": "top", "margin.t": header + 8}


def _is_panel_title(annotation) -> bool:
    """A subplot title of :func:`plotly.subplots.make_subplots`: text just above a plot."""
    return (annotation.xref == "paper" and annotation.yref == "paper" and annotation.yanchor == "bottom"
            and annotation.showarrow is False and annotation.name != "source")


def header_height(title_lines: int, note_lines: int) -> int:
    """Pixels from the top of a figure to the end of its header (title, note and source lines)."""
    return TOP_PAD + TITLE_LINE * title_lines + NOTE_LINE * note_lines + HEADER_GAP


def _wrap_keeping_spaces(text: str, width: int) -> list[str]:
    """``text`` wrapped with the space at each break kept at the start of the next line, so the drawn
    lines read back (joined) as ``text`` itself."""
    lines = wrap(text, width)
    return lines[:1] + [" " + line for line in lines[1:]]


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` characters (a ``<br>`` in it always breaks)."""
    return [line for part in str(text).split("<br>") for line in (textwrap.wrap(part, width) or [""])]


def _bottom_xaxis(fig: go.Figure):
    """The x axis of the lowest subplot (the only one that gets a title); never an axis laid over
    another (such as the shock names' axis along the top)."""
    names = [k for k in _axes(fig, "xaxis") if not fig.layout[k].overlaying] or ["xaxis"]

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
    """The note and source line of a figure drawn here (tests and readers use it to check attribution)."""
    return (fig.layout.title.subtitle.text or "").replace("<br>", " ")


def x_values(index: pd.Index):
    """Months as plotly draws them: a ``PeriodIndex`` becomes timestamps, anything else is kept."""
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def persons_hover(name: str, unit: str = "persons", fmt: str = ",.0f") -> str:
    """Hover text of a monthly line: month, exact value and unit, the trace's name."""
    return f"%{{x|%b %Y}}<br>%{{y:{fmt}}} {unit}<extra>{name}</extra>"


def add_shocks(fig: go.Figure, shocks: Iterable, start=None, end=None) -> go.Figure:
    """Shade each shock's months (a dotted line for a one-month event) over the full height and name
    it on an axis along the top of the plot, within [start, end]; ``shocks`` are
    :class:`flows.analysis.trends.Shock`.

    The names are that axis's tick labels, so plotly keeps them apart and out of the data; an
    invisible marker at the top edge over each shock's start gives its description on hover. Shapes
    are added in one layout update (plotly's ``add_vrect`` is slow when called once per shock)."""
    lo = pd.Period(start, "M") if start is not None else None
    hi = pd.Period(end, "M") if end is not None else None
    shapes, ticks, names, descriptions = [], [], [], []
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
        ticks.append(max(s, lo).start_time.strftime("%Y-%m-%d") if lo is not None else x0)
        names.append(shock.name)
        descriptions.append(shock.description)
    if not shapes:
        return fig
    x_top, y_top = _top_axes(fig)
    n = _next_axis_number(fig)
    fig.update_layout({
        "shapes": list(fig.layout.shapes) + shapes,
        f"xaxis{n}": dict(overlaying=x_top, matches=x_top, side="top", anchor=f"y{n}", tickvals=ticks,
                          ticktext=names, ticks="outside", ticklen=4, showgrid=False, showline=False,
                          tickfont=dict(size=10, color="#555555"), automargin=True),
        f"yaxis{n}": dict(overlaying=y_top, range=[0, 1], visible=False, fixedrange=True),
    })
    fig.add_scatter(x=ticks, y=[1] * len(ticks), xaxis=f"x{n}", yaxis=f"y{n}", mode="markers",
                    marker=dict(size=10, opacity=0), showlegend=False, name="shocks",
                    customdata=[[name, text] for name, text in zip(names, descriptions)],
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>")
    return fig


def shock_names(fig: go.Figure) -> list[str]:
    """The shock names :func:`add_shocks` wrote along the top of ``fig``."""
    return [name for axis in _axes(fig, "xaxis") if fig.layout[axis].side == "top"
            for name in (fig.layout[axis].ticktext or ())]


def _axes(fig: go.Figure, prefix: str) -> list[str]:
    return [k for k in fig.layout.to_plotly_json() if re.fullmatch(prefix + r"\d*", k)]


def _top_axes(fig: go.Figure) -> tuple[str, str]:
    """Ids (``x``, ``y2`` …) of the axes of the plot drawn highest in the figure."""
    best, top = ("x", "y"), -1.0
    for name in _axes(fig, "xaxis"):
        axis = fig.layout[name]
        if axis.overlaying or not axis.anchor or axis.anchor == "free":
            continue
        domain = fig.layout["yaxis" + axis.anchor[1:]].domain or (0, 1)
        if domain[1] > top:
            best, top = ("x" + name[5:], axis.anchor), domain[1]
    return best


def _next_axis_number(fig: go.Figure) -> int:
    numbers = [int(k[5:] or 1) for k in _axes(fig, "xaxis") + _axes(fig, "yaxis")]
    return max(numbers + [1]) + 1


def log_ticks(values) -> tuple[list[float], list[str]]:
    """Tick values and labels of a log axis over ``values``: 1-2-5, 1-3 or powers of ten per decade
    (fewer as the span grows), labelled in whole numbers (``200,000``, never a bare ``2``)."""
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    if not len(v):
        return [], []
    lo, hi = float(v.min()), float(v.max())
    decades = np.log10(hi / lo)
    steps = ((1, 1.5, 2, 3, 5, 7) if decades <= 1 else (1, 2, 5) if decades <= 2.5 else (1, 3) if decades <= 4.5
             else (1,))
    first, last = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
    ticks = [float(f"{m}e{k}") for k in range(first, last + 1) for m in steps]
    return ticks, [f"{t:,.0f}" if t == int(t) else np.format_float_positional(t, trim="-") for t in ticks]


def log_axis(fig: go.Figure, values, **where) -> go.Figure:
    """Make the y axis (``row=``/``col=`` of a subplot) logarithmic with :func:`log_ticks` of ``values``."""
    tickvals, ticktext = log_ticks(values)
    fig.update_yaxes(type="log", tickvals=tickvals, ticktext=ticktext, **where)
    return fig
