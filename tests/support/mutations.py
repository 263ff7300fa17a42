"""The mutation suite's cases: one per class of mishap, each damaging a copy of the official raw
folder (seeded: which sheet, row, month or file is drawn from ``random.Random(seed)``), and what
counts as naming the culprit. Used by tests/integration/test_mutations.py and bench/bench_mutations.py.

A case returns the text the error line must contain (the damaged file's name, the family or the
folder), or ``None`` when the damage is harmless (a byte-identical copy, a renamed file): then the
build must succeed with the clean table.
"""

from __future__ import annotations

import codecs
import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mutate import cell_value, copy_tree, delete_sheet, drop_member, rename_sheet, rewrite, set_cells, swap_rows_cells

JNTO = "jnto/jnto_monthly_visitor_arrivals_2003_2026.xlsx"
TOURISM_JP = "jnto/JTM_inbound_Raw_Sheet.xlsx"
RESIDENCE = "taiwan/inbound/2023_Visitors_by_Residence_Purpose.csv"
PURPOSE = "taiwan/inbound/purpose.csv"
ANNUAL = "taiwan/outbound/歷年中華民國國民出國目的地人數統計2002-2024.csv"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the class of mishap
    damage: Callable[[Path, Path, random.Random], str | None]  # (raw, out, rng) → culprit or None


def _tables(raw: Path, table: str) -> list[Path]:
    folder = "inbound" if table == "1-4" else "outbound"
    return sorted((raw / "taiwan" / folder).glob(f"*/月表{table}(*.xlsx"))


def _jnto_col(year: int, month: int) -> str:
    """Column letter of a month's value in a JNTO year sheet (13 = 累計)."""
    from flows.extract.xlsx import column_letters

    return column_letters((2 if year < 2020 else 3) + 2 * (month - 1))


# --- JNTO -------------------------------------------------------------------------------------

def jnto_sheet_renamed(raw, out, rng):
    year = rng.randrange(2003, 2027)
    rename_sheet(raw / JNTO, str(year), "Sheet1")
    return JNTO


def jnto_sheet_deleted(raw, out, rng):
    year = rng.randrange(2003, 2027)
    delete_sheet(raw / JNTO, str(year))
    return f"{year}"


def jnto_cell_edited(raw, out, rng):
    year, month, row = rng.randrange(2004, 2026), rng.randrange(1, 13), rng.randrange(7, 18)
    ref = f"{_jnto_col(year, month)}{row}"
    set_cells(raw / JNTO, str(year), {ref: cell_value(raw / JNTO, str(year), ref) + 1000})
    return JNTO


def jnto_cell_edited_with_totals(raw, out, rng):
    """A market's month raised with its 累計, its region's (アジア計, row 6) and 総数's (row 5)."""
    year, month, row = rng.randrange(2004, 2026), rng.randrange(1, 13), rng.randrange(7, 18)
    refs = [f"{_jnto_col(year, m)}{r}" for m in (month, 13) for r in (row, 6, 5)]
    set_cells(raw / JNTO, str(year), {ref: cell_value(raw / JNTO, str(year), ref) + 1000 for ref in refs})
    return JNTO


def jnto_china_raised_300_with_totals(raw, out, rng):
    """China's month (row 8) +300 with its 累計, アジア計 and 総数: every sum holds and the growth rates
    move by under 0.05 points, which the one-decimal tolerance let through; the rates are stored to
    full precision."""
    year = 2019  # China's busiest year before 2020: +300 is under 0.05 % of any of its months
    month = rng.randrange(1, 13)
    refs = [f"{_jnto_col(year, m)}{r}" for m in (month, 13) for r in (8, 6, 5)]
    set_cells(raw / JNTO, str(year), {ref: cell_value(raw / JNTO, str(year), ref) + 300 for ref in refs})
    return JNTO


def jnto_labels_swapped(raw, out, rng):
    year = rng.randrange(2003, 2027)
    a, b = rng.sample(range(7, 18), 2)
    swap_rows_cells(raw / JNTO, str(year), f"A{a}", f"A{b}")
    return JNTO


def jnto_months_swapped(raw, out, rng):
    year = rng.randrange(2004, 2026)
    m1, m2 = rng.sample(range(1, 13), 2)
    for row in range(5, 49):
        swap_rows_cells(raw / JNTO, str(year), f"{_jnto_col(year, m1)}{row}", f"{_jnto_col(year, m2)}{row}")
    return JNTO


