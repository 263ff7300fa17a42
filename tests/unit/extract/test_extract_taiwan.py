"""Tourism Administration (Taiwan) readers on the real files: the official figures, lineage, labels."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from flows.extract.registry import all_readers
from flows.extract.taiwan_common import market_code
from flows.extract.taiwan_csv import read_residence_csv
from flows.extract.taiwan_tables import INBOUND_SHEET

READERS = [r for r in all_readers() if r.source.startswith("tw_")]

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


def test_residence_csv_blank_line_moves_lineage_one_line_down(taiwan_raw, tmp_path, real):
    """A blank line after the header: the same rows, each pointing one line further down."""
    name = "2023_Visitors_by_Residence_Purpose.csv"
    lines = (taiwan_raw / "inbound" / name).read_bytes().split(b"\n")
    (tmp_path / name).write_bytes(b"\n".join(lines[:4] + [b""] + lines[4:]))
    moved = read_residence_csv(tmp_path / name).monthly
    original = real["monthly"]["tw_residence_csv"]
    shifted = original.cell.str.extract(r"line (\d+)")[0].astype(int) + 1
    pd.testing.assert_frame_equal(moved.drop(columns="cell"), original.drop(columns="cell"))
    assert (moved.cell == "line " + shifted.astype(str) + ", column Total").all()


def test_residence_csv_agrees_with_table_1_4_where_both_publish(real):
    residence, t14 = real["monthly"]["tw_residence_csv"], real["monthly"]["tw_table_1_4"]
    both = residence.merge(t14, on=["month", "origin"], suffixes=("", "_t14"), validate="1:1")
    assert both.month.nunique() == 59 and (both.value == both.value_t14).all()
    assert set(both.origin) >= {"JP", "KR", "US", "X-UNSTATED"}


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
