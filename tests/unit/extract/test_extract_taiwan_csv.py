"""Tourism Administration CSV readers on tiny files: rows, line numbers, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.extract.taiwan_csv import (
    is_annual_departures_csv,
    is_purpose_csv,
    is_residence_csv,
    read_annual_departures_csv,
    read_purpose_csv,
    read_residence_csv,
)
from readers import error_of, frame

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
    # the continent lines are kept out of the table, as totals of purpose.csv's groups
    assert read_residence_csv(path).totals == [("2011-01", "X-ASIA", 314718, "line 5, column Total")]


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
    # what adds up to the residence export's continent lines: the stated purposes, by Region
    assert read_purpose_csv(path).summands == [("2011-01", "X-ASIA", 98802, "line 3, columns Business…Others"),
                                               ("2011-02", "X-ASIA", 10, "line 4, columns Business…Others")]


def test_purpose_csv_errors(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PURPOSE_CSV.replace(",Unstated\n", ",Other\n", 1), encoding="utf-8")
    assert "[line 1]: header lacks column(s) ['Unstated']" in error_of(read_purpose_csv, path)
    path.write_text(PURPOSE_CSV.replace("Japan,Asia,,2011-01,23831", "Japan,Asia,,2011-01,-1"), encoding="utf-8")
    assert "[line 3, column Business]" in error_of(read_purpose_csv, path)
    path.write_text(PURPOSE_CSV.replace("2011-02", "Feb 2011"), encoding="utf-8")
    assert "[line 4, column Period]" in error_of(read_purpose_csv, path)
    path.write_text(PURPOSE_CSV.replace("Japan,Asia,", "Japan,Asia-Pacific,"), encoding="utf-8")
    assert "[line 3]: unknown Region 'Asia-Pacific'" in error_of(read_purpose_csv, path)


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
