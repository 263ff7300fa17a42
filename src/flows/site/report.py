"""Execute the numbered notebooks and publish them, with an index of key figures, as offline HTML.

``make_report`` runs every ``notebooks/NN_*.ipynb`` in order with papermill (parameters
``raw_dir``, ``processed_dir``, ``as_of``, ``horizon_end``), writes the executed copies and one
HTML page per notebook into ``reports/``, then ``reports/index.html``: the latest month of each
Taiwan–Japan series with its status, 12-month totals, the headline year's Taiwan–Japan total (Taiwan's own counts:
TW→JP ``national_departures`` + JP→TW ``visitor_arrivals``; the JNTO count of Taiwanese
arrivals is the mirror of the first and is never added to it) and the outlook from
``forecasts.csv`` when the forecast notebook has written it.

Every page opens with no network: plotly.js is embedded once per page in ``<head>``, figures
that carry only plotly's JSON mimetype are given an HTML rendering, and the CDN scripts that
nbconvert's lab template (require.js, MathJax, mermaid, widgets) and plotly's notebook
renderer (MathJax) would load are left out. LaTeX in markdown is therefore shown as source.

Rebuilding ``data/processed`` from raw files is the caller's job (``flows build``).
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flows import ATTRIBUTION
from flows.analysis.table import load_table

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"

# Series the index names in words; any other series is shown by its key.
SERIES_LABELS = {
    ("TW", "JP", "national_departures"): "Taiwanese departures to Japan (Taiwan's count)",
    ("JP", "TW", "visitor_arrivals"): "Japanese arrivals in Taiwan (Taiwan's count)",
    ("TW", "JP", "visitor_arrivals"): "Taiwanese arrivals in Japan (JNTO's count)",
    ("JP", "TW", "national_departures"): "Japanese departures to Taiwan",
}
HEADLINE_PARTS = (("TW", "JP", "national_departures"), ("JP", "TW", "visitor_arrivals"))


class ReportError(Exception):
    """The report could not be made; one line naming the notebook or file."""


@dataclass
class Report:
    index: Path
    notebooks: list[Path] = field(default_factory=list)  # executed .ipynb in ``out``
    pages: list[Path] = field(default_factory=list)  # .html in ``out``
    seconds: float = 0.0


# --------------------------------------------------------------------------- key figures


@dataclass(frozen=True)
class SeriesFigures:
    origin: str
    destination: str
    measure: str
    label: str
    latest_month: str
    latest_value: float
    latest_status: str
    window_start: str  # first month of the 12 ending at latest_month
    months_in_window: int
    total_12m: float | None  # None unless all 12 months are present
    total_12m_prior: float | None
    window_statuses: dict[str, int]


@dataclass(frozen=True)
class Headline:
    year: int
    departures_tw_jp: float | None
    arrivals_jp_tw: float | None
    months: tuple[int, int]  # months present in each part

    @property
    def total(self) -> float | None:
        if self.months != (12, 12):
            return None
        return self.departures_tw_jp + self.arrivals_jp_tw


@dataclass(frozen=True)
class OutlookRow:
    series: str
    model: str
    as_of: str
    year: int
    year_total: float | None  # sum of monthly means; None unless 12 months are forecast
    month: str | None  # the horizon month, when forecast
    mean: float | None
    lower_80: float | None
    upper_80: float | None
    lower_95: float | None
    upper_95: float | None


@dataclass
class KeyFigures:
    data_as_of: str | None
    series: list[SeriesFigures]
    headline: Headline | None
    outlook: list[OutlookRow] | None
    outlook_note: str | None
    monthly: pd.DataFrame  # the rows used, for the chart
    forecasts: pd.DataFrame | None


def _month(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.astype(str).str[:7], format="%Y-%m").dt.strftime("%Y-%m")


def _label(key: tuple[str, str, str]) -> str:
    return SERIES_LABELS.get(key, f"{key[0]}→{key[1]} {key[2]}")


def key_figures(processed_dir: Path, as_of: str | None = None, horizon_end: str = "2030-12",
                headline_year: int = 2024) -> KeyFigures:
    """The index page's numbers, computed from ``monthly_flows.csv`` (and ``forecasts.csv``).

    Only the Taiwan–Japan series named in :data:`SERIES_LABELS` are reported. ``as_of``
    (``YYYY-MM``) ignores later months. Totals over a window or year are given only when every
    month is present.
    """
    processed_dir = Path(processed_dir)
    path = processed_dir / "monthly_flows.csv"
    if not path.exists():
        raise ReportError(f"{path} not found: run `flows build` first")
    try:
        df = load_table(processed_dir)
    except (KeyError, ValueError) as exc:
        raise ReportError(f"{path}: not the project's table ({exc})") from None
    df["month"] = df["month"].astype(str)
    if as_of:
        df = df[df["month"] <= as_of[:7]]

    df = df[[k in SERIES_LABELS for k in zip(df.origin, df.destination, df.measure)]]
    figures = []
    for key, g in df.groupby(["origin", "destination", "measure"], sort=True):
        g = g.set_index("month")
        latest = g.index.max()
        end = pd.Period(latest, freq="M")
        window = [str(end - i) for i in range(11, -1, -1)]
        prior = [str(end - 12 - i) for i in range(11, -1, -1)]
        in_window = g.loc[g.index.isin(window)]
        in_prior = g.loc[g.index.isin(prior)]
        figures.append(SeriesFigures(
            *key, label=_label(key), latest_month=latest,
            latest_value=float(g.loc[latest, "value"]), latest_status=str(g.loc[latest, "status"]),
            window_start=window[0], months_in_window=len(in_window),
            total_12m=float(in_window["value"].sum()) if len(in_window) == 12 else None,
            total_12m_prior=float(in_prior["value"].sum()) if len(in_prior) == 12 else None,
            window_statuses=in_window["status"].value_counts().sort_index().to_dict(),
        ))
    order = {k: i for i, k in enumerate(SERIES_LABELS)}
    figures.sort(key=lambda f: (order.get((f.origin, f.destination, f.measure), 99),
                                f.origin, f.destination, f.measure))

    def year_sum(key):
        o, d, m = key
        rows = df[(df.origin == o) & (df.destination == d) & (df.measure == m)
                  & df.month.str.startswith(f"{headline_year}-")]
        return (float(rows["value"].sum()) if len(rows) else None), rows["month"].nunique()

    (dep, n_dep), (arr, n_arr) = (year_sum(k) for k in HEADLINE_PARTS)
    headline = Headline(headline_year, dep, arr, (n_dep, n_arr)) if (n_dep or n_arr) else None

    outlook, note, fc = _outlook(processed_dir / "forecasts.csv", horizon_end)
    return KeyFigures(df["month"].max() if len(df) else None, figures, headline, outlook, note,
                      df, fc)


def _outlook(path: Path, horizon_end: str):
    if not path.exists():
        return None, (f"No outlook yet: {path.name} was not found (the forecast notebook "
                      "writes it)."), None
    fc = pd.read_csv(path, dtype={"series": str, "model": str, "as_of": str})
    need = {"series", "month", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "model",
            "as_of"}
    if need - set(fc.columns):
        return None, f"No outlook: {path.name} lacks columns {sorted(need - set(fc.columns))}.", None
    fc = fc.copy()
    fc["month"] = _month(fc["month"])
    fc["as_of"] = fc["as_of"].astype(str)
    # Only the newest vintage of each (series, model).
    newest = fc.groupby(["series", "model"])["as_of"].transform("max")
    fc = fc[fc["as_of"] == newest].sort_values(["series", "model", "month"])
    year = int(horizon_end[:4])
    rows = []
    for (series, model), g in fc.groupby(["series", "model"], sort=True):
        in_year = g[g["month"].str.startswith(f"{year}-")]
        at = g[g["month"] == horizon_end[:7]]

        def val(col):
            return float(at[col].iloc[0]) if len(at) and pd.notna(at[col].iloc[0]) else None

        rows.append(OutlookRow(
            series, model, str(g["as_of"].iloc[0]), year,
            float(in_year["mean"].sum()) if in_year["month"].nunique() == 12 else None,
            horizon_end[:7] if len(at) else None,
            val("mean"), val("lower_80"), val("upper_80"), val("lower_95"), val("upper_95"),
        ))
    if not rows:
        return None, f"No outlook: {path.name} has no rows.", fc
    return rows, None, fc


# --------------------------------------------------------------------------- offline HTML

_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>"
    r"|<script\b[^>]*>\s*import\s*[\"'](?:https?:)?//[^\"']*[\"'];?\s*</script>",
    re.I,
)
_BUNDLE_BANNER = re.compile(r"^\s*/\*\*?\s*\*?\s*plotly\.js v\d")


def remote_script_sources(page: str) -> list[str]:
    """``src`` (or ``import``) URLs of scripts in ``page`` that would need the network."""
    found = re.findall(r"<script\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", page, re.I)
    found += re.findall(r"<script\b[^>]*>\s*import\s*[\"']((?:https?:)?//[^\"']+)", page, re.I)
    return found


def _drop_plotly_bundles(page: str) -> str:
    """Remove every inline ``<script>`` that is the plotly.js bundle."""
    parts, pos = [], 0
    while True:
        start = page.find("<script", pos)
        if start < 0:
            break
        open_end = page.find(">", start)
        if open_end < 0:
            break
        if _BUNDLE_BANNER.match(page[open_end + 1:open_end + 200]):
            close = page.find("</script>", open_end)
            close = len(page) if close < 0 else close + len("</script>")
            parts.append(page[pos:start])
            pos = close
        else:
            parts.append(page[pos:open_end + 1])
            pos = open_end + 1
    parts.append(page[pos:])
    return "".join(parts)


def make_offline(page: str) -> str:
    """``page`` with remote scripts removed and plotly.js embedded exactly once if it plots."""
    from plotly.offline import get_plotlyjs

    page = _REMOTE_SCRIPT.sub("", page)
    page = _drop_plotly_bundles(page)
    if "Plotly.newPlot" in page or "plotly-graph-div" in page:
        bundle = ("<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};"
                  "</script>\n<script type=\"text/javascript\">" + get_plotlyjs() + "</script>\n")
        head_end = page.find("</head>")
        if head_end < 0:
            page = bundle + page
        else:
            page = page[:head_end] + bundle + page[head_end:]
    return page


def _html_exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import Preprocessor

    class PlotlyJsonToHtml(Preprocessor):
        """Give figures that carry only plotly's JSON mimetype an HTML rendering."""

        def preprocess_cell(self, cell, resources, index):
            import plotly.io as pio

            for j, out in enumerate(cell.get("outputs", [])):
                data = out.get("data", {})
                if PLOTLY_MIMETYPE in data and "text/html" not in data:
                    data["text/html"] = pio.to_html(
                        data[PLOTLY_MIMETYPE], include_plotlyjs=False, include_mathjax=False,
                        full_html=False, div_id=f"flows-fig-{index}-{j}", default_width="100%",
                        default_height=525, validate=False)
            return cell, resources

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"flows_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="flows_offline.html.j2",
        embed_images=True,
    )
    exporter.register_preprocessor(PlotlyJsonToHtml(), enabled=True)
    return exporter


