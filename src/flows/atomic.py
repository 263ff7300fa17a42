"""Writing output files so that a reader never sees a half-written one, or a mixed set.

- :func:`replace_files` writes a few files into a folder: each to a temporary file first, all
  renamed into place once all are complete (``os.replace`` is atomic on one filesystem).
- :func:`replace_folder` replaces a whole set (``flows build``'s five outputs): the new set is
  written into a temporary folder beside the target, with every other file of the target linked
  in (``forecasts.csv`` …), and swapped with the target in one step (Linux ``renameat2``
  ``RENAME_EXCHANGE``); where that is not available, by two renames with a recovery on the next
  run. Any interruption leaves the old set or the new one, never a mix. Temporary folders left by
  an interrupted run are cleared by the next.
- :func:`replace_folder` holds :func:`folder_lock` on the target (and :func:`replace_files` with
  ``lock=True``), so two writers into one folder wait for each other.
- :func:`staged_folder` lets a caller fill a whole new folder itself (the report's pages) and swaps
  it in for the target on a clean exit; on an error the target is left as it was.

Same text, same bytes: the caller renders the text; this module adds nothing (no timestamps).
It says when it waits for another writer and warns when an old set could not be removed, on this
module's logger (printed by the ``flows`` commands, :mod:`flows.cli`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from flows.errors import OutputError

logger = logging.getLogger(__name__)
LOCK_WAIT_SECONDS = 120.0
_NEW, _READY, _OLD = ".new-", ".ready-", ".old-"


def replace_files(folder: str | Path, contents: dict[str, str], *, lock: bool = False) -> list[Path]:
    """Write ``contents`` (file name → text, UTF-8) into ``folder``: all to temporary files first,
    then renamed into place together. On any error no target file has been touched by a partial
    write and no temporary file is left behind. ``lock``: hold :func:`folder_lock` meanwhile (for a
    folder that :func:`replace_folder` may swap, such as ``data/processed``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    with folder_lock(folder) if lock else contextlib.nullcontext():
        try:
            for name, text in contents.items():
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
                staged.append((Path(tmp), folder / name))
                _write(fd, tmp, text)
            for tmp, final in staged:
                os.replace(tmp, final)
        finally:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
    return [final for _, final in staged]


@contextlib.contextmanager
def staged_folder(target: str | Path):
    """Fill a whole new folder, then swap it in for ``target``: ``with staged_folder(out) as new:``
    write everything into ``new``; on a clean exit it takes ``target``'s place in one step
    (:func:`_swap`), on an error ``target`` is left exactly as it was and ``new`` is removed.
    Holds :func:`folder_lock` on ``target`` and first repairs or clears what an interrupted run
    left beside it (:func:`_recover`)."""
    given = Path(target)
    target = given.resolve()  # a symlinked folder is written through to its target, "." by its name
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise OutputError(f"{given}: the output folder is the current folder or holds it, and it is replaced as "
                          "a whole: give a folder inside it (e.g. --out processed)")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{given}: the output folder is a file")
    target.parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(target):
        _recover(target)
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}{_NEW}", dir=target.parent))
        try:
            yield staged
            _fsync_dir(staged)
            os.chmod(staged, 0o777 & ~_umask())
            ready = staged.with_name(staged.name.replace(_NEW, _READY, 1))
            os.rename(staged, ready)
            staged = ready
            _swap(staged, target)
        finally:
            if staged.exists():
                with contextlib.suppress(OSError):
                    _remove_tree(staged)


def replace_folder(folder: str | Path, contents: dict[str, str]) -> list[Path]:
    """Replace the files ``contents`` (name → text) of ``folder`` as one set; the folder's other
    files are carried over unchanged. Refuses, in one :class:`~flows.errors.OutputError` line, a
    target that is a file, a file name that is a folder in the target, or a place it cannot write."""
    folder = Path(folder)
    for name in contents:
        if (folder / name).exists() and not (folder / name).is_file():
            raise OutputError(f"{folder / name}: a folder where the build writes a file: move it away")
    try:
        with staged_folder(folder) as staged:
            _fill(staged, folder, contents)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write the outputs ({exc.strerror or type(exc).__name__}"
                          f"{': ' + exc.filename if isinstance(exc.filename, str) else ''})") from None
    return [folder / name for name in contents]


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float | None = None):
    """Hold an exclusive lock on writing ``folder`` (a ``.NAME.lock`` file beside it); wait for
    another writer up to ``wait`` seconds (default :data:`LOCK_WAIT_SECONDS`), then refuse in one line."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    folder = Path(folder)
    lock_path = folder.parent / f".{folder.name}.lock"
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"{lock_path}: cannot create the lock file ({exc.strerror})") from None
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    try:
        deadline, said = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(f"{folder}: another process has been writing here for over {wait:.0f} s "
                                      f"(lock {lock_path}): try again when it is done") from None
                if not said:
                    logger.info(f"Waiting for another process writing to {folder} …")
                    said = True
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def _fill(staged: Path, folder: Path, contents: dict[str, str]) -> None:
    """The new set in ``staged``: the new files, and every other entry of ``folder`` linked in."""
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name in contents:
                continue
            target = staged / entry.name
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(entry, target)
    for name, text in contents.items():
        path = staged / name
        _write(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(path), text)
    _fsync_dir(staged)


def _swap(staged: Path, folder: Path) -> None:
    """Put ``staged`` at ``folder``'s place; the old set ends at ``staged``'s (then removed)."""
    if not folder.exists():
        os.rename(staged, folder)
    elif _exchange(staged, folder):
        _clear_old(staged)  # the old set
    else:  # two renames; an interruption between them is repaired by _recover on the next run
        old = staged.with_name(staged.name.replace(_READY, _OLD, 1))
        os.rename(folder, old)
        os.rename(staged, folder)
        _clear_old(old)
    _fsync_dir(folder.parent)


def _clear_old(old: Path) -> None:
    """Remove the previous set once the new one is in place. A failure here is no failure of the
    swap: a warning names the folder left behind, which the next run clears (:func:`_recover`)."""
    try:
        _remove_tree(old)
    except OSError as exc:
        logger.warning(f"Warning: the new outputs are in place, but the previous set could not be removed "
                       f"({exc.strerror or type(exc).__name__}): {old} is left; the next run clears it")


def _remove_tree(path: Path) -> None:
    """``shutil.rmtree``, making read-only folders of ours writable first (an output folder of mode 555)."""
    def writable_then_retry(func, name, _):
        parent = os.path.dirname(name)
        os.chmod(parent, os.stat(parent).st_mode | 0o700)
        func(name)

    shutil.rmtree(path, onerror=writable_then_retry)


def _recover(folder: Path) -> None:
    """After an interrupted run: put a complete new set (or else the old one) back in place if the
    folder is missing, then clear every temporary folder left beside it."""
    leftovers = sorted(folder.parent.glob(f".{folder.name}.*-*"))
    if not folder.exists():
        for kind in (_READY, _OLD):
            found = [p for p in leftovers if p.name.startswith(f".{folder.name}{kind}")]
            if found:
                os.rename(found[-1], folder)
                leftovers.remove(found[-1])
                break
    for p in leftovers:
        if p.is_dir() and any(p.name.startswith(f".{folder.name}{kind}") for kind in (_NEW, _READY, _OLD)):
            with contextlib.suppress(OSError):
                _remove_tree(p)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False when unsupported."""
    if os.environ.get("FLOWS_NO_EXCHANGE"):  # to test the fallback
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def _write(fd: int, path: str, text: str) -> None:
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o666 & ~_umask())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
