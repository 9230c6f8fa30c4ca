"""Atomic writing: a temp file in the same folder, fsync, then rename. Nothing half-written stays."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from itdocs.errors import OutputError


class FileExists(OutputError):
    """The target exists and ``force`` was not given."""


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace an existing file unless ``force``."""
    target = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if target.exists() and not force:
        raise FileExists("文件已存在，未覆盖 (exists; not overwritten)", file=str(target),
                         hint="use --force to replace it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~" + target.name[:40], suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"无法写入 (cannot write): {exc.strerror or exc}", file=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        if force:
            os.replace(tmp, target)
        else:
            # link() fails if the target appeared meanwhile: never clobber a file filed by someone else.
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise FileExists("文件已存在，未覆盖 (exists; not overwritten)", file=str(target),
                                 hint="use --force to replace it") from None
            except OSError:
                os.replace(tmp, target)  # file systems without hard links
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target
