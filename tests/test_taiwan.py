"""Tourism Administration (Taiwan) readers: the official figures, lineage, and clear errors on bad files."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from flows.errors import RawFileError
from flows.sources import MONTHLY_COLUMNS
from flows.sources.fast_xlsx import read_sheet
from flows.sources.taiwan import (
    READERS,
    is_annual_departures_csv,
    is_purpose_csv,
    is_residence_csv,
    read_annual_departures_csv,
    read_purpose_csv,
    read_residence_csv,
)
from flows.sources.taiwan_tables import (
    INBOUND_SHEET,
    OUTBOUND_SHEET,
    is_table_1_4,
    is_table_2_2,
    market_code,
    read_table_1_4,
    read_table_2_2,
)

# ---------------------------------------------------------------------------------------------
# The real files


@pytest.fixture(scope="module")
def taiwan_raw(raw_dir) -> Path:
    folder = raw_dir / "taiwan"
    if not folder.is_dir():
        message = f"no taiwan/ folder in the official raw folder {raw_dir}"
        if os.environ.get("FLOWS_REQUIRE_RAW") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="module")
def real(taiwan_raw):
    """Every Taiwan file read by the reader that recognises it, frames concatenated per source."""
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in taiwan_raw.rglob("*") if p.is_file()}
    monthly, annual, matched = {}, {}, {}
    for path in sorted(digests):
        readers = [r for r in READERS if r.matches(path)]
        matched[path.name] = [r.source for r in readers]
        if len(readers) == 1:
            extract = readers[0].read(path)
            monthly.setdefault(readers[0].source, []).append(extract.monthly)
            annual.setdefault(readers[0].source, []).append(extract.annual)
    unchanged = all(hashlib.sha256(p.read_bytes()).hexdigest() == d for p, d in digests.items())
    return {
        "monthly": {k: pd.concat(v, ignore_index=True) for k, v in monthly.items()},
        "annual": {k: pd.concat(v, ignore_index=True) for k, v in annual.items()},
        "matched": matched,
        "unchanged": unchanged,
    }


def total(frame, *, origin=None, destination=None, period=""):
    rows = frame[frame.month.str.startswith(period)]
    if origin:
        rows = rows[rows.origin == origin]
    if destination:
        rows = rows[rows.destination == destination]
    return int(rows.value.sum())


def test_every_file_recognised_by_content_by_exactly_one_reader(real):
    matched = real["matched"]
    assert sum(s == ["tw_table_1_4"] for s in matched.values()) == 75
    assert sum(s == ["tw_table_2_2"] for s in matched.values()) == 75
    assert matched["2023_Visitors_by_Residence_Purpose.csv"] == ["tw_residence_csv"]
    assert matched["purpose.csv"] == ["tw_purpose_csv"]
    assert matched["歷年中華民國國民出國目的地人數統計2002-2024.csv"] == ["tw_annual_departures"]
    # no reader for these (region-only and two-month exports), nor for the provenance notes
    assert matched["2023_Visitors_by_Region.csv"] == []
    assert matched["OutboundVisitor-Total-sheet.csv"] == []
    assert matched["SOURCE.md"] == []


def test_raw_files_are_never_modified(real):
    assert real["unchanged"]


def test_japan_visitor_arrivals_table_1_4(real):
    t14 = real["monthly"]["tw_table_1_4"]
    assert total(t14, origin="JP", period="2019") == 2_167_952
    assert total(t14, origin="JP", period="2020") == 269_659
    assert total(t14, origin="JP", period="2023") == 928_235
    assert total(t14, origin="JP", period="2024") == 1_319_592
    assert total(t14, origin="JP", period="2025") == 364_811
    assert t14[t14.origin == "JP"].month.nunique() == 75
    assert total(t14, origin="ALL", period="2019") == 11_864_105
    assert (t14.destination == "TW").all() and (t14.measure == "visitor_arrivals").all()
    assert set(t14.status) == {"final"}


def test_table_1_4_keeps_groupings_with_codes(real):
    t14 = real["monthly"]["tw_table_1_4"]
    jan = t14[t14.month == "2019-01"].set_index("origin").value
    assert jan["X-HKMO"] == 100_703 and "HK" not in jan.index
    assert jan["X-SEA"] == 160_561 and jan["X-UNSTATED"] == 171 and jan["X-ASIA"] == 768_758
    assert jan["ALL"] == 867_711
    assert len(jan) == 46


def test_table_1_4_lineage(real):
    t14 = real["monthly"]["tw_table_1_4"]
    row = t14[(t14.origin == "JP") & (t14.month == "2019-01")].iloc[0]
    assert (row.file, row.sheet, row.cell, row.release) == (
        "月表1-4(108年1月來臺旅客_按性別及來臺目的分析).xlsx", INBOUND_SHEET, "D5", "2019-01")


def test_japan_departures_table_2_2(real):
    t22 = real["monthly"]["tw_table_2_2"]
    this_month = t22[t22.cell.str.startswith("C")]
    assert total(this_month, destination="JP", period="2019") == 4_911_681
    assert total(this_month, destination="JP", period="2024") == 6_006_116
    assert total(this_month, destination="JP", period="2025") == 1_615_850
    assert total(this_month, destination="ALL", period="2019") == 17_101_335
    assert (t22.origin == "TW").all() and (t22.measure == "national_departures").all()


def test_2018_comes_from_the_prior_year_column_of_the_2019_tables(real):
    t22 = real["monthly"]["tw_table_2_2"]
    jan = t22[(t22.destination == "JP") & t22.file.str.startswith("月表2-2(108年1月")].set_index("month")
    assert jan.loc["2019-01", ["value", "cell", "release"]].tolist() == [396_212, "C6", "2019-01"]
    assert jan.loc["2018-01", ["value", "cell", "release"]].tolist() == [349_173, "D6", "2019-01"]
    assert total(t22, destination="JP", period="2018") == 4_825_948  # = the annual file's 2018


def test_prior_year_column_repeats_last_years_table_exactly(real):
    t22 = real["monthly"]["tw_table_2_2"]
    this, prior = t22[t22.cell.str.startswith("C")], t22[t22.cell.str.startswith("D")]
    both = this.merge(prior, on=["month", "destination"], suffixes=("", "_later"), validate="1:1")
    assert len(both) == 2_583 and (both.value == both.value_later).all()
    assert (both.release < both.release_later).all()


def test_annual_departures(real):
    annual = real["annual"]["tw_annual_departures"]
    japan = annual[annual.destination == "JP"].set_index("year").value
    assert japan[2002] == 797_460 and japan[2019] == 4_911_681 and japan[2024] == 6_006_116
    assert list(japan.index) == list(range(2002, 2025))
    cn = annual[annual.destination == "CN"].year
    assert cn.min() == 2008, "'-' (not separately counted before 2008) stays missing"
    assert real["monthly"]["tw_annual_departures"].empty


def test_monthly_table_2_2_sums_to_the_annual_file(real):
    t22 = real["monthly"]["tw_table_2_2"]
    # 2019-2024 from the this-month column, 2018 from the prior-year column of the 2019 tables
    used = t22[t22.cell.str.startswith("C") | (t22.month < "2019")]
    used = used.assign(year=used.month.str[:4].astype(int))
    sums = used[used.year <= 2024].groupby(["year", "destination"]).value.sum()
    annual = real["annual"]["tw_annual_departures"].set_index(["year", "destination"]).value
    joined = pd.concat([sums.rename("monthly"), annual.rename("annual")], axis=1, join="inner")
    assert len(joined) == 7 * 41 and (joined.monthly == joined.annual).all()


def test_purpose_csv_includes_unstated_purpose(real):
    purpose = real["monthly"]["tw_purpose_csv"]
    assert total(purpose, origin="JP", period="2011") == 1_294_758
    assert total(purpose, origin="JP", period="2011-01") == 101_193
    assert purpose.month.min() == "2011-01" and purpose.month.max() == "2018-09"
    assert purpose.origin.nunique() == 39 and "X-UNSTATED" in set(purpose.origin)


def test_residence_csv_total_leaves_out_unstated_purpose(real):
    residence = real["monthly"]["tw_residence_csv"]
    assert total(residence, origin="JP", period="2011") == 1_289_636
    assert total(residence, origin="JP", period="2011-01") == 98_802
    assert residence.month.max() == "2023-11"
    assert not {"X-ASIA", "X-AFRICA", "X-AMERICAS", "X-OCEANIA", "X-EUROPE", "ALL"} & set(residence.origin)
    assert residence.origin.nunique() == 185  # 190 labels less the five continents


def test_residence_csv_line_by_line_path_gives_the_same_rows(taiwan_raw, tmp_path, real):
    """A blank line sends the file down the exact (slow) path: same rows, lines one further down."""
    name = "2023_Visitors_by_Residence_Purpose.csv"
    lines = (taiwan_raw / "inbound" / name).read_bytes().split(b"\n")
    (tmp_path / name).write_bytes(b"\n".join(lines[:4] + [b""] + lines[4:]))
    slow = read_residence_csv(tmp_path / name).monthly
    fast = real["monthly"]["tw_residence_csv"]
    shifted = fast.cell.str.extract(r"line (\d+)")[0].astype(int) + 1
    pd.testing.assert_frame_equal(slow.drop(columns="cell"), fast.drop(columns="cell"))
    assert (slow.cell == "line " + shifted.astype(str) + ", column Total").all()


def test_residence_csv_agrees_with_table_1_4_where_both_publish(real):
    residence, t14 = real["monthly"]["tw_residence_csv"], real["monthly"]["tw_table_1_4"]
    both = residence.merge(t14, on=["month", "origin"], suffixes=("", "_t14"), validate="1:1")
    assert both.month.nunique() == 59 and (both.value == both.value_t14).all()
    assert set(both.origin) >= {"JP", "KR", "US", "X-UNSTATED"}


def test_all_taiwan_files_read_quickly(taiwan_raw):
    """The whole build must take ≤ 2 s; openpyxl alone would cost ~3 s for the 150 monthly tables.

    CPU time, not wall time, so that a busy machine does not fail the test (~0.4–0.5 s measured).
    """
    import time

    files = [p for p in taiwan_raw.rglob("*") if p.is_file()]
    started = time.process_time()
    for path in files:
        for reader in READERS:
            if reader.matches(path):
                reader.read(path)
    assert time.process_time() - started < 2.0


# ---------------------------------------------------------------------------------------------
# Labels


@pytest.mark.parametrize("label, code", [
    ("日本 Japan", "JP"), ("日本(Japan)", "JP"), ("日本Japan", "JP"), ("韓國 Korea,Republic of", "KR"),
    ("利比亞(Libya\n)", "LY"), ("不丹(Bhutan )", "BT"), ("香港.澳門 HongKong. Macao", "X-HKMO"),
    ("大陸 Mainland China", "CN"), ("中國大陸China", "CN"), ("總計 Grand Total", "ALL"),
    ("歐洲其他地區 Total", "X-EUROPE-OTHER"), ("其他 Others", "X-OTHER"), ("未列明 Unstated", "X-UNSTATED"),
    ("其他未列明(Unknow)", "X-UNSTATED"), ("東南亞小計 Sub-Total", "X-SEA"), ("Others, America", "X-AMERICAS-OTHER"),
])
def test_market_labels(label, code):
    assert market_code(label) == code


def test_label_whose_two_halves_disagree_is_unknown():
    assert market_code("日本 Korea,Republic of") is None
    assert market_code("新國家 Newland") is None


# ---------------------------------------------------------------------------------------------
# Tiny tables made here (rows copied from the real 108年1月 tables)

TITLE_1_4 = "表1-4  108年1月來臺旅客人次－按性別及來臺目的分\nTable 1-4  Visitor Arrivals by Gender and by Purpose of Visit,\nJanuary,2019"
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


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=MONTHLY_COLUMNS)


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


def error_of(reader, path) -> str:
    with pytest.raises(RawFileError) as err:
        reader(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    return message


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


# ---------------------------------------------------------------------------------------------
# Tiny CSVs

RESIDENCE_HEADER = (
    ",,,業務,,觀光,,探親,,會議,,求學,,展覽,,醫療,,其他,,\n"
    ",,,Business,,Leisure,,Visit Relatives,,Conference,,Study,,Exhibition,,Medical Treatment,,Others,,\n"
    "年別,月份,居住地,男,女,男,女,男,女,男,女,男,女,男,女,男,女,男,女,小計\n"
    "Years,Months,Residence,Male,Female,Male,Female,Male,Female,Male,Female,Male,Female,Male,Female,Male,Female,"
    "Male,Female,Total\n"
)
RESIDENCE_LINES = [
    "100,1,亞洲地區(Asia),46453,9090,92413,107501,9770,20976,2568,1019,682,574,0,0,0,0,10195,13477,314718",
    "100,1,日本(Japan),22827,1004,33170,35470,1933,2276,503,40,112,94,0,0,0,0,851,522,98802",
    '100,1,"利比亞(Libya\n)",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3',
    "112,11,其他未列明(Unknow),8,3,23,22,2,4,1,0,3,0,0,0,0,1,41,35,143",
]


def residence_csv(tmp_path, lines=RESIDENCE_LINES, *, closing=True, encoding="utf-8-sig", name="export.csv"):
    body = "\n".join(lines)
    if closing:
        last = [line.rsplit(",", 1)[1] for line in lines]
        total = sum(int(v) for v in last if v.lstrip("-").isdigit())
        body += f"\n總計(Total),,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,{total}"
    path = tmp_path / name
    path.write_bytes((RESIDENCE_HEADER + body).encode(encoding))
    return path


def test_residence_csv_tiny(tmp_path):
    path = residence_csv(tmp_path)
    assert is_residence_csv(path) and not is_purpose_csv(path)
    got = read_residence_csv(path).monthly
    expected = frame([
        ("2011-01", "JP", "TW", "visitor_arrivals", 98802, "final", "tw_residence_csv", "export.csv", "",
         "line 6, column Total", "2023-11"),
        ("2011-01", "LY", "TW", "visitor_arrivals", 3, "final", "tw_residence_csv", "export.csv", "",
         "line 7, column Total", "2023-11"),
        ("2023-11", "X-UNSTATED", "TW", "visitor_arrivals", 143, "final", "tw_residence_csv", "export.csv", "",
         "line 9, column Total", "2023-11"),
    ])
    pd.testing.assert_frame_equal(got, expected)


def test_residence_csv_in_big5_is_recognised_then_refused(tmp_path):
    path = residence_csv(tmp_path, encoding="cp950")
    assert is_residence_csv(path)
    message = error_of(read_residence_csv, path)
    assert "[line 1]" in message and "expected UTF-8" in message and "Big5/cp950" in message


def test_residence_csv_unknown_label(tmp_path):
    lines = RESIDENCE_LINES + ["112,11,新國家(Newland),0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1"]
    message = error_of(read_residence_csv, residence_csv(tmp_path, lines))
    assert "[line 10]" in message and "unknown market label '新國家(Newland)'" in message


def test_residence_csv_cut_short(tmp_path):
    cut = residence_csv(tmp_path, RESIDENCE_LINES[:-1] + ["112,11,其他未列明(Unknow),8,3,23"], closing=False)
    assert "[line 9]: expected 20 columns, found 6" in error_of(read_residence_csv, cut)
    no_closing = residence_csv(tmp_path, closing=False)
    assert "no closing 總計(Total) line" in error_of(read_residence_csv, no_closing)


def test_residence_csv_closing_total_must_match(tmp_path):
    path = residence_csv(tmp_path)
    path.write_bytes(path.read_bytes().replace(b",314718\n", b",314719\n"))
    assert "differs from the sum of the lines above" in error_of(read_residence_csv, path)


@pytest.mark.parametrize("value, expected", [("-3", "non-negative"), ("x", "expected a count"),
                                             ("", "empty cell")])
def test_residence_csv_bad_count(tmp_path, value, expected):
    lines = RESIDENCE_LINES[:1] + [RESIDENCE_LINES[1].rsplit(",", 1)[0] + "," + value] + RESIDENCE_LINES[2:]
    message = error_of(read_residence_csv, residence_csv(tmp_path, lines))
    assert "[line 6, column Total]" in message and expected in message


def test_empty_and_headerless_csv(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert not is_residence_csv(empty)
    assert "the file is empty" in error_of(read_residence_csv, empty)
    short = tmp_path / "short.csv"
    short.write_text("a,b\n", encoding="utf-8")
    assert "expected a header on line 3" in error_of(read_residence_csv, short)


PURPOSE_CSV = (
    "Residence,Region,Sub-Region,Period,Business,Pleasure,Visit Relatives,Conference,Study,Exhibition,"
    "Medical Treatment,Others,Unstated\n"
    "Unstated,,,2011-01,1,2,2,0,0,0,0,14,2474\n"
    "Japan,Asia,,2011-01,23831,68640,4209,543,206,0,0,1373,2391\n"
    '"Korea,Republic of",Asia,,2011-02,10,0,0,0,0,0,0,0,5\n'
)


def test_purpose_csv_tiny(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PURPOSE_CSV, encoding="utf-8")
    assert is_purpose_csv(path) and not is_residence_csv(path)
    got = read_purpose_csv(path).monthly
    where = "columns Business…Unstated"
    expected = frame([
        ("2011-01", "X-UNSTATED", "TW", "visitor_arrivals", 2493, "final", "tw_purpose_csv", "p.csv", "",
         f"line 2, {where}", "2011-02"),
        ("2011-01", "JP", "TW", "visitor_arrivals", 101193, "final", "tw_purpose_csv", "p.csv", "",
         f"line 3, {where}", "2011-02"),
        ("2011-02", "KR", "TW", "visitor_arrivals", 15, "final", "tw_purpose_csv", "p.csv", "",
         f"line 4, {where}", "2011-02"),
    ])
    pd.testing.assert_frame_equal(got, expected)


def test_purpose_csv_errors(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PURPOSE_CSV.replace(",Unstated\n", ",Other\n", 1), encoding="utf-8")
    assert "[line 1]: header lacks column(s) ['Unstated']" in error_of(read_purpose_csv, path)
    path.write_text(PURPOSE_CSV.replace("Japan,Asia,,2011-01,23831", "Japan,Asia,,2011-01,-1"), encoding="utf-8")
    assert "[line 3, column Business]" in error_of(read_purpose_csv, path)
    path.write_text(PURPOSE_CSV.replace("2011-02", "Feb 2011"), encoding="utf-8")
    assert "[line 4, column Period]" in error_of(read_purpose_csv, path)


ANNUAL_CSV = (
    "\ufeff首站抵達地,細分,2007,2008,2009\n"
    '亞洲地區,日本Japan,"1,280,853","1,309,847","1,113,857"\n'
    '亞洲地區,中國大陸China,-,"188,744","1,516,087"\n'
    '全區,總計 Grand Total,"8,963,712","8,465,172","8,142,946"\n'
)


def test_annual_departures_tiny(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(ANNUAL_CSV.encode("utf-8"))
    assert is_annual_departures_csv(path) and not is_purpose_csv(path)
    extract = read_annual_departures_csv(path)
    assert extract.monthly.empty
    got = extract.annual[["year", "destination", "value", "cell"]]
    expected = pd.DataFrame([
        (2007, "JP", 1280853, "line 2, column 2007"), (2008, "JP", 1309847, "line 2, column 2008"),
        (2009, "JP", 1113857, "line 2, column 2009"), (2008, "CN", 188744, "line 3, column 2008"),
        (2009, "CN", 1516087, "line 3, column 2009"), (2007, "ALL", 8963712, "line 4, column 2007"),
        (2008, "ALL", 8465172, "line 4, column 2008"), (2009, "ALL", 8142946, "line 4, column 2009"),
    ], columns=["year", "destination", "value", "cell"])
    pd.testing.assert_frame_equal(got, expected)
    assert set(extract.annual.origin) == {"TW"} and set(extract.annual.release) == {"2009-12"}


def test_annual_departures_bad_value(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(ANNUAL_CSV.replace('"188,744"', "n.a.").encode("utf-8"))
    assert "[line 3, column 2008]: expected a count of persons, found 'n.a.'" in error_of(
        read_annual_departures_csv, path)


# ---------------------------------------------------------------------------------------------
# The fast worksheet reader


def test_fast_reader_reads_the_real_tables_as_openpyxl_does(taiwan_raw):
    tables = sorted(taiwan_raw.rglob("*.xlsx"))
    for path in tables[:2] + tables[-2:]:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        expected = {(c.row, c.column): c.value for row in wb.worksheets[0].iter_rows() for c in row
                    if c.value is not None and c.value != ""}
        wb.close()
        assert read_sheet(path).cells == expected, path.name


def test_fast_reader_matches_openpyxl(tmp_path):
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "數據"
    ws.append(["a & <b>", 3, 2.5, True, None, "日本\nJapan"])
    ws["B3"] = 7
    wb.save(path)
    assert read_sheet(path).cells == {(1, 1): "a & <b>", (1, 2): 3, (1, 3): 2.5, (1, 4): True,
                                      (1, 6): "日本\nJapan", (3, 2): 7}
    assert read_sheet(path, "數據", max_col=2).cells == {(1, 1): "a & <b>", (1, 2): 3, (3, 2): 7}


def handmade_xlsx(path: Path, cells_xml: str) -> Path:
    """A workbook as Excel writes it: shared strings (one rich text), formulas with cached values."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook {ns} {rel}><sheets><sheet name="S &amp; T" sheetId="1" '
                                      f'r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml",
                   f'<sst {ns}><si><t>總計 Grand Total</t></si><si><r><t>日本</t></r><r><rPr/><t xml:space="preserve">'
                   f' Japan</t></r></si></sst>')
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{cells_xml}</sheetData></worksheet>")
    return path


