"""The `flows` command: every subcommand reachable, fetch's own options passed through, nothing printed
unless asked."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flows.cli import main


def test_flows_fetch_takes_fetchs_own_options(tmp_path, capsys):
    assert main(["fetch", "--dest", str(tmp_path), "--max-mb", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--max-mb" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_report_passes_allowed_missing_families_to_the_build(tmp_path, capsys, monkeypatch):
    import flows.assemble
    import flows.cli

    seen = {}

    def build(raw, out, allow_missing=frozenset(), check=None):
        seen["allow_missing"] = allow_missing
        raise SystemExit(0)  # stop before forecasting and the notebooks

    monkeypatch.setattr(flows.assemble, "run", build)
    monkeypatch.setattr(flows.cli, "has_raw_files", lambda raw: True)
    with pytest.raises(SystemExit):
        main(["report", "--raw", str(tmp_path), "--allow-missing", "tw_purpose_csv,tw_residence_csv"])
    assert seen["allow_missing"] == {"tw_purpose_csv", "tw_residence_csv"}
    assert main(["report", "--raw", str(tmp_path), "--allow-missing", "nonsense"]) == 2
    assert capsys.readouterr().err.startswith("flows report: error: --allow-missing: unknown file family nonsense")


def test_report_refuses_a_malformed_month_before_any_work(tmp_path, capsys):
    assert main(["report", "--raw", str(tmp_path / "none"), "--out", str(tmp_path / "r"), "--as-of", "2024"]) == 2
    assert capsys.readouterr().err == "flows report: error: as_of must be a month written YYYY-MM, got '2024'\n"
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("args, message", [
    (["--as-of", "2030-01"], "as_of 2030-01 has not been published yet"),
    (["--as-of", "2024-06", "--horizon-end", "2024-01"], "horizon_end 2024-01 must be after as_of 2024-06"),
])
def test_report_refuses_impossible_months_before_building(tmp_path, capsys, monkeypatch, args, message):
    import flows.assemble
    import flows.cli

    def build(*a, **k):
        raise AssertionError("the build ran before the months were checked")

    monkeypatch.setattr(flows.assemble, "run", build)
    monkeypatch.setattr(flows.cli, "has_raw_files", lambda raw: True)
    assert main(["report", "--raw", str(tmp_path), "--out", str(tmp_path / "r"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "r").exists()


def test_report_refuses_an_as_of_after_the_raw_folders_newest_month_before_writing(raw_dir, tmp_path, monkeypatch,
                                                                                    capsys):
    """The raw folder's newest month is known only once it is read: the months are checked on the new
    table before it is written (data/processed was rebuilt, then the forecast refused)."""
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    last_month = str(pd.Timestamp.now().to_period("M") - 1)  # past, but after anything the raw folder holds
    assert main(["report", "--raw", str(raw_dir), "--out", "r", "--as-of", last_month]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"as_of {last_month} is outside the table's months" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no data/processed, no report, no lock file


@pytest.mark.parametrize("out, message", [
    ("a-file", "a-file: the report folder is a file"),
    (".", ".: the report folder is the current folder"),
    ("data", "data: the report folder holds the processed folder"),
    ("data/processed", "data/processed: the report folder is the processed folder"),
    ("notebooks", "notebooks: the report folder is the notebooks' folder"),
    ("raw/reports", "raw/reports: the report folder lies inside the raw folder"),
])
def test_report_refuses_a_report_folder_it_would_replace_wrongly_before_any_work(tmp_path, monkeypatch, capsys,
                                                                                 out, message):
    """The report folder is replaced as a whole: never the raw, processed or notebooks' folder (after the
    build and the forecast had run, --out data/processed replaced the processed table by the report)."""
    import flows.assemble
    import flows.cli

    def build(*a, **k):
        raise AssertionError("the build ran before the report folder was checked")

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    monkeypatch.setattr(flows.assemble, "run", build)
    monkeypatch.setattr(flows.cli, "has_raw_files", lambda raw: True)
    assert main(["report", "--raw", "raw", "--out", out]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"flows report: error: {message}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_package_prints_nothing_unless_its_caller_configures_logging():
    """Not even a warning through logging's last resort: a notebook shows what it displays, no more."""
    said = "import logging, flows; logging.getLogger('flows.atomic').warning('Warning: the previous set is left')"
    done = subprocess.run([sys.executable, "-c", said], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
