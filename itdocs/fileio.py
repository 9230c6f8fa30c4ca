"""Atomic writing: a temp file in the same folder, fsync, then rename. Nothing half-written stays.

A run killed mid-write (SIGKILL, power cut) can leave only a temp file ``.~<name>.<random>.itdocs.tmp``
beside the finished files, never a half-written final file. The next write into that folder, in any
process, removes such leftovers: a writer holds an exclusive lock on its temp file until the file is
published, so a temp file nobody holds a lock on belongs to a run that died. (Windows has no such
lock here, but it refuses to delete a file another process has open, which protects a live writer
the same way.)
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from pathlib import Path

from itdocs.errors import OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = ".~"
TEMP_SUFFIX = ".itdocs.tmp"
_swept: set[str] = set()  # folders this process has already cleaned
_sweep_lock = threading.Lock()


class FileExists(OutputError):
    """The target exists and ``force`` was not given."""


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace an existing file unless ``force``."""
    target = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if target.exists() and not force:
        raise _exists(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep_once(target.parent)
        fd, tmp = _locked_temp(target)
    except OSError as exc:
        raise OutputError(
            f"无法写入 (cannot write): {exc.strerror or exc}", file=str(target)
        ) from None
    try:
        # The handle (and with it the lock) stays open until the file is published.
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            _publish(tmp, target, force=force)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def _exists(target: Path) -> FileExists:
    return FileExists(
        "文件已存在，未覆盖 (exists; not overwritten)",
        file=str(target),
        hint="use --force to replace it",
    )


def _locked_temp(target: Path) -> tuple[int, str]:
    """A new temp file beside ``target``, locked by this process."""
    while True:
        fd, tmp = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{target.name[:40]}.", suffix=TEMP_SUFFIX, dir=target.parent
        )
        if fcntl is None:
            return fd, tmp
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: no sweeper can take the file either
            return fd, tmp
        if os.fstat(fd).st_nlink:
            return fd, tmp
        os.close(fd)  # another process swept it between its creation and the lock: make another


def _publish(tmp: str, target: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    # link() fails if the target appeared meanwhile: never clobber a file filed by someone else.
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise _exists(target) from None
    except OSError:
        os.replace(tmp, target)  # file systems without hard links
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def is_temp_name(name: str) -> bool:
    """True for the name of a temp file ``atomic_write`` makes."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def sweep_once(folder: str | os.PathLike[str]) -> list[Path]:
    """``sweep(folder)`` the first time this process writes there; later calls do nothing."""
    key = os.path.abspath(folder)
    with _sweep_lock:
        if key in _swept:
            return []
        _swept.add(key)
    return sweep(folder)


def sweep(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temp files that runs killed while writing left in ``folder``; what was removed."""
    removed: list[Path] = []
    try:
        names = [name for name in os.listdir(folder) if is_temp_name(name)]
    except OSError:
        return removed
    for name in names:
        path = Path(folder, name)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            if _abandoned(path):
                os.unlink(path)
                removed.append(path)
        except OSError:  # gone already, in use (Windows), or not ours to delete
            continue
    return removed


def _abandoned(path: Path) -> bool:
    """True when no live writer holds the file's lock (always True without fcntl: the unlink
    itself fails on Windows while a writer has the file open)."""
    if fcntl is None:  # pragma: no cover - Windows
        return True
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # releases the lock; the writer is gone, nobody waits for it
    return True
