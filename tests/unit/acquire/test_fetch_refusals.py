"""`flows fetch` refuses what it should not keep, in one line, and leaves the raw folder as it was.

Each case is a mishap or a hostile server, played by a local HTTP server on 127.0.0.1: an HTML
error page sent as the workbook, a body too large, a server that drips one byte at a time, links
and redirects to other schemes, a file name taken by a folder, a CSV with the wrong header or
encoding, a workbook with the wrong sheets. Every refusal is one line on stderr naming the URL
or file, exit 1 (2 for bad usage), no traceback, and ``data/raw`` exactly as before.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from flows.acquire.manifest import MANIFEST_NAME
from flows.cli import main as flows_main
from publishers import (
    ANNUAL_CSV,
    ANNUAL_NAME,
    ANNUAL_PATH,
    JNTO_PAGE_PATH,
    TW_NAME_IN_MAR,
    jnto_page,
    jnto_workbook,
    page_args,
    tree,
)
from web import Server

JNTO_FILE = "/statistics/data/_files/20260318_1615-5.xlsx"


@pytest.fixture
def raw(tmp_path) -> Path:
    """A raw folder that already holds an earlier download and its manifest row."""
    raw = tmp_path / "raw"
    (raw / "jnto").mkdir(parents=True)
    (raw / "jnto" / "old.xlsx").write_bytes(b"an earlier release")
    (raw / MANIFEST_NAME).write_text("path,publisher,table,url,page,retrieved_utc,sha256,bytes\n"
                                     "jnto/old.xlsx,jnto,t,http://x/old.xlsx,http://x/,2026-01-01T00:00:00Z,"
                                     + "0" * 64 + ",18\n", encoding="utf-8")
    return raw


def refused(raw: Path, server: Server, capsys, *options: str, code: int = 1) -> str:
    """Run ``flows fetch`` into ``raw``; assert one line on stderr, exit ``code``, ``raw`` untouched."""
    before = tree(raw)
    exit_code = flows_main(["fetch", "--dest", str(raw), "--quiet", *page_args(server), *options])
    err = capsys.readouterr().err
    assert exit_code == code, err
    assert err.startswith("flows fetch: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert tree(raw) == before
    return err


def test_html_error_page_saved_as_xlsx_is_refused(server, raw, capsys):
    page = b"<!DOCTYPE html>\n<html><head><title>Service Unavailable</title></head><body>busy</body></html>"
    server.file(JNTO_FILE, page)
    err = refused(raw, server, capsys)
    assert server.base + JNTO_FILE in err and "HTML" in err


def test_workbook_of_another_table_is_refused(server, files, raw, capsys):
    server.file("/fapi/AttFile?id=22&type=AttFile", files.tw_1_5, TW_NAME_IN_MAR)  # 表1-5 under 表1-4's name
    err = refused(raw, server, capsys)
    assert "/fapi/AttFile?id=22&type=AttFile" in err and "來臺旅客按年齡" in err


def test_jnto_workbook_missing_a_year_sheet_is_refused(server, raw, tmp_path, capsys):
    server.file(JNTO_FILE, jnto_workbook(tmp_path, 300_000, years=[y for y in range(2003, 2027) if y != 2011]))
    err = refused(raw, server, capsys)
    assert server.base + JNTO_FILE in err and "2011" in err


def test_truncated_workbook_is_refused(server, files, raw, capsys):
    server.file(JNTO_FILE, files.jnto_march[: len(files.jnto_march) // 2])
    err = refused(raw, server, capsys)
    assert server.base + JNTO_FILE in err and "zip" in err


def test_declared_200_mb_body_is_refused(server, raw, capsys):
    server.endless(ANNUAL_PATH, declared=200 * 1024 * 1024)
    err = refused(raw, server, capsys)
    assert server.base + ANNUAL_PATH in err and "200 MB" in err and "--max-mb" in err


def test_undeclared_body_over_the_limit_is_refused(server, raw, capsys):
    server.endless(ANNUAL_PATH, declared=None)
    err = refused(raw, server, capsys, "--max-mb", "1")
    assert server.base + ANNUAL_PATH in err and "1 MB" in err and "--max-mb" in err


@pytest.mark.parametrize("where", ["body", "headers"])
def test_server_dripping_bytes_is_cut_off_at_the_deadline(server, raw, capsys, where):
    """One byte a second never trips the 5 s timeout of a single read; the 2 s deadline does."""
    if where == "body":
        server.endless(ANNUAL_PATH, declared=1000, every=1.0, chunk=b"x")
    else:
        def respond(handler):
            for byte in b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc":
                if server.stop.wait(1.0):
                    return
                try:
                    handler.wfile.write(bytes([byte]))
                    handler.wfile.flush()
                except OSError:
                    return
        server.routes[ANNUAL_PATH] = respond
    start = time.monotonic()
    err = refused(raw, server, capsys, "--timeout", "5", "--deadline", "2")
    assert time.monotonic() - start < 10
    assert server.base + ANNUAL_PATH in err and "2 s" in err and "--deadline" in err


def test_file_link_on_a_page_is_refused(server, raw, tmp_path, capsys):
    secret = tmp_path / "elsewhere" / "20260318_1615-5.xlsx"  # a genuine workbook, but local
    secret.parent.mkdir()
    secret.write_bytes(jnto_workbook(tmp_path, 300_000))
    server.html(JNTO_PAGE_PATH, jnto_page("20260318", href=secret.as_uri()))
    err = refused(raw, server, capsys)
    assert secret.as_uri() in err and server.base + JNTO_PAGE_PATH in err and "http" in err


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1:{port}/x.xlsx",
                                      "data:text/plain,hello", "http://[::1/x.xlsx", "http://127.0.0.1:99999/x.xlsx"])
def test_redirect_to_another_scheme_is_refused(server, raw, capsys, location):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        location = location.format(port=s.getsockname()[1])
    server.redirect(JNTO_FILE, location)
    err = refused(raw, server, capsys)
    assert server.base + JNTO_FILE in err and location in err and "only http and https" in err


@pytest.mark.parametrize("href", ["http://[::1/x.xlsx", "http://127.0.0.1:99999/x.xlsx",
                                  "ftp://127.0.0.1/20260318_1615-5.xlsx"])
def test_malformed_or_other_scheme_link_on_a_page_is_refused(server, raw, capsys, href):
    server.html(JNTO_PAGE_PATH, f'<ul><li><a href="{href}">国籍/月別 訪日外客数（Excel）</a></li></ul>')
    err = refused(raw, server, capsys)
    assert href in err and server.base + JNTO_PAGE_PATH in err


def test_file_name_taken_by_a_folder_is_refused(server, raw, capsys):
    (raw / "jnto" / "20260318_1615-5.xlsx").mkdir()
    err = refused(raw, server, capsys)
    assert str(raw / "jnto" / "20260318_1615-5.xlsx") in err and "folder" in err


def test_publisher_folder_that_is_a_file_is_refused(server, raw, capsys):
    (raw / "taiwan").write_bytes(b"not a folder")
    err = refused(raw, server, capsys)
    assert str(raw / "taiwan") in err


def test_csv_with_another_header_is_refused(server, raw, capsys):
    server.file(ANNUAL_PATH, "\ufeff國家,人數\n日本,6006116\n".encode(), ANNUAL_NAME)
    err = refused(raw, server, capsys)
    assert server.base + ANNUAL_PATH in err and "header" in err and "國家,人數" in err


def test_csv_not_in_utf8_is_refused(server, raw, capsys):
    server.file(ANNUAL_PATH, ANNUAL_CSV.decode("utf-8").encode("utf-16"), ANNUAL_NAME)
    err = refused(raw, server, capsys)
    assert server.base + ANNUAL_PATH in err and "UTF-8" in err


def test_malformed_manifest_is_named(server, raw, capsys):
    (raw / MANIFEST_NAME).write_text("path,sha256\njnto/old.xlsx,abc\n", encoding="utf-8")
    err = refused(raw, server, capsys)
    assert str(raw / MANIFEST_NAME) in err


def test_disk_full_while_writing_the_manifest_leaves_raw_as_it_was(server, raw, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(raw / MANIFEST_NAME))
    import flows.acquire.store

    monkeypatch.setattr(flows.acquire.store, "write_manifest", full)
    err = refused(raw, server, capsys)
    assert "No space left on device" in err and str(raw / MANIFEST_NAME) in err


@pytest.mark.parametrize("options, named", [
    (["--page", "jnto=file:///etc/passwd"], "file:///etc/passwd"),
    (["--page", "nosuch=http://127.0.0.1/"], "nosuch"),
    (["--max-mb", "0"], "--max-mb"),
    (["--deadline", "-1"], "--deadline"),
    (["--max-mb", "nan"], "--max-mb"),
    (["--deadline", "inf"], "--deadline"),
    (["--timeout", "inf"], "--timeout"),
    (["--page", "jnto=http://127.0.0.1:99999/"], "http://127.0.0.1:99999/"),
    (["--page", "jnto=http://[::1/"], "http://[::1/"),
])
def test_bad_usage_exits_2_before_any_download(server, raw, capsys, options, named):
    server.routes.clear()  # nothing may be asked of the server
    err = refused(raw, server, capsys, *options, code=2)
    assert named in err


def test_dest_that_is_a_file_is_bad_usage(server, tmp_path, capsys):
    dest = tmp_path / "raw"
    dest.write_bytes(b"a file")
    err = refused(dest, server, capsys, code=2)
    assert str(dest) in err