def jnto_truncated(raw, out, rng):
    data = (raw / JNTO).read_bytes()
    (raw / JNTO).write_bytes(data[: rng.randrange(len(data) // 4, len(data) * 3 // 4)])
    return JNTO


def tourism_jp_edited_with_total(raw, out, rng):
    path = raw / TOURISM_JP
    row = rng.randrange(6, 90)  # 1996 … 2002, before JNTO's workbook starts
    year_total = 374 + 6 + (row - 6) // 12  # the annual block: 1990 on row 374
    refs = [f"R{row}", f"R{year_total}"]
    set_cells(path, "Asia", {ref: cell_value(path, "Asia", ref) + 1000 for ref in refs})
    return TOURISM_JP


def family_missing(raw, out, rng):
    (raw / TOURISM_JP).unlink()
    return "tourism_jp_inbound"


# --- Taiwan's monthly tables -------------------------------------------------------------------

def table_month_deleted(raw, out, rng):
    table = rng.choice(["1-4", "2-2"])
    path = rng.choice(_tables(raw, table))
    path.unlink()
    return "tw_table_1_4" if table == "1-4" else "tw_table_2_2"


def table_1_4_edited(raw, out, rng):
    path = rng.choice(_tables(raw, "1-4"))
    ref = rng.choice(["D5", "D6", "D7", "D20", "D27"])
    set_cells(path, None, {ref: cell_value(path, None, ref) + 1000})
    return path.name


def table_title_other_month(raw, out, rng):
    """A monthly table whose title names the next month (a mislabelled download): two files then
    claim one month and another month has none. The error must name the file, not only the month."""
    import re

    tables = _tables(raw, "1-4")
    i = rng.randrange(len(tables) - 1)
    src, next_name = tables[i], tables[i + 1].name
    roc, month = re.search(r"(\d{2,3})年(\d{1,2})月", next_name).groups()

    def retitle(name, data):
        if name != "xl/sharedStrings.xml":
            return data
        text = data.decode("utf-8")
        title = re.search(r"表1-4\s*\d{2,3}年\d{1,2}月", text)
        new = re.sub(r"\d{2,3}年\d{1,2}月", f"{roc}年{month}月", title.group(0))
        return (text[:title.start()] + new + text[title.end():]).encode("utf-8")

    rewrite(src, retitle)
    return src.name


def table_1_4_edited_with_totals(raw, out, rng):
    from flows.extract.taiwan_tables import read_table_1_4

    path = rng.choice(_tables(raw, "1-4"))
    rows = {r[1]: r[7] for r in read_table_1_4(path).monthly_rows}
    market = rng.choice(["JP", "KR", "US", "MY", "X-HKMO"])
    refs = [rows[market], rows["X-ASIA" if market != "US" else "X-AMERICAS"], rows["ALL"]]
    if market == "MY":
        refs.append(rows["X-SEA"])
    set_cells(path, None, {ref: cell_value(path, None, ref) + 1000 for ref in refs})
    return path.name


def table_2_2_edited_with_totals(raw, out, rng):
    from flows.extract.taiwan_tables import read_table_2_2

    path = rng.choice(_tables(raw, "2-2"))
    extract = read_table_2_2(path)
    col = rng.choice([0, 1])  # this month's column, or the prior-year column
    rows = {r[2]: r[7] for r in extract.monthly_rows if (r[0] == extract.release) == (col == 0)}
    market = rng.choice(["JP", "KR", "HK", "US"])
    refs = [rows[market], rows["X-ASIA" if market != "US" else "X-AMERICAS"], rows["ALL"]]
    set_cells(path, None, {ref: cell_value(path, None, ref) + 1000 for ref in refs})
    return path.name


def table_2_2_edited_with_totals_and_rates(raw, out, rng):
    """Japan's departures of a 2024 month raised with 亞洲合計 and 總計, and their 成長率% recomputed:
    every sum and rate of the table holds, and no later table's prior-year column holds the month.
    Only the annual file's 2024 total disagrees, which named the annual CSV and not this table."""
    from flows.extract.taiwan_tables import read_table_2_2

    month = rng.randrange(4, 10)
    path = next(p for p in _tables(raw, "2-2") if f"(113年{month}月" in p.name)
    extract = read_table_2_2(path)
    this = {r[2]: r[7] for r in extract.monthly_rows if r[0] == extract.release}
    prior = {r[2]: r[7] for r in extract.monthly_rows if r[0] != extract.release}
    values = {}
    for code in ("JP", "X-ASIA", "ALL"):
        ref, prior_ref = this[code], prior[code]
        col, row = ref.rstrip("0123456789"), ref[len(ref.rstrip("0123456789")):]
        values[ref] = cell_value(path, None, ref) + 1000
        values[f"{chr(ord(col) + 2)}{row}"] = (values[ref] / cell_value(path, None, prior_ref) - 1) * 100
    set_cells(path, None, values)
    return path.name


def table_2_2_labels_swapped(raw, out, rng):
    path = rng.choice(_tables(raw, "2-2"))
    a, b = rng.sample(range(3, 19), 2)
    swap_rows_cells(path, None, f"B{a}", f"B{b}")
    return "月表2-2"


def table_corrupted(raw, out, rng):
    path = rng.choice(_tables(raw, rng.choice(["1-4", "2-2"])))
    data = bytearray(path.read_bytes())
    at = rng.randrange(len(data) // 3, len(data) - 200)
    data[at:at + 64] = bytes(rng.randrange(256) for _ in range(64))
    path.write_bytes(bytes(data))
    return path.name


# --- the CSV exports ---------------------------------------------------------------------------

def _edit_line(path: Path, rng, change, first_data_line: int) -> None:
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    bom = path.read_bytes().startswith(codecs.BOM_UTF8)
    while True:
        n = rng.randrange(first_data_line - 1, len(lines) - 2)
        if lines[n].count(",") > 3 and '"' not in lines[n]:
            break
    lines[n] = change(lines[n])
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + "\n".join(line for line in lines if line is not None).encode("utf-8"))


def _raise_last(line: str) -> str:
    head, last = line.rsplit(",", 1)
    return f"{head},{int(last) + 1000}"


def residence_line_deleted(raw, out, rng):
    _edit_line(raw / RESIDENCE, rng, lambda line: None, 5)
    return RESIDENCE.rsplit("/", 1)[1]


def residence_total_edited(raw, out, rng):
    _edit_line(raw / RESIDENCE, rng, _raise_last, 5)
    return RESIDENCE.rsplit("/", 1)[1]


def residence_edited_with_total(raw, out, rng):
    def both(line):
        fields = line.split(",")
        fields[3] = str(int(fields[3]) + 1000)
        fields[-1] = str(int(fields[-1]) + 1000)
        return ",".join(fields)

    _edit_line(raw / RESIDENCE, rng, both, 5)
    return RESIDENCE.rsplit("/", 1)[1]


def purpose_line_deleted(raw, out, rng):
    _edit_line(raw / PURPOSE, rng, lambda line: None, 2)
    return "purpose.csv"


def purpose_edited(raw, out, rng):
    _edit_line(raw / PURPOSE, rng, _raise_last, 2)
    return "purpose.csv"


def purpose_2011_edited(raw, out, rng):
    """A 2011 month of one market raised in purpose.csv: 2011 is the year purpose.csv and the residence
    export are known to disagree, but only by the arrivals whose purpose was not stated, cell by cell."""
    path = raw / PURPOSE
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    candidates = [i for i, line in enumerate(lines) if ",2011-" in line and line.split(",")[1]
                  and line.split(",")[0] not in ("Unstated", "Others")]
    n = rng.choice(candidates)
    lines[n] = _raise_last(lines[n])
    bom = path.read_bytes().startswith(codecs.BOM_UTF8)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + "\n".join(lines).encode("utf-8"))
    return "purpose.csv"


def purpose_group_edited(raw, out, rng):
    """A group only purpose.csv publishes (``Others, Asia``, ``Middle East``, ``HongKong. Macao`` …):
    one month's Pleasure count raised. No other file publishes the group; the residence export's
    continent line totals it with the other groups of its Region."""
    import csv
    import io

    path = raw / PURPOSE
    lines = path.read_bytes().decode("utf-8").split("\n")
    rows = {i: next(csv.reader([line])) for i, line in enumerate(lines) if line and i > 0}
    candidates = [i for i, row in rows.items() if row[0].startswith("Others") or row[0] in ("Middle East",
                                                                                           "HongKong. Macao")]
    n = rng.choice(candidates)
    row = rows[n]
    row[5] = str(int(row[5]) + 1000)  # Pleasure
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="").writerow(row)
    lines[n] = text.getvalue()
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return "purpose.csv"


def annual_edited(raw, out, rng):
    import csv
    import io

    path = raw / ANNUAL
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    n, col = rng.randrange(1, 18), rng.randrange(2, len(rows[0]))  # an Asian destination, any year
    if rows[n][col].strip() == "-":
        col = len(rows[0]) - 1
    rows[n][col] = f"{int(rows[n][col].replace(',', '')) + 1000:,}"
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_text("\ufeff" + text.getvalue(), encoding="utf-8")
    return ANNUAL.rsplit("/", 1)[1]


def annual_line_deleted(raw, out, rng):
    path = raw / ANNUAL
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    del lines[rng.randrange(1, 18)]
    path.write_text("\ufeff" + "\n".join(lines), encoding="utf-8")
    return ANNUAL.rsplit("/", 1)[1]


def csv_reencoded_utf16(raw, out, rng):
    name = rng.choice([RESIDENCE, PURPOSE, ANNUAL])
    path = raw / name
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("utf-16"))
    return name.rsplit("/", 1)[1]


