"""`flows forecast`: the outlook file is a pipeline output, reproducible from the processed table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.cli import main
from flows.config import ANNUAL_TABLE, FORECASTS, LONGRUN_BACKTEST, TABLE, VINTAGES

PROCESSED = Path(__file__).resolve().parents[1] / "data" / "processed"


def copy_tables(folder: Path) -> None:
    for name in (TABLE, ANNUAL_TABLE):
        shutil.copy(PROCESSED / name, folder / name)


def copy_earlier_vintages(folder: Path) -> None:
    """The committed vintages of earlier methods: the history a run of today's method appends to."""
    from flows.forecast.outlook import METHOD_VERSION

    header, *rows = (PROCESSED / VINTAGES).read_text(encoding="utf-8").splitlines(keepends=True)
    earlier = [row for row in rows if row.split(",")[1] != METHOD_VERSION]
    assert len(earlier) < len(rows), "the committed vintages hold none of today's method: run `flows forecast`"
    (folder / VINTAGES).write_text(header + "".join(earlier), encoding="utf-8")


@pytest.mark.slow  # the whole forecast of the committed table: not in `make check`
def test_forecast_command_rewrites_the_committed_files_byte_for_byte(tmp_path, capsys):
    copy_tables(tmp_path)
    copy_earlier_vintages(tmp_path)
    assert main(["forecast", "--processed", str(tmp_path)]) == 0
    assert (tmp_path / FORECASTS).read_bytes() == (PROCESSED / FORECASTS).read_bytes()
    assert (tmp_path / LONGRUN_BACKTEST).read_bytes() == (PROCESSED / LONGRUN_BACKTEST).read_bytes()
    # The vintages: earlier methods' left as they were, today's backfilled ones and this run's appended.
    assert (tmp_path / VINTAGES).read_bytes() == (PROCESSED / VINTAGES).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([TABLE, ANNUAL_TABLE, FORECASTS, LONGRUN_BACKTEST, VINTAGES])
    latest = max(line.split(",", 1)[0] for line in (tmp_path / TABLE).read_text().splitlines()[1:])
    out = capsys.readouterr().out
    assert f"as of {latest} to 2030-12" in out and f"Wrote {tmp_path / FORECASTS}" in out
    assert "Backfilled the vintage as of 2023-12" in out and f"Recorded the vintage as of {latest}" in out
    # A rerun on the same table records nothing new and leaves both files as they were.
    assert main(["forecast", "--processed", str(tmp_path)]) == 0
    assert (tmp_path / VINTAGES).read_bytes() == (PROCESSED / VINTAGES).read_bytes()
    assert (tmp_path / FORECASTS).read_bytes() == (PROCESSED / FORECASTS).read_bytes()
    assert "vintage" not in capsys.readouterr().out


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
    assert err == f"flows forecast: error: {tmp_path / TABLE}: the processed table is missing: run `flows build` (`make build`) first\n"


def test_a_missing_annual_table_is_one_line_naming_it(tmp_path, capsys):
    shutil.copy(PROCESSED / TABLE, tmp_path / TABLE)
    assert main(["forecast", "--processed", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err == f"flows forecast: error: {tmp_path / ANNUAL_TABLE}: the annual table is missing: run `flows build` (`make build`) first\n"
    assert not (tmp_path / FORECASTS).exists()


def test_an_internal_error_is_one_line_and_the_trace_goes_to_a_file(tmp_path, capsys, monkeypatch):
    from flows.forecast import outlook

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(outlook, "run", broken)
    assert main(["forecast", "--processed", str(tmp_path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("flows forecast: internal error (ZeroDivisionError: boom); full trace in ")
    trace = Path(err.strip().rsplit(" ", 1)[1])
    assert "ZeroDivisionError" in trace.read_text()
    trace.unlink()
