"""What stands between a damaged raw folder or output folder and a wrong table: final values that
change, documented upstream inconsistencies, files of the previous build, the output set swapped
in whole under a lock (the mutation suite, tests/integration/test_mutations.py, runs the whole build)."""

from __future__ import annotations

import logging
import threading
import time

import pandas as pd
import pytest

from flows import atomic
from flows.assemble.expected import lost_files, missing_parts
from flows.assemble.previous import final_changes
from flows.atomic import folder_lock, replace_folder
from flows.cli import main
from flows.errors import OutputError, ValidationError
from flows.extract.base import Extract
from flows.extract.selfcheck import Mismatch, known_inconsistencies, unexplained


def table(values: dict[str, int], status="final") -> pd.DataFrame:
    return pd.DataFrame({"month": list(values), "origin": "TW", "destination": "JP", "measure": "visitor_arrivals",
                         "value": list(values.values()), "status": status, "source": "jnto_monthly"})


MONTHS = [f"{y}-{m:02d}" for y in (2018, 2019) for m in range(1, 13)]


def test_a_final_value_that_changes_is_listed():
    old = table({m: 100 for m in MONTHS}).astype(str)
    new = table({**{m: 100 for m in MONTHS}, "2019-03": 101})
    changes = final_changes(old, new)
    assert changes[["month", "old_value", "new_value"]].values.tolist() == [["2019-03", "100", "101"]]


def test_many_final_values_of_one_year_changing_at_once_stop_the_build():
    old = pd.concat([table({m: 100 for m in MONTHS}).assign(origin=o) for o in "ABCDEFGHIJ"]).astype(str)
    new = old.astype({"value": int})
    new.loc[new["month"].str.startswith("2019") & new["origin"].isin(list("ABCD")), "value"] += 7  # 48 of 120
    with pytest.raises(ValidationError, match=r"48 of the 120 final values of 2019 would change or vanish"):
        final_changes(old, new)
    vanished = new[~(new["month"].str.startswith("2018") & (new["origin"] < "F"))]  # 60 of 120 gone
    with pytest.raises(ValidationError, match=r"of 2018 would change or vanish at once .*→ gone"):
        final_changes(old, vanished.astype({"value": int}))


def test_a_documented_inconsistency_must_still_be_there():
    known = known_inconsistencies()[0]
    same_part = [k for k in known_inconsistencies() if (k.source, k.part) == (known.source, known.part)]
    mismatches = [Mismatch(k.part, k.part, k.cell, k.check, float(k.published), float(k.computed), "…")
                  for k in same_part]
    seen = Extract(known.source, "book.xlsx", "r", parts=[known.part], mismatches=mismatches)
    assert unexplained([seen]) == []
    fixed = Extract(known.source, "book.xlsx", "r", parts=[known.part])
    assert [line for line in unexplained([fixed]) if known.cell in line][0].startswith(
        f"book.xlsx [{known.part}, {known.cell}]: the known inconsistency")
    other = Mismatch(known.part, known.part, known.cell, known.check, 1.0, 2.0, "the sum of rows 7–9")
    assert unexplained([Extract(known.source, "book.xlsx", "r", mismatches=[other])]) == [
        f"book.xlsx [sheet '{known.part}', cell {known.cell}]: {known.check}: published 1, but the sum of rows 7–9 "
        f"gives 2"]


def test_missing_parts_and_files_of_the_previous_build_are_named():
    problems = missing_parts({"tw_table_1_4": {"2019-01", "2019-03"}}, frozenset({"jnto_monthly"}))
    assert "family tw_table_1_4: 25 monthly table(s) missing: 2019-02, 2023-04," not in problems
    assert any(p.startswith("family tw_table_1_4: ") and "2019-02" in p for p in problems)
    assert not any("jnto_monthly" in p for p in problems)
    assert any(p.startswith("no file of family tw_purpose_csv") for p in problems)
    previous = [{"path": "a.xlsx", "sha256": "1", "source": "jnto_monthly"},
                {"path": "b.xlsx", "sha256": "2", "source": "tw_table_1_4"}]
    assert lost_files(previous, {"c.xlsx": "1"}) == [
        "b.xlsx fed the previous table (datapackage.json) and is no longer read: put it back, or pass "
        "--allow-missing tw_table_1_4"]


def test_allow_missing_names_known_families(capsys):
    assert main(["build", "--allow-missing", "jnto,tw_table_1_4"]) == 2
    assert capsys.readouterr().err.startswith("flows build: error: --allow-missing: unknown file family jnto (known:")