def test_fast_reader_excel_style_cells(tmp_path):
    xml = ('<row r="1"><c r="A1" s="2" t="s"><v>1</v></c><c r="B1" s="3"/><c r="C1" t="n"><f>D1+E1</f>'
           '<v>100703.0</v></c><c r="D1" t="str"><f>"x"</f><v>a&amp;b</v></c></row>'
           '<row r="2"><c r="AA2" t="inlineStr"><is><t>inline</t></is></c><c r="B2" t="s"><v>0</v></c></row>')
    sheet = read_sheet(handmade_xlsx(tmp_path / "h.xlsx", xml))
    assert sheet.name == "S & T"
    assert sheet.cells == {(1, 1): "日本 Japan", (1, 3): 100703, (1, 4): "a&b", (2, 27): "inline",
                           (2, 2): "總計 Grand Total"}


def test_fast_reader_unusual_attribute_order_falls_back_to_exact_parse(tmp_path):
    xml = '<row r="1"><c t="s" r="A1"><v>1</v></c><c s="1" r="B1"><v>5</v></c></row>'
    assert read_sheet(handmade_xlsx(tmp_path / "h.xlsx", xml)).cells == {(1, 1): "日本 Japan", (1, 2): 5}


def test_fast_reader_damaged_sheets(tmp_path):
    bad_index = handmade_xlsx(tmp_path / "a.xlsx", '<row r="1"><c r="A1" t="s"><v>9</v></c></row>')
    assert "[sheet 'S & T', cell A1]: shared string index '9' is out of range" in error_of(read_sheet, bad_index)
    bad_number = handmade_xlsx(tmp_path / "b.xlsx", '<row r="1"><c r="A1"><v>abc</v></c></row>')
    assert "cell A1" in error_of(read_sheet, bad_number)
    cut = tmp_path / "c.xlsx"
    with zipfile.ZipFile(bad_number) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            dst.writestr(item, data[:-20] if item.endswith("sheet1.xml") else data)
    assert "cut short" in error_of(read_sheet, cut)
