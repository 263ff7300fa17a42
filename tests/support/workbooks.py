"""Tiny workbooks made on the fly by the tests: JNTO-style, and hand-written .xlsx parts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

MONTH_HEADERS = [h for m in range(1, 13) for h in (f"{m}月", "伸率")]


def make_jnto_workbook(path: Path, years: dict[int, dict[str, list]], *, status_note="注２：　表中の数値は全て確定値である。",
                       total_header="累計", italic_cols=(), created=None) -> Path:
    """A workbook laid out like JNTO's: one sheet per year, header in row 4, footnotes after the data.

    ``years`` maps year → {market label: 12 monthly values (None = blank)}; the 累計 column is the
    sum of the non-blank months.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if created is not None:
        wb.properties.created = created
    for year, markets in sorted(years.items(), reverse=True):
        ws = wb.create_sheet(str(year))
        ws["A1"] = f"{year}年　訪日外客数（総数）"
        ws.append([])
        ws.append(["＊本表で、通年の月別・市場別の推移が確認できます。"])
        ws.append([None] + MONTH_HEADERS + [total_header, "伸率"])
        for label, values in markets.items():
            row = [label]
            for v in values:
                row += [v, 1.0 if v is not None else None]
            present = [v for v in values if isinstance(v, (int, float))]
            row += [sum(present) if present else None, 1.0]
            ws.append(row)
            for col in italic_cols:
                ws.cell(ws.max_row, col).font = Font(italic=True)
        ws.append(["注１：　本資料を引用される際は、出典名を「日本政府観光局（ＪＮＴＯ）」と明示してください。"])
        ws.append([status_note])
    wb.save(path)
    return path


MAIN_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def handmade_xlsx(path: Path, cells_xml: str, *, styles_xml: str | None = None,
                  sheet_xml: str | None = None) -> Path:
    """A one-sheet workbook as Excel writes it: shared strings (rich text, phonetic runs),
    formulas with cached values; optionally a styles part."""
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    pkg = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
                   f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kinds}.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships {pkg}><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                                  '.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                                  '</Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook {MAIN_NS} {rel}><sheets><sheet name="S &amp; T" sheetId="1" '
                                      f'r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   f'<Relationships {pkg}><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/sharedStrings.xml",
                   f'<sst {MAIN_NS}><si><t>總計 Grand Total</t></si><si><r><t>日本</t></r><r><rPr/>'
                   '<t xml:space="preserve"> Japan</t></r></si><si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh>'
                   '</si></sst>')
        if styles_xml is not None:
            z.writestr("xl/styles.xml", styles_xml)
        z.writestr("xl/worksheets/sheet1.xml",
                   sheet_xml or f"<worksheet {MAIN_NS}><sheetData>{cells_xml}</sheetData></worksheet>")
    return path
