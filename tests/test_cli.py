"""The `flows` command: every subcommand reachable, fetch's own options passed through."""

from __future__ import annotations

import pytest

from flows.cli import main


def test_flows_fetch_takes_fetchs_own_options(tmp_path, capsys):
    assert main(["fetch", "--dest", str(tmp_path), "--max-mb", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--max-mb" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_report_passes_allowed_missing_families_to_the_build(tmp_path, capsys, monkeypatch):
    import flows.build
    import flows.cli

    seen = {}

    def build(raw, out, allow_missing=frozenset()):
        seen["allow_missing"] = allow_missing
        raise SystemExit(0)  # stop before forecasting and the notebooks

    monkeypatch.setattr(flows.build, "run", build)
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
    import flows.build
    import flows.cli

    def build(*a, **k):
        raise AssertionError("the build ran before the months were checked")

    monkeypatch.setattr(flows.build, "run", build)
    monkeypatch.setattr(flows.cli, "has_raw_files", lambda raw: True)
    assert main(["report", "--raw", str(tmp_path), "--out", str(tmp_path / "r"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "r").exists()
