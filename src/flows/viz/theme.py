"""The project's figures: one plotly house template, and one function per chart.

Every figure has a title, units on its value axis, hover labels with exact values, and the source
line :data:`flows.ATTRIBUTION` under the plot. Functions here draw what they are given; the
numbers come from :mod:`flows.trends` and :mod:`flows.table`.

In a notebook call :func:`setup_notebook` once: it selects the template and a renderer that embeds
plotly.js in the notebook (so figures draw in JupyterLab and in HTML exported by nbconvert without
network) and gives every figure a stable element id (so re-running a notebook does not change its
outputs).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.io._base_renderers import NotebookRenderer
from plotly.subplots import make_subplots

from flows import ATTRIBUTION

PERSONS = "visitors per month (persons)"
COLORS = {"tw_to_jp": "#1f5aa6", "jp_to_tw": "#c8102e", "two_way": "#4d4d4d", "other": "#8c8c8c"}
COLORWAY = ["#1f5aa6", "#c8102e", "#4d4d4d", "#e69f00", "#009e73", "#8c6bb1", "#56b4e9", "#d55e00"]
STATUS_CODES = {"missing": 0, "estimate": 1, "provisional": 2, "final": 3}
STATUS_COLORS = {"missing": "#f2f2f2", "estimate": "#e69f00", "provisional": "#56b4e9", "final": "#1f5aa6"}
DIRECTION_LABELS = {"tw_to_jp": "Taiwan → Japan", "jp_to_tw": "Japan → Taiwan", "two_way": "two-way"}

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

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class StableNotebookRenderer(NotebookRenderer):
    """plotly's ``notebook`` renderer (plotly.js embedded once, then one ``<div>`` per figure)
    with element ids derived from the figure instead of random ones, and no MathJax CDN script."""

    def __init__(self):
        super().__init__(connected=False)
        self.count = 0

    def to_mimebundle(self, fig_dict):
        self.count += 1
        html = super().to_mimebundle(fig_dict)["text/html"]
        html = re.sub(r'<script src="https://cdn[^"]*mathjax[^"]*"></script>', "", html, flags=re.IGNORECASE)
        digest = hashlib.sha1(_UUID.sub("", html).encode()).hexdigest()[:12]
        html = _UUID.sub(f"flows-figure-{self.count}-{digest}", html)
        return {"text/html": html}


RENDERER = "flows_notebook+plotly_mimetype"


def setup_notebook() -> None:
    """House template + a renderer that embeds plotly.js (``flows_notebook``) and plotly's own
    mimetype for JupyterLab; call once at the top of a notebook.

    Also marks the optional ``rfc3987_syntax`` module as absent in the kernel: plotly imports
    nbformat (only to read its version) when it first renders, nbformat imports jsonschema, and
    jsonschema's optional IRI-format checker compiles a grammar when imported — 1–3 s per kernel,
    for a check notebooks never use. An already imported module is left alone.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    pio.renderers["flows_notebook"] = StableNotebookRenderer()
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


def _figure(*traces) -> go.Figure:
    """An empty figure already on the house template (cheaper than re-templating it later)."""
    return go.Figure(data=list(traces), layout=dict(template=TEMPLATE_NAME))


def _subplots(**kwargs) -> go.Figure:
    fig = make_subplots(**kwargs)
    if fig.layout.template.layout.font.family != TEMPLATE.layout.font.family:
        fig.update_layout(template=TEMPLATE_NAME)
    return fig


def source_text(fig: go.Figure) -> str:
    """The source line of a figure drawn here (tests and readers use it to check attribution)."""
    return " ".join(a.text for a in fig.layout.annotations if a.name == "source")


def _x(index: pd.Index):
    return index.to_timestamp() if isinstance(index, pd.PeriodIndex) else index


def _persons_hover(name: str, unit: str = "persons", fmt: str = ",.0f") -> str:
    return f"%{{x|%b %Y}}<br>%{{y:{fmt}}} {unit}<extra>{name}</extra>"


