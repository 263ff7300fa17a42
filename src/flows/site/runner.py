"""Execute the numbered notebooks and publish them, with an index of key figures, as offline HTML.

:func:`make_report` runs every ``notebooks/NN_*.ipynb`` in order with papermill (parameters
``raw_dir``, ``processed_dir``, ``as_of``, ``horizon_end``), writes the executed copies (as
JupyterLab saves them, :mod:`flows.site.notebook_store`) and one HTML page per notebook into
``reports/`` (:mod:`flows.site.offline`; code hidden and parameter cells left out,
:mod:`flows.site.publication`), the offline what-if explorer ``reports/whatif.html`` when the processed
folder holds the outlook (:mod:`flows.site.whatif_page`), then ``reports/index.html`` (:mod:`flows.site.index`, numbers from
:mod:`flows.site.figures`, what it was built from from :mod:`flows.site.provenance`).

Rebuilding ``data/processed`` from raw files is the caller's job (``flows build``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from flows.atomic import staged_folder
from flows.config import FORECAST_PATHS
from flows.errors import ReportError
from flows.site.figures import key_figures
from flows.site.index import render_index
from flows.site.offline import html_exporter, make_offline, write_plotly_asset
from flows.site.provenance import built_from
from flows.site.publication import for_publication, present
from flows.site.whatif_page import write_whatif_page

WHATIF_TITLE = "What if? The border-sharing load under other assumptions (offline explorer)"

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


@dataclass
class Report:
    """What :func:`make_report` wrote, and how long it took."""

    index: Path
    notebooks: list[Path] = field(default_factory=list)  # executed .ipynb in ``out``
    pages: list[Path] = field(default_factory=list)  # .html in ``out``
    seconds: float = 0.0


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


@dataclass(frozen=True)
class ReportSettings:
    """What one report run is made from (:func:`make_report`'s arguments)."""

    raw: Path | None
    as_of: str | None
    horizon_end: str
    notebooks_dir: Path
    processed_dir: Path
    progress: bool = True
    kernel_name: str = "python3"
    cell_timeout: int = 900
    headline_year: int = 2024
    standalone: bool = False

    def parameters(self) -> dict[str, str]:
        """The notebooks' parameters: ``processed_dir`` and ``horizon_end`` always, ``raw_dir`` and
        ``as_of`` only when given; paths relative to ``notebooks_dir``, where the notebooks run."""
        params = {"processed_dir": os.path.relpath(self.processed_dir.resolve(), self.notebooks_dir.resolve()),
                  "horizon_end": self.horizon_end}
        if self.raw is not None:
            params["raw_dir"] = os.path.relpath(Path(self.raw).resolve(), self.notebooks_dir.resolve())
        if self.as_of is not None:
            params["as_of"] = self.as_of
        return params


def make_report(raw: Path | None, out: Path = Path("reports"), as_of: str | None = None,
                horizon_end: str = "2030-12", notebooks_dir: Path = Path("notebooks"),
                progress: bool = True, *, processed_dir: Path = Path("data/processed"),
                kernel_name: str = "python3", cell_timeout: int = 900,
                headline_year: int = 2024, standalone: bool = False) -> Report:
    """Execute ``notebooks_dir/NN_*.ipynb`` in order into ``out`` and publish them as HTML.

    Parameters passed: ``processed_dir`` and ``horizon_end`` always; ``raw_dir`` (from ``raw``)
    and ``as_of`` only when given, so the notebooks' defaults apply otherwise. Paths are made
    relative to ``notebooks_dir``, where the notebooks run. ``standalone``: every page embeds
    plotly.js and opens alone (:func:`flows.site.offline.make_offline`); otherwise the pages share
    one ``plotly.min.js`` beside them and the folder travels whole.
    Pages are written into a staging folder that replaces ``out`` whole only when every notebook
    ran (:func:`flows.atomic.staged_folder`): a failed report leaves the previous one intact. Stops
    at the first failing notebook: its page (showing the error) and an index marked incomplete are
    written to ``<out>.failed/``, then :class:`ReportError` is raised.
    """
    started = time.perf_counter()
    notebooks_dir, out = Path(notebooks_dir), Path(out)
    notebooks = sorted(notebooks_dir.glob(NOTEBOOK_GLOB))
    if not notebooks:
        raise ReportError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out} is a file: the report needs a folder (pass --out DIR)")
    settings = ReportSettings(raw, as_of, horizon_end, notebooks_dir, Path(processed_dir), progress, kernel_name,
                              cell_timeout, headline_year, standalone)
    with staged_folder(out) as stage:
        report, failure = _run_notebooks(notebooks, stage, settings)
        if failure:
            failed = out.with_name(out.name + ".failed")
            shutil.rmtree(failed, ignore_errors=True)
            shutil.copytree(stage, failed)
            raise ReportError(f"{failure.replace(str(stage), str(failed))}; the previous report in {out} "
                              "is unchanged")
    report.index = out / report.index.name
    report.notebooks = [out / p.name for p in report.notebooks]
    report.pages = [out / p.name for p in report.pages]
    report.seconds = time.perf_counter() - started
    return report


