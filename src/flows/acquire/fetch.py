"""Download the newest official files into ``data/raw/<publisher>/`` and record where they came from.

Which files, and how their links are found on the publishers' pages: :mod:`flows.acquire.pages`;
the connection rules (http(s) only, a size limit and a deadline per file):
:mod:`flows.acquire.connection`; the HTTP: :mod:`flows.acquire.download`; whether what arrived
is the file asked for: :mod:`flows.acquire.received`; putting files in place:
:mod:`flows.acquire.store`; the record: :mod:`flows.acquire.manifest`.

Rules: raw files are immutable. A file keeps the server's name (``Content-Disposition``, else
the URL's last segment). Nothing is overwritten: identical content already on disk is
skipped; different content under a taken name is saved as ``<stem>.<sha256[:12]><ext>``.
Everything is downloaded into a temporary directory and checked there first, and moved into
``dest`` only once every download has succeeded and passed its checks, so any failure leaves
``dest`` untouched. Each new file gets a row in ``dest/MANIFEST.csv`` (URL, page, UTC
retrieval time, sha256, size). Exit status: 0 done, 1 a download refused or failed (one line
saying which and why), 2 bad usage.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import tempfile
from pathlib import Path

from flows.acquire.connection import MB, Limits, is_web, require_web
from flows.acquire.download import Staged, download, read_page, utc_now
from flows.acquire.manifest import MANIFEST_NAME, ManifestEntry
from flows.acquire.pages import DEFAULT_PAGES, TARGETS, Target, distribution_csv, json_metadata, link_finders
from flows.acquire.received import check_received
from flows.acquire.store import commit, local_error, plan, read_known
from flows.errors import FetchError, ParameterError

logger = logging.getLogger(__name__)


def fetch(dest: Path, *, pages: dict | None = None, timeout: float = Limits.timeout,
          progress: bool = True, all_releases: bool = False, max_bytes: float = Limits.max_bytes,
          deadline: float = Limits.deadline) -> list[ManifestEntry]:
    """Download the newest official files into ``dest/<publisher>/``; return the new entries.

    ``pages`` overrides :data:`DEFAULT_PAGES` key by key (``None`` skips a file).
    ``all_releases`` takes every matching Taiwanese monthly table on the index page, not just
    the newest (a back-fill). Files whose content is already in ``dest`` are not saved again
    and produce no entry. ``timeout`` bounds each network operation, ``deadline`` each file
    as a whole, ``max_bytes`` each file's size. Raises :class:`ParameterError` for bad
    arguments (before any download) and :class:`FetchError` (one line) on any other failure,
    with ``dest`` as it was. Each file new or unchanged is said on this module's logger (``flows
    fetch`` prints it); ``progress`` shows a bar per download.
    """
    dest = Path(dest)
    chosen = _check_arguments(dest, pages, timeout, max_bytes, deadline)
    limits = Limits(timeout=timeout, max_bytes=max_bytes, deadline=deadline)
    try:
        with tempfile.TemporaryDirectory(prefix="flows-fetch-") as tmp:
            staged = _download_all(chosen, Path(tmp), limits, progress, all_releases)
            # Every download arrived and passed its checks: only now touch dest.
            manifest, known = read_known(dest)
            placed = plan(staged, dest, known)
            for s in staged:
                if all(s is not p for p, _ in placed):
                    logger.info(f"unchanged  {s.target.folder}/{s.name}")
            new = commit(placed, dest, manifest)
    except OSError as e:  # the staging folder, or reading dest
        raise local_error(e, "use") from None
    for entry in new:
        logger.info(f"new        {entry.path}")
    return new


def _check_arguments(dest: Path, pages: dict | None, timeout: float, max_bytes: int,
                     deadline: float) -> dict[str, str | None]:
    """The pages to read, once every argument is known good (:class:`ParameterError` if not)."""
    chosen = {**DEFAULT_PAGES, **(pages or {})}
    unknown = set(chosen) - set(DEFAULT_PAGES)
    if unknown:
        raise ParameterError(f"unknown page key(s) {sorted(unknown)}; known: {sorted(DEFAULT_PAGES)}")
    for key, url in chosen.items():
        if url and not is_web(url):
            raise ParameterError(f"page {key}={url} is not a valid http(s) address: only http and https are fetched")
    for name, value in (("--timeout", timeout), ("--max-mb", max_bytes / MB), ("--deadline", deadline)):
        if not (value > 0 and math.isfinite(value)):
            raise ParameterError(f"{name} must be a finite number above 0, got {value:g}")
    if dest.exists() and not dest.is_dir():
        raise ParameterError(f"destination {dest} is a file, not a folder")
    return chosen


def _download_all(chosen: dict[str, str | None], staging: Path, limits: Limits, progress: bool,
                  all_releases: bool) -> list[Staged]:
    """Every file of every chosen page, downloaded into ``staging`` and checked there."""
    finders = link_finders(all_releases)
    staged: list[Staged] = []
    page_cache: dict[str, str] = {}
    for target in TARGETS:
        page = chosen[target.key]
        if not page:
            continue
        if target.key in finders:
            if page not in page_cache:
                page_cache[page] = read_page(page, limits)
            urls = finders[target.key](page, page_cache[page])
        else:
            urls = [page]
        for url in urls:
            require_web(url, found_on=page if url != page else None)
            staged.append(_download_one(target, url, page, staging, limits, progress))
    return staged


def _download_one(target: Target, url: str, page: str, staging: Path, limits: Limits,
                  progress: bool) -> Staged:
    path, name, sha, size = download(url, staging, limits, progress, target.fallback_name)
    if target.key == "taiwan_annual":
        meta = json_metadata(path)
        if meta is not None:
            csv_url = distribution_csv(meta)
            if not csv_url:
                raise FetchError(f"no CSV distribution in the metadata at {url}")
            require_web(csv_url, found_on=url)
            url = csv_url
            path, name, sha, size = download(url, staging, limits, progress, target.fallback_name)
    check_received(path, target, url)
    return Staged(target, url, page, name, path, sha, size, utc_now())


def add_arguments(ap: argparse.ArgumentParser) -> None:
    """The options of ``flows fetch`` (:mod:`flows.cli` registers the subcommand)."""
    ap.add_argument("dest", nargs="?", type=Path, help="default: data/raw")
    ap.add_argument("--dest", dest="dest_opt", type=Path, help="same as DEST")
    ap.add_argument("--page", action="append", default=[], metavar="KEY=URL",
                    help=f"override a page ({', '.join(DEFAULT_PAGES)}); KEY= skips it")
    ap.add_argument("--timeout", type=float, default=Limits.timeout,
                    help=f"seconds one network operation may wait (default {Limits.timeout:g})")
    ap.add_argument("--deadline", type=float, default=Limits.deadline,
                    help=f"seconds one file may take in all (default {Limits.deadline:g})")
    ap.add_argument("--max-mb", type=float, default=Limits.max_bytes / MB,
                    help=f"largest file accepted, in MB (default {Limits.max_bytes / MB:g})")
    ap.add_argument("--all-releases", action="store_true",
                    help="every Taiwanese monthly table on the index page, not just the newest")


def run(args: argparse.Namespace) -> int:
    """``flows fetch [DEST | --dest DEST] [--page KEY=URL ...]``: 0 on success, 1 when a download is
    refused or fails, 2 on bad usage."""
    dest = args.dest_opt or args.dest or Path("data/raw")
    pages: dict[str, str | None] = {}
    for item in args.page:
        key, sep, url = item.partition("=")
        if not sep:
            print(f"flows fetch: error: --page wants KEY=URL, got {item!r}", file=sys.stderr)
            return 2
        pages[key.strip()] = url.strip() or None
    try:
        new = fetch(dest, pages=pages, timeout=args.timeout, progress=args.level <= logging.INFO,
                    all_releases=args.all_releases, max_bytes=args.max_mb * MB, deadline=args.deadline)
    except ParameterError as e:
        print(f"flows fetch: error: {e}", file=sys.stderr)
        return 2
    except FetchError as e:
        print(f"flows fetch: {e} (nothing was changed)", file=sys.stderr)
        return 1
    logger.info(f"{len(new)} new file(s); manifest {dest / MANIFEST_NAME}")
    return 0