# --------------------------------------------------------------------------- notebooks


@contextlib.contextmanager
def _kernel_imports_flows():
    """Let the kernel import the same ``flows`` as this process, installed or not."""
    import flows

    root = str(Path(flows.__file__).resolve().parent.parent)
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = root + (os.pathsep + old if old else "")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


def _notebook_title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^\s*#+\s+(.+?)\s*$", cell.source, re.M)
            if m:
                return re.sub(r"[*_`]", "", m.group(1))
    return fallback


def _first_error(nb) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {out.get('evalue')}".splitlines()[0][:200]
    return "execution failed"


def make_report(raw: Path | None, out: Path = Path("reports"), as_of: str | None = None,
                horizon_end: str = "2030-12", notebooks_dir: Path = Path("notebooks"),
                progress: bool = True, *, processed_dir: Path = Path("data/processed"),
                kernel_name: str = "python3", cell_timeout: int = 900,
                headline_year: int = 2024) -> Report:
    """Execute ``notebooks_dir/NN_*.ipynb`` in order into ``out`` and publish them as HTML.

    Parameters passed: ``processed_dir`` and ``horizon_end`` always; ``raw_dir`` (from ``raw``)
    and ``as_of`` only when given, so the notebooks' defaults apply otherwise. Paths are made
    relative to ``notebooks_dir``, where the notebooks run.
    Stops at the first failing notebook: its page (showing the error) and an index marked
    incomplete are still written, then :class:`ReportError` is raised.
    """
    import nbformat
    import papermill as pm
    from tqdm.auto import tqdm

    started = time.perf_counter()
    notebooks_dir, out = Path(notebooks_dir), Path(out)
    notebooks = sorted(notebooks_dir.glob(NOTEBOOK_GLOB))
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")
    out.mkdir(parents=True, exist_ok=True)

    params: dict[str, str] = {
        "processed_dir": os.path.relpath(Path(processed_dir).resolve(), notebooks_dir.resolve()),
        "horizon_end": horizon_end,
    }
    if raw is not None:
        params["raw_dir"] = os.path.relpath(Path(raw).resolve(), notebooks_dir.resolve())
    if as_of is not None:
        params["as_of"] = as_of

    exporter = _html_exporter()
    report = Report(index=out / "index.html")
    entries: list[tuple[str, str, str | None]] = []  # (page name, title, error)
    failure: str | None = None
    bar = tqdm(notebooks, desc="notebooks", unit="nb", disable=not progress, file=sys.stderr)
    with _kernel_imports_flows():
        for nb_path in bar:
            bar.set_postfix_str(nb_path.name)
            executed = out / nb_path.name
            error = None
            try:
                pm.execute_notebook(
                    str(nb_path), str(executed), parameters=params, kernel_name=kernel_name,
                    cwd=str(notebooks_dir), progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False,
                    execution_timeout=cell_timeout)
            except pm.PapermillExecutionError:
                error = "failed"
            except Exception as e:  # kernel died, bad JSON, …: still say which notebook
                if not executed.exists():
                    raise ReportError(f"{nb_path.name}: {type(e).__name__}: "
                                      f"{str(e).splitlines()[0] if str(e) else ''}") from e
                error = "failed"
            nb = nbformat.read(executed, as_version=4)
            if error:
                error = _first_error(nb)
            body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
            page = out / f"{nb_path.stem}.html"
            page.write_text(make_offline(body), encoding="utf-8")
            report.notebooks.append(executed)
            report.pages.append(page)
            entries.append((page.name, _notebook_title(nb, nb_path.stem), error))
            if error:
                failure = f"{nb_path.name} failed: {error} (see {page})"
                break
    bar.close()

    skipped = [nb.stem for nb in notebooks[len(entries):]]
    figures = key_figures(processed_dir, as_of, horizon_end, headline_year)
    report.index.write_text(
        make_offline(render_index(figures, entries, skipped=skipped, failure=failure,
                                  as_of=as_of, horizon_end=horizon_end)),
        encoding="utf-8")
    report.seconds = time.perf_counter() - started
    if failure:
        raise ReportError(failure)
    return report


