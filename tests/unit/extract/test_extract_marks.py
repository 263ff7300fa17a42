"""Cell marks python-calamine does not report: italics (JNTO's estimates) and Excel errors, in any attribute order."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.errors import RawFileError
from flows.extract.marks import error_cells, italic_cells, italic_styles, styled_cells
from workbooks import MAIN_NS, handmade_xlsx

# fonts: 0 plain, 1 italic, 2 italic switched off, 3 bold italic; cellXfs point at fonts 0, 1, 2, 3, 1
STYLES = (f'<styleSheet {MAIN_NS}><fonts count="4"><font><sz val="11"/></font><font><i/><sz val="11"/></font>'
          '<font><i val="0"/></font><font><b/><i val="1"/></font></fonts>'
          '<cellXfs count="5"><xf fontId="0"/><xf fontId="1"/><xf fontId="2"/><xf fontId="3" applyFont="1"/>'
          '<xf fontId="1"/></cellXfs></styleSheet>')


def test_italic_styles_are_the_cell_formats_whose_font_is_italic():
    assert italic_styles(STYLES.encode()) == {1, 3, 4}
    assert italic_styles(None) == frozenset()


@pytest.mark.parametrize("tag", [
    '<c r="B9" s="1" t="n">', '<c s="1" r="B9">', '<c t="n" s="1" r="B9">', "<c s='1' r='B9'>",
    '<c  s = "1"\n r = "B9" >', '<x:c s="1" r="B9">', '<c r="B9" s="1"/>',
])
def test_a_styled_cell_is_found_whatever_the_attribute_order(tag):
    assert styled_cells(f"<sheetData><row>{tag}</row></sheetData>", frozenset({1}), Path("w.xlsx"), "2026") == {(9, 2)}


def test_other_styles_and_lookalike_attributes_are_not_italic():
    xml = ('<c r="A1" s="11"><v>1</v></c><c r="A2" t="s" s="2"><v>1</v></c><c r="A3" xs="1"/><col s="1"/>'
           '<cols><col min="1" s="1"/></cols><c r="AB12" s="4"/>')
    assert styled_cells(xml, frozenset({1, 4}), Path("w.xlsx"), "2026") == {(12, 28)}
    assert styled_cells(xml, frozenset(), Path("w.xlsx"), "2026") == frozenset()


def test_a_styled_cell_without_reference_is_an_error():
    with pytest.raises(RawFileError, match=r"w\.xlsx \[sheet '2026'\]: marked cell without a cell reference"):
        styled_cells('<c s="1" t="n"><v>5</v></c>', frozenset({1}), Path("w.xlsx"), "2026")


def test_italic_cells_of_a_workbook(tmp_path):
    xml = ('<row r="1"><c s="1" r="A1"><v>5</v></c><c r="B1" s="0"><v>6</v></c><c r="C1" s="4"><v>7</v></c>'
           '<c r="D1" s="2"><v>8</v></c></row>')
    path = handmade_xlsx(tmp_path / "h.xlsx", xml, styles_xml=STYLES)
    assert italic_cells(path) == italic_cells(path, ["S & T"]) == {"S & T": {(1, 1), (1, 3)}}
    assert italic_cells(path, []) == {}


def test_a_workbook_without_styles_has_no_italics(tmp_path):
    assert italic_cells(handmade_xlsx(tmp_path / "h.xlsx", '<row r="1"><c r="A1"><v>5</v></c></row>')) == {
        "S & T": frozenset()}


def test_damaged_styles_are_one_line_errors(tmp_path):
    path = handmade_xlsx(tmp_path / "h.xlsx", "", styles_xml="<styleSheet><fonts>")
    with pytest.raises(RawFileError, match=r"h\.xlsx: cannot read the workbook's styles \(ParseError"):
        italic_cells(path)


def test_error_cells_whatever_the_attribute_order(tmp_path):
    xml = ('<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c t="e" r="B1"><f>1/0</f><v>#DIV/0!</v></c>'
           '<c r="C1"><v>5</v></c><c r="D1" t="s"><v>0</v></c></row><row r="2"><c s="1" t="e" r="AB2"/></row>')
    path = handmade_xlsx(tmp_path / "h.xlsx", xml)
    assert error_cells(path, ["S & T"]) == {"S & T": {(1, 1): "#N/A", (1, 2): "#DIV/0!", (2, 28): "#ERROR"}}
    assert error_cells(path, []) == {}
    assert error_cells(handmade_xlsx(tmp_path / "ok.xlsx", '<row r="1"><c r="A1"><v>5</v></c></row>'), ["S & T"]) == {}
