"""`flows fetch` end to end against a local HTTP server that stands in for the publishers."""

from __future__ import annotations

import csv
import hashlib
import socket
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from flows.acquire.fetch import FetchError, fetch, main
from flows.acquire.manifest import MANIFEST_NAME, read_manifest

XLSX = b"PK\x03\x04 fake workbook "  # bytes only; fetch never opens them


class _Server:
    """Serves ``routes[path] = (body, headers)``; tests edit routes between runs."""

    def __init__(self):
        routes: dict[str, tuple[bytes, dict]] = {}
        self.routes = routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path not in routes:
                    self.send_error(404)
                    return
                body, headers = routes[self.path]
                self.send_response(200)
                for k, v in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def html(self, path: str, body: str):
        self.routes[path] = (body.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    def file(self, path: str, body: bytes, filename: str | None = None):
        headers = {"Content-Type": "application/octet-stream"}
        if filename:
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        self.routes[path] = (body, headers)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


JNTO_PAGE = """<html><body>
<h2>訪日外客統計</h2>
<ul>
 <li><a href="/statistics/data/_files/{date}_1615-1.xlsx">年別 訪日外客数（Excel）</a></li>
 <li><a href="/statistics/data/_files/{date}_1615-5.xlsx">国籍/月別 訪日外客数（2003年～2026年）</a>
     <a href="/statistics/data/_files/{date}_1615-5.pdf">PDF</a></li>
 <li><a href="/statistics/data/_files/{date}_1615-6.xlsx">国籍/目的別 訪日外客数</a></li>
</ul></body></html>"""

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
ANNUAL_NAME = "歷年中華民國國民出國目的地人數統計.csv"
ANNUAL_CSV = "\ufeff首站抵達地,細分,2023,2024\n亞洲地區,日本Japan,\"4,225,804\",\"6,006,116\"\n".encode()


@pytest.fixture
def server():
    s = _Server()
    s.html("/statistics/data/visitors-statistics/", JNTO_PAGE.format(date="20260318"))
    s.file("/statistics/data/_files/20260318_1615-5.xlsx", XLSX + b"2026-03")
    s.file("/statistics/data/_files/20260318_1615-1.xlsx", b"PK wrong table")
    s.file("/statistics/data/_files/20260318_1615-6.xlsx", b"PK wrong table")
    s.html("/businessinfo/FilePage", TW_PAGE)
    s.file("/fapi/AttFile?id=11&type=AttFile", b"%PDF", TW_NAME_IN_FEB.replace("xlsx", "pdf"))
    s.file("/fapi/AttFile?id=12&type=AttFile", XLSX + b"tw feb", TW_NAME_IN_FEB)
    s.file("/fapi/AttFile?id=21&type=AttFile", b"%PDF", TW_NAME_IN_MAR.replace("xlsx", "pdf"))
    s.file("/fapi/AttFile?id=22&type=AttFile", XLSX + b"tw mar in", TW_NAME_IN_MAR)
    s.file("/fapi/AttFile?id=31&type=AttFile", XLSX + b"wrong table", "月表1-5.xlsx")
    s.file("/fapi/AttFile?id=41&type=AttFile", XLSX + b"tw mar out", TW_NAME_OUT_MAR)
    s.file("/opendata/7325.csv", ANNUAL_CSV, ANNUAL_NAME)
    yield s
    s.close()


def _pages(server: _Server) -> dict:
    return {
        "jnto": server.base + "/statistics/data/visitors-statistics/",
        "taiwan_inbound": server.base + "/businessinfo/FilePage",
        "taiwan_outbound": server.base + "/businessinfo/FilePage",
        "taiwan_annual": server.base + "/opendata/7325.csv",
    }


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def test_fetch_saves_newest_files_with_manifest(server, tmp_path):
    raw = tmp_path / "raw"
    entries = fetch(raw, pages=_pages(server), progress=False)

    files = _tree(raw)
    expected = {
        "jnto/20260318_1615-5.xlsx": XLSX + b"2026-03",
        f"taiwan/inbound/{TW_NAME_IN_MAR}": XLSX + b"tw mar in",
        f"taiwan/outbound/{TW_NAME_OUT_MAR}": XLSX + b"tw mar out",
        f"taiwan/outbound/{ANNUAL_NAME}": ANNUAL_CSV,
    }
    assert {k: v for k, v in files.items() if k != MANIFEST_NAME} == expected

    assert [e.path for e in entries] == list(expected)
    assert read_manifest(raw) == entries
    for e in entries:
        assert e.sha256 == _sha(expected[e.path]) == _sha((raw / e.path).read_bytes())
        assert e.bytes == len(expected[e.path])
        assert e.url.startswith(server.base)
        retrieved = datetime.strptime(e.retrieved_utc, "%Y-%m-%dT%H:%M:%SZ")
        age = datetime.now(timezone.utc).replace(tzinfo=None) - retrieved
        assert 0 <= age.total_seconds() < 120
    by_path = {e.path: e for e in entries}
    assert by_path["jnto/20260318_1615-5.xlsx"].url == (
        server.base + "/statistics/data/_files/20260318_1615-5.xlsx")
    assert by_path["jnto/20260318_1615-5.xlsx"].page == _pages(server)["jnto"]
    with open(raw / MANIFEST_NAME, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert {"path", "url", "retrieved_utc", "sha256"} <= set(header)


def test_second_run_with_same_content_adds_nothing(server, tmp_path):
    raw = tmp_path / "raw"
    fetch(raw, pages=_pages(server), progress=False)
    before = _tree(raw)
    assert fetch(raw, pages=_pages(server), progress=False) == []
    assert _tree(raw) == before


def test_changed_file_is_saved_as_new_file_and_old_kept(server, tmp_path):
    raw = tmp_path / "raw"
    fetch(raw, pages=_pages(server), progress=False)
    first = _tree(raw)

    # The annual file is revised under the same name; JNTO publishes a new release.
    revised = ANNUAL_CSV + "亞洲地區,韓國Korea,\"1\",\"2\"\n".encode()
    server.file("/opendata/7325.csv", revised, ANNUAL_NAME)
    server.html("/statistics/data/visitors-statistics/", JNTO_PAGE.format(date="20260415"))
    server.file("/statistics/data/_files/20260415_1615-5.xlsx", XLSX + b"2026-04")

    entries = fetch(raw, pages=_pages(server), progress=False)

    after = _tree(raw)
    for path, content in first.items():  # nothing deleted or overwritten
        if path != MANIFEST_NAME:
            assert after[path] == content
    suffixed = f"taiwan/outbound/歷年中華民國國民出國目的地人數統計.{_sha(revised)[:12]}.csv"
    assert sorted(e.path for e in entries) == sorted(["jnto/20260415_1615-5.xlsx", suffixed])
    assert after[suffixed] == revised
    assert after["jnto/20260415_1615-5.xlsx"] == XLSX + b"2026-04"
    assert len(read_manifest(raw)) == 4 + 2


def test_no_network_is_one_line_error_and_nothing_touched(tmp_path, capsys):
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    raw = tmp_path / "raw"
    (raw / "jnto").mkdir(parents=True)
    (raw / "jnto" / "old.xlsx").write_bytes(b"old")
    before = _tree(raw)

    args = ["--dest", str(raw), "--page", f"jnto={closed}/jnto", "--page", f"taiwan_inbound={closed}/tw",
            "--page", f"taiwan_outbound={closed}/tw", "--page", f"taiwan_annual={closed}/a.csv"]
    code = main(args)

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("flows fetch: ")
    assert "connection refused" in err and "nothing was changed" in err
    assert _tree(raw) == before
    assert sorted(p.name for p in raw.rglob("*")) == ["jnto", "old.xlsx"]


def test_failure_after_some_downloads_touches_nothing(server, tmp_path):
    del server.routes["/opendata/7325.csv"]  # the last file answers 404
    raw = tmp_path / "raw"
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(raw, pages=_pages(server), progress=False)
    assert not raw.exists()


def test_page_without_the_workbook_link_says_so(server, tmp_path):
    server.html("/statistics/data/visitors-statistics/", "<a href='/x.xlsx'>別の表</a>")
    with pytest.raises(FetchError, match="国籍/月別 訪日外客数") as err:
        fetch(tmp_path, pages=_pages(server), progress=False)
    assert "\n" not in str(err.value)


def test_data_gov_tw_metadata_is_followed_to_its_csv(server, tmp_path):
    meta = ('{"success": true, "result": {"identifier": "7325", "distribution": ['
            '{"resourceFormat": "JSON", "resourceDownloadUrl": "%s/x.json"},'
            '{"resourceFormat": "CSV", "resourceDownloadUrl": "%s/opendata/7325.csv"}]}}'
            % (server.base, server.base))
    server.routes["/api/v2/rest/dataset/7325"] = (meta.encode(), {"Content-Type": "application/json"})
    pages = {"jnto": None, "taiwan_inbound": None, "taiwan_outbound": None,
             "taiwan_annual": server.base + "/api/v2/rest/dataset/7325"}
    [entry] = fetch(tmp_path, pages=pages, progress=False)
    assert entry.path == f"taiwan/outbound/{ANNUAL_NAME}"
    assert entry.url == server.base + "/opendata/7325.csv"
    assert entry.sha256 == _sha(ANNUAL_CSV)
