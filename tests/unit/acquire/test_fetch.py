"""`flows fetch` end to end against a local HTTP server that stands in for the publishers."""

from __future__ import annotations

import csv
import hashlib
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.acquire.fetch import FetchError, fetch
from flows.acquire.manifest import MANIFEST_NAME, read_manifest
from flows.acquire.pages import TARGETS
from flows.acquire.received import check_received
from flows.cli import main as flows_main
from publishers import (
    ANNUAL_CSV,
    ANNUAL_NAME,
    ANNUAL_PATH,
    JNTO_PAGE_PATH,
    TW_NAME_IN_MAR,
    TW_NAME_OUT_MAR,
    jnto_page,
    page_args,
    pages,
)
from web import Server


def _pages(server: Server) -> dict:
    return pages(server)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def test_fetch_saves_newest_files_with_manifest(server, files, tmp_path):
    raw = tmp_path / "raw"
    entries = fetch(raw, pages=_pages(server), progress=False)

    saved = _tree(raw)
    expected = {
        "jnto/20260318_1615-5.xlsx": files.jnto_march,
        f"taiwan/inbound/{TW_NAME_IN_MAR}": files.tw_in_mar,
        f"taiwan/outbound/{TW_NAME_OUT_MAR}": files.tw_out_mar,
        f"taiwan/outbound/{ANNUAL_NAME}": ANNUAL_CSV,
    }
    assert {k: v for k, v in saved.items() if k != MANIFEST_NAME} == expected

    assert [e.path for e in entries] == list(expected)
    assert read_manifest(raw) == entries
    for e in entries:
        assert e.sha256 == _sha(expected[e.path]) == _sha((raw / e.path).read_bytes())
        assert e.bytes == len(expected[e.path])
        assert e.url.startswith(server.base)
        retrieved = datetime.strptime(e.retrieved_utc, "%Y-%m-%dT%H:%M:%SZ")
        age = datetime.now(UTC).replace(tzinfo=None) - retrieved
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


def test_the_command_says_each_file_on_stdout_and_quiet_says_nothing(server, tmp_path, capsys):
    raw = tmp_path / "raw"
    assert flows_main(["fetch", "--dest", str(raw), *page_args(server)]) == 0
    said = capsys.readouterr()
    lines = said.out.splitlines()
    assert sum(line.startswith("new        ") for line in lines) == 4
    assert lines[-1] == f"4 new file(s); manifest {raw / MANIFEST_NAME}"
    assert "new file(s)" not in said.err  # stderr holds only the download bars

    assert flows_main(["fetch", "--dest", str(raw), "--quiet", *page_args(server)]) == 0
    assert capsys.readouterr() == ("", "")  # no lines, no bars
    assert flows_main(["fetch", "--dest", str(raw), *page_args(server)]) == 0
    again = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("unchanged  ") for line in again) == 4 and again[-1].startswith("0 new file(s)")


def test_changed_file_is_saved_as_new_file_and_old_kept(server, files, tmp_path):
    raw = tmp_path / "raw"
    fetch(raw, pages=_pages(server), progress=False)
    first = _tree(raw)

    # The annual file is revised under the same name; JNTO publishes a new release.
    revised = ANNUAL_CSV + "亞洲地區,韓國Korea,\"1\",\"2\"\n".encode()
    server.file(ANNUAL_PATH, revised, ANNUAL_NAME)
    server.html(JNTO_PAGE_PATH, jnto_page("20260415"))
    server.file("/statistics/data/_files/20260415_1615-5.xlsx", files.jnto_april)

    entries = fetch(raw, pages=_pages(server), progress=False)

    after = _tree(raw)
    for path, content in first.items():  # nothing deleted or overwritten
        if path != MANIFEST_NAME:
            assert after[path] == content
    suffixed = f"taiwan/outbound/歷年中華民國國民出國目的地人數統計.{_sha(revised)[:12]}.csv"
    assert sorted(e.path for e in entries) == sorted(["jnto/20260415_1615-5.xlsx", suffixed])
    assert after[suffixed] == revised
    assert after["jnto/20260415_1615-5.xlsx"] == files.jnto_april
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
    code = flows_main(["fetch", *args])

    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("flows fetch: ")
    assert "connection refused" in err and "nothing was changed" in err
    assert _tree(raw) == before
    assert sorted(p.name for p in raw.rglob("*")) == ["jnto", "old.xlsx"]


def test_failure_after_some_downloads_touches_nothing(server, tmp_path):
    del server.routes[ANNUAL_PATH]  # the last file answers 404
    raw = tmp_path / "raw"
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(raw, pages=_pages(server), progress=False)
    assert not raw.exists()


def test_page_without_the_workbook_link_says_so(server, tmp_path):
    server.html(JNTO_PAGE_PATH, "<a href='/x.xlsx'>別の表</a>")
    with pytest.raises(FetchError, match="国籍/月別 訪日外客数") as err:
        fetch(tmp_path, pages=_pages(server), progress=False)
    assert "\n" not in str(err.value)


def test_data_gov_tw_metadata_is_followed_to_its_csv(server, tmp_path):
    base = server.base
    meta = ('{"success": true, "result": {"identifier": "7325", "distribution": ['
            f'{{"resourceFormat": "JSON", "resourceDownloadUrl": "{base}/x.json"}},'
            f'{{"resourceFormat": "CSV", "resourceDownloadUrl": "{base}/opendata/7325.csv"}}]}}}}')
    server.routes["/api/v2/rest/dataset/7325"] = (meta.encode(), {"Content-Type": "application/json"})
    pages = {"jnto": None, "taiwan_inbound": None, "taiwan_outbound": None,
             "taiwan_annual": server.base + "/api/v2/rest/dataset/7325"}
    [entry] = fetch(tmp_path, pages=pages, progress=False)
    assert entry.path == f"taiwan/outbound/{ANNUAL_NAME}"
    assert entry.url == server.base + "/opendata/7325.csv"
    assert entry.sha256 == _sha(ANNUAL_CSV)


def test_redirect_to_another_http_address_is_followed(server, files, tmp_path):
    server.redirect("/statistics/data/_files/20260318_1615-5.xlsx", server.base + "/moved/20260318_1615-5.xlsx")
    server.file("/moved/20260318_1615-5.xlsx", files.jnto_march)
    pages = {**_pages(server), "taiwan_inbound": None, "taiwan_outbound": None, "taiwan_annual": None}
    [entry] = fetch(tmp_path, pages=pages, progress=False)
    assert entry.path == "jnto/20260318_1615-5.xlsx"
    assert (tmp_path / entry.path).read_bytes() == files.jnto_march


@pytest.mark.parametrize("key, pattern", [
    ("jnto", "jnto/jnto_monthly_*.xlsx"),
    ("taiwan_inbound", "taiwan/inbound/*/月表1-4*.xlsx"),
    ("taiwan_outbound", "taiwan/outbound/*/月表2-2*.xlsx"),
    ("taiwan_annual", "taiwan/outbound/歷年中華民國國民出國目的地人數統計*.csv"),
])
def test_the_official_files_pass_the_checks_on_arrival(raw_dir, key, pattern):
    """What fetch checks on arrival holds for every official file the build reads."""
    target = next(t for t in TARGETS if t.key == key)
    found = sorted(raw_dir.glob(pattern))
    assert found, pattern
    for path in found:
        check_received(path, target, f"https://example.org/{path.name}")
