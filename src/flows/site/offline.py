"""Exported notebook HTML that opens with no network.

:func:`html_exporter` is nbconvert's lab template without the CDN scripts it would load
(require.js, MathJax, mermaid, widgets), and gives figures that carry only plotly's JSON mimetype
an HTML rendering. :func:`make_offline` then removes any remaining remote script and points every
page that plots at one local copy of plotly.js beside the pages (:data:`PLOTLY_ASSET`, written by
:func:`write_plotly_asset`), so the site carries plotly.js once (4.8 MB; the report is about 9 MB)
and opens with no network wherever the folder is copied whole. With ``standalone=True``
(``flows report --standalone``) each page embeds plotly.js instead and opens alone, saved or mailed
on its own, at 4.8 MB more per page. LaTeX in markdown is shown as source.

Every page that plots also carries ``flows/data/narrow_charts.js``: on a phone, charts switch to
the header :func:`flows.viz.theme.finish` wrapped for a narrow screen, and wrap long legend entries.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
PLOTLY_ASSET = "plotly.min.js"  # beside the pages, referenced by a relative path
# The charts' toolbar on the report's pages: download, zoom, pan and reset only, so that it is short
# enough to stay clear of the title at the top left (tests/browser/test_site_layout.py); below 670 px it is
# left out (flows.site.publication).
CHART_CONFIG = {"displaylogo": False,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"]}

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


def drop_plotly_bundles(page: str) -> str:
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


def narrow_charts_script() -> str:
    return (resources.files("flows") / "data" / "narrow_charts.js").read_text(encoding="utf-8")


def make_offline(page: str, standalone: bool = False) -> str:
    """``page`` with remote scripts and inline plotly.js bundles removed and, if it plots, plotly.js
    in ``<head>``: one ``<script src="plotly.min.js">`` (the shared local copy), or the bundle itself
    when ``standalone``; then the script that fits charts to a phone's width."""
    page = _REMOTE_SCRIPT.sub("", page)
    page = drop_plotly_bundles(page)
    if "Plotly.newPlot" in page or "plotly-graph-div" in page:
        if standalone:
            from plotly.offline import get_plotlyjs

            plotly = f"<script type=\"text/javascript\">{get_plotlyjs()}</script>\n"
        else:
            plotly = f"<script type=\"text/javascript\" src=\"{PLOTLY_ASSET}\"></script>\n"
        bundle = ("<script type=\"text/javascript\">window.PlotlyConfig = {MathJaxConfig: 'local'};"
                  f"</script>\n{plotly}<script data-flows-fit>\n{narrow_charts_script()}</script>\n")
        head_end = page.find("</head>")
        if head_end < 0:
            page = bundle + page
        else:
            page = page[:head_end] + bundle + page[head_end:]
    return page


def write_plotly_asset(folder: Path) -> Path:
    """The plotly.js bundle shipped with the installed plotly, as ``folder/plotly.min.js``."""
    from plotly.offline import get_plotlyjs

    path = Path(folder) / PLOTLY_ASSET
    path.write_text(get_plotlyjs(), encoding="utf-8")
    return path


def html_exporter():
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
                        default_height=525, validate=False, config=CHART_CONFIG)
            return cell, resources

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"flows_offline.html.j2": _OFFLINE_TEMPLATE})],
        template_file="flows_offline.html.j2",
        embed_images=True,
    )
    exporter.register_preprocessor(PlotlyJsonToHtml(), enabled=True)
    return exporter

