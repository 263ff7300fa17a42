"""HTTP for the fetch: pages read as text, files streamed into a staging folder with their sha256.

The connection rules (http(s) only, size limit, deadline) are :mod:`flows.acquire.connection`'s.
A file keeps the server's name (``Content-Disposition``, else the URL's last segment), else the
target's fallback name with an extension sniffed from its first bytes. Each download gets its
own folder in the staging area, so that the file carries its real name there (the checks of
:mod:`flows.acquire.received` recognise a workbook by its ``.xlsx`` name, as the build does).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tqdm.auto import tqdm

from flows.acquire.connection import Limits, opened
from flows.acquire.pages import Target
from flows.errors import FetchError

DATA_EXTENSIONS = (".xlsx", ".xls", ".csv", ".ods", ".zip", ".json")


def read_page(url: str, limits: Limits) -> str:
    """The page at ``url`` as text, decoded with the charset the server names (else UTF-8)."""
    with opened(url, limits) as body:
        data = b"".join(body.chunks())
        charset = body.headers.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def _filename_from_headers(headers) -> str | None:
    cd = headers.get("Content-Disposition") or ""
    m = re.search(r"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", cd, re.I)
    if m:
        try:
            return unquote(m.group(2).strip().strip('"'), encoding=m.group(1) or "utf-8")
        except LookupError:  # an unknown charset name
            return unquote(m.group(2).strip().strip('"'))
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
    """A file downloaded and checked in the staging folder (``tmp``), not yet placed in ``dest``."""

    target: Target
    url: str
    page: str
    name: str
    tmp: Path
    sha256: str
    size: int
    retrieved_utc: str


def download(url: str, staging: Path, limits: Limits, progress: bool,
             fallback: str) -> tuple[Path, str, str, int]:
    """Stream ``url`` into a new folder of ``staging``; return (path, file name, sha256, size)."""
    folder = Path(tempfile.mkdtemp(dir=staging))
    part = folder / ".part"
    with opened(url, limits) as body:
        name = _filename_from_headers(body.headers)
        if not name:
            last = unquote(urlsplit(body.final_url).path.rsplit("/", 1)[-1])
            name = last if last.lower().endswith(DATA_EXTENSIONS) else None
        digest = hashlib.sha256()
        head = b""
        label = (name or fallback)[-40:]
        try:
            with open(part, "wb") as out, tqdm(
                total=body.declared, unit="B", unit_scale=True, unit_divisor=1024, desc=label,
                disable=not progress, leave=False, file=sys.stderr,
            ) as bar:
                for chunk in body.chunks():
                    if len(head) < 8:
                        head += chunk[:8]
                    out.write(chunk)
                    digest.update(chunk)
                    bar.update(len(chunk))
        except OSError as e:
            raise FetchError(f"cannot write {part} while downloading {url} ({e.strerror or e})") from None
        size = body.received
    if not name:
        stem, _ = os.path.splitext(fallback)
        name = stem + _sniff_extension(head)
    name = _safe_name(name) or fallback
    path = folder / name
    part.rename(path)
    return path, name, digest.hexdigest(), size


def utc_now() -> str:
    """The retrieval time written in the manifest: UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