# --- the output set ----------------------------------------------------------------------------

def test_the_set_is_swapped_whole_other_files_kept_stale_temporaries_cleared(tmp_path):
    out = tmp_path / "out"
    replace_folder(out, {"a.csv": "1\n", "b.csv": "1\n"})
    (out / "forecasts.csv").write_text("f\n", encoding="utf-8")
    (tmp_path / ".out.new-stale").mkdir()
    replace_folder(out, {"a.csv": "2\n", "b.csv": "2\n"})
    assert {p.name: p.read_text() for p in out.iterdir()} == {"a.csv": "2\n", "b.csv": "2\n", "forecasts.csv": "f\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_an_interrupted_two_rename_swap_is_repaired_by_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWS_NO_EXCHANGE", "1")  # the fallback where renameat2 is missing
    out = tmp_path / "out"
    replace_folder(out, {"a.csv": "1\n"})
    out.rename(tmp_path / ".out.old-x")  # killed between the two renames: the new set is ready
    ready = tmp_path / ".out.ready-y"
    ready.mkdir()
    (ready / "a.csv").write_text("2\n", encoding="utf-8")
    atomic._recover(out)
    assert (out / "a.csv").read_text() == "2\n" and sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
    replace_folder(out, {"a.csv": "3\n"})
    assert (out / "a.csv").read_text() == "3\n"


def test_two_writers_wait_for_each_other(tmp_path, monkeypatch, caplog):
    out = tmp_path / "out"

    def hold():
        with folder_lock(out):
            time.sleep(0.5)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="flows"):
        replace_folder(out, {"a.csv": "1\n"})
    assert time.monotonic() - started > 0.3 and caplog.messages == [f"Waiting for another process writing to {out} …"]
    holder.join()
    monkeypatch.setattr(atomic, "LOCK_WAIT_SECONDS", 0.2)
    with folder_lock(out):
        with pytest.raises(OutputError, match="another process has been writing here for over 0 s"):
            replace_folder(out, {"a.csv": "2\n"})
    assert (out / "a.csv").read_text() == "1\n"


def test_an_output_folder_that_cannot_be_written_is_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match=r"file/out: cannot write the outputs \(File exists"):
        replace_folder(tmp_path / "file" / "out", {"a.csv": "1\n"})


def test_hidden_files_and_folders_are_left_out_and_counted(tmp_path):
    from flows.assemble.read import data_files, hidden_data_files

    (tmp_path / "taiwan" / ".ipynb_checkpoints").mkdir(parents=True)
    for name in ("taiwan/purpose.csv", "taiwan/.ipynb_checkpoints/purpose-checkpoint.csv", ".~lock.x.xlsx"):
        (tmp_path / name).write_text("a\n", encoding="utf-8")
    assert data_files(tmp_path) == ["taiwan/purpose.csv"]
    assert hidden_data_files(tmp_path) == [".~lock.x.xlsx", "taiwan/.ipynb_checkpoints/purpose-checkpoint.csv"]


