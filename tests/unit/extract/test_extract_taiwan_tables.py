"""Tourism Administration 表1-4 and 表2-2 readers on tiny tables: rows, lineage, clear errors."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from flows.extract.taiwan_tables import (
    INBOUND_SHEET,
    OUTBOUND_SHEET,
    is_table_1_4,
    is_table_2_2,
    read_table_1_4,
    read_table_2_2,
)
from readers import error_of, frame

# ---------------------------------------------------------------------------------------------
# Tiny tables made here (rows copied from the real 108年1月 tables)

TITLE_1_4 = ("表1-4  108年1月來臺旅客人次－按性別及來臺目的分\n"
             "Table 1-4  Visitor Arrivals by Gender and by Purpose of Visit,\nJanuary,2019")
HEADER_1_4 = ["居住地\nResidence", None, None, "合計\nTotal", "男\nMale", "女\nFemale"]
ROWS_1_4 = [
    ["亞洲地區", "香港.澳門 HongKong. Macao", None, 100703, 46849, 53854],
    [None, "日本 Japan", None, 146184, 80043, 66141],
    [None, "東南亞地區", "馬來西亞 Malaysia", 29126, 14324, 14802],
    [None, None, "東南亞小計 Sub-Total", 160561, 70461, 90100],
    [None, "未列明 Unstated", None, 171, 101, 70],
    [None, "總計 Grand Total", None, 867711, 411547, 456164],
    [],
    ["本表來臺「目的別」係入境旅客於入境登記表（A卡）中勾選來臺旅行目的…"],
]
TITLE_2_2 = "表2-2  108年1月及1月中華民國國民出國人次及成長率－按目的地分\nTable 2-2 …, January & January,2019"
HEADER_2_2 = ["首站抵達地\nFirst Destination", None, "108年1月\nJanuary, 2019", "107年1月\nJanuary, 2018",
              "成長率%\nChanges", "108年1月\nJan., 2019", "107年1月\nJan., 2018", "成長率%\nChanges"]
ROWS_2_2 = [
    ["亞洲地區", "日本 Japan", 396212, 349173, 13.47, 396212, 349173, 13.47],
    [None, "亞洲其他地區 Others", 1418, 5861, -75.8, 1418, 5861, -75.8],
    [None, "其他 Others", 27, 47, -42.55, 27, 47, -42.55],
    [None, "總計 Grand Total", 1299722, 1211869, 7.25, 1299722, 1211869, 7.25],
    [" ", " ", " "],
    ["註: 因國人出境數據以飛航到達首站為統計原則…\n資料來源：內政部移民署。"],
]


def make_table(path: Path, sheet: str, title: str, header: list, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def table_1_4(tmp_path, *, title=TITLE_1_4, header=HEADER_1_4, rows=ROWS_1_4, name="any-name.xlsx") -> Path:
    return make_table(tmp_path / name, INBOUND_SHEET, title, header, rows)


def table_2_2(tmp_path, *, title=TITLE_2_2, header=HEADER_2_2, rows=ROWS_2_2, name="other-name.xlsx") -> Path:
    return make_table(tmp_path / name, OUTBOUND_SHEET, title, header, rows)


def test_table_1_4_tiny(tmp_path):
    path = table_1_4(tmp_path)
    assert is_table_1_4(path) and not is_table_2_2(path)
    got = read_table_1_4(path).monthly
    common = ("TW", "visitor_arrivals")
    expected = frame([
        ("2019-01", code, *common, value, "final", "tw_table_1_4", "any-name.xlsx", INBOUND_SHEET, cell, "2019-01")
        for code, value, cell in [("X-HKMO", 100703, "D3"), ("JP", 146184, "D4"), ("MY", 29126, "D5"),
                                  ("X-SEA", 160561, "D6"), ("X-UNSTATED", 171, "D7"), ("ALL", 867711, "D8")]
    ])
    pd.testing.assert_frame_equal(got, expected)


def test_table_1_4_month_comes_from_the_title_not_the_file_name(tmp_path):
    path = table_1_4(tmp_path, title=TITLE_1_4.replace("108年1月", "113年12月"), name="月表1-4(108年1月).xlsx")
    assert set(read_table_1_4(path).monthly.month) == {"2024-12"}


def test_table_2_2_tiny(tmp_path):
    path = table_2_2(tmp_path)
    assert is_table_2_2(path) and not is_table_1_4(path)
    got = read_table_2_2(path).monthly
    rows = []
    for code, this, prior, r in [("JP", 396212, 349173, 3), ("X-ASIA-OTHER", 1418, 5861, 4),
                                 ("X-OTHER", 27, 47, 5), ("ALL", 1299722, 1211869, 6)]:
        rows.append(("2019-01", "TW", code, "national_departures", this, "final", "tw_table_2_2",
                     "other-name.xlsx", OUTBOUND_SHEET, f"C{r}", "2019-01"))
        rows.append(("2018-01", "TW", code, "national_departures", prior, "final", "tw_table_2_2",
                     "other-name.xlsx", OUTBOUND_SHEET, f"D{r}", "2019-01"))
    pd.testing.assert_frame_equal(got, frame(rows))


def test_provisional_footnote_marks_the_table_provisional(tmp_path):
    rows = ROWS_2_2[:-1] + [["註: 本月資料為初步統計，將於次月修正。"]]
    assert set(read_table_2_2(table_2_2(tmp_path, rows=rows)).monthly.status) == {"provisional"}


# --- bad tables


def test_empty_truncated_and_corrupt_workbooks(tmp_path):
    good = table_1_4(tmp_path)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    for path in (empty, truncated, corrupt):
        assert not is_table_1_4(path)
        assert "not a readable .xlsx workbook" in error_of(read_table_1_4, path)


def test_wrong_sheet_is_an_error(tmp_path):
    path = table_2_2(tmp_path)
    assert "no sheet named '來臺旅客按性別及來臺目的'" in error_of(read_table_1_4, path)


def test_missing_title(tmp_path):
    message = error_of(read_table_1_4, table_1_4(tmp_path, title="Visitor arrivals"))
    assert "cell A1" in message and "表1-4" in message


def test_missing_total_column(tmp_path):
    header = [h if h != "合計\nTotal" else "人數" for h in HEADER_1_4]
    message = error_of(read_table_1_4, table_1_4(tmp_path, header=header))
    assert "row 2" in message and "合計 Total" in message


def test_header_month_must_match_title(tmp_path):
    header = [h.replace("107年1月", "107年2月") if isinstance(h, str) else h for h in HEADER_2_2]
    message = error_of(read_table_2_2, table_2_2(tmp_path, header=header))
    assert "2019-01 then 2018-01" in message and "row 2" in message


@pytest.mark.parametrize("bad, expected", [
    ("n/a", "expected a count of persons, found 'n/a'"),
    (-5, "expected a non-negative count, found -5"),
    (12.5, "expected a whole count"),
    (None, "found an empty cell"),
])
def test_bad_counts_name_the_cell(tmp_path, bad, expected):
    rows = [list(r) for r in ROWS_1_4]
    rows[1][3] = bad
    message = error_of(read_table_1_4, table_1_4(tmp_path, rows=rows))
    assert f"sheet '{INBOUND_SHEET}', cell D4" in message and expected in message


def test_unknown_label_names_the_row(tmp_path):
    rows = [list(r) for r in ROWS_1_4]
    rows[1][1] = "新國家 Newland"
    message = error_of(read_table_1_4, table_1_4(tmp_path, rows=rows))
    assert "row 4" in message and "unknown market label '新國家 Newland'" in message


def test_table_cut_before_grand_total(tmp_path):
    message = error_of(read_table_1_4, table_1_4(tmp_path, rows=ROWS_1_4[:4]))
    assert "no '總計 Grand Total' row" in message


def test_repeated_market(tmp_path):
    rows = [ROWS_1_4[1]] + ROWS_1_4
    assert "appears twice" in error_of(read_table_1_4, table_1_4(tmp_path, rows=rows))
