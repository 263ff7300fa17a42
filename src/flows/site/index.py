"""The report's index page: the key figures (:mod:`flows.site.figures`) as a headline, tables of the
latest month, 12-month totals and outlook, one chart, and links to the notebook pages.

Its style sheet is ``flows/data/index.css``; the chart is drawn in the house style of
:mod:`flows.viz.theme`.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources

import pandas as pd

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


def _built_from(b: BuiltFrom) -> str:
    """One sentence: what the report rests on and the month its data reach."""
    e = html.escape
    files = f"{b.raw_files:,} official raw file{'s' if b.raw_files != 1 else ''}"
    if b.from_raw:
        text = f"Built for this report from {files}, read into <code>{e(b.table)}</code>"
    else:
        text = (f"Built from the committed table <code>{e(b.table)}</code> (made by <code>flows build</code> "
                f"from {files}); no raw files were read for this report")
    if b.data_as_of:
        text += f". Data as of <strong>{e(b.data_as_of)}</strong>"
        if b.as_of and b.table_as_of and b.table_as_of > b.data_as_of:
            text += f" (the table runs to {e(b.table_as_of)}; later months are left out)"
    return f"<p class=\"note\" id=\"built-from\">{text}.</p>"


def _sources(b: BuiltFrom) -> str:
    """The raw files by family and their releases (datapackage.json has each file's sha256)."""
    e = html.escape
    rows = []
    for fam in b.families:
        releases = ("— (checks only)" if fam.first_release is None else fam.first_release
                    if fam.first_release == fam.last_release else f"{fam.first_release} … {fam.last_release}")
        rows.append(f"<tr><td>{e(fam.publisher)}</td><td>{e(fam.title)}<br><small>{e(fam.source)}</small></td>"
                    f"<td class=\"num\">{fam.files:,}</td><td>{e(releases)}</td></tr>")
    return ("<h2>Sources</h2><table id=\"sources\"><thead><tr><th>publisher</th><th>table (file family)</th>"
            "<th class=\"num\">raw files</th><th>releases</th></tr></thead><tbody>" + "".join(rows)
            + "</tbody></table><p class=\"note\">Every raw file, with its sha256, is listed in "
            "<code>data/processed/datapackage.json</code>; every value's file, sheet and cell in "
            "<code>monthly_flows_lineage.csv</code>.</p>")


def render_index(f: KeyFigures, notebooks: list[tuple[str, str, str | None]], *,
                 skipped: list[str] = (), failure: str | None = None, as_of: str | None = None,
                 horizon_end: str = "2030-12", built_from: BuiltFrom | None = None,
                 standalone: bool = False) -> str:
    """The index page; ``notebooks`` lists (page file name, title, error or None); ``built_from``
    says what the report rests on (:func:`flows.site.provenance.built_from`); ``standalone``: whether
    each page embeds plotly.js (said under the list of notebooks). Tables scroll in their own box."""
    e = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>flows: Taiwan–Japan travel</title><style>\n{_css()}</style></head><body>",
             "<h1>Taiwan–Japan travel</h1>",
             f"<p class=\"sub\">Official monthly statistics, data to {e(f.data_as_of or '—')}"
             f"{' (as of ' + e(as_of) + ')' if as_of else ''}; outlook to {e(horizon_end)}.</p>"]
    if built_from is not None:
        parts.append(_built_from(built_from))
    if failure:
        parts.append(f"<p class=\"error\">Report incomplete: {e(failure)}"
                     + (f"; not run: {e(', '.join(skipped))}" if skipped else "") + "</p>")

    h = f.headline
    if h is not None and h.total is not None:
        parts.append(
            f"<p class=\"headline\">In {h.year} Taiwan's own statistics count "
            f"<strong id=\"headline-total\">{_n(h.total)}</strong> visits between Taiwan and "
            f"Japan: {_n(h.departures_tw_jp)} Taiwanese departures to Japan + "
            f"{_n(h.arrivals_jp_tw)} Japanese arrivals in Taiwan.</p>")
    elif h is not None:
        parts.append(f"<p class=\"note\">{h.year} total not shown: only {h.months[0]} and "
                     f"{h.months[1]} of 12 months are present in the two series.</p>")

    parts.append("<h2>Latest month and last 12 months</h2><table><thead><tr><th>series</th>"
                 "<th>latest month</th><th class=\"num\">value</th><th>status</th>"
                 "<th>12 months</th><th class=\"num\">12-month total</th>"
                 "<th class=\"num\">vs previous 12</th><th>statuses in window</th></tr></thead><tbody>")
    for s in f.series:
        statuses = ", ".join(f"{n} {k}" for k, n in s.window_statuses.items())
        total = _n(s.total_12m) if s.total_12m is not None else f"({s.months_in_window} of 12 months)"
        parts.append(
            f"<tr><td>{e(s.label)}<br><small>{e(s.origin)}→{e(s.destination)} "
            f"{e(s.measure)}</small></td><td>{e(s.latest_month)}</td>"
            f"<td class=\"num\">{_n(s.latest_value)}</td>"
            f"<td><span class=\"status {e(s.latest_status)}\">{e(s.latest_status)}</span></td>"
            f"<td>{e(s.window_start)} – {e(s.latest_month)}</td><td class=\"num\">{total}</td>"
            f"<td class=\"num\">{_pct(s.total_12m, s.total_12m_prior)}</td>"
            f"<td>{e(statuses)}</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<p class=\"note\">Mirror pairs (the same trips counted at each end) are shown "
                 "side by side and never added together.</p>")

    year = int(horizon_end[:4])
    parts.append(f"<h2>Outlook {year}</h2>")
    if f.outlook:
        parts.append("<table><thead><tr><th>series</th><th>as of</th>"
                     f"<th class=\"num\">{year}: median</th><th class=\"num\">80% interval</th>"
                     "<th class=\"num\">95% interval</th><th>model</th></tr></thead><tbody>")
        for o in f.outlook:
            y = o.annual or {}
            parts.append(
                f"<tr><td>{e(keys.label(o.direction))}</td><td>{e(o.as_of)}</td>"
                f"<td class=\"num\">{_n(y.get('median'))}</td>"
                f"<td class=\"num\">{_n(y.get('lower_80'))} – {_n(y.get('upper_80'))}</td>"
                f"<td class=\"num\">{_n(y.get('lower_95'))} – {_n(y.get('upper_95'))}</td>"
                f"<td>{e(o.model)}</td></tr>")
        parts.append(f"</tbody></table><p class=\"note\">Visits in {year}: the median and central intervals of "
                     "the outlook's sample paths' annual totals (forecast_annual.csv, written by "
                     "<code>flows forecast</code>; the load of notebook 04 rests on the same paths).</p>")
    else:
        parts.append(f"<p class=\"note\" id=\"outlook-note\">{e(f.outlook_note or '')}</p>")

    if f.series:
        parts.append(_chart(f))

    parts.append("<h2>Notebooks</h2><ol>")
    for page, title, error in notebooks:
        flag = f" <span class=\"status estimate\">failed: {e(error)}</span>" if error else ""
        parts.append(f"<li><a href=\"{e(page)}\">{e(title)}</a>{flag}</li>")
    for stem in skipped:
        parts.append(f"<li>{e(stem)} <span class=\"status\">not run</span></li>")
    parts.append("</ol>")
    parts.append(f"<p class=\"note\" id=\"travels\">{TRAVELS_STANDALONE if standalone else TRAVELS_WHOLE}</p>")
    if built_from is not None and built_from.families:
        parts.append(_sources(built_from))
    parts.append(f"<footer>{e(ATTRIBUTION)}. 「日本政府観光局（JNTO）」.</footer></body></html>\n")
    return _boxed_tables("\n".join(parts))


TRAVELS_WHOLE = ("The pages share one copy of plotly.js (<code>plotly.min.js</code>, beside them): copy or "
                 "send this folder whole. A page saved on its own draws no chart; "
                 "<code>flows report --standalone</code> writes pages that each open alone.")
TRAVELS_STANDALONE = "Each page carries its own copy of plotly.js and opens alone, with no network."


def _boxed_tables(page: str) -> str:
    """Every table in a box of its own that scrolls sideways on a narrow screen, not the page."""
    return re.sub(r"<table\b", "<div class=\"table-box\"><table", page).replace("</table>", "</table></div>")
