"""Writing output files and folders so that a reader never sees a half-written one.

Every file is written to a temporary file in the target folder and renamed into place only once
all of them are complete (``os.replace`` is atomic on one filesystem). Same text, same bytes: the
caller renders the text; this module adds nothing (no timestamps), with ``\\n`` line ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def replace_files(folder: str | Path, contents: dict[str, str]) -> list[Path]:
    """Write ``contents`` (file name → text, UTF-8) into ``folder``: all to temporary files first,
    then renamed into place together. On any error no target file has been touched by a partial
    write and no temporary file is left behind."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    mode = 0o666 & ~_umask()
    staged: list[tuple[Path, Path]] = []
    try:
        for name, text in contents.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            staged.append((Path(tmp), folder / name))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            os.chmod(tmp, mode)
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [final for _, final in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staged_folder(target: str | Path):
    """Build a whole folder, then swap it in for ``target``: ``with staged_folder(out) as tmp:``
    write everything into ``tmp``; on a clean exit ``tmp`` replaces ``target`` (the old folder is
    renamed aside first, then removed), on an error ``target`` is left exactly as it was and the
    partial folder is removed. Stale staging folders of earlier, interrupted runs are cleared first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} exists and is not a folder")
    for stale in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(staging, 0o777 & ~_umask())
    aside = staging.with_name(staging.name + "-old")
    if target.exists():
        os.replace(target, aside)
    os.replace(staging, target)
    shutil.rmtree(aside, ignore_errors=True)