def _run_notebooks(notebooks: list[Path], out: Path, settings: ReportSettings) -> tuple[Report, str | None]:
    """The body of :func:`make_report`, writing into ``out`` (the staging folder): what was
    written, and the first failure (None when every notebook ran)."""
    import nbformat
    import papermill as pm
    from tqdm.auto import tqdm

    from flows.site.execute import kernel_manager_class
    from flows.site.notebook_store import write_notebook

    s = settings
    params = s.parameters()
    exporter = html_exporter()
    if not s.standalone:
        write_plotly_asset(out)
    report = Report(index=out / "index.html")
    entries: list[tuple[str, str, str | None]] = []  # (page name, title, error)
    failure: str | None = None
    bar = tqdm(notebooks, desc="notebooks", unit="nb", disable=not s.progress, file=sys.stderr)
    with _kernel_imports_flows():
        for nb_path in bar:
            bar.set_postfix_str(nb_path.name)
            executed = out / nb_path.name
            error = None
            try:
                pm.execute_notebook(
                    str(nb_path), str(executed), parameters=params, kernel_name=s.kernel_name,
                    cwd=str(s.notebooks_dir), progress_bar=False, log_output=False,
                    request_save_on_cell_execute=False,
                    execution_timeout=s.cell_timeout, kernel_manager_class=kernel_manager_class())
            except pm.PapermillExecutionError:
                error = "failed"
            except Exception as e:  # kernel died, bad JSON, …: still say which notebook
                if not executed.exists():
                    raise ReportError(f"{nb_path.name}: {type(e).__name__}: "
                                      f"{str(e).splitlines()[0] if str(e) else ''}") from e
                error = "failed"
            nb = nbformat.read(executed, as_version=4)
            write_notebook(nb, executed)  # as JupyterLab would save it
            if error:
                error = _first_error(nb)
            body, _ = exporter.from_notebook_node(for_publication(nb),
                                                  resources={"metadata": {"name": nb_path.stem}})
            body = present(body)
            page = out / f"{nb_path.stem}.html"
            page.write_text(make_offline(body, s.standalone), encoding="utf-8")
            report.notebooks.append(executed)
            report.pages.append(page)
            entries.append((page.name, _notebook_title(nb, nb_path.stem), error))
            if error:
                failure = f"{nb_path.name} failed: {error} (see {page})"
                break
    bar.close()

    skipped = [nb.stem for nb in notebooks[len(entries):]]
    if failure is None and (s.processed_dir / FORECAST_PATHS).exists():
        page = write_whatif_page(out, s.processed_dir, s.as_of)
        report.pages.append(page)
        entries.append((page.name, WHATIF_TITLE, None))
    figures = key_figures(s.processed_dir, s.as_of, s.horizon_end, s.headline_year)
    source = built_from(s.processed_dir, from_raw=s.raw is not None, as_of=s.as_of)
    report.index.write_text(
        make_offline(render_index(figures, entries, skipped=skipped, failure=failure,
                                  as_of=s.as_of, horizon_end=s.horizon_end, built_from=source,
                                  standalone=s.standalone), s.standalone),
        encoding="utf-8")
    return report, failure
