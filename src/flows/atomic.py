"""Writing output files so that a reader never sees a half-written one.

Every file is written to a temporary file in the target folder and renamed into place only once
all of them are complete (``os.replace`` is atomic on one filesystem). Same text, same bytes: the
caller renders the text; this module adds nothing (no timestamps), with ``\\n`` line ends.
"""

from __future__ import annotations

import os
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
