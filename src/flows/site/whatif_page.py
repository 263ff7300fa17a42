"""The report's offline what-if explorer (``reports/whatif.html``): the load figures of notebook 05 for a
grid of the assumptions that move the load most, chosen by a page script with no kernel.

Every number on the page is computed here by :mod:`flows.exchange_load.whatif` (the code of notebooks
04 and 05) and embedded as JSON; the page's script only looks up the setting the reader picks and shows
it — it computes nothing. The grid's assumptions are the :data:`GRID_SIZE` one-number assumptions whose
YAML range moves the busiest hour of the last year most on the median path
(:func:`flows.exchange_load.whatif.sensitivity`), each at :data:`GRID_POINTS` points over its range and
at its YAML value; every other assumption keeps its YAML value.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from flows import ATTRIBUTION
from flows.exchange_load import whatif
from flows.exchange_load.assumptions import Assumptions, read_assumptions
from flows.exchange_load.summaries import QUANTILES
from flows.site.offline import make_offline
from flows.viz.theme import COLORS, finish, new_figure

PAGE = "whatif.html"
PHONE_CHARS = (30, 50)  # title and note characters per line: the chart's header fits a 390 px phone
GRID_SIZE, GRID_POINTS = 2, 2  # 3 x 3 settings: about 20 s of the report on 2 shared cores
CAPACITIES = list(range(1000, 30001, 1000))  # records per hour offered for "days above capacity"
QUANTILE_LABELS = {0.05: "5th percentile of paths", 0.25: "25th percentile of paths", 0.5: "median path",
                   0.75: "75th percentile of paths", 0.95: "95th percentile of paths"}

CSS = """
body { font: 15px/1.45 "Helvetica Neue", Arial, sans-serif; color: #222; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 8px 16px 32px; }
h1 { font-size: 1.5em; margin: 0.4em 0; } h2 { font-size: 1.15em; margin: 1.2em 0 0.4em; }
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px 20px; }
.control label { display: block; font-weight: bold; }
.control select { width: 100%; font: inherit; padding: 3px; margin: 2px 0; }
.control .about { font-size: 0.85em; color: #555; overflow-wrap: anywhere; }
table.figures { border-collapse: collapse; margin: 8px 0; max-width: 100%; }
table.figures th, table.figures td { padding: 4px 10px 4px 0; text-align: left; vertical-align: top;
  border-bottom: 1px solid #e6e6e6; overflow-wrap: anywhere; }
table.figures td.value { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.rank { border-collapse: collapse; font-size: 0.9em; display: block; overflow-x: auto; max-width: 100%; }
table.rank th, table.rank td { padding: 3px 8px; border-bottom: 1px solid #e6e6e6; text-align: right; }
table.rank th:first-child, table.rank td:first-child { text-align: left; }
p.source { font-size: 0.85em; color: #555; }
nav a { color: #1f5aa6; }
"""

SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById("flows-whatif-data").textContent);
  function pick(id) { return Number(document.getElementById(id).value); }
  function show() {
    var wanted = data.names.map(function (n) { return pick("flows-whatif-" + n); });
    var i = data.settings.findIndex(function (s) { return s.every(function (v, j) { return v === wanted[j]; }); });
    var y = data.years.indexOf(pick("flows-whatif-year"));
    var q = data.quantiles.indexOf(pick("flows-whatif-quantile"));
    var c = data.capacities.indexOf(pick("flows-whatif-capacity"));
    var r = data.results[i];
    data.figures.forEach(function (f, k) {
      var v = f === "days_above_capacity" ? r.days_above[y][c][q] : r.figures[y][k][q];
      var cell = document.querySelector('[data-figure="' + f + '"]');
      cell.textContent = Math.round(v).toLocaleString("en-US");
      cell.setAttribute("data-value", String(v));
    });
    var hour = data.figures.indexOf("records_peak_hour"), cap = data.figures.indexOf("capacity_99pct_hours");
    var at = function (k, qi) { return r.figures.map(function (yr) { return yr[k][qi]; }); };
    var low = at(hour, 0), high = at(hour, data.quantiles.length - 1);
    var chart = document.getElementById("flows-whatif-chart");
    if (window.Plotly && chart) {
      Plotly.restyle(chart, {y: [low.concat(high.slice().reverse()), at(hour, q), at(cap, q),
                                 data.years.map(function () { return data.capacities[c]; })]}, [0, 1, 2, 3]);
    }
  }
  document.querySelectorAll("select.flows-whatif").forEach(function (s) { s.addEventListener("change", show); });
  show();
})();
"""


def _entry(a: Assumptions, name: str):
    return next(e for e in a if e.name == name)


def _select(ident: str, label: str, options: list[tuple], chosen, about: str = "", title: str = "") -> str:
    opts = "".join(f'<option value="{v!r}"{" selected" if v == chosen else ""}>{html.escape(text)}</option>'
                   for v, text in options)
    about = f'<div class="about" title="{html.escape(title)}">{about}</div>' if about else ""
    return (f'<div class="control"><label for="{ident}">{html.escape(label)}</label>'
            f'<select id="{ident}" class="flows-whatif">{opts}</select>{about}</div>')


def _chart(years: list[int], capacity: int) -> str:
    """Busiest hour (90 % of paths and the chosen quantile) and the capacity for 99 % of hours, per
    year; the page's script fills in the setting the reader picks."""
    fig = new_figure()
    x = [str(y) for y in years]
    zeros = [0] * len(years)
    fig.add_scatter(x=x + x[::-1], y=zeros + zeros, fill="toself", mode="lines", line=dict(width=0),
                    fillcolor="rgba(31, 90, 166, 0.15)", name="busiest hour, 90 % of paths", hoverinfo="skip")
    fig.add_scatter(x=x, y=zeros, mode="lines+markers", name="busiest hour, chosen quantile",
                    line=dict(color=COLORS["tw_to_jp"], width=2.5),
                    hovertemplate="%{x}: %{y:,.0f} records in the busiest hour<extra></extra>")
    fig.add_scatter(x=x, y=zeros, mode="lines+markers", name="capacity for 99 % of hours, chosen quantile",
                    line=dict(color=COLORS["jp_to_tw"], width=2),
                    hovertemplate="%{x}: %{y:,.0f} records per hour cover 99 % of hours<extra></extra>")
    fig.add_scatter(x=x, y=[capacity] * len(years), mode="lines", name="capacity chosen",
                    line=dict(color="#999999", width=1, dash="dash"),
                    hovertemplate="%{y:,.0f} records per hour<extra>capacity chosen</extra>")
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(type="category")
    # no toolbar: the explorer's chart is read, not zoomed, and on a phone a toolbar sits on its title
    finish(fig, "Busiest hour and the capacity that covers 99 % of hours, per year, under the chosen assumptions",
           y_title="records per hour", x_title="year", note=whatif_note(), height=560, chars=PHONE_CHARS)
    return fig.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False, div_id="flows-whatif-chart",
                       config={"displayModeBar": False, "responsive": True}, default_width="100%")


def whatif_note() -> str:
    return "Model: flows.exchange_load.whatif (assumptions in border_assumptions.yaml) on the outlook's sample paths"


def _rank_table(ranking) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in
                   ("assumption", "range", "YAML value", "busiest hour at low end", "at YAML value",
                    "at high end", "swing"))
    rows = "".join(
        f"<tr><td>{html.escape(r['assumption'])}</td><td>{r['low end']}–{r['high end']}</td><td>{r['value']}</td>"
        f"<td>{r['figure at low end']:,.0f}</td><td>{r['figure at value']:,.0f}</td>"
        f"<td>{r['figure at high end']:,.0f}</td><td>{100 * r['swing']:.0f} %</td></tr>"
        for r in ranking.to_dict("records"))
    return f'<table class="rank"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def render_whatif(explorer: whatif.Explorer, a: Assumptions, grid_size: int = GRID_SIZE,
                  points: int = GRID_POINTS, capacities=CAPACITIES) -> str:
    """The page, with every figure computed for the grid (:func:`flows.exchange_load.whatif.grid`)."""
    last = explorer.years[-1]
    ranking = whatif.sensitivity(explorer, a, last)
    names = list(ranking["assumption"].head(grid_size))
    capacities = sorted(set(capacities) | {int(a.capacity_per_hour)})
    data = whatif.grid(explorer, a, names, capacities, points)
    controls = []
    for name in names:
        e = _entry(a, name)
        controls.append(_select(f"flows-whatif-{name}", f"{name} ({e.unit})",
                                [(v, f"{v:g}" + (" (YAML value)" if v == float(e.value) else "")) for v in data["values"][name]],
                                float(e.value), about=f"Source: {html.escape(' '.join(e.source.split())[:160])}…",
                                title=" ".join(e.source.split())))
    controls.append(_select("flows-whatif-year", "year", [(y, str(y)) for y in data["years"]], last))
    controls.append(_select("flows-whatif-quantile", "outlook", [(q, QUANTILE_LABELS[q]) for q in QUANTILES], 0.5,
                            about="a quantile across the outlook's sample paths (flows forecast)"))
    controls.append(_select("flows-whatif-capacity", "capacity (records per hour)",
                            [(c, f"{c:,}" + (" (YAML value)" if c == int(a.capacity_per_hour) else "")) for c in capacities],
                            int(a.capacity_per_hour), about=html.escape(_entry(a, "capacity_per_hour").unit)))
    rows = "".join(f'<tr><th>{html.escape(label)}</th><td class="value" data-figure="{f}"></td>'
                   f"<td>{html.escape(unit)}</td></tr>" for f, (label, unit) in whatif.FIGURES.items())
    others = [n for n in whatif.controlled(explorer.direction) if n not in names]
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>What-if explorer: the border information-sharing load</title><style>{CSS}</style></head>
<body><main>
<nav><a href="index.html">← Taiwan–Japan travel: the report's index</a> ·
<a href="05_what_if.html">notebook 05 (the explorer with every control, in JupyterLab)</a></nav>
<h1>What if? The border information-sharing load under other assumptions</h1>
<p>Records Japan would receive on travellers leaving Taiwan for Japan ({html.escape(explorer.direction.label)}),
on the outlook's {explorer.travellers.shape[1]:,} sample paths, for the years {explorer.years[0]}–{last}. Pick a setting:
every figure below was computed for it by <code>flows.exchange_load</code> when this report was built (the
code of notebooks 04 and 05); nothing is computed in this page.</p>
<section class="controls">{"".join(controls)}</section>
<h2>The figures</h2>
<table class="figures"><tbody>{rows}</tbody></table>
{_chart(data["years"], int(a.capacity_per_hour))}
<h2>Why these assumptions</h2>
<p>Of the one-number assumptions of the baseline load, these {len(names)} move the busiest hour of {last}
(median path) most across their ranges in <code>border_assumptions.yaml</code>: each was set to the low and
the high end of its range with every other assumption at its YAML value (swing: high minus low, as a share of
the busiest hour at the YAML values). The grid sets each at {points} points evenly over its range (its ends
included) and at its YAML value.
Every other assumption keeps its YAML value here ({html.escape(", ".join(others))}); notebook 05 in
JupyterLab has a control for each, the weekday weights and the hourly profile included.</p>
{_rank_table(ranking)}
<p class="source">{html.escape(ATTRIBUTION)}. Assumptions: src/flows/data/border_assumptions.yaml.</p>
</main>
<script type="application/json" id="flows-whatif-data">{payload}</script>
<script>{SCRIPT}</script>
</body></html>
"""


def write_whatif_page(out: Path, processed_dir: Path, as_of: str | None = None) -> Path:
    """Compute the grid over the outlook in ``processed_dir`` and write ``out/whatif.html``."""
    explorer = whatif.outlook_explorer(processed_dir, as_of)
    page = Path(out) / PAGE
    page.write_text(make_offline(render_whatif(explorer, read_assumptions())), encoding="utf-8")
    return page
