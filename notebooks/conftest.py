"""nbval settings for the notebooks.

``make test`` runs ``pytest tests notebooks --nbval-lax --nbval-current-env``: every cell must run
without error, and the cells marked ``# NBVAL_CHECK_OUTPUT`` (the printed key figures) must print
exactly what the committed notebook shows. Figures and rich displays are never compared: plotly's
JSON and HTML (and the Markdown sentences built from the same numbers) are excluded here through
nbval's ``skip_compare`` rather than by skipping cells, so those cells still execute.

The notebooks that fit models (:data:`FITTED`) print figures whose last digits move from one CPU to
another: there a checked cell's printed text (and the text form of the tables it shows,
:mod:`flows.viz.tables`) passes when it prints the same words with every number within the tolerance of :func:`flows.site.printed_figures.same_figures` (1 %, or one unit of the last
digit). The other notebooks (the official figures, the trends) are compared exactly.
"""

from __future__ import annotations

from nbval.plugin import IPyNbCell

from flows.site.printed_figures import FITTED, same_figures

SKIP_COMPARE = (
    "application/vnd.plotly.v1+json",
    "text/html",
    "text/markdown",
    "application/javascript",
    "stderr",
)


def pytest_collectstart(collector):
    """Extend the output types nbval ignores when it compares a notebook's cells."""
    if hasattr(collector, "skip_compare") and str(getattr(collector, "path", "")).endswith(".ipynb"):
        collector.skip_compare = tuple(collector.skip_compare) + SKIP_COMPARE


def _stdout(outputs) -> str:
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _tables(outputs) -> list:
    """The displayed outputs with a text form (tables of :func:`flows.viz.tables.show`), in order."""
    return [o for o in outputs if o.get("output_type") in ("display_data", "execute_result")
            and "text/plain" in o.get("data", {})]


def _printed(outputs) -> str:
    """What a cell printed and the text of the tables it displayed, as one text."""
    return "\n".join([_stdout(outputs)] + ["".join(o["data"]["text/plain"]) for o in _tables(outputs)])


def _with_tolerance(compare):
    """nbval's comparison, told first whether a fitted notebook printed the same figures within tolerance
    (in its printed text and in the text form of its tables)."""
    def compare_outputs(self, test, ref, skip_compare=None):
        if str(self.parent.path).endswith(FITTED):
            printed, committed = _printed(test), _printed(ref)
            if printed != committed and len(_tables(test)) == len(_tables(ref)) and same_figures(committed, printed):
                test = [o for o in test if not (o.get("output_type") == "stream" and o.get("name") == "stdout")]
                test = [o for o in ref if o.get("output_type") == "stream" and o.get("name") == "stdout"] + test
                for mine, theirs in zip(_tables(test), _tables(ref)):
                    mine["data"] = {**mine["data"], "text/plain": theirs["data"]["text/plain"]}
        return compare(self, test, ref, skip_compare)
    return compare_outputs


IPyNbCell.compare_outputs = _with_tolerance(IPyNbCell.compare_outputs)
