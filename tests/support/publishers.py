"""What the stand-in publishers serve in the fetch tests: their pages, and small but genuine files
(a JNTO workbook with a sheet per year from 2003, one-sheet Taiwan tables, the data.gov.tw CSV)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from web import Server
from workbooks import make_jnto_workbook

JNTO_PAGE = """<html><body>
<h2>訪日外客統計</h2>
<ul>
 <li><a href="/statistics/data/_files/{date}_1615-1.xlsx">年別 訪日外客数（Excel）</a></li>
 <li><a href="{href}">国籍/月別 訪日外客数（2003年～2026年）</a>
     <a href="/statistics/data/_files/{date}_1615-5.pdf">PDF</a></li>
 <li><a href="/statistics/data/_files/{date}_1615-6.xlsx">国籍/目的別 訪日外客数</a></li>
</ul></body></html>"""
JNTO_PAGE_PATH = "/statistics/data/visitors-statistics/"


def jnto_page(date: str, href: str | None = None) -> str:
    """The JNTO statistics page of release ``date``; ``href`` replaces the workbook's link."""
    return JNTO_PAGE.format(date=date, href=href or f"/statistics/data/_files/{date}_1615-5.xlsx")


TW_NAME_IN_FEB = "月表1-4(114年2月來臺旅客_按性別及來臺目的分析).xlsx"
TW_NAME_IN_MAR = "月表1-4(114年3月來臺旅客_按性別及來臺目的分析).xlsx"
TW_NAME_OUT_MAR = "月表2-2(114年3月中華民國國民出國_按目的地分析).xlsx"
TW_PAGE = """<html><body><table><tbody>
<tr><td>1</td><td>月表1-4(114年2月來臺旅客_按性別及來臺目的分析)</td>
    <td><a href="/fapi/AttFile?id=11&amp;type=AttFile" title="檔案格式：PDF">PDF</a>
        <a href="/fapi/AttFile?id=12&amp;type=AttFile" title="檔案格式：XLSX">XLSX</a></td></tr>
<tr><td>2</td><td>月表1-4(114年3月來臺旅客_按性別及來臺目的分析)</td>
    <td><a href="/fapi/AttFile?id=21&amp;type=AttFile" title="檔案格式：PDF">PDF</a>
        <a href="/fapi/AttFile?id=22&amp;type=AttFile" title="檔案格式：XLSX">XLSX</a></td></tr>
<tr><td>3</td><td>月表1-5(114年3月來臺旅客_按年齡分析)</td>
    <td><a href="/fapi/AttFile?id=31&amp;type=AttFile" title="檔案格式：XLSX">XLSX</a></td></tr>
<tr><td>4</td><td>月表2-2(114年3月中華民國國民出國_按目的地分析)</td>
    <td><a href="/fapi/AttFile?id=41&amp;type=AttFile" title="檔案格式：XLSX">XLSX</a></td></tr>
</tbody></table></body></html>"""
TW_PAGE_PATH = "/businessinfo/FilePage"
ANNUAL_NAME = "歷年中華民國國民出國目的地人數統計.csv"
ANNUAL_PATH = "/opendata/7325.csv"
ANNUAL_CSV = "\ufeff首站抵達地,細分,2023,2024\n亞洲地區,日本Japan,\"4,225,804\",\"6,006,116\"\n".encode()


def jnto_workbook(folder: Path, first_value: int, *, years=range(2003, 2027)) -> bytes:
    """A JNTO-style workbook, one sheet per year; the first value tells two releases apart."""
    data = {year: {"韓国": [first_value if year == 2026 and m == 0 else 1000 + m for m in range(12)]}
            for year in years}
    path = make_jnto_workbook(folder / f"jnto_{first_value}_{len(data)}.xlsx", data)
    return path.read_bytes()


def one_sheet_workbook(sheet: str, title: str) -> bytes:
    """A Taiwan-style monthly table: one sheet named ``sheet``, ``title`` in A1."""
    wb = openpyxl.Workbook()
    wb.active.title = sheet
    wb.active["A1"] = title
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_1_4(month: str) -> bytes:
    return one_sheet_workbook("來臺旅客按性別及來臺目的", f"表1-4 {month}來臺旅客人次－按性別及來臺目的分")


def table_2_2(month: str) -> bytes:
    return one_sheet_workbook("出國按目的地", f"表2-2 {month}中華民國國民出國人次－按目的地分")


class Files:
    """The genuine files of one test session (workbooks are slow-ish to write: made once)."""

    def __init__(self, folder: Path):
        self.jnto_march = jnto_workbook(folder, 300_000)
        self.jnto_april = jnto_workbook(folder, 400_000)
        self.tw_in_feb = table_1_4("114年2月")
        self.tw_in_mar = table_1_4("114年3月")
        self.tw_1_5 = one_sheet_workbook("來臺旅客按年齡", "表1-5 114年3月")
        self.tw_out_mar = table_2_2("114年3月")


def publish(server: Server, files: Files) -> None:
    """Every page and file of a normal release on ``server``."""
    server.html(JNTO_PAGE_PATH, jnto_page("20260318"))
    server.file("/statistics/data/_files/20260318_1615-5.xlsx", files.jnto_march)
    server.file("/statistics/data/_files/20260318_1615-1.xlsx", b"PK wrong table")
    server.file("/statistics/data/_files/20260318_1615-6.xlsx", b"PK wrong table")
    server.html(TW_PAGE_PATH, TW_PAGE)
    server.file("/fapi/AttFile?id=11&type=AttFile", b"%PDF", TW_NAME_IN_FEB.replace("xlsx", "pdf"))
    server.file("/fapi/AttFile?id=12&type=AttFile", files.tw_in_feb, TW_NAME_IN_FEB)
    server.file("/fapi/AttFile?id=21&type=AttFile", b"%PDF", TW_NAME_IN_MAR.replace("xlsx", "pdf"))
    server.file("/fapi/AttFile?id=22&type=AttFile", files.tw_in_mar, TW_NAME_IN_MAR)
    server.file("/fapi/AttFile?id=31&type=AttFile", files.tw_1_5, "月表1-5.xlsx")
    server.file("/fapi/AttFile?id=41&type=AttFile", files.tw_out_mar, TW_NAME_OUT_MAR)
    server.file(ANNUAL_PATH, ANNUAL_CSV, ANNUAL_NAME)


def pages(server: Server) -> dict:
    """``fetch``'s ``pages`` pointing at ``server``."""
    return {
        "jnto": server.base + JNTO_PAGE_PATH,
        "taiwan_inbound": server.base + TW_PAGE_PATH,
        "taiwan_outbound": server.base + TW_PAGE_PATH,
        "taiwan_annual": server.base + ANNUAL_PATH,
    }


def page_args(server: Server) -> list[str]:
    """The same as ``--page`` options of ``flows fetch``."""
    return [a for key, url in pages(server).items() for a in ("--page", f"{key}={url}")]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root``: files with their bytes, folders as None."""
    if not root.is_dir():
        return {"": root.read_bytes()} if root.exists() else {}
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*"))}
