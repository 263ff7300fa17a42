"""The ``flows`` command line: ``flows build``, ``flows forecast``, ``flows fetch``, ``flows notebooks``,
``flows report``, ``flows assumptions``.

What a command does is said on the package's loggers (``flows.*``, :mod:`logging`); :func:`main` prints
their records on stdout as bare lines for as long as the command runs, and nothing else configures
them: a library call or a notebook prints nothing unless its caller sets up logging.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path

from flows.config import DEFAULT_PROCESSED, DEFAULT_REPORTS, HORIZON_END, default_raw
from flows.errors import OutputError, ParameterError, RawFileError, ValidationError

DEFAULT_OUT = DEFAULT_PROCESSED
NOTEBOOKS = Path("notebooks")  # where flows report runs the notebooks from (flows.site.make_report)

logger = logging.getLogger(__name__)


def _build(args) -> int:
    from flows.assemble import run

    run(args.raw, args.out, allow_missing=_families(args.allow_missing))
    return 0


def _families(named: list[str] | None) -> frozenset[str]:
    """The file families named with ``--allow-missing`` (each may list several, comma-separated)."""
    from flows.assemble.expected import expected_sources

    families = frozenset(n.strip() for arg in named or [] for n in arg.split(",") if n.strip())
    unknown = sorted(families - set(expected_sources()))
    if unknown:
        raise ParameterError(f"--allow-missing: unknown file famil{'ies' if len(unknown) > 1 else 'y'} "
                             f"{', '.join(unknown)} (known: {', '.join(expected_sources())})")
    return families


def _forecast(args) -> int:
    from flows.forecast.command import run

    run(args.processed, as_of=args.as_of, horizon_end=args.horizon_end)
    return 0


def has_raw_files(raw: Path) -> bool:
    """True when ``raw`` holds spreadsheets or CSVs; ``flows build`` then says which it recognises."""
    from flows.assemble import data_files

    return raw.is_dir() and bool(data_files(raw))


def _report(args) -> int:
    from flows.analysis import table as tb
    from flows.assemble import run
    from flows.forecast.command import run as forecast
    from flows.site import ReportError, make_report

    _check_report_months(args.as_of, args.horizon_end)  # every argument refused before any work
    _check_report_folder(args.out, args.raw)
    allow_missing = _families(args.allow_missing)
    raw = args.raw if has_raw_files(args.raw) else None
    if raw is None:  # the committed table is all there is: the months are checked on it before any work
        tb.check_period(tb.load_table(DEFAULT_OUT), args.as_of, args.horizon_end)
        logger.info(f"No official raw files in {args.raw}: using the committed table in {DEFAULT_OUT}")
    else:  # the months are checked on the new table before it is written
        logger.info(f"Rebuilding data/processed from the raw files in {raw}")
        run(raw, DEFAULT_OUT, allow_missing=allow_missing,
            check=lambda table: tb.check_period(tb.with_months(table), args.as_of, args.horizon_end))
    forecast(DEFAULT_OUT, as_of=args.as_of, horizon_end=args.horizon_end)
    try:
        report = make_report(raw, out=args.out, as_of=args.as_of, horizon_end=args.horizon_end,
                             standalone=args.standalone, progress=args.level <= logging.INFO)
    except ReportError as exc:
        print(f"flows report: error: {exc}", file=sys.stderr)
        return 1
    logger.info(f"Wrote {report.index} ({len(report.notebooks)} notebook pages, {len(report.pages)} pages in all) "
                f"in {report.seconds:.0f} s")
    return 0


def _check_report_months(as_of: str | None, horizon_end: str) -> None:
    """``as_of`` and ``horizon_end`` well formed, ``as_of`` not a month still to come (no table can
    hold it) and ``horizon_end`` after it: what can be refused before the build runs."""
    import pandas as pd

    from flows.analysis.table import parse_month

    end = parse_month(horizon_end, "horizon_end")
    if as_of is None:
        return
    month = parse_month(as_of, "as_of")
    this_month = pd.Timestamp.now().to_period("M")
    if month >= this_month:
        raise ParameterError(f"as_of {month} has not been published yet (this is {this_month}): give a past month")
    if end <= month:
        raise ParameterError(f"horizon_end {end} must be after as_of {month}")


def _check_report_folder(out: Path, raw: Path) -> None:
    """The report folder is replaced as a whole: an :class:`flows.errors.OutputError` before any work
    when it is a file, or is, holds or lies inside the raw folder, ``data/processed`` or the notebooks'
    folder, or is (or holds) the current folder."""
    given, out = out, Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{given}: the report folder is a file: give a folder (--out DIR, default reports)")
    guarded = [("the current folder", Path("."), False), ("the raw folder", raw, True),
               ("the processed folder", DEFAULT_OUT, True), ("the notebooks' folder", NOTEBOOKS, True)]
    for what, folder, nor_inside in guarded:
        folder = Path(folder).resolve()
        where = ("is" if out == folder else "holds" if out in folder.parents
                 else "lies inside" if nor_inside and folder in out.parents else None)
        if where:
            raise OutputError(f"{given}: the report folder {where} {what} ({folder}), and it is replaced as a "
                              "whole: give another --out (default reports)")


def _assumptions(args) -> int:
    from flows.exchange_load.assumptions import DEFAULT_FILE, read_assumptions

    count = len(list(read_assumptions(args.path)))
    print(f"{args.path or DEFAULT_FILE}: {count} assumptions, every value within its range")
    return 0


def _notebooks(args) -> int:
    from flows.site.execute import default_notebooks, execute_notebooks
    from flows.site.notebook_store import NotebookStoreError

    paths = args.paths or default_notebooks()
    if not paths:
        print("flows notebooks: error: no notebooks/NN_*.ipynb here", file=sys.stderr)
        return 1
    try:
        execute_notebooks(paths)
    except NotebookStoreError as exc:
        print(f"flows notebooks: error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="flows", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="rebuild data/processed from the official raw files")
    build.add_argument("--raw", type=Path, default=default_raw(),
                       help="folder of official files (default: $FLOWS_RAW or data/raw)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/processed)")
    build.add_argument("--allow-missing", action="append", metavar="FAMILY",
                       help="build although this file family (e.g. tw_purpose_csv) is absent or incomplete; "
                            "repeat or separate with commas")
    _add_output_options(build, verbose=True)
    build.set_defaults(func=_build)

    forecast = commands.add_parser("forecast", help="forecast both directions to the horizon: write "
                                                    "the outlook (forecasts.csv, forecast_annual.csv, "
                                                    "forecast_paths.csv) and panel_backtest.csv, "
                                                    "append the vintage to forecast_vintages.csv")
    forecast.add_argument("--processed", type=Path, default=DEFAULT_OUT,
                          help="folder of the processed table, where forecasts.csv is written "
                               "(default: data/processed)")
    forecast.add_argument("--as-of", default=None, help="last month to use, YYYY-MM (default: newest in the table)")
    forecast.add_argument("--horizon-end", default=HORIZON_END, help=f"last month forecast, YYYY-MM (default {HORIZON_END})")
    _add_output_options(forecast)
    forecast.set_defaults(func=_forecast)

    from flows.acquire import fetch as fetch_command

    fetch = commands.add_parser("fetch", help="download the newest official files into data/raw "
                                              "(`flows fetch --help`: pages, limits, all releases)",
                                description=fetch_command.__doc__.split("\n")[0])
    fetch_command.add_arguments(fetch)
    _add_output_options(fetch)
    fetch.set_defaults(func=fetch_command.run)

    notebooks = commands.add_parser("notebooks", help="re-execute the notebooks in place and store them "
                                                      "as JupyterLab saves them")
    notebooks.add_argument("paths", nargs="*", type=Path,
                           help="notebooks to run (default: notebooks/NN_*.ipynb, in order)")
    _add_output_options(notebooks)
    notebooks.set_defaults(func=_notebooks)

    report = commands.add_parser("report", help="rebuild (if raw files are present), run the notebooks, "
                                                "write reports/index.html")
    report.add_argument("--raw", type=Path, default=default_raw(),
                        help="folder of official files (default: $FLOWS_RAW or data/raw)")
    report.add_argument("--out", type=Path, default=DEFAULT_REPORTS, help="report folder (default: reports)")
    report.add_argument("--as-of", default=None, help="last month to use, YYYY-MM (default: newest in the table)")
    report.add_argument("--horizon-end", default=HORIZON_END, help="forecast horizon end, YYYY-MM")
    report.add_argument("--allow-missing", action="append", metavar="FAMILY",
                        help="build without these file families (as flows build --allow-missing)")
    report.add_argument("--standalone", action="store_true",
                        help="embed plotly.js in every page, so each opens alone (4.8 MB more per page); "
                             "by default the pages share reports/plotly.min.js and the folder travels whole")
    _add_output_options(report, verbose=True)
    report.set_defaults(func=_report)

    assumptions = commands.add_parser("assumptions", help="check the load model's assumptions file (each value "
                                                          "within its range): one line")
    assumptions.add_argument("path", nargs="?", type=Path, default=None,
                             help="a YAML file like src/flows/data/border_assumptions.yaml (default: that file)")
    assumptions.set_defaults(func=_assumptions)

    args = parser.parse_args(argv)  # bad usage: argparse prints one line and exits 2
    from flows.exchange_load.assumptions import AssumptionError

    try:
        with _printing(getattr(args, "level", logging.INFO)):
            return args.func(args)
    except (ParameterError, AssumptionError) as exc:
        print(f"flows {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (RawFileError, ValidationError, OutputError) as exc:
        print(f"flows {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"flows {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: one line, the trace in a file
        trace = _write_trace(args.command)
        print(f"flows {args.command}: internal error ({type(exc).__name__}: {exc}); "
              f"full trace in {trace}", file=sys.stderr)
        return 3


def _add_output_options(command: argparse.ArgumentParser, verbose: bool = False) -> None:
    """``--quiet`` (warnings only, no progress bar) and, for the commands that read the raw folder,
    ``--verbose`` (also one line per raw file read in a large folder)."""
    said = command.add_mutually_exclusive_group()
    said.add_argument("--quiet", dest="level", action="store_const", const=logging.WARNING, default=logging.INFO,
                      help="print warnings and errors only")
    if verbose:
        said.add_argument("--verbose", dest="level", action="store_const", const=logging.DEBUG,
                          help="also name every raw file read (a large raw folder is summed up by file family)")


class _Lines(logging.StreamHandler):
    """A record as the bare line the commands print (no level, no time). Failing to write (stdout
    closed) is the command's error, handled as any other, not a traceback from :mod:`logging`."""

    def handleError(self, record):
        raise  # the exception being handled in StreamHandler.emit


@contextlib.contextmanager
def _printing(level: int):
    """The ``flows`` loggers' records at ``level`` and above printed on stdout while the block runs."""
    package = logging.getLogger("flows")
    handler = _Lines(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    saved = package.level, package.propagate
    package.addHandler(handler)
    package.setLevel(level)
    package.propagate = False  # printed once, here, whatever the root logger does
    try:
        yield
    finally:
        package.removeHandler(handler)
        package.setLevel(saved[0])
        package.propagate = saved[1]


def _write_trace(command: str) -> Path:
    """The current exception's traceback in a new file under the temporary folder."""
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix=f"flows-{command}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        traceback.print_exc(file=f)
    return Path(path)


if __name__ == "__main__":
    sys.exit(main())
