"""`flows forecast`: the outlook file is a pipeline output, reproducible from the processed table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flows.analysis import table as tb
from flows.cli import main
from flows.config import (
    ANNUAL_TABLE,
    DESCRIPTOR,
    FORECAST_ANNUAL,
    FORECAST_PATHS,
    FORECASTS,
    HORIZON_END,
    PANEL_BACKTEST,
    TABLE,
    VINTAGES,
)
from flows.forecast import command, tolerance, vintages
from flows.forecast import outlook as ol
from flows.forecast import outlook_files as of

PROCESSED = Path(__file__).resolve().parents[2] / "data" / "processed"


def copy_tables(folder: Path, panel: bool = False) -> None:
    """The build's two tables and its part of the data package (and the panel's backtest, which a run reuses
    rather than remakes)."""
    for name in (TABLE, ANNUAL_TABLE, *([PANEL_BACKTEST] if panel else [])):
        shutil.copy(PROCESSED / name, folder / name)
    package = json.loads((PROCESSED / DESCRIPTOR).read_text(encoding="utf-8"))
    built = [r for r in package["resources"] if r["name"] in ("monthly_flows", "annual_flows", "lineage", "conflicts",
                                                               "revisions")]
    (folder / DESCRIPTOR).write_text(json.dumps({**package, "resources": built}, ensure_ascii=False, indent=2) + "\n",
                                     encoding="utf-8")


def copy_earlier_vintages(folder: Path) -> None:
    """The committed vintages of earlier methods: the history a run of today's method appends to."""
    from flows.forecast.outlook import METHOD_VERSION

    header, *rows = (PROCESSED / VINTAGES).read_text(encoding="utf-8").splitlines(keepends=True)
    earlier = [row for row in rows if row.split(",")[1] != METHOD_VERSION]
    assert len(earlier) < len(rows), "the committed vintages hold none of today's method: run `flows forecast`"
    (folder / VINTAGES).write_text(header + "".join(earlier), encoding="utf-8")


def read_vintage_rows(path: Path, method: str) -> pd.DataFrame:
    rows = vintages.read_vintages(path)
    return rows[rows["method_version"] == method].reset_index(drop=True)


