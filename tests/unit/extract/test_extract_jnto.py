"""JNTO monthly workbook: the official figures, statuses, and clear errors on bad files."""

from __future__ import annotations

import re
import zipfile

import pandas as pd
import pytest

from flows.errors import RawFileError
from flows.extract.jnto import is_jnto_workbook, read_jnto_workbook
from workbooks import make_jnto_workbook

WORKBOOK = "jnto/jnto_monthly_visitor_arrivals_2003_2026.xlsx"


@pytest.fixture(scope="module")
def jnto(raw_dir):
    return read_jnto_workbook(raw_dir / WORKBOOK).monthly


def taiwan(frame, period):
    rows = frame[(frame.origin == "TW") & frame.month.str.startswith(period)]
    return rows


def test_taiwan_official_figures(jnto):
    assert taiwan(jnto, "2019").value.sum() == 4_890_602
    assert taiwan(jnto, "2024").value.sum() == 6_044_316
    assert taiwan(jnto, "2024-01").value.item() == 492_288
    assert taiwan(jnto, "2025").value.sum() == 6_763_424
    assert taiwan(jnto, "2026-01").value.item() == 694_500
    assert taiwan(jnto, "2026-02").value.item() == 693_600
    assert taiwan(jnto, "2020").value.sum() == 694_476


def test_status_follows_footnote_and_italics(jnto):
    status = jnto.groupby(jnto.month.str[:4]).status.unique()
    assert list(status["2024"]) == ["final"]
    assert list(status["2025"]) == ["provisional"]
    assert list(status["2026"]) == ["estimate"]


def test_grand_total_and_all_markets(jnto):
    total = jnto[(jnto.origin == "ALL") & jnto.month.str.startswith("2019")]
    assert total.value.sum() == 31_882_049
    assert {"KR", "CN", "HK", "US", "TH", "X-ASIA", "X-GCC", "X-NORDIC"} <= set(jnto.origin)
    assert (jnto.destination == "JP").all() and (jnto.measure == "visitor_arrivals").all()


def test_blank_estimate_cells_stay_missing(jnto):
    macao = jnto[jnto.origin == "MO"]
    assert macao.month.max() == "2025-12", "Macao is blank in the 2026 estimate months: no row, never zero"
    assert (jnto.value > 0).sum() > 0 and not jnto.value.isna().any()


def test_lineage_points_at_the_cell(jnto):
    row = taiwan(jnto, "2019-01").iloc[0]
    assert (row.sheet, row.cell) == ("2019", "B9")
    row = taiwan(jnto, "2024-01").iloc[0]
    assert (row.sheet, row.cell) == ("2024", "C9"), "from 2020 the numbers start in column C"


def test_tiny_workbook_reads_into_tidy_rows(tmp_path):
    path = make_jnto_workbook(tmp_path / "any-name.xlsx", {
        2009: {"総数": [10] * 12, "台湾": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}}, total_header="年計")
    assert is_jnto_workbook(path)
    extract = read_jnto_workbook(path)
    got = extract.monthly[extract.monthly.origin == "TW"][["month", "origin", "destination", "value", "status"]]
    expected = pd.DataFrame({"month": [f"2009-{m:02d}" for m in range(1, 13)], "origin": "TW", "destination": "JP",
                             "value": list(range(1, 13)), "status": "final"})
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected)
    assert extract.annual.set_index("origin").value.to_dict() == {"ALL": 120, "TW": 78}


def test_estimate_sheet_marks_italic_cells(tmp_path):
    path = make_jnto_workbook(tmp_path / "w.xlsx", {2026: {"台湾": [694500, None] + [None] * 10}},
                              status_note="注２：　斜体の数値は推計値である。", italic_cols=(2,))
    monthly = read_jnto_workbook(path).monthly
    assert monthly[["month", "value", "status"]].values.tolist() == [["2026-01", 694500, "estimate"]]


def test_estimates_are_found_whatever_the_cell_attribute_order(tmp_path):
    """A writer that puts ``s=`` before ``r=`` must not turn estimates into provisional figures."""
    path = make_jnto_workbook(tmp_path / "w.xlsx", {2026: {"台湾": [694500, 693600] + [None] * 10}},
                              status_note="注２：　斜体の数値は推計値である。", italic_cols=(2, 4))
    reordered = tmp_path / "reordered.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(reordered, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item.startswith("xl/worksheets/"):
                data, n = re.subn(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', rb'<c s="\2" r="\1"', data)
                assert n > 0
            dst.writestr(item, data)
    monthly = read_jnto_workbook(reordered).monthly
    assert monthly[["month", "status"]].values.tolist() == [["2026-01", "estimate"], ["2026-02", "estimate"]]


@pytest.mark.parametrize("values, message", [
    (["abc"] + [1] * 11, "sheet '2024', cell B6]: expected a count of persons, found 'abc'"),
    (["#N/A"] + [1] * 11, "sheet '2024', cell B6]: expected a count of persons, found '#N/A'"),
    ([-5] + [1] * 11, "sheet '2024', cell B6]: expected a non-negative count, found -5"),
    ([1.5] + [1] * 11, "sheet '2024', cell B6]: expected a whole count of persons, found 1.5"),
])
def test_bad_counts_name_the_cell(tmp_path, values, message):
    path = make_jnto_workbook(tmp_path / "w.xlsx", {2024: {"総数": [1] * 12, "台湾": values}})
    with pytest.raises(RawFileError, match=message.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        read_jnto_workbook(path)


def test_unknown_market_label(tmp_path):
    path = make_jnto_workbook(tmp_path / "w.xlsx", {2024: {"アトランティス": [1] * 12}})
    with pytest.raises(RawFileError, match=r"sheet '2024', row 5\]: unknown market label 'アトランティス'"):
        read_jnto_workbook(path)


def test_missing_month_column(tmp_path):
    path = make_jnto_workbook(tmp_path / "w.xlsx", {2024: {"台湾": [1] * 12}})
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["2024"]["Z4"] = None  # 12月 header gone
    wb["2024"]["X4"] = None
    wb.save(path)
    with pytest.raises(RawFileError, match=r"row 4\]: header row must hold 1月 … 12月"):
        read_jnto_workbook(path)


def test_missing_status_footnote(tmp_path):
    path = make_jnto_workbook(tmp_path / "w.xlsx", {2024: {"台湾": [1] * 12}}, status_note="注３：　なし")
    with pytest.raises(RawFileError, match="no footnote 注２"):
        read_jnto_workbook(path)


def test_corrupt_file(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(RawFileError, match=r"broken\.xlsx: not a readable \.xlsx workbook"):
        read_jnto_workbook(path)


def test_growth_rates_are_checked_to_the_precision_the_cell_stores():
    import numpy as np

    from flows.extract.selfcheck import FULL_PRECISION, stored_precision

    tolerance = stored_precision(np.array([31.5, 12.0, 28.48, -13.061696423226806, np.nan]))
    assert list(tolerance[:4]) == [0.05, 0.5, 0.005, FULL_PRECISION]