@pytest.mark.parametrize("out", ["raw", "raw/processed", "."])
def test_outputs_into_the_raw_folder_are_refused_and_nothing_is_written(tmp_path, capsys, out):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("x\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert main(["build", "--raw", str(raw), "--out", str(tmp_path / out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the raw folder" in err and "--out" in err
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_the_current_folder_as_output_is_refused_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("x\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(atomic.OutputError, match="the current folder"):
        replace_folder(".", {"a.csv": "1\n"})
    assert list(work.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["raw", "work"]


def test_a_symlinked_output_folder_is_written_through_to_its_target(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_text("mine\n", encoding="utf-8")
    link = tmp_path / "out"
    link.symlink_to(real)
    replace_folder(link, {"a.csv": "1\n"})
    assert link.is_symlink() and (real / "a.csv").read_text() == "1\n" and (real / "keep.txt").exists()


def test_an_old_set_that_cannot_be_removed_is_a_warning_and_the_next_run_clears_it(tmp_path, monkeypatch, caplog):
    out = tmp_path / "out"
    replace_folder(out, {"a.csv": "1\n"})
    remove = atomic._remove_tree

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(atomic, "_remove_tree", refuse)
    replace_folder(out, {"a.csv": "2\n"})
    assert (out / "a.csv").read_text() == "2\n"  # the swap is done: no error
    [(level, line)] = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert level == logging.WARNING and line.startswith("Warning: the new outputs are in place")
    assert "the next run clears it" in line
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.is_dir()]
    monkeypatch.setattr(atomic, "_remove_tree", remove)
    replace_folder(out, {"a.csv": "3\n"})
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and p.is_dir()]


def _conflict(month, origin, value, other_value):
    return {"month": month, "origin": origin, "destination": "TW", "measure": "visitor_arrivals", "value": value,
            "source": "tw_purpose_csv", "file": "purpose.csv", "cell": f"line {origin}", "other_value": other_value,
            "other_source": "tw_residence_csv", "other_file": "residence.csv", "other_cell": f"row {origin}"}


def test_a_documented_conflict_excuses_its_cells_and_values_only(monkeypatch):
    from flows.assemble import checks

    known = pd.DataFrame([{"source": "tw_purpose_csv", "other_source": "tw_residence_csv", "month": "2011-01",
                           "origin": o, "destination": "TW", "measure": "visitor_arrivals", "value": v, "other_value": w,
                           "reason": "purpose not stated"} for o, v, w in [("AR", 83, 68), ("AT", 443, 428)]])
    monkeypatch.setattr(checks, "known_conflicts", lambda: known)
    monthly = pd.DataFrame([{"month": "2011-01", "origin": o, "destination": "TW", "measure": "visitor_arrivals",
                             "source": "tw_residence_csv", "file": "residence.csv", "cell": f"row {o}",
                             "status": "final"} for o in ("AR", "AT", "JP")]
                           + [{"month": "2011-01", "origin": "AR", "destination": "TW", "measure": "visitor_arrivals",
                               "source": "tw_purpose_csv", "file": "purpose.csv", "cell": "line AR", "status": "final"}])
    documented = pd.DataFrame([_conflict("2011-01", "AR", 83, 68), _conflict("2011-01", "AT", 443, 428)])
    assert checks.unexplained_conflicts(documented, monthly) == []
    changed = pd.DataFrame([_conflict("2011-01", "AR", 1083, 68), _conflict("2011-01", "AT", 443, 428)])
    [problem] = checks.unexplained_conflicts(changed, monthly)
    assert "purpose.csv [line AR]" in problem and "by other values than documented: 1,083 against 68" in problem
    new = pd.DataFrame([*documented.to_dict("records"), _conflict("2011-01", "JP", 1500, 1400)])
    [problem] = checks.unexplained_conflicts(new, monthly)
    assert "2011-01 JP→TW" in problem and "must agree" in problem
    [problem] = checks.unexplained_conflicts(documented.iloc[:1], monthly)
    assert "2011-01 AT→TW" in problem and "no longer occurs" in problem


def test_a_linked_or_unreadable_folder_is_named_not_passed_over(tmp_path, monkeypatch):
    from flows.assemble.read import data_files
    from flows.errors import RawFileError

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "purpose.csv").write_text("a\n", encoding="utf-8")
    raw = tmp_path / "raw"
    (raw / "taiwan").mkdir(parents=True)
    (raw / "taiwan" / "inbound").symlink_to(elsewhere)
    with pytest.raises(RawFileError, match="a link to a folder") as caught:
        data_files(raw)
    assert "taiwan/inbound" in str(caught.value)
    (raw / "taiwan" / "inbound").unlink()
    (raw / "taiwan" / "inbound").mkdir()
    monkeypatch.setattr("os.access", lambda path, mode: not str(path).endswith("inbound"))
    with pytest.raises(RawFileError, match="cannot be read"):
        data_files(raw)


def test_an_annual_total_that_disagrees_names_the_monthly_files_too():
    from flows.assemble.checks import check_annual_totals

    months = [f"2019-{m:02d}" for m in range(1, 13)]
    monthly = pd.DataFrame({"month": months, "origin": "TW", "destination": "JP", "measure": "national_departures",
                            "value": 400_000, "status": "final", "source": "tw_table_2_2",
                            "file": [f"t22_{m}.xlsx" for m in months], "sheet": "s", "cell": "C5", "release": months})
    table = monthly[["month", "origin", "destination", "measure", "value", "status", "source"]]
    annual = pd.DataFrame([{"year": 2019, "origin": "TW", "destination": "JP", "measure": "national_departures",
                            "value": 4_800_300, "status": "final", "source": "tw_annual_departures",
                            "file": "annual.csv", "sheet": "", "cell": "line 7", "release": "2019-12"}])
    [problem] = check_annual_totals(monthly, annual, table)
    assert problem.startswith("annual.csv [line 7]: 2019 TW→JP national_departures published total 4,800,300")
    assert problem.endswith("(the months of tw_table_2_2: t22_2019-01.xlsx … t22_2019-12.xlsx)")
