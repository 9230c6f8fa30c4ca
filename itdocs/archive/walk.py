"""Which files of a folder are the archive: the same list for ``itdocs seal`` and ``itdocs check``.

Every file below the folder is part of the archive, links included (the reader reports a link
leading outside; it never follows one), except: hidden folders (the seal ``.itdocs-seal``, ``.git``,
…), the policy and
waivers files, and the litter operating systems and office programs leave behind (``Thumbs.db``,
``.DS_Store``, ``desktop.ini``, Office lock files ``~$…``). Folders are walked in name order
without following linked folders, so the listing is the same on every run and every machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from itdocs.policy import POLICY_FILE_NAMES

SEAL_DIR = ".itdocs-seal"
IGNORED_NAMES = frozenset(
    {
        "thumbs.db",
        ".ds_store",
        "desktop.ini",
        "ehthumbs.db",
        ".localized",
        *POLICY_FILE_NAMES,
        "waivers.yaml",
        "waivers.yml",
        ".itdocs-waivers.yaml",
    }
)
# What makes a folder an archive rather than a folder of dossiers: files of these kinds in it.
DOCUMENT_SUFFIXES = frozenset(
    {".docx", ".docm", ".xlsx", ".xlsm", ".pdf", ".doc", ".xls", ".wps", ".et", ".ofd", ".rtf"}
)


def ignored(name: str) -> bool:
    lower = name.lower()
    return lower in IGNORED_NAMES or name.startswith(("~$", ".~"))


def archive_files(folder: str | os.PathLike[str]) -> Iterator[str]:
    """POSIX paths, relative to ``folder``, of every archive file, in a stable order."""
    root = os.fspath(folder)
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # A linked folder is listed as an entry of its own (the reader reports where it leads).
        linked = [d for d in dirs if os.path.islink(os.path.join(current, d))]
        dirs[:] = [d for d in dirs if d not in linked]
        rel_dir = os.path.relpath(current, root)
        for name in sorted([*files, *linked]):
            if ignored(name):
                continue
            rel = name if rel_dir == "." else os.path.join(rel_dir, name)
            yield Path(rel).as_posix()


def looks_like_archive(folder: str | os.PathLike[str]) -> bool:
    """True when ``folder`` holds filed documents (by suffix), or was sealed: an archive, not a
    folder of dossiers."""
    if any((Path(folder) / name).is_dir() for name in (SEAL_DIR, SEAL_DIR + ".old")):
        return True
    for rel in archive_files(folder):
        if Path(rel).suffix.lower() in DOCUMENT_SUFFIXES:
            return True
    return False


def shown(path: str) -> str:
    """A path as it can be printed and written anywhere: bytes of a name that is not UTF-8 (kept
    as surrogate escapes by the file system layer) become ``\\xd6`` escapes."""
    if not any("\udc80" <= ch <= "\udcff" for ch in path):
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