def csv_reencoded_big5(raw, out, rng):
    path = raw / ANNUAL
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("cp950"))
    return ANNUAL.rsplit("/", 1)[1]


def csv_made_a_folder(raw, out, rng):
    name = rng.choice([RESIDENCE, PURPOSE, ANNUAL])
    (raw / name).unlink()
    (raw / name).mkdir()
    return name.rsplit("/", 1)[1]


def file_emptied(raw, out, rng):
    path = rng.choice(_tables(raw, "1-4") + [raw / PURPOSE])
    path.write_bytes(b"")
    return path.name


# --- names, copies, strangers ------------------------------------------------------------------

def name_not_utf8(raw, out, rng):
    src = rng.choice(_tables(raw, "2-2"))
    os.rename(os.fsencode(src), os.fsencode(src.parent) + b"/table\xff\xfe.xlsx")
    return "not UTF-8"


def byte_identical_copy(raw, out, rng):
    src = rng.choice(_tables(raw, "1-4") + [raw / JNTO, raw / PURPOSE])
    shutil.copyfile(src, src.with_name("copy of " + src.name))
    return None


def file_renamed(raw, out, rng):
    src = raw / JNTO
    src.rename(src.with_name("20260318_1615-5.xlsx"))
    return None


def checkpoint_copy_edited(raw, out, rng):
    """JupyterLab's checkpoint of a monthly table, one value changed: hidden, so never read."""
    src = rng.choice(_tables(raw, "1-4"))
    hidden = src.parent / ".ipynb_checkpoints" / src.name.replace(".xlsx", "-checkpoint.xlsx")
    hidden.parent.mkdir()
    shutil.copyfile(src, hidden)
    from flows.extract.taiwan_tables import read_table_1_4

    rows = {r[1]: r[7] for r in read_table_1_4(src).monthly_rows}
    refs = [rows["JP"], rows["X-ASIA"], rows["ALL"]]  # consistent with its own totals
    set_cells(hidden, None, {ref: cell_value(hidden, None, ref) + 1000 for ref in refs})
    return None


