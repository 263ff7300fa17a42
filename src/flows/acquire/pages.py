"""The publishers' pages: what is fetched, and how the newest files' links are found on them.

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
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from flows.errors import FetchError
from flows.extract import registry


@dataclass(frozen=True)
class Target:
    """One file to fetch: where its page is named (``key``), where it is saved, how it is labelled."""

    key: str  # key in ``pages``
    publisher: str
    folder: str  # relative to dest
    table: str  # label recorded in the manifest
    fallback_name: str  # used when neither header nor URL names the file; its extension is the one expected
    source: str  # the file family (flows.extract reader) that must recognise the download


# Every family's `fetch` record in flows/data/families.yaml (flows.extract.registry): the files to fetch
# and the default page of each key (Taiwan's monthly-report listing is unverified: see the module doc).
TARGETS = tuple(Target(f.key, f.folder.split("/")[0], f.folder, f.label, f.fallback_name, f.source)
                for f in registry.fetched())
DEFAULT_PAGES: dict[str, str | None] = {f.key: f.page for f in registry.fetched()}


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
                href=_absolute(self.base, self.anchor["href"].strip()),
                text=squash("".join(self.anchor["text"])),
                title=squash(self.anchor["title"]),
                context=squash(joined[block_start:start]),
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


def _absolute(base: str, href: str) -> str:
    """``href`` made absolute against ``base``; left as written when it is malformed (such a link
    is then refused by name if it is the one chosen)."""
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _url_path(href: str) -> str:
    """The decoded path of ``href`` (all of it when it is malformed)."""
    try:
        return unquote(urlsplit(href).path)
    except ValueError:
        return unquote(href)


def squash(s: str) -> str:
    """``s`` on one line, runs of white space as one space."""
    return re.sub(r"\s+", " ", s).strip()


def _links(page_url: str, html: str) -> list[_Link]:
    parser = _LinkParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.links


def _is_spreadsheet(link: _Link) -> bool:
    path = _url_path(link.href).lower()
    if path.endswith((".xlsx", ".xls")):
        return True
    return bool(re.search(r"\bxlsx?\b|excel", f"{link.text} {link.title}", re.I))


def _find_jnto_workbook(page_url: str, html: str) -> list[str]:
    """The xlsx link of 国籍/月別 訪日外客数: own text first, then its list item/row."""
    terms = ("国籍", "訪日外客数")
    sheets = [link for link in _links(page_url, html) if _is_spreadsheet(link)]
    own = [link for link in sheets if all(t in f"{link.text} {link.title}" for t in terms)]
    near = [link for link in sheets if all(t in f"{link.context} {link.text} {link.title}" for t in terms)]
    hits = own or near
    if not hits:
        raise FetchError(f"no xlsx link for 国籍/月別 訪日外客数 on {page_url}: "
                         "the page layout may have changed")

    def release(link: _Link) -> str:
        m = re.search(r"(20\d{6})", _url_path(link.href))
        return m.group(1) if m else ""

    newest = max(hits, key=lambda link: (release(link), -link.order))
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
            name = _url_path(link.href).rsplit("/", 1)[-1]
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


def link_finders(all_releases: bool) -> dict[str, Callable[[str, str], list[str]]]:
    """For each ``pages`` key that names an index page: (page URL, HTML) -> the file URLs to fetch.
    Keys without a finder name the file itself."""
    return {
        "jnto": _find_jnto_workbook,
        "taiwan_inbound": _taiwan_finder("taiwan_inbound", all_releases),
        "taiwan_outbound": _taiwan_finder("taiwan_outbound", all_releases),
    }



def distribution_csv(meta: dict) -> str | None:
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


def json_metadata(path: Path) -> dict | None:
    """The JSON object in the downloaded file at ``path``, or None when it is not JSON (the data)."""
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None

