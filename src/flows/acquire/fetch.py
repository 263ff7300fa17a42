"""Download the newest official files into ``data/raw/<publisher>/`` and record where they came from.

What is fetched (``pages`` keys, each a URL; set a key to ``None`` to skip that file):

``jnto``             JNTO statistics page. The monthly workbook 国籍/月別 訪日外客数 has a new URL
                     with every release (``/statistics/data/_files/YYYYMMDD_1615-5.xlsx``), so it
                     is found on the page: the ``.xlsx``/``.xls`` link whose own text (or, failing
                     that, the text of its list item / table row) names both 国籍 and 訪日外客数;
                     the newest ``YYYYMMDD`` in the file name wins. Saved to ``jnto/``.
``taiwan_inbound``   An index page of the Tourism Administration (交通部觀光署) listing monthly
                     tables; the spreadsheet link whose text, title, file name or table row matches
                     ``表1-4`` (月表1-4, visitor arrivals by residence) is taken, newest
                     ``<ROC year>年<month>月`` first. Saved to ``taiwan/inbound/``.
``taiwan_outbound``  Same, for ``表2-2`` (月表2-2, nationals' departures by destination). Saved to
                     ``taiwan/outbound/``.
``taiwan_annual``    data.gov.tw dataset 7325 (歷年中華民國國民出國目的地人數統計). Either a direct
                     CSV URL, or the dataset's JSON metadata (``data.gov.tw/api/v2/rest/dataset/
                     7325``), in which case its CSV distribution link is followed. Saved to
                     ``taiwan/outbound/``.

Assumptions that could NOT be verified from the machine this was written on (no route to the
Taiwanese sites): the default ``taiwan_inbound``/``taiwan_outbound`` page (an admin.taiwan.net.tw
page cited in public code as the monthly-table listing), that its rows carry the table number
in text, link title or file name, that spreadsheet links either end in .xls/.xlsx or say "XLS"
in their text/title (the site serves ``/fapi/AttFile?id=…`` links and names the file in
``Content-Disposition``), and the data.gov.tw API shape (``result.distribution[].
resourceDownloadUrl`` + ``resourceFormat``). If they are wrong, ``fetch`` fails with a one-line
message naming the page; pass the right URL in ``pages``. The JNTO rule was checked against
public scrapers of the live page, not against the page itself.

Rules: raw files are immutable. A file keeps the server's name (``Content-Disposition``, else
the URL's last segment). Nothing is overwritten: identical content already on disk is
skipped; different content under a taken name is saved as ``<stem>.<sha256[:12]><ext>``.
Everything is downloaded into a temporary directory first and moved into ``dest`` only once
every download has succeeded, so a network failure leaves ``dest`` untouched. Each new file
gets a row in ``dest/MANIFEST.csv`` (URL, page, UTC retrieval time, sha256, size).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from tqdm.auto import tqdm

DEFAULT_PAGES: dict[str, str | None] = {
    "jnto": "https://www.jnto.go.jp/statistics/data/visitors-statistics/",
    # Unverified (see module docstring): the Tourism Administration's monthly-report listing.
    "taiwan_inbound": "https://admin.taiwan.net.tw/businessinfo/IssuePage?a=12124",
    "taiwan_outbound": "https://admin.taiwan.net.tw/businessinfo/IssuePage?a=12124",
    # data.gov.tw dataset 7325 metadata; a direct CSV URL works too.
    "taiwan_annual": "https://data.gov.tw/api/v2/rest/dataset/7325",
}

MANIFEST_NAME = "MANIFEST.csv"
USER_AGENT = "flows-fetch/0.1 (+https://github.com/; official statistics downloader)"
DATA_EXTENSIONS = (".xlsx", ".xls", ".csv", ".ods", ".zip", ".json")
_CHUNK = 64 * 1024


class FetchError(Exception):
    """Fetching failed before anything in ``dest`` was changed; the message is one line."""


@dataclass(frozen=True)
class ManifestEntry:
    """One downloaded file: ``path`` is relative to ``dest`` (POSIX separators)."""

    path: str
    publisher: str
    table: str
    url: str
    page: str
    retrieved_utc: str
    sha256: str
    bytes: int


MANIFEST_COLUMNS = [f.name for f in fields(ManifestEntry)]


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class _Target:
    key: str  # key in ``pages``
    publisher: str
    folder: str  # relative to dest
    table: str  # label recorded in the manifest
    fallback_name: str  # used when neither header nor URL names the file


_TARGETS = (
    _Target("jnto", "jnto", "jnto", "JNTO 国籍/月別 訪日外客数", "jnto_visitor_arrivals.xlsx"),
    _Target("taiwan_inbound", "taiwan", "taiwan/inbound", "Tourism Administration 月表1-4",
            "taiwan_table_1-4.xlsx"),
    _Target("taiwan_outbound", "taiwan", "taiwan/outbound", "Tourism Administration 月表2-2",
            "taiwan_table_2-2.xlsx"),
    _Target("taiwan_annual", "taiwan", "taiwan/outbound", "data.gov.tw 7325 歷年中華民國國民出國目的地人數統計",
            "datagov_7325.csv"),
)


# --------------------------------------------------------------------------- HTML links


@dataclass(frozen=True)
class _Link:
    href: str  # absolute
    text: str  # the anchor's own text
    title: str
    context: str  # text of the enclosing <li>/<tr>/<dd> before the link (or the last 200 chars)
    order: int


class _LinkParser(HTMLParser):
    _BLOCKS = {"li", "tr", "dd", "p"}

    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.text: list[str] = []
        self.pos = 0  # characters of text seen so far
        self.blocks: list[tuple[str, int]] = []
        self.anchor: dict | None = None
        self.links: list[_Link] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCKS:
            self.blocks.append((tag, self.pos))
        elif tag == "a":
            a = dict(attrs)
            if a.get("href"):
                self.anchor = {"href": a["href"], "title": a.get("title") or "", "start": self.pos,
                               "text": []}

    def handle_endtag(self, tag):
        if tag == "a" and self.anchor is not None:
            joined = "".join(self.text)
            start = self.anchor["start"]
            block_start = self.blocks[-1][1] if self.blocks else max(0, start - 200)
            self.links.append(_Link(
                href=urljoin(self.base, self.anchor["href"].strip()),
                text=_squash("".join(self.anchor["text"])),
                title=_squash(self.anchor["title"]),
                context=_squash(joined[block_start:start]),
                order=len(self.links),
            ))
            self.anchor = None
        elif tag in self._BLOCKS:
            for i in range(len(self.blocks) - 1, -1, -1):
                if self.blocks[i][0] == tag:
                    del self.blocks[i:]
                    break

    def handle_data(self, data):
        self.text.append(data)
        self.pos += len(data)
        if self.anchor is not None:
            self.anchor["text"].append(data)


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _links(page_url: str, html: str) -> list[_Link]:
    parser = _LinkParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.links


def _is_spreadsheet(link: _Link) -> bool:
    path = unquote(urlsplit(link.href).path).lower()
    if path.endswith((".xlsx", ".xls")):
        return True
    return bool(re.search(r"\bxlsx?\b|excel", f"{link.text} {link.title}", re.I))


def _find_jnto_workbook(page_url: str, html: str) -> list[str]:
    """The xlsx link of 国籍/月別 訪日外客数: own text first, then its list item/row."""
    terms = ("国籍", "訪日外客数")
    sheets = [l for l in _links(page_url, html) if _is_spreadsheet(l)]
    own = [l for l in sheets if all(t in f"{l.text} {l.title}" for t in terms)]
    near = [l for l in sheets if all(t in f"{l.context} {l.text} {l.title}" for t in terms)]
    hits = own or near
    if not hits:
        raise FetchError(f"no xlsx link for 国籍/月別 訪日外客数 on {page_url}: "
                         "the page layout may have changed")

    def release(link: _Link) -> str:
        m = re.search(r"(20\d{6})", unquote(urlsplit(link.href).path))
        return m.group(1) if m else ""

    newest = max(hits, key=lambda l: (release(l), -l.order))
    return [newest.href]


_TABLE_RE = {
    "taiwan_inbound": re.compile(r"表\s*1\s*[-－‐–]\s*4(?!\d)"),
    "taiwan_outbound": re.compile(r"表\s*2\s*[-－‐–]\s*2(?!\d)"),
}
_ROC_MONTH = re.compile(r"(\d{2,3})\s*年\s*(\d{1,2})\s*月")


def _roc_period(text: str) -> tuple[int, int]:
    m = _ROC_MONTH.search(text)
    return (int(m.group(1)) + 1911, int(m.group(2))) if m else (0, 0)


def _taiwan_finder(key: str, all_releases: bool) -> Callable[[str, str], list[str]]:
    pattern = _TABLE_RE[key]

    def find(page_url: str, html: str) -> list[str]:
        hits = []
        for link in _links(page_url, html):
            name = unquote(urlsplit(link.href).path.rsplit("/", 1)[-1])
            own = f"{link.text} {link.title} {name}"
            if (pattern.search(own) or pattern.search(link.context)) and _is_spreadsheet(link):
                period = _roc_period(own) if _ROC_MONTH.search(own) else _roc_period(link.context)
                hits.append((period, -link.order, link.href))
        if not hits:
            raise FetchError(f"no spreadsheet link matching {pattern.pattern} on {page_url}: "
                             "wrong index page? pass pages={'" + key + "': <url>}")
        hits.sort(reverse=True)
        urls = list(dict.fromkeys(h[2] for h in hits))
        return urls if all_releases else urls[:1]

    return find


# --------------------------------------------------------------------------- HTTP


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _open(url: str, timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        return urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        raise FetchError(f"{url} answered HTTP {e.code} {_squash(str(e.reason))}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, socket.gaierror):
            why = "host name not resolved"
        elif isinstance(reason, ConnectionRefusedError):
            why = "connection refused"
        elif isinstance(reason, (socket.timeout, TimeoutError)):
            why = f"no answer within {timeout:g} s"
        else:
            why = _squash(str(reason))
        raise FetchError(f"cannot reach {_host(url)} ({why}); no network?") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"cannot reach {_host(url)} (no answer within {timeout:g} s); "
                         "no network?") from None
    except OSError as e:
        raise FetchError(f"cannot reach {_host(url)} ({_squash(str(e))}); no network?") from None


def _read_page(url: str, timeout: float) -> str:
    with _open(url, timeout) as resp:
        try:
            body = resp.read()
        except (OSError, socket.timeout) as e:
            raise FetchError(f"reading {url} failed ({_squash(str(e))})") from None
        charset = resp.headers.get_content_charset() or "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _filename_from_headers(headers) -> str | None:
    cd = headers.get("Content-Disposition") or ""
    m = re.search(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", cd, re.I)
    if m:
        return unquote(m.group(2).strip().strip('"'), encoding=m.group(1) or "utf-8")
    m = re.search(r'filename\s*=\s*"([^"]+)"', cd, re.I) or re.search(r"filename\s*=\s*([^;]+)",
                                                                      cd, re.I)
    if m:
        raw = m.group(1).strip()
        try:  # servers often send UTF-8 bytes that http.client decoded as latin-1
            raw = raw.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
        return unquote(raw)
    return None


def _safe_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", name).strip(" .")
    return name


def _sniff_extension(head: bytes) -> str:
    if head.startswith(b"PK"):
        return ".xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ".xls"
    return ".csv"


@dataclass
class _Staged:
    target: _Target
    url: str
    page: str
    name: str
    tmp: Path
    sha256: str
    size: int
    retrieved_utc: str


def _download(url: str, staging: Path, timeout: float, progress: bool, fallback: str) -> tuple[Path, str, str, int]:
    """Stream ``url`` into ``staging``; return (temp path, file name, sha256, size)."""
    with _open(url, timeout) as resp:
        total = resp.headers.get("Content-Length")
        name = _filename_from_headers(resp.headers)
        if not name:
            last = unquote(urlsplit(resp.geturl() or url).path.rsplit("/", 1)[-1])
            name = last if last.lower().endswith(DATA_EXTENSIONS) else None
        fd, tmp_name = tempfile.mkstemp(dir=staging, suffix=".part")
        digest = hashlib.sha256()
        size = 0
        head = b""
        label = (name or fallback)[-40:]
        with os.fdopen(fd, "wb") as out, tqdm(
            total=int(total) if total and total.isdigit() else None, unit="B", unit_scale=True,
            unit_divisor=1024, desc=label, disable=not progress, leave=False, file=sys.stderr,
        ) as bar:
            while True:
                try:
                    chunk = resp.read(_CHUNK)
                except (OSError, socket.timeout) as e:
                    raise FetchError(f"download of {url} broke off ({_squash(str(e))})") from None
                if not chunk:
                    break
                if len(head) < 8:
                    head += chunk[:8]
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                bar.update(len(chunk))
    if total and total.isdigit() and int(total) != size:
        raise FetchError(f"download of {url} incomplete ({size} of {total} bytes)")
    if not name:
        stem, ext = os.path.splitext(fallback)
        name = stem + _sniff_extension(head)
    name = _safe_name(name) or fallback
    return Path(tmp_name), name, digest.hexdigest(), size


def _distribution_csv(meta: dict) -> str | None:
    """The CSV download URL in data.gov.tw dataset metadata (``result.distribution``)."""
    found: list[tuple[str, str]] = []

    def walk(node):
        if isinstance(node, dict):
            url = next((v for k, v in node.items()
                        if isinstance(v, str) and "downloadurl" in k.lower()), None)
            fmt = next((v for k, v in node.items() if isinstance(v, str) and "format" in k.lower()),
                       "")
            if url:
                found.append((fmt.upper(), url))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(meta)
    csvs = [u for f, u in found if "CSV" in f] or [u for f, u in found if u.lower().endswith(".csv")]
    return csvs[0] if csvs else None


def _json_metadata(path: Path) -> dict | None:
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None


def _utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- manifest


def read_manifest(dest: Path) -> list[ManifestEntry]:
    path = Path(dest) / MANIFEST_NAME
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return [ManifestEntry(**{**row, "bytes": int(row["bytes"])}) for row in csv.DictReader(f)]


def _write_manifest(dest: Path, entries: list[ManifestEntry]) -> None:
    path = dest / MANIFEST_NAME
    fd, tmp = tempfile.mkstemp(dir=dest, prefix=".MANIFEST.", suffix=".part")
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for e in entries:
            writer.writerow(asdict(e))
    os.replace(tmp, path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _place(staged: _Staged, dest: Path, known: set[tuple[str, str]]) -> Path | None:
    """Where ``staged`` goes under ``dest``, or None when that content is already there."""
    folder = dest / staged.target.folder
    if (staged.target.folder, staged.sha256) in known:
        return None
    plain = folder / staged.name
    stem, ext = os.path.splitext(staged.name)
    suffixed = folder / f"{stem}.{staged.sha256[:12]}{ext}"
    for candidate in (plain, suffixed):
        if candidate.exists() and _sha256(candidate) == staged.sha256:
            return None
    if not plain.exists():
        return plain
    if not suffixed.exists():
        return suffixed
    raise FetchError(f"{suffixed} exists with other content")


# --------------------------------------------------------------------------- entry points


def fetch(dest: Path, *, pages: dict | None = None, timeout: float = 60.0,
          progress: bool = True, all_releases: bool = False) -> list[ManifestEntry]:
    """Download the newest official files into ``dest/<publisher>/``; return the new entries.

    ``pages`` overrides :data:`DEFAULT_PAGES` key by key (``None`` skips a file).
    ``all_releases`` takes every matching Taiwanese monthly table on the index page, not just
    the newest (a back-fill). Files whose content is already in ``dest`` are not saved again
    and produce no entry. Raises :class:`FetchError` (one line) on any failure, before
    anything in ``dest`` has been touched.
    """
    dest = Path(dest)
    chosen = {**DEFAULT_PAGES, **(pages or {})}
    unknown = set(chosen) - set(DEFAULT_PAGES)
    if unknown:
        raise FetchError(f"unknown page key(s) {sorted(unknown)}; known: {sorted(DEFAULT_PAGES)}")
    finders: dict[str, Callable[[str, str], list[str]]] = {
        "jnto": _find_jnto_workbook,
        "taiwan_inbound": _taiwan_finder("taiwan_inbound", all_releases),
        "taiwan_outbound": _taiwan_finder("taiwan_outbound", all_releases),
    }

    staged: list[_Staged] = []
    page_cache: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="flows-fetch-") as tmp:
        staging = Path(tmp)
        for target in _TARGETS:
            page = chosen[target.key]
            if not page:
                continue
            if target.key in finders:
                if page not in page_cache:
                    page_cache[page] = _read_page(page, timeout)
                urls = finders[target.key](page, page_cache[page])
            else:
                urls = [page]
            for url in urls:
                path, name, sha, size = _download(url, staging, timeout, progress,
                                                  target.fallback_name)
                if target.key == "taiwan_annual":
                    meta = _json_metadata(path)
                    if meta is not None:
                        csv_url = _distribution_csv(meta)
                        if not csv_url:
                            raise FetchError(f"no CSV distribution in the metadata at {url}")
                        url = csv_url
                        path, name, sha, size = _download(url, staging, timeout, progress,
                                                          target.fallback_name)
                staged.append(_Staged(target, url, page, name, path, sha, size, _utc_now()))

        # Every download succeeded: only now touch dest.
        manifest = read_manifest(dest)
        known = {(str(Path(e.path).parent.as_posix()), e.sha256) for e in manifest
                 if (dest / e.path).exists()}
        placed: list[tuple[_Staged, Path]] = []
        for s in staged:  # decide every destination before writing any
            final = _place(s, dest, known)
            if final is None:
                _say(progress, f"unchanged  {s.target.folder}/{s.name}")
                continue
            if any(final == f for _, f in placed):
                raise FetchError(f"two different downloads want the name {final}")
            known.add((s.target.folder, s.sha256))
            placed.append((s, final))
        new: list[ManifestEntry] = []
        for s, final in placed:
            final.parent.mkdir(parents=True, exist_ok=True)
            part = final.with_name(f".{final.name}.part")
            shutil.copyfile(s.tmp, part)
            os.replace(part, final)
            rel = final.relative_to(dest).as_posix()
            new.append(ManifestEntry(rel, s.target.publisher, s.target.table, s.url, s.page,
                                     s.retrieved_utc, s.sha256, s.size))
            _say(progress, f"new        {rel}")
        if new:
            _write_manifest(dest, manifest + new)
    return new


def _say(progress: bool, line: str) -> None:
    if progress:
        print(line, file=sys.stderr)


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m flows.fetch [DEST | --dest DEST] [--page KEY=URL ...]``: 0 on success, 1 on failure."""
    ap = argparse.ArgumentParser(prog="flows fetch", description=__doc__.split("\n")[0])
    ap.add_argument("dest", nargs="?", type=Path, help="default: data/raw")
    ap.add_argument("--dest", dest="dest_opt", type=Path, help="same as DEST")
    ap.add_argument("--page", action="append", default=[], metavar="KEY=URL",
                    help=f"override a page ({', '.join(DEFAULT_PAGES)}); KEY= skips it")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--all-releases", action="store_true",
                    help="every Taiwanese monthly table on the index page, not just the newest")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(list(argv) if argv is not None else None)
    dest = args.dest_opt or args.dest or Path("data/raw")
    pages: dict[str, str | None] = {}
    for item in args.page:
        key, sep, url = item.partition("=")
        if not sep:
            ap.error(f"--page wants KEY=URL, got {item!r}")
        pages[key.strip()] = url.strip() or None
    try:
        new = fetch(dest, pages=pages, timeout=args.timeout, progress=not args.quiet,
                    all_releases=args.all_releases)
    except FetchError as e:
        print(f"flows fetch: {e} (nothing was changed)", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"{len(new)} new file(s); manifest {dest / MANIFEST_NAME}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
