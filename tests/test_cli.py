"""The `flows` command: every subcommand reachable, fetch's own options passed through."""

from __future__ import annotations

from flows.cli import main


def test_flows_fetch_takes_fetchs_own_options(tmp_path, capsys):
    assert main(["fetch", "--dest", str(tmp_path), "--max-mb", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--max-mb" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_report_refuses_a_malformed_month_before_any_work(tmp_path, capsys):
    assert main(["report", "--raw", str(tmp_path / "none"), "--out", str(tmp_path / "r"), "--as-of", "2024"]) == 2
    assert capsys.readouterr().err == "flows report: error: as_of must be a month written YYYY-MM, got '2024'\n"
    assert not (tmp_path / "r").exists()
