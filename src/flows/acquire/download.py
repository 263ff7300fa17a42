"""HTTP for the fetch: pages read as text, files streamed into a staging folder with their sha256.

Every failure is a :class:`~flows.errors.FetchError` with a one-line message naming the URL or
host (``no network?`` when the host cannot be reached). A file keeps the server's name
(``Content-Disposition``, else the URL's last segment), else the target's fallback name with an
extension sniffed from its first bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tqdm.auto import tqdm

from flows.acquire.pages import Target, squash
from flows.errors import FetchError

USER_AGENT = "flows-fetch/0.1 (+https://github.com/; official statistics downloader)"
DATA_EXTENSIONS = (".xlsx", ".xls", ".csv", ".ods", ".zip", ".json")
_CHUNK = 64 * 1024


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _open(url: str, timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        return urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        raise FetchError(f"{url} answered HTTP {e.code} {squash(str(e.reason))}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, socket.gaierror):
            why = "host name not resolved"
        elif isinstance(reason, ConnectionRefusedError):
            why = "connection refused"
        elif isinstance(reason, (socket.timeout, TimeoutError)):
            why = f"no answer within {timeout:g} s"
        else:
            why = squash(str(reason))
        raise FetchError(f"cannot reach {_host(url)} ({why}); no network?") from None
    except (socket.timeout, TimeoutError):
        raise FetchError(f"cannot reach {_host(url)} (no answer within {timeout:g} s); "
                         "no network?") from None
    except OSError as e:
        raise FetchError(f"cannot reach {_host(url)} ({squash(str(e))}); no network?") from None


def read_page(url: str, timeout: float) -> str:
    """The page at ``url`` as text, decoded with the charset the server names (else UTF-8)."""
    with _open(url, timeout) as resp:
        try:
            body = resp.read()
        except (OSError, socket.timeout) as e:
            raise FetchError(f"reading {url} failed ({squash(str(e))})") from None
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
class Staged:
    """A file downloaded into the staging folder (``tmp``), not yet placed in ``dest``."""

    target: Target
    url: str
    page: str
    name: str
    tmp: Path
    sha256: str
    size: int
    retrieved_utc: str


def download(url: str, staging: Path, timeout: float, progress: bool,
             fallback: str) -> tuple[Path, str, str, int]:
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
                    raise FetchError(f"download of {url} broke off ({squash(str(e))})") from None
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



def utc_now() -> str:
    """The retrieval time written in the manifest: UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
