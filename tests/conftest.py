"""Shared fixtures: the official raw folder, and tiny JNTO-style workbooks made on the fly."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

REPO = Path(__file__).resolve().parents[1]
SHARED_RAW = REPO.parent / "shared" / "data" / "raw"


def official_raw() -> Path | None:
    """The folder of official files: $FLOWS_RAW, else ../shared/data/raw, if it exists."""
    candidate = Path(os.environ["FLOWS_RAW"]) if os.environ.get("FLOWS_RAW") else SHARED_RAW
    return candidate if (candidate / "jnto").is_dir() else None


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """Tests on the real files skip without them, unless FLOWS_REQUIRE_RAW=1 (CI), where they fail."""
    raw = official_raw()
    if raw is None:
        message = "official raw files not found: set FLOWS_RAW or place them in ../shared/data/raw"
        if os.environ.get("FLOWS_REQUIRE_RAW") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return raw


MONTH_HEADERS = [h for m in range(1, 13) for h in (f"{m}月", "伸率")]


def make_jnto_workbook(path: Path, years: dict[int, dict[str, list]], *, status_note="注２：　表中の数値は全て確定値である。",
                       total_header="累計", italic_cols=()) -> Path:
    """A workbook laid out like JNTO's: one sheet per year, header in row 4, footnotes after the data.

    ``years`` maps year → {market label: 12 monthly values (None = blank)}; the 累計 column is the
    sum of the non-blank months.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
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
