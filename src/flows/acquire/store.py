"""Putting checked downloads into the raw folder: never overwriting, all or nothing, with the manifest.

Raw files are immutable: identical content already on disk is not saved again; different content
under a taken name is saved as ``<stem>.<sha256[:12]><ext>``. A name taken by something that is
not a file (a folder, say) is refused, as is a publisher folder that is a file.

All or nothing: every file is first copied beside its final place under a hidden temporary
name, then all are renamed into place, then ``MANIFEST.csv`` is replaced whole
(:func:`flows.acquire.manifest.write_manifest`). If any step fails, what was already done is
undone (renamed files and temporary copies removed, folders this run created removed), so the
raw folder is as it was. Every local problem is one :class:`~flows.errors.FetchError` line
naming the path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from flows.acquire.download import Staged
from flows.acquire.manifest import MANIFEST_NAME, ManifestEntry, read_manifest, write_manifest
from flows.errors import FetchError


def local_error(e: OSError, doing: str) -> FetchError:
    """A local file problem as one line naming the path: ``cannot write data/raw/x (No space …)``."""
    where = f" {e.filename}" if e.filename else ""
    return FetchError(f"cannot {doing}{where} ({e.strerror or type(e).__name__})")


def read_known(dest: Path) -> tuple[list[ManifestEntry], set[tuple[str, str]]]:
    """The manifest's entries and the (folder, sha256) pairs of the files it lists that exist."""
    try:
        manifest = read_manifest(dest)
    except OSError as e:
        raise local_error(e, "read") from None
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as e:
        raise FetchError(f"{dest / MANIFEST_NAME} is not a manifest written by flows fetch "
                         f"({type(e).__name__}: {e}); move it away or repair it") from None
    known = {(Path(e.path).parent.as_posix(), e.sha256) for e in manifest if (dest / e.path).is_file()}
    return manifest, known


def plan(staged: list[Staged], dest: Path, known: set[tuple[str, str]]) -> list[tuple[Staged, Path]]:
    """Where each new download goes; files whose content is already there are left out."""
    placed: list[tuple[Staged, Path]] = []
    for s in staged:
        final = _place(s, dest, known)
        if final is None:
            continue
        if any(final == f for _, f in placed):
            raise FetchError(f"two different downloads want the name {final}")
        known.add((s.target.folder, s.sha256))
        placed.append((s, final))
    return placed


def _place(staged: Staged, dest: Path, known: set[tuple[str, str]]) -> Path | None:
    """Where ``staged`` goes under ``dest``, or None when that content is already there."""
    folder = dest / staged.target.folder
    for parent in [folder, *folder.parents]:
        if parent.exists() and not parent.is_dir():
            raise FetchError(f"{parent} is a file, not a folder: cannot save {staged.url} under it")
        if parent == dest:
            break
    if (staged.target.folder, staged.sha256) in known:
        return None
    plain = folder / staged.name
    stem, ext = os.path.splitext(staged.name)
    suffixed = folder / f"{stem}.{staged.sha256[:12]}{ext}"
    for candidate in (plain, suffixed):
        if candidate.is_symlink() or candidate.exists():
            if not candidate.is_file():
                raise FetchError(f"{candidate} exists and is not a file (a folder?): cannot save {staged.url} "
                                 "there; move it away")
            if _sha256(candidate) == staged.sha256:
                return None
    if not (plain.exists() or plain.is_symlink()):
        return plain
    if not (suffixed.exists() or suffixed.is_symlink()):
        return suffixed
    raise FetchError(f"{suffixed} exists with other content")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as e:
        raise local_error(e, "read") from None
    return digest.hexdigest()


def commit(placed: list[tuple[Staged, Path]], dest: Path, manifest: list[ManifestEntry]) -> list[ManifestEntry]:
    """Copy, rename and record every placed file, or (on any failure) none of them."""
    made: list[Path] = []  # folders this run created, parents first
    copies: list[Path] = []
    finals: list[Path] = []
    new: list[ManifestEntry] = []
    try:
        for s, final in placed:
            _make_folders(final.parent, dest, made)
            part = final.with_name(f".{final.name}.fetch-part")
            copies.append(part)
            shutil.copyfile(s.tmp, part)
        for (s, final), part in zip(placed, copies):
            if final.exists() or final.is_symlink():
                raise FetchError(f"{final} appeared while fetching: run flows fetch again")
            os.replace(part, final)
            finals.append(final)
            new.append(ManifestEntry(final.relative_to(dest).as_posix(), s.target.publisher, s.target.table,
                                     s.url, s.page, s.retrieved_utc, s.sha256, s.size))
        if new:
            write_manifest(dest, manifest + new)
    except BaseException as e:
        for path in finals + copies:
            path.unlink(missing_ok=True)
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                pass
        if isinstance(e, OSError):
            raise local_error(e, "write") from None
        raise
    return new


def _make_folders(folder: Path, dest: Path, made: list[Path]) -> None:
    """Create ``folder`` (and its missing parents, ``dest`` included), recording each one made."""
    missing = []
    for p in [folder, *folder.parents]:
        if p.exists():
            break
        missing.append(p)
    for p in reversed(missing):
        p.mkdir()
        made.append(p)