def add_shocks(fig: go.Figure, shocks: Iterable, start=None, end=None) -> go.Figure:
    """Shade each shock's months (a dotted line for a one-month event) over the full height, with its
    name on top, within [start, end]; ``shocks`` are :class:`flows.trends.Shock`. Shapes are added in
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


# --- audit (notebook 01) ------------------------------------------------------------------------------

def coverage_heatmap(coverage: pd.DataFrame, title: str = "Coverage and status of every series, by month",
                     detailed_rows: int = 40) -> go.Figure:
    """One row per series, one column per month, coloured by status (not published / estimate /
    provisional / final); hover gives the exact value. ``coverage``: :func:`flows.table.coverage`.

    Up to ``detailed_rows`` series, rows are labelled and the hover names the status too; beyond
    that (every series of the table) the figure stays light — compact arrays, the status is the
    colour and the hover names series, month and value."""
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
    detailed = len(order) <= detailed_rows
    if detailed:
        text = np.array([[f"{v:,.0f} persons" if not np.isnan(v) else "not published" for v in row] for row in values])
        customdata = np.dstack([text, status])
        hover = "%{y}<br>%{x|%Y-%m}: %{customdata[0]} (%{customdata[1]})<extra></extra>"
    else:
        customdata = values.astype(np.float32)
        hover = "%{y}<br>%{x|%Y-%m}: %{customdata:,.0f} persons<extra></extra>"
    n = len(STATUS_CODES)
    scale = []
    for status_name, code in STATUS_CODES.items():
        scale += [[code / n, STATUS_COLORS[status_name]], [(code + 1) / n, STATUS_COLORS[status_name]]]
    fig = _figure(go.Heatmap(
        z=z, x=_x(months), y=order, zmin=0, zmax=n, colorscale=scale,
        customdata=customdata, hovertemplate=hover,
        colorbar=dict(tickvals=[c + 0.5 for c in STATUS_CODES.values()],
                      ticktext=["not published" if k == "missing" else k for k in STATUS_CODES],
                      title=dict(text="status")),
        xgap=0, ygap=1 if detailed else 0,
    ))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=10), separatethousands=False,
                     showticklabels=detailed, showgrid=False)
    height = 22 * len(order) + 220 if detailed else min(1200, 3 * len(order) + 260)
    return finish(fig, title, y_title="series", x_title="month", height=height)


def headline_bars(totals: pd.DataFrame, year: int, title: str | None = None) -> go.Figure:
    """Two-way visits in ``year`` from each side's statistics, stacked by direction.

    ``totals``: index = perspective label, columns ``tw_to_jp`` and ``jp_to_tw`` (persons)."""
    fig = _figure()
    for col in ("tw_to_jp", "jp_to_tw"):
        fig.add_bar(x=totals.index.tolist(), y=totals[col], name=DIRECTION_LABELS[col],
                    marker_color=COLORS[col],
                    hovertemplate=f"%{{x}}<br>{DIRECTION_LABELS[col]}: %{{y:,.0f}} persons<extra></extra>")
    two_way = totals["tw_to_jp"] + totals["jp_to_tw"]
    fig.add_scatter(x=totals.index.tolist(), y=two_way, mode="text", text=[f"{v:,.0f}" for v in two_way],
                    textposition="top center", showlegend=False, hoverinfo="skip")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(range=[0, 1.15 * float(two_way.max())])
    return finish(fig, title or f"Two-way visits between Taiwan and Japan, {year}",
                  y_title="visits per year (persons)", x_title="whose statistics")


def mirror_chart(mirror: pd.DataFrame, a_label: str, b_label: str, title: str, shocks=()) -> go.Figure:
    """Two counts of the same trips (top, persons) and their ratio a / b (bottom).
    ``mirror``: :func:`flows.trends.mirror`."""
    fig = _subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.06)
    x = _x(mirror.index)
    fig.add_scatter(x=x, y=mirror["a"], name=a_label, line=dict(color=COLORS["tw_to_jp"]),
                    hovertemplate=_persons_hover(a_label), row=1, col=1)
    fig.add_scatter(x=x, y=mirror["b"], name=b_label, line=dict(color=COLORS["other"], dash="dash"),
                    hovertemplate=_persons_hover(b_label), row=1, col=1)
    fig.add_scatter(x=x, y=mirror["ratio"], name="ratio", line=dict(color=COLORS["two_way"]), showlegend=False,
                    hovertemplate="%{x|%b %Y}<br>ratio %{y:.3f}<extra>ratio</extra>", row=2, col=1)
    fig.add_hline(y=1, line=dict(color="#999999", width=1), row=2, col=1)
    fig.update_yaxes(title_text=PERSONS, row=1, col=1)
    fig.update_yaxes(title_text="ratio (arrivals / departures)", type="log", row=2, col=1)
    add_shocks(fig, shocks, mirror.index.min(), mirror.index.max())
    return finish(fig, title, x_title="month", height=600)


# --- trends (notebook 02) -----------------------------------------------------------------------------

def monthly_lines(frame: pd.DataFrame, title: str, y_title: str = PERSONS, shocks=(), log_y: bool = False,
                  unit: str = "persons", fmt: str = ",.0f", colors: dict | None = None,
                  reference: float | None = None, note: str | None = None) -> go.Figure:
    """One line per column of ``frame`` (index: months), optional shaded shocks and reference line."""
    fig = _figure()
    colors = colors or {}
    for col in frame.columns:
        name = DIRECTION_LABELS.get(col, str(col))
        fig.add_scatter(x=_x(frame.index), y=frame[col], name=name, mode="lines",
                        line=dict(color=colors.get(col, COLORS.get(col))),
                        hovertemplate=_persons_hover(name, unit, fmt))
    if reference is not None:
        fig.add_hline(y=reference, line=dict(color="#999999", width=1, dash="dash"))
    if log_y:
        fig.update_yaxes(type="log")
    add_shocks(fig, shocks, frame.index.min(), frame.index.max())
    return finish(fig, title, y_title=y_title, x_title="month", note=note)


def stl_chart(decomposition: pd.DataFrame, title: str, shocks=()) -> go.Figure:
    """Robust STL on the log scale (:func:`flows.trends.log_stl`): observed and trend (persons,
    log axis), seasonal swing and remainder (% of trend)."""
    fig = _subplots(rows=3, cols=1, shared_xaxes=True, row_heights=[0.5, 0.25, 0.25], vertical_spacing=0.05)
    x = _x(decomposition.index)
    observed = np.exp(decomposition["observed"])
    trend = np.exp(decomposition["trend"])
    fig.add_scatter(x=x, y=observed, name="observed", line=dict(color=COLORS["other"], width=1),
                    hovertemplate=_persons_hover("observed"), row=1, col=1)
    fig.add_scatter(x=x, y=trend, name="trend", line=dict(color=COLORS["tw_to_jp"], width=2.5),
                    hovertemplate=_persons_hover("trend"), row=1, col=1)
    for row, col, name in ((2, "seasonal", "seasonal"), (3, "resid", "remainder")):
        fig.add_scatter(x=x, y=100 * (np.exp(decomposition[col]) - 1), name=name, showlegend=row == 2,
                        line=dict(color=COLORS["jp_to_tw"] if row == 2 else COLORS["two_way"], width=1),
                        hovertemplate=_persons_hover(name, "%", "+.1f"), row=row, col=1)
    fig.update_yaxes(type="log", title_text=PERSONS, row=1, col=1)
    fig.update_yaxes(title_text="seasonal (% of trend)", row=2, col=1)
    fig.update_yaxes(title_text="remainder (%)", type="linear", row=3, col=1)
    add_shocks(fig, shocks, decomposition.index.min(), decomposition.index.max())
    return finish(fig, title, x_title="month", height=680)


MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def seasonal_profile_chart(profile: pd.DataFrame, title: str) -> go.Figure:
    """Average seasonal swing by calendar month, one line per period
    (:func:`flows.trends.seasonal_profile`)."""
    fig = _figure()
    for col in profile.columns:
        fig.add_scatter(x=[MONTH_NAMES[m - 1] for m in profile.index], y=profile[col], name=str(col),
                        mode="lines+markers",
                        hovertemplate=f"%{{x}}<br>%{{y:+.1f}} % of trend<extra>{col}</extra>")
    fig.add_hline(y=0, line=dict(color="#999999", width=1))
    return finish(fig, title, y_title="seasonal swing (% above or below trend)", x_title="calendar month")


def annual_bars(frame: pd.DataFrame, title: str, y_title: str = "visits per year (persons)",
                stacked: bool = True, note: str | None = None) -> go.Figure:
    """One bar series per column of ``frame`` (index: year), stacked by default."""
    fig = _figure()
    for col in frame.columns:
        name = DIRECTION_LABELS.get(col, str(col))
        fig.add_bar(x=frame.index.astype(str).tolist(), y=frame[col], name=name, marker_color=COLORS.get(col),
                    hovertemplate=f"%{{x}}<br>%{{y:,.0f}} persons<extra>{name}</extra>")
    fig.update_layout(barmode="stack" if stacked else "group")
    return finish(fig, title, y_title=y_title, x_title="year", note=note)


def holiday_effect_chart(effects: pd.DataFrame, title: str) -> go.Figure:
    """Estimated Lunar New Year effect with its interval, one row per series / sample
    (``effects``: rows of :meth:`flows.trends.HolidayEffect.as_row`)."""
    labels = [f"{r.series}<br>{r.first}…{r.last}" for r in effects.itertuples()]
    fig = _figure(go.Scatter(
        x=effects["window_pct"], y=labels, mode="markers", marker=dict(size=11, color=COLORS["tw_to_jp"]),
        error_x=dict(type="data", symmetric=False, array=effects["high"] - effects["window_pct"],
                     arrayminus=effects["window_pct"] - effects["low"], thickness=2),
        customdata=np.column_stack([effects["low"], effects["high"], effects["months"]]),
        hovertemplate="%{y}<br>%{x:+.1f} % (interval %{customdata[0]:+.1f} to %{customdata[1]:+.1f} %)"
                      "<br>%{customdata[2]} months fitted<extra></extra>",
        showlegend=False,
    ))
    fig.add_vline(x=0, line=dict(color="#999999", width=1))
    fig.update_yaxes(autorange="reversed")
    return finish(fig, title, y_title=None,
                  x_title="visitors in a month holding the 4-day holiday (% vs same month without it)",
                  height=max(360, 90 * len(effects) + 200))


def january_february_chart(jan_feb: pd.DataFrame, title: str) -> go.Figure:
    """Year-on-year growth of January, February and January+February together
    (:func:`flows.trends.january_february`); bars coloured by the month holding the holiday."""
    frame = jan_feb.dropna(subset=["jan_feb_yoy_pct"])
    years = [f"{y}<br>LNY {m}" for y, m in zip(frame.index, frame["holiday_month"])]
    fig = _figure()
    for col, name, color in (("jan_yoy_pct", "January", "#56b4e9"), ("feb_yoy_pct", "February", "#e69f00")):
        fig.add_bar(x=years, y=frame[col], name=name, marker_color=color,
                    hovertemplate=f"{name} %{{x}}: %{{y:+.1f}} %<extra></extra>")
    fig.add_scatter(x=years, y=frame["jan_feb_yoy_pct"], name="January + February", mode="lines+markers",
                    line=dict(color=COLORS["two_way"], width=2.5),
                    hovertemplate="January + February %{x}: %{y:+.1f} %<extra></extra>")
    fig.update_layout(barmode="group")
    return finish(fig, title, y_title="growth on the same months a year earlier (%)",
                  x_title="year and the month holding the Lunar New Year holiday")


def recovery_bars(asymmetry: pd.DataFrame, title: str) -> go.Figure:
    """Each direction's last twelve months as % of the same months of the base year
    (:func:`flows.trends.asymmetry`)."""
    rows = asymmetry.loc[["tw_to_jp", "jp_to_tw"]]
    names = [DIRECTION_LABELS[k] for k in rows.index]
    fig = _figure(go.Bar(
        x=names, y=rows["pct_of_base"], marker_color=[COLORS[k] for k in rows.index],
        text=[f"{v:.0f} %" for v in rows["pct_of_base"]], textposition="outside",
        customdata=np.column_stack([rows["recent"].astype(float), rows["base"].astype(float)]),
        hovertemplate="%{x}: %{y:.1f} % of base<br>%{customdata[0]:,.0f} vs %{customdata[1]:,.0f} persons"
                      "<extra></extra>",
    ))
    fig.add_hline(y=100, line=dict(color="#999999", width=1, dash="dash"))
    fig.update_yaxes(range=[0, 1.2 * float(rows["pct_of_base"].max())])
    base = asymmetry.attrs.get("base_year", "base year")
    return finish(fig, title, y_title=f"visits, % of the same months of {base}", x_title="direction")
