"""Notebook pages that read like a publication: prose, charts and printed tables, the code hidden.

:func:`for_publication` drops the cells that are machinery, not content: the notebook's own
``parameters`` cell and the one papermill injects (``injected-parameters``, which holds paths of the
machine the report was built on). :func:`present` hides every code cell's input and the execution
prompts behind a "Show code" button (the code stays in the page, so a reader can still see how a
figure was made), links back to the index, and fits a phone: tables and printed text scroll inside
their own box, the chart toolbar (which would sit on the titles) is left out below 670 px.
"""

from __future__ import annotations

import copy
import re

MACHINERY_TAGS = {"parameters", "injected-parameters"}

STYLE = """<style id="flows-publication">
.flows-bar { display: flex; gap: 1em; align-items: baseline; justify-content: space-between;
  max-width: 1200px; margin: 0 auto; padding: 8px 16px; font: 14px/1.4 "Helvetica Neue", Arial, sans-serif; }
.flows-bar a { color: #1f5aa6; }
.flows-bar button { font: inherit; padding: 2px 10px; border: 1px solid #999; border-radius: 3px;
  background: #f6f6f6; cursor: pointer; }
.jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
body:not(.flows-show-code) .jp-CodeCell .jp-Cell-inputWrapper { display: none; }
body:not(.flows-show-code) .jp-CodeCell.jp-mod-noOutputs { display: none; }
/* a phone: tables and printed text scroll in their own box, prose wraps, the chart toolbar is left out */
.jp-OutputArea-output { overflow-x: auto; max-width: 100%; }
.jp-OutputArea-output pre { white-space: pre; word-break: normal; overflow-wrap: normal; }
.jp-RenderedHTMLCommon table.flows-table caption { caption-side: top; text-align: left; font-weight: 600;
  padding-bottom: .3em; }
.jp-RenderedMarkdown { overflow-wrap: break-word; }
@media (max-width: 669px) {
  body { padding: 0 !important; }
  .jp-Cell, .jp-Notebook { padding-left: 4px !important; padding-right: 4px !important; }
  .js-plotly-plot .modebar-container { display: none !important; }
  .flows-bar { flex-wrap: wrap; padding: 8px; }
}
</style>
"""

VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">\n'  # a phone lays it out at its width

BAR = """<nav class="flows-bar"><a href="index.html">← Taiwan–Japan travel: the report's index</a>
<button type="button" id="flows-code-toggle" aria-pressed="false">Show code</button></nav>
<script>
document.getElementById("flows-code-toggle").addEventListener("click", function () {
  var shown = document.body.classList.toggle("flows-show-code");
  this.textContent = shown ? "Hide code" : "Show code";
  this.setAttribute("aria-pressed", String(shown));
});
</script>
"""

_BODY = re.compile(r"<body\b[^>]*>", re.I)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="flows-widget-note">The controls here need a running kernel (open the notebook '
               'in JupyterLab: <code>make lab</code>). In this report, the <a href="{page}">offline what-if '
               'explorer</a> answers the same questions with no kernel.</p>')
WHATIF_PAGE = "whatif.html"


def for_publication(nb):
    """A copy of ``nb`` without its parameter cells (the notebook's and papermill's), and with
    every widget (which needs a kernel) replaced by a pointer to the offline explorer."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not MACHINERY_TAGS & set(c.get("metadata", {}).get("tags", []))]
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_VIEW in data:
                out["data"] = {"text/html": WIDGET_NOTE.format(page=WHATIF_PAGE)}
    return nb


def present(page: str) -> str:
    """An exported notebook page with its code hidden behind a toggle and a link to the index."""
    head_end = page.find("</head>")
    if head_end >= 0:
        viewport = "" if 'name="viewport"' in page[:head_end] else VIEWPORT
        page = page[:head_end] + viewport + STYLE + page[head_end:]
    body = _BODY.search(page)
    if body:
        page = page[:body.end()] + "\n" + BAR + page[body.end():]
    return page