# --------------------------------------------------------------------------- index page


def _n(v: float | None) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:,.0f}"


def _pct(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b:
        return "—"
    return f"{(a / b - 1) * 100:+.1f}%"


def _chart(f: KeyFigures) -> str:
    import plotly.graph_objects as go

    fig = go.Figure()
    for s in f.series:
        g = f.monthly[(f.monthly.origin == s.origin) & (f.monthly.destination == s.destination)
                      & (f.monthly.measure == s.measure)]
        fig.add_trace(go.Scatter(x=g["month"], y=g["value"], mode="lines", name=s.label,
                                 customdata=g["status"],
                                 hovertemplate="%{x}: %{y:,.0f} (%{customdata})<extra></extra>"))
    if f.forecasts is not None and f.outlook:
        for (series, model), g in f.forecasts.groupby(["series", "model"], sort=True):
            fig.add_trace(go.Scatter(x=g["month"], y=g["mean"], mode="lines",
                                     line={"dash": "dash"}, name=f"{series}, forecast mean"))
    title, y_title = "Monthly trips between Taiwan and Japan", "trips per month (persons)"
    try:  # the house style, when flows.plots is there
        from flows.viz.theme import finish
    except ImportError:
        finish = None
    if finish is not None:
        finish(fig, title, y_title=y_title, height=620)
        # many long series names: the legend goes under the plot, the source line under the legend
        fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.08, "x": 0},
                          margin={"b": 190})
        fig.update_annotations(selector={"name": "source"}, yshift=-172)
    else:
        fig.update_layout(title=title, template="plotly_white", height=500, yaxis_title=y_title)
        fig.add_annotation(text=ATTRIBUTION, xref="paper", yref="paper", x=0, y=0,
                           xanchor="left", yanchor="top", yshift=-45, showarrow=False,
                           font={"size": 10})
    return fig.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False,
                       div_id="flows-index-chart", config={"displaylogo": False})


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans TC","Noto Sans JP",sans-serif;
max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{margin-bottom:.2rem} .sub{color:#555;margin-top:0}
.headline{font-size:1.25rem;background:#f3f6fa;border-left:4px solid #2a6fb0;padding:.8rem 1rem}
.headline strong{font-size:1.8rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0 1.2rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-size:.85em;padding:.05rem .4rem;border-radius:.3rem;background:#eee}
.status.estimate{background:#fde8c8}.status.provisional{background:#e3eefc}.status.final{background:#dff3e3}
.note{color:#555;font-style:italic} .error{background:#fde2e1;border-left:4px solid #c0392b;padding:.6rem 1rem}
footer{margin-top:2rem;color:#555;font-size:.9em}
"""


def render_index(f: KeyFigures, notebooks: list[tuple[str, str, str | None]], *,
                 skipped: list[str] = (), failure: str | None = None, as_of: str | None = None,
                 horizon_end: str = "2030-12") -> str:
    """The index page; ``notebooks`` lists (page file name, title, error or None)."""
    e = html.escape
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>flows: Taiwan–Japan travel</title><style>{_CSS}</style></head><body>",
             "<h1>Taiwan–Japan travel</h1>",
             f"<p class=\"sub\">Official monthly statistics, data to {e(f.data_as_of or '—')}"
             f"{' (as of ' + e(as_of) + ')' if as_of else ''}; outlook to {e(horizon_end)}.</p>"]
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
        parts.append("<table><thead><tr><th>series</th><th>model</th><th>as of</th>"
                     f"<th class=\"num\">{year} total (sum of monthly means)</th>"
                     f"<th>month</th><th class=\"num\">mean</th><th class=\"num\">80% interval</th>"
                     "<th class=\"num\">95% interval</th></tr></thead><tbody>")
        for o in f.outlook:
            parts.append(
                f"<tr><td>{e(o.series)}</td><td>{e(o.model)}</td><td>{e(o.as_of)}</td>"
                f"<td class=\"num\">{_n(o.year_total)}</td><td>{e(o.month or '—')}</td>"
                f"<td class=\"num\">{_n(o.mean)}</td>"
                f"<td class=\"num\">{_n(o.lower_80)} – {_n(o.upper_80)}</td>"
                f"<td class=\"num\">{_n(o.lower_95)} – {_n(o.upper_95)}</td></tr>")
        parts.append("</tbody></table><p class=\"note\">Intervals are for the single month "
                     "shown; monthly intervals do not add up to an annual interval.</p>")
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
    parts.append(f"<footer>{e(ATTRIBUTION)}. 「日本政府観光局（JNTO）」.</footer></body></html>\n")
    return "\n".join(parts)
