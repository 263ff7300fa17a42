"""Workbook access (python-calamine): the values openpyxl sees, Excel's cell forms, one-line errors."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl

from flows.extract.xlsx import cell_ref, read_sheet, read_workbook, sheet_names
from readers import error_of
from workbooks import handmade_xlsx


def cells(sheet) -> dict[tuple[int, int], object]:
    return {(r, c): v for r, row in sheet.rows() for c, v in row.items()}


def test_values_of_the_real_tables_are_those_openpyxl_reads(raw_dir):
    tables = sorted((raw_dir / "taiwan").rglob("*.xlsx"))
    for path in tables[:2] + tables[-2:]:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        expected = {(c.row, c.column): c.value for row in wb.worksheets[0].iter_rows() for c in row
                    if c.value is not None and c.value != ""}
        wb.close()
        assert cells(read_sheet(path)) == expected, path.name


def test_values_as_openpyxl_wrote_them(tmp_path):
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "數據"
    ws.append(["a & <b>", 3, 2.5, True, None, "日本\nJapan", dt.date(2025, 5, 29)])
    ws["B3"] = 7
    wb.save(path)
    sheet = read_sheet(path)
    assert sheet.name == "數據" and sheet_names(path) == ("數據",)
    assert cells(sheet) == {(1, 1): "a & <b>", (1, 2): 3, (1, 3): 2.5, (1, 4): True, (1, 6): "日本\nJapan",
                            (1, 7): dt.date(2025, 5, 29), (3, 2): 7}
    assert sheet.value(3, 2) == 7 and sheet.value(2, 2) is None and sheet.value(99, 99) is None
    assert [r for r, _ in sheet.rows()] == [1, 3]
    assert read_sheet(path, "數據").grid == sheet.grid


def test_excel_style_cells(tmp_path):
    xml = ('<row r="1"><c r="A1" s="2" t="s"><v>1</v></c><c r="B1" s="3"/><c r="C1" t="n"><f>D1+E1</f>'
           '<v>100703.0</v></c><c r="D1" t="str"><f>"x"</f><v>a&amp;b</v></c></row>'
           '<row r="2"><c r="AA2" t="inlineStr"><is><t>inline</t></is></c><c r="B2" t="s"><v>0</v></c>'
           '<c r="C2" t="s"><v>2</v></c></row>')
    sheet = read_sheet(handmade_xlsx(tmp_path / "h.xlsx", xml))
    assert sheet.name == "S & T"
    assert cells(sheet) == {(1, 1): "日本 Japan", (1, 3): 100703, (1, 4): "a&b", (2, 27): "inline",
                            (2, 2): "總計 Grand Total", (2, 3): "漢字"}


def test_attributes_in_any_order(tmp_path):
    xml = '<row r="1"><c t="s" r="A1"><v>1</v></c><c s="1" r="B1"><v>5</v></c></row>'
    assert cells(read_sheet(handmade_xlsx(tmp_path / "h.xlsx", xml))) == {(1, 1): "日本 Japan", (1, 2): 5}


def test_damaged_workbooks_are_one_line_errors(tmp_path):
    bad_index = handmade_xlsx(tmp_path / "a.xlsx", '<row r="1"><c r="A1" t="s"><v>9</v></c></row>')
    assert "[sheet 'S & T']: worksheet is damaged" in error_of(read_sheet, bad_index)
    good = handmade_xlsx(tmp_path / "b.xlsx", '<row r="1"><c r="A1"><v>5</v></c></row>')
    cut = tmp_path / "c.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            dst.writestr(item, data[:-20] if item.endswith("sheet1.xml") else data)
    assert "[sheet 'S & T']: worksheet is damaged" in error_of(read_sheet, cut)
    assert "[sheet 'S & T']: worksheet is damaged" in error_of(read_workbook, cut)
    not_zip = tmp_path / "d.xlsx"
    not_zip.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    assert "not a readable .xlsx workbook" in error_of(read_sheet, not_zip)
    assert sheet_names(not_zip) is None and sheet_names(tmp_path / "missing.xlsx") is None


def test_missing_sheet(tmp_path):
    path = handmade_xlsx(tmp_path / "h.xlsx", "")
    assert "no sheet named 'Asia' (sheets: ['S & T'])" in error_of(lambda p: read_sheet(p, "Asia"), path)
    assert "workbook has 1 sheet(s), expected at least 2" in error_of(lambda p: read_sheet(p, 1), path)


def test_cell_ref():
    assert [cell_ref(9, 2), cell_ref(1, 26), cell_ref(4, 27), cell_ref(1, 703)] == ["B9", "Z1", "AA4", "AAA1"]


def test_excel_errors_are_read_as_their_text_not_as_blanks(tmp_path):
    xml = ('<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1"><v>5</v></c></row>'
           '<row r="3"><c r="D3" t="e"><v>#REF!</v></c></row>')
    path = handmade_xlsx(tmp_path / "h.xlsx", xml)
    assert cells(read_sheet(path)) == {(1, 1): "#N/A", (1, 2): 5, (3, 4): "#REF!"}
    assert cells(read_workbook(path)[0]) == cells(read_sheet(path))