@pytest.mark.slow  # the whole forecast of the committed table: not in `make check`
def test_forecast_command_remakes_the_committed_files_within_their_tolerances(tmp_path, capsys):
    """Byte for byte on one machine; on another CPU the fits land a hair apart, so the figures are
    compared with the tolerances of flows.forecast.tolerance (point 0.5 %, bounds 1 %)."""
    from flows.forecast.outlook import METHOD_VERSION

    copy_tables(tmp_path, panel=True)
    copy_earlier_vintages(tmp_path)
    earlier = (tmp_path / VINTAGES).read_bytes()
    assert main(["forecast", "--processed", str(tmp_path)]) == 0
    assert tolerance.differences(ol.read_forecasts(tmp_path), ol.read_forecasts(PROCESSED), tolerance.FORECASTS) == []
    assert (tmp_path / PANEL_BACKTEST).read_bytes() == (PROCESSED / PANEL_BACKTEST).read_bytes()  # reused
    assert tolerance.differences(of.read_annual(tmp_path), of.read_annual(PROCESSED), tolerance.FORECASTS) == []
    paths = [of.parse_paths((folder / FORECAST_PATHS).read_text(encoding="utf-8")) for folder in (tmp_path, PROCESSED)]
    assert of.path_differences(*paths, tolerance.BOUND) == []
    # The vintages: earlier methods' bytes left as they were, today's backfilled ones and this run's appended.
    assert (tmp_path / VINTAGES).read_bytes().startswith(earlier)
    remade, committed = read_vintage_rows(tmp_path, METHOD_VERSION), read_vintage_rows(PROCESSED, METHOD_VERSION)
    assert tolerance.differences(remade, committed, tolerance.VINTAGES) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([TABLE, ANNUAL_TABLE, DESCRIPTOR, FORECASTS,
                                                                 FORECAST_ANNUAL, FORECAST_PATHS, PANEL_BACKTEST,
                                                                 VINTAGES])
    # The build's part of the data package kept, the forecast's described beside it as committed.
    assert (tmp_path / DESCRIPTOR).read_bytes() == (PROCESSED / DESCRIPTOR).read_bytes()
    latest = max(line.split(",", 1)[0] for line in (tmp_path / TABLE).read_text().splitlines()[1:])
    out = capsys.readouterr().out
    assert f"as of {latest} to 2030-12" in out and f"Wrote {tmp_path / FORECASTS}, " in out
    assert "Backtesting the engine on the panel" not in out
    assert "Backfilled the vintage as of 2023-12" in out and f"Recorded the vintage as of {latest}" in out
    assert f"Described the forecast files in {tmp_path / DESCRIPTOR}" in out
    # A rerun on the same table records nothing new and leaves every file as it was, in one line.
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert main(["forecast", "--processed", str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    out = capsys.readouterr().out
    assert "vintage" not in out and "Wrote" not in out and "Described" not in out
    assert f"Kept {PANEL_BACKTEST}, {FORECASTS}, {FORECAST_ANNUAL}, {FORECAST_PATHS} as they were" in out


def jittered(build_series, seed: int):
    """build_series with every value × (1 + 1e-9 u), u uniform in [-1, 1]: noise of the size that
    another CPU's BLAS kernels leave in the fits (the optimisers then land a hair apart)."""
    def noisy(*args, **kwargs):
        rng = np.random.default_rng(seed)
        return {k: s * (1 + 1e-9 * rng.uniform(-1, 1, len(s))) for k, s in build_series(*args, **kwargs).items()}
    return noisy


@pytest.mark.slow
def test_noise_stays_within_the_tolerances_and_a_real_change_does_not(monkeypatch, tmp_path):
    table, annual = tb.load_table(PROCESSED), tb.load_annual(PROCESSED)
    as_of, end = tb.check_period(table, None, HORIZON_END)
    committed = ol.read_forecasts(PROCESSED)
    exact = command.forecast_outputs(table, annual, as_of, end, PROCESSED).frame
    monkeypatch.setattr(ol, "build_series", jittered(ol.build_series, seed=2))
    made = command.forecast_outputs(table, annual, as_of, end, PROCESSED)
    files, noisy = made.files, made.frame
    values = noisy[ol.VALUES].to_numpy(dtype=float)
    assert (values != exact[ol.VALUES].to_numpy(dtype=float)).any(), "the noise moved no figure: the test proves nothing"
    assert tolerance.differences(noisy, committed, tolerance.FORECASTS) == []
    assert command.unchanged(PROCESSED, files)  # the annual outlook and every path too
    # A real change of data: Taiwan→Japan's newest month +5 %.
    monkeypatch.undo()
    key = table["month"].eq(as_of) & table["origin"].eq("TW") & table["destination"].eq("JP") \
        & table["measure"].eq("visitor_arrivals")
    assert key.sum() == 1
    changed = table.assign(value=table["value"].where(~key, (table["value"] * 1.05).round().astype("int64")))
    made = command.forecast_outputs(changed, annual, as_of, end, PROCESSED)
    files, moved = made.files, made.frame
    assert len(tolerance.differences(moved, committed, tolerance.FORECASTS)) > 0
    assert not command.unchanged(PROCESSED, files)


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2024-06-15"], "as_of must be a month written YYYY-MM, got '2024-06-15'"),
    (["--as-of", "2099-01"], "as_of 2099-01 is outside the table's months"),
    (["--horizon-end", "2001-01"], "horizon_end 2001-01 must be after as_of"),
])
def test_bad_parameters_are_refused_before_any_work(tmp_path, capsys, args, message):
    copy_tables(tmp_path)
    assert main(["forecast", "--processed", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / FORECASTS).exists()


def test_a_missing_table_is_one_line_naming_it(tmp_path, capsys):
    assert main(["forecast", "--processed", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (f"flows forecast: error: {tmp_path / TABLE}: the processed table is missing: `git checkout "
                   "data/processed` restores the committed one (with the official raw files, `make build RAW=DIR` "
                   "rebuilds it)\n")


def test_a_missing_annual_table_is_one_line_naming_it(tmp_path, capsys):
    shutil.copy(PROCESSED / TABLE, tmp_path / TABLE)
    assert main(["forecast", "--processed", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == (f"flows forecast: error: {tmp_path / ANNUAL_TABLE}: the annual table is missing: `git checkout "
                   "data/processed` restores the committed one (with the official raw files, `make build RAW=DIR` "
                   "rebuilds it)\n")
    assert not (tmp_path / FORECASTS).exists()


def test_an_internal_error_is_one_line_and_the_trace_goes_to_a_file(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(command, "run", broken)
    assert main(["forecast", "--processed", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("flows forecast: internal error (ZeroDivisionError: boom); full trace in ")
    trace = Path(err.strip().rsplit(" ", 1)[1])
    assert "ZeroDivisionError" in trace.read_text()
    trace.unlink()