def browser_copy(raw, out, rng):
    """A browser's ``… (1).xlsx`` beside a monthly table, re-saved (other bytes): one release, two
    files, and the copy sorts first by name. Which is right cannot be told: refused, naming both."""
    src = rng.choice(_tables(raw, "1-4") + _tables(raw, "2-2"))
    copy = src.with_name(src.stem + " (1).xlsx")
    shutil.copyfile(src, copy)
    rewrite(copy, lambda name, data: data)  # recompressed: the same cells, other bytes
    assert copy.read_bytes() != src.read_bytes()
    return copy.name


def jnto_without_creation_date(raw, out, rng):
    drop_member(raw / JNTO, "docProps/core.xml")
    return JNTO.rsplit("/", 1)[1]


def stranger_file(raw, out, rng):
    (raw / "taiwan" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return "notes.csv"


# --- the output folder -------------------------------------------------------------------------

def out_is_a_file(raw, out, rng):
    shutil.rmtree(out)
    out.write_text("not a folder\n", encoding="utf-8")
    return out.name


def previous_output_a_folder(raw, out, rng):
    name = rng.choice(["monthly_flows.csv", "revisions.csv", "datapackage.json"])
    (out / name).unlink()
    (out / name).mkdir()
    return name


def previous_output_other_columns(raw, out, rng):
    """A previous output with another header: the table and revisions.csv are read by the next build
    (what changed, revisions kept) and must be refused by name; the lineage is never read, only
    replaced with the rest of the set."""
    name = rng.choice(["monthly_flows.csv", "monthly_flows_lineage.csv", "revisions.csv"])
    path = out / name
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace("month", "period", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return None if name == "monthly_flows_lineage.csv" else name


CASES = [Case(f.__name__, kind, f) for kind, fs in [
    ("missing or renamed parts", [jnto_sheet_renamed, jnto_sheet_deleted, table_month_deleted, family_missing,
                                  table_title_other_month,
                                  residence_line_deleted, purpose_line_deleted, annual_line_deleted]),
    ("edited values", [jnto_cell_edited, table_1_4_edited, residence_total_edited, purpose_edited,
                       purpose_2011_edited, purpose_group_edited, annual_edited]),
    ("edited values with their totals", [jnto_cell_edited_with_totals, jnto_china_raised_300_with_totals,
                                         tourism_jp_edited_with_total,
                                         table_1_4_edited_with_totals, table_2_2_edited_with_totals,
                                         table_2_2_edited_with_totals_and_rates,
                                         residence_edited_with_total]),
    ("swapped labels and months", [jnto_labels_swapped, jnto_months_swapped, table_2_2_labels_swapped]),
    ("encodings", [csv_reencoded_utf16, csv_reencoded_big5]),
    ("damaged files", [jnto_truncated, table_corrupted, file_emptied, csv_made_a_folder]),
    ("names, copies, strangers", [name_not_utf8, byte_identical_copy, file_renamed, stranger_file,
                                  checkpoint_copy_edited, browser_copy, jnto_without_creation_date]),
    ("output folder", [out_is_a_file, previous_output_a_folder, previous_output_other_columns]),
] for f in fs]


# --- running a case ----------------------------------------------------------------------------

@dataclass
class Outcome:
    case: str
    kind: str
    verdict: str  # same | named | flagged | silently wrong | not refused | raw modified | traceback | partial write | unnamed
    detail: str


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file under ``out`` (or ``out`` itself when it is a file) with its bytes; folders as b'<dir>'."""
    if out.is_file():
        return {".": out.read_bytes()}
    return {p.relative_to(out).as_posix(): (b"<dir>" if p.is_dir() else p.read_bytes())
            for p in sorted(out.rglob("*"))} if out.exists() else {}


def run_build(raw: Path, out: Path) -> tuple[int | None, str, str]:
    """``flows build`` in this process, as the command line runs it: (exit code, stdout, stderr);
    exit None when an exception escaped (a traceback)."""
    import contextlib
    import io
    import traceback

    from flows.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(["build", "--raw", str(raw), "--out", str(out)])
        except BaseException:  # noqa: BLE001 - what the user would see as a traceback
            traceback.print_exc()
            code = None
    return code, stdout.getvalue(), stderr.getvalue()


def run_case(case: Case, raw_dir: Path, clean_out: Path, work: Path, seed: int) -> Outcome:
    """Damage a copy of the raw folder (and a copy of the clean outputs), build, and judge."""
    raw, out = work / "raw", work / "out"
    copy_tree(raw_dir, raw)
    shutil.copytree(clean_out, out)
    culprit = case.damage(raw, out, random.Random(seed))
    before, raw_before = snapshot(out), snapshot(raw)
    code, stdout, stderr = run_build(raw, out)
    after = snapshot(out)
    if snapshot(raw) != raw_before:  # the raw folder is read, never written
        return Outcome(case.name, case.kind, "raw modified", f"exit {code}: the raw folder changed")
    lines = stderr.strip().splitlines()
    clean_table = (clean_out / "monthly_flows.csv").read_bytes()
    if code is None or code == 3 or "Traceback" in stderr:
        return Outcome(case.name, case.kind, "traceback", stderr.strip()[-300:])
    if code == 0:
        if culprit is not None:  # damage that must be refused, even when the table came out right
            return Outcome(case.name, case.kind, "not refused", f"exit 0 (expected an error naming {culprit})")
        if after.get("monthly_flows.csv") == clean_table:
            return Outcome(case.name, case.kind, "same", "exit 0, the clean table")
        flagged = "final in the previous table changed" in stdout
        return Outcome(case.name, case.kind, "flagged" if flagged else "silently wrong",
                       f"exit 0 with a different table (culprit {culprit})")
    if after != before:
        return Outcome(case.name, case.kind, "partial write", f"exit {code}, outputs changed: {stderr.strip()}")
    if len(lines) == 1 and culprit is not None and culprit in lines[0]:
        return Outcome(case.name, case.kind, "named", lines[0])
    return Outcome(case.name, case.kind, "unnamed", f"exit {code}, expected {culprit!r} in: {stderr.strip()}")
