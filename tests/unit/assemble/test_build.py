"""`flows build`: precedence, conflicts, revisions, validation, atomic writes, clear errors."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from flows.assemble import build, run, write
from flows.assemble.resolve import resolve
from flows.cli import main
from workbooks import make_jnto_workbook

TAIWAN = [100, 90, 110, 100, 100, 100, 120, 130, 100, 100, 100, 140]
# The tiny raw folders below hold one JNTO workbook, not a complete raw folder: say so explicitly.
FAMILIES = ["jnto_monthly", "tourism_jp_inbound", "tw_table_1_4", "tw_table_2_2", "tw_annual_departures",
            "tw_purpose_csv", "tw_residence_csv"]
PARTIAL = ["--allow-missing", ",".join(FAMILIES)]


def row(month, value, source, rank, release, status="final", origin="TW"):
    return dict(month=month, origin=origin, destination="JP", measure="visitor_arrivals", value=value,
                status=status, source=source, file=f"{source}-{release}.xlsx", sheet="s", cell="B9",
                release=release, rank=rank)


def test_higher_rank_wins_and_disagreement_is_a_conflict():
    monthly = pd.DataFrame([row("2025-03", 522_886, "jnto_monthly", 100, "2026-03-17"),
                            row("2025-03", 522_900, "tourism_jp_inbound", 10, "2025-05-29", "estimate")])
    table, lineage, conflicts, revisions = resolve(monthly)
    assert table.value.tolist() == [522_886] and table.source.tolist() == ["jnto_monthly"]
    assert conflicts[["value", "other_value", "other_source"]].values.tolist() == [[522_886, 522_900, "tourism_jp_inbound"]]
    assert revisions.empty
    assert lineage.file.tolist() == ["jnto_monthly-2026-03-17.xlsx"]


def test_newer_release_wins_and_the_change_is_a_revision():
    monthly = pd.DataFrame([row("2026-01", 694_500, "jnto_monthly", 100, "2026-03-17", "estimate"),
                            row("2026-01", 694_512, "jnto_monthly", 100, "2026-04-15", "provisional")])
    table, _, conflicts, revisions = resolve(monthly)
    assert table[["value", "status"]].values.tolist() == [[694_512, "provisional"]]
    assert conflicts.empty
    assert revisions[["old_value", "new_value", "old_status", "new_status", "old_release", "new_release"]].values.tolist() == [
        [694_500, 694_512, "estimate", "provisional", "2026-03-17", "2026-04-15"]]


def test_agreeing_duplicates_are_neither_conflict_nor_revision():
    monthly = pd.DataFrame([row("2024-01", 5, "a", 1, "2024"), row("2024-01", 5, "b", 2, "2025")])
    _, _, conflicts, revisions = resolve(monthly)
    assert conflicts.empty and revisions.empty


def test_a_key_given_twice_by_one_file_is_taken_from_the_first_cell():
    monthly = pd.DataFrame([row("2024-01", 5, "a", 1, "2024") | {"cell": "B9"},
                            row("2024-01", 6, "a", 1, "2024") | {"cell": "B10"},
                            row("2024-02", 7, "a", 1, "2024")])
    table, lineage, _, revisions = resolve(monthly)
    assert table.value.tolist() == [6, 7] and lineage.cell.tolist() == ["B10", "B9"]


def test_newer_release_dropped_into_raw_updates_the_table_and_records_revisions(tmp_path):
    import datetime as dt

    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "jnto").mkdir(parents=True)
    march = [694_500, 693_600] + [None] * 10
    make_jnto_workbook(raw / "jnto" / "20260318_1615-5.xlsx", {2026: {"台湾": march}},
                       status_note="注２：　斜体の数値は推計値である。", italic_cols=(2, 4),
                       created=dt.datetime(2026, 3, 17))
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0

    april = [694_512, 693_588, 700_000] + [None] * 9
    make_jnto_workbook(raw / "jnto" / "20260415_1615-5.xlsx", {2026: {"台湾": april}},
                       status_note="注２：　斜体の数値は推計値である。", italic_cols=(6,),
                       created=dt.datetime(2026, 4, 14))
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0

    table = pd.read_csv(out / "monthly_flows.csv").set_index("month")
    assert table.loc["2026-01", "value"] == 694_512 and table.loc["2026-01", "status"] == "provisional"
    assert table.loc["2026-03", "status"] == "estimate"
    revisions = pd.read_csv(out / "revisions.csv")
    assert revisions[["month", "old_value", "new_value", "old_status", "new_status", "old_release", "new_release"]
                     ].values.tolist() == [
        ["2026-01", 694_500, 694_512, "estimate", "provisional", "2026-03-17", "2026-04-14"],
        ["2026-02", 693_600, 693_588, "estimate", "provisional", "2026-03-17", "2026-04-14"]]

    (raw / "jnto" / "20260318_1615-5.xlsx").unlink()  # the old release leaves the raw folder
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    assert len(pd.read_csv(out / "revisions.csv")) == 2, "recorded revisions are never lost"


# --- whole builds on tiny raw folders --------------------------------------------------------------

def tiny_raw(tmp_path: Path, taiwan=TAIWAN, **kwargs) -> Path:
    raw = tmp_path / "raw"
    (raw / "jnto").mkdir(parents=True)
    make_jnto_workbook(raw / "jnto" / "release.xlsx", {2024: {"総数": [1000] * 12, "台湾": taiwan}}, **kwargs)
    return raw


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", *map(str, args)], capture_output=True, text=True)


def test_build_writes_table_lineage_and_descriptor(tmp_path, capsys):
    raw, out = tiny_raw(tmp_path), tmp_path / "out"
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    printed = capsys.readouterr().out
    assert "read jnto/release.xlsx: 24 monthly" in printed and "Wrote monthly_flows.csv" in printed
    table = pd.read_csv(out / "monthly_flows.csv")
    assert list(table.columns) == ["month", "origin", "destination", "measure", "value", "status", "source"]
    assert table[table.origin == "TW"].value.sum() == sum(TAIWAN)
    lineage = pd.read_csv(out / "monthly_flows_lineage.csv")
    assert lineage[(lineage.origin == "TW") & (lineage.month == "2024-01")].cell.item() == "B6"
    descriptor = (out / "datapackage.json").read_text(encoding="utf-8")
    sha = hashlib.sha256((raw / "jnto" / "release.xlsx").read_bytes()).hexdigest()
    assert sha in descriptor and "Japan National Tourism Organization (JNTO)" in descriptor


def test_the_command_prints_bare_lines_and_a_library_build_prints_nothing(tmp_path, capsys, caplog):
    raw = tiny_raw(tmp_path)
    assert main(["build", "--raw", str(raw), "--out", str(tmp_path / "a"), *PARTIAL]) == 0
    printed = capsys.readouterr()
    assert printed.err == "" and printed.out.splitlines()[:2] == [
        f"Reading the official files in {raw}", "  read jnto/release.xlsx: 24 monthly, 2 annual values (jnto_monthly)"]
    run(raw, tmp_path / "b", allow_missing=FAMILIES)
    assert capsys.readouterr() == ("", "")  # a notebook or a script calling the build sees nothing ...
    with caplog.at_level(logging.INFO, logger="flows"):
        run(raw, tmp_path / "c", allow_missing=FAMILIES)
    assert caplog.messages[:2] == printed.out.splitlines()[:2]  # ... unless it asks the flows loggers


def test_quiet_says_nothing_and_verbose_names_each_file_of_a_large_folder(tmp_path, capsys):
    raw = tiny_raw(tmp_path)
    for i in range(20):  # more than 20 files: summed up by family, each named only with --verbose
        shutil.copy(raw / "jnto" / "release.xlsx", raw / "jnto" / f"release {i:02}.xlsx")
    build = ["build", "--raw", str(raw), "--out", str(tmp_path / "out"), *PARTIAL]
    assert main(build) == 0
    said = capsys.readouterr().out
    assert "  jnto_monthly: 1 file, 24 monthly values and 2 annual totals" in said and "  read " not in said
    assert main([*build, "--verbose"]) == 0
    assert "  read jnto/release 00.xlsx: 24 monthly" in capsys.readouterr().out
    assert main([*build, "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_closed_stdout_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    class ClosedPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", ClosedPipe())  # `flows build | head -0`
    assert main(["build", "--raw", str(tiny_raw(tmp_path)), "--out", str(tmp_path / "out"), *PARTIAL]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (BrokenPipeError" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    Path(err.strip().rsplit(" ", 1)[1]).unlink()  # the trace file


def test_rebuild_is_byte_identical(tmp_path):
    raw = tiny_raw(tmp_path)
    main(["build", "--raw", str(raw), "--out", str(tmp_path / "a"), *PARTIAL])
    main(["build", "--raw", str(raw), "--out", str(tmp_path / "b"), *PARTIAL])
    for name in ["monthly_flows.csv", "monthly_flows_lineage.csv", "datapackage.json", "conflicts.csv"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_rebuild_keeps_the_forecasts_part_of_the_package_as_it_was(tmp_path):
    """flows forecast describes its files in datapackage.json: the build rewrites its own part, keeps that one."""
    raw, out = tiny_raw(tmp_path), tmp_path / "out"
    main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL])
    alone = (out / "datapackage.json").read_text(encoding="utf-8")
    package = json.loads(alone)
    forecast = {"name": "forecasts", "path": "forecasts.csv", "models": {"tw_to_jp": "combo «ETS»"}}
    (out / "datapackage.json").write_text(json.dumps({**package, "resources": [*package["resources"], forecast]}),
                                          encoding="utf-8")
    main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL])
    again = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert again["resources"] == [*package["resources"], forecast]
    assert (out / "datapackage.json").read_text(encoding="utf-8").startswith(alone.removesuffix("\n  ]\n}\n"))


def broken_annual_total(raw: Path) -> str:
    import openpyxl

    path = raw / "jnto" / "release.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["2024"]["Z6"] = 999_999
    wb.save(path)
    return (r"release\.xlsx \[sheet '2024', cell Z6\]: 2024 TW→JP visitor_arrivals published total 999,999 "
            r"but the months sum to 1,290")


def gap_in_series(raw: Path) -> str:
    make_jnto_workbook(raw / "jnto" / "release.xlsx",
                       {2024: {"総数": [1000] * 12, "台湾": [1, 2, None, 4] + [5] * 8}})
    return r"series TW→JP visitor_arrivals: 1 month\(s\) missing inside 2024-01…2024-12: 2024-03"


def empty_file(raw: Path) -> str:
    (raw / "jnto" / "new.xlsx").write_bytes(b"")
    return r"new\.xlsx: file is empty"


def truncated_workbook(raw: Path) -> str:
    data = (raw / "jnto" / "release.xlsx").read_bytes()
    (raw / "jnto" / "newer.xlsx").write_bytes(data[: len(data) // 2])
    return r"newer\.xlsx: not a readable \.xlsx workbook"


def negative_count(raw: Path) -> str:
    make_jnto_workbook(raw / "jnto" / "release.xlsx", {2024: {"台湾": [-1] + [1] * 11}})
    return r"release\.xlsx \[sheet '2024', cell B5\]: expected a non-negative count, found -1"


def text_count(raw: Path) -> str:
    make_jnto_workbook(raw / "jnto" / "release.xlsx", {2024: {"台湾": [1, "n/a"] + [1] * 10}})
    return r"release\.xlsx \[sheet '2024', cell D5\]: expected a count of persons, found 'n/a'"


def missing_header(raw: Path) -> str:
    import openpyxl

    path = raw / "jnto" / "release.xlsx"
    wb = openpyxl.load_workbook(path)
    wb["2024"].delete_rows(4)
    wb.save(path)
    return r"release\.xlsx \[sheet '2024'\]: no header row with 1月 … 12月"


@pytest.mark.parametrize("damage", [broken_annual_total, gap_in_series, empty_file, truncated_workbook,
                                    negative_count, text_count, missing_header])
def test_bad_input_one_clear_line_and_old_outputs_intact(tmp_path, damage):
    raw, out = tiny_raw(tmp_path), tmp_path / "out"
    assert run_cli("build", "--raw", raw, "--out", out, *PARTIAL).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    expected = damage(raw)
    raw_before = {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()}

    result = run_cli("build", "--raw", raw, "--out", out, *PARTIAL)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("flows build: error: ")
    import re

    assert re.search(expected, lines[0]), lines[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "a failed build must leave outputs as they were"
    assert {p: p.read_bytes() for p in raw.rglob("*") if p.is_file()} == raw_before, "raw files are never modified"


def test_error_in_one_of_many_files_is_one_clear_line(tmp_path):
    raw = tiny_raw(tmp_path)
    for i in range(10):
        shutil.copy(raw / "jnto" / "release.xlsx", raw / "jnto" / f"copy{i}.xlsx")
    negative_count(raw)
    result = run_cli("build", "--raw", raw, "--out", tmp_path / "out", *PARTIAL)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "flows build: error: " + str(raw / "jnto" / "release.xlsx")
        + " [sheet '2024', cell B5]: expected a non-negative count, found -1"]


def test_missing_raw_folder(tmp_path):
    result = run_cli("build", "--raw", tmp_path / "nowhere", "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "nowhere: raw data folder not found" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unrecognised_file_is_an_error_naming_it(tmp_path, capsys):
    raw = tiny_raw(tmp_path)
    (raw / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["build", "--raw", str(raw), "--out", str(tmp_path / "out"), *PARTIAL]) == 1
    assert capsys.readouterr().err == (f"flows build: error: {raw / 'notes.csv'}: not a file this project reads: no "
                                       "reader recognises its content and it is not listed in "
                                       "flows/data/unused_files.csv\n")
    assert not (tmp_path / "out").exists()


def test_known_unused_files_and_duplicates_are_named_not_read(tmp_path, capsys):
    raw = tiny_raw(tmp_path)
    (raw / "region.csv").write_text('\ufeff"年別","月份","亞洲地區","非洲地區"\n"100","1","335643","754"\n',
                                    encoding="utf-8")
    shutil.copy(raw / "jnto" / "release.xlsx", raw / "jnto" / "release (1).xlsx")
    assert main(["build", "--raw", str(raw), "--out", str(tmp_path / "out"), *PARTIAL]) == 0
    printed = capsys.readouterr().out
    assert "not used: region.csv (tw_region_csv: stat.taiwan.net.tw export of visitor arrivals by continent" in printed
    assert "ignored jnto/release.xlsx: a byte-identical copy of jnto/release (1).xlsx" in printed


def test_write_leaves_no_temporary_files(tmp_path):
    result = build(tiny_raw(tmp_path), allow_missing=FAMILIES)
    write(result, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["monthly_flows.csv", "monthly_flows_lineage.csv", "conflicts.csv", "revisions.csv", "annual_flows.csv",
         "datapackage.json"])


ANNUAL_DEPARTURES = (
    "\ufeff首站抵達地,細分,2023,2024\n"
    '亞洲地區,日本Japan,"4,225,804","6,006,116"\n'
    '全區,總計 Grand Total,"11,795,834","16,849,683"\n'
)


def test_annual_only_files_are_carried_in_the_annual_table(tmp_path):
    raw, out = tiny_raw(tmp_path), tmp_path / "out"
    (raw / "taiwan").mkdir()
    (raw / "taiwan" / "departures.csv").write_bytes(ANNUAL_DEPARTURES.encode("utf-8"))
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    annual = pd.read_csv(out / "annual_flows.csv")
    assert annual.values.tolist() == [
        [2023, "TW", "ALL", "national_departures", 11_795_834, "final", "tw_annual_departures"],
        [2024, "TW", "ALL", "national_departures", 16_849_683, "final", "tw_annual_departures"],
        [2023, "TW", "JP", "national_departures", 4_225_804, "final", "tw_annual_departures"],
        [2024, "TW", "JP", "national_departures", 6_006_116, "final", "tw_annual_departures"]]
    # JNTO's own annual totals check its months and stay out of the annual table.
    assert "jnto_monthly" not in set(annual.source)
    descriptor = (out / "datapackage.json").read_text(encoding="utf-8")
    assert '"path": "annual_flows.csv"' in descriptor


def test_an_annual_key_given_twice_is_taken_from_the_newer_release(tmp_path):
    raw, out = tiny_raw(tmp_path), tmp_path / "out"
    (raw / "taiwan").mkdir()
    older = ("\ufeff首站抵達地,細分,2022,2023\n"
             '亞洲地區,日本Japan,"354,219","4,000,000"\n'
             '全區,總計 Grand Total,"1,482,821","11,795,834"\n')
    (raw / "taiwan" / "old.csv").write_bytes(older.encode("utf-8"))
    (raw / "taiwan" / "new.csv").write_bytes(ANNUAL_DEPARTURES.encode("utf-8"))
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    annual = pd.read_csv(out / "annual_flows.csv").set_index(["year", "destination"])
    assert annual.loc[(2023, "JP"), "value"] == 4_225_804 and annual.loc[(2022, "JP"), "value"] == 354_219
    assert len(annual) == 6


# --- what a build says it changed ------------------------------------------------------------------

def _jnto_release(raw: Path, name: str, taiwan: list, created, italic_cols) -> None:
    make_jnto_workbook(raw / "jnto" / name, {2026: {"台湾": taiwan + [None] * (12 - len(taiwan))}},
                       status_note="注２：　斜体の数値は推計値である。", italic_cols=italic_cols, created=created)


def test_a_build_with_a_new_release_says_what_changed_and_what_to_do_next(tmp_path, capsys):
    import datetime as dt

    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "jnto").mkdir(parents=True)
    _jnto_release(raw, "20260318.xlsx", [694_500, 693_600], dt.datetime(2026, 3, 17), (2, 4))
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    capsys.readouterr()
    _jnto_release(raw, "20260415.xlsx", [694_512, 693_588, 700_000], dt.datetime(2026, 4, 14), (6,))
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    said = capsys.readouterr().out.splitlines()
    summary = said[said.index(next(s for s in said if s.startswith("Changed in "))):]
    assert summary == [
        f"Changed in {out}: monthly_flows.csv, monthly_flows_lineage.csv, revisions.csv, datapackage.json.",
        "  new releases: jnto_monthly 2026-04-14",
        "  months now run: jnto_monthly to 2026-03 (was 2026-02)",
        "  2 values revised by a newer release (old and new in revisions.csv)",
        f"Next: `make notebooks` to re-run the committed notebooks on the new table, then commit {out} and "
        "notebooks/."]

    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[-1] == f"Nothing changed in {out}: nothing to re-run or commit."
    assert said[-2].startswith("Rewrote the same bytes of monthly_flows.csv, ") and not any(
        line.startswith("Wrote ") for line in said)


def test_a_second_copy_of_a_workbook_changes_nothing_and_the_build_says_so(tmp_path, capsys):
    raw, out = tiny_raw(tmp_path), tmp_path / "out"
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    shutil.copy(raw / "jnto" / "release.xlsx", raw / "jnto" / "then a copy of release.xlsx")
    capsys.readouterr()
    assert main(["build", "--raw", str(raw), "--out", str(out), *PARTIAL]) == 0
    said = capsys.readouterr().out
    assert "  ignored jnto/then a copy of release.xlsx: a byte-identical copy of jnto/release.xlsx" in said
    assert said.splitlines()[-1] == f"Nothing changed in {out}: nothing to re-run or commit."
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_family_of_annual_figures_says_what_becomes_of_them():
    from flows.assemble.pipeline import _read_line

    assert _read_line("tw_annual_departures", 1, 0, 919) == ("tw_annual_departures: 1 file, 919 annual figures "
                                                            "(no monthly table: kept in annual_flows.csv, "
                                                            "monthly sums checked on them)")
    assert _read_line("tw_table_2_2", 75, 6_150, 0) == "tw_table_2_2: 75 files, 6,150 monthly values"
