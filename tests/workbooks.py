"""Tiny JNTO-style workbooks made on the fly by the tests."""

from __future__ import annotations

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
