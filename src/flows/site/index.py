"""The report's index page: the key figures (:mod:`flows.site.figures`) as a headline, tables of the
latest month, 12-month totals and outlook, one chart, and links to the notebook pages.

This module computes the values; the markup is the template ``flows/site/templates/index.html.j2``
(autoescaped). Its style sheet is ``flows/data/index.css``; the chart is drawn in the house style of
:mod:`flows.viz.theme`.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

import jinja2
import pandas as pd
from markupsafe import Markup

from flows import ATTRIBUTION
from flows.forecast import keys
from flows.site.figures import KeyFigures, forecast_of
from flows.site.offline import CHART_CONFIG
from flows.site.provenance import BuiltFrom
from flows.vocabulary import TWO_WAY


@cache
def _css() -> str:
    return (resources.files("flows") / "data" / "index.css").read_text(encoding="utf-8")


def _n(v: float | None) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.0f}"


def _pct(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b:
        return "—"
    return f"{(a / b - 1) * 100:+.1f}%"


# Each series' colour and line, the same for its history and its forecast. Taiwan's count of
# departures to Japan and JNTO's count of Taiwanese arrivals almost coincide: the first is drawn
# wide and light under the second, so both stay visible.
SERIES_STYLE = {
    ("TW", "JP", "national_departures"): dict(color="#8ec1ea", width=5),
    ("JP", "TW", "visitor_arrivals"): dict(color="#c8102e", width=1.8),
    ("TW", "JP", "visitor_arrivals"): dict(color="#1f5aa6", width=1.5),
    ("JP", "TW", "national_departures"): dict(color="#e69f00", width=1.5),
    TWO_WAY: dict(color="#4d4d4d", width=1.8),
}


def _chart(f: KeyFigures) -> str:
    """Each series by month, the two-way total the outlook forecasts, and the forecast means, each
    in its series' colour and legend entry."""
    from flows.viz.theme import finish, new_figure

    fig = new_figure()
    history = [(tuple((s.origin, s.destination, s.measure)), s.label,
                f.monthly[(f.monthly.origin == s.origin) & (f.monthly.destination == s.destination)
                          & (f.monthly.measure == s.measure)]) for s in f.series]
    if f.two_way is not None:
        history.append((TWO_WAY, keys.TWO_WAY_NAME, pd.DataFrame({"month": f.two_way.index, "value": f.two_way.values,
                                                             "status": "sum of the two"})))
    for key, label, g in history:
        fig.add_scatter(x=g["month"], y=g["value"], mode="lines", name=label, legendgroup=str(key),
                        line=SERIES_STYLE.get(key), customdata=g["status"],
                        hovertemplate="%{x}: %{y:,.0f} (%{customdata})<extra>" + label + "</extra>")
    note = None
    if f.forecasts is not None and f.outlook:
        shown = {key for key, _, _ in history}
        for (direction, _version), g in f.forecasts.groupby(["direction", "method_version"], sort=True):
            key, label = forecast_of(direction), keys.label(direction)
            style = SERIES_STYLE.get(key, {})
            fig.add_scatter(x=g["month"], y=g["mean"], mode="lines", name=f"{label}, forecast mean",
                            legendgroup=str(key), showlegend=key not in shown,
                            line=dict(style, dash="dash", width=min(style.get("width", 2), 2)),
                            hovertemplate="%{x}: %{y:,.0f} (forecast mean)<extra>" + label + "</extra>")
        as_of = ", ".join(sorted({o.as_of for o in f.outlook}))
        note = f"Dashed: forecast means of flows forecast (data as of {as_of}), in the colour of the series."
    finish(fig, "Monthly trips between Taiwan and Japan", y_title="trips per month (persons)", note=note,
           height=640)
    return fig.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False,
                       div_id="flows-index-chart", config=CHART_CONFIG)


def render_index(f: KeyFigures, notebooks: list[tuple[str, str, str | None]], *,
                 skipped: list[str] = (), failure: str | None = None, as_of: str | None = None,
                 horizon_end: str = "2030-12", built_from: BuiltFrom | None = None,
                 standalone: bool = False) -> str:
    """The index page; ``notebooks`` lists (page file name, title, error or None); ``built_from``
    says what the report rests on (:func:`flows.site.provenance.built_from`); ``standalone``: whether
    each page embeds plotly.js (said under the list of notebooks). The markup is the template
    ``flows/site/templates/index.html.j2``."""
    return _template().render(
        f=f, notebooks=notebooks, skipped=list(skipped), failure=failure, as_of=as_of, horizon_end=horizon_end,
        year=int(horizon_end[:4]), built_from=built_from, standalone=standalone, attribution=ATTRIBUTION,
        css=Markup(_css()), chart=Markup(_chart(f)) if f.series else None)


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.PackageLoader("flows.site", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, finalize=_escaped)
    env.filters.update(thousands=_n, change=_pct, forecast_label=keys.label)
    return env.get_template("index.html.j2")


def _escaped(value) -> Markup:
    """Each value as :func:`html.escape` writes it (``'`` as ``&#x27;``, where markupsafe writes
    ``&#39;``): the same characters either way, and the page's bytes as before the template."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))
