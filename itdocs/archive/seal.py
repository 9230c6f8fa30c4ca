"""Fixity: ``itdocs seal FOLDER`` records a SHA-256 of every file; a later check reports every change.

The seal lives in ``FOLDER/.itdocs-seal/`` and uses BagIt's (RFC 8493) tag file formats, so any BagIt
tool can read it — the files are not moved into a ``data/`` folder, so the manifest paths are
relative to FOLDER itself (POSIX, UTF-8, ``%``, CR and LF percent-encoded as BagIt asks):

- ``bagit.txt`` — ``BagIt-Version: 1.0`` and ``Tag-File-Character-Encoding: UTF-8``;
- ``bag-info.txt`` — ``Bagging-Date``, ``Payload-Oxum`` (bytes.files) and ``Bag-Software-Agent``;
- ``manifest-sha256.txt`` — ``<sha256>  <path>``, one line per file, sorted by path;
- ``tagmanifest-sha256.txt`` — the SHA-256 of the three files above, so an edited manifest shows.

Sealing is safe to kill at any moment: the four files are written (each atomically, fsynced) into
``.itdocs-seal.new/``, which is then renamed into place in one step; re-sealing (``--force``) first
renames the old seal to ``.itdocs-seal.old/``, and until the new one is in place a reader uses the
old one. So a reader always sees no seal, the old seal or the new one — never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itdocs import __version__
from itdocs.archive.reading import sha256_of
from itdocs.archive.walk import SEAL_DIR, archive_files
from itdocs.errors import InputError, OutputError
from itdocs.fileio import atomic_write

NEW_DIR = SEAL_DIR + ".new"
OLD_DIR = SEAL_DIR + ".old"
MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
BAGIT = "bagit.txt"
BAG_INFO = "bag-info.txt"
_LINE = re.compile(r"^([0-9a-fA-F]{64})[ \t]+(\S.*)$")


class AlreadySealed(OutputError):
    """The folder has a seal and ``force`` was not given."""


def encode_path(rel: str) -> str:
    """BagIt's escapes (``%25``, ``%0D``, ``%0A``), and ``%D6``-style escapes for the bytes of a
    name that is not UTF-8 (a manifest is UTF-8 text)."""
    out = []
    for ch in rel:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"%{ord(ch) - 0xDC00:02X}")
        else:
            out.append({"%": "%25", "\r": "%0D", "\n": "%0A"}.get(ch, ch))
    return "".join(out)


def decode_path(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        value = int(m[1], 16)
        if value in (0x0A, 0x0D, 0x25):
            return chr(value)
        return chr(0xDC00 + value) if value >= 0x80 else m[0]

    return re.sub(r"%([0-9A-Fa-f]{2})", one, text)


def seal_dir(folder: str | os.PathLike[str]) -> Path | None:
    """The seal a reader should use: the current one, or the old one while a re-seal was cut short."""
    for name in (SEAL_DIR, OLD_DIR):
        candidate = Path(folder) / name
        if candidate.is_dir() and not candidate.is_symlink():
            return candidate
    return None


def regular_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


@dataclass
class SealResult:
    folder: Path
    files: int
    bytes: int
    replaced: bool


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # Windows: directories cannot be opened; renames there are durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _recover(folder: Path) -> None:
    """Finish or undo what a killed seal left: put the old seal back, drop a half-written one."""
    current, old, new = folder / SEAL_DIR, folder / OLD_DIR, folder / NEW_DIR
    if old.is_dir() and not current.exists():
        os.rename(old, current)
    elif old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
    if new.exists():
        shutil.rmtree(new, ignore_errors=True)


def seal(
    folder: str | os.PathLike[str],
    *,
    force: bool = False,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SealResult:
    """Write ``FOLDER/.itdocs-seal/`` for every archive file; refuse to replace a seal unless ``force``."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError("不是文件夹 (not a folder)", file=str(root))
    _recover(root)
    current = root / SEAL_DIR
    if current.exists() and not force:
        raise AlreadySealed(
            "已有封存记录，未覆盖 (already sealed; not replaced)",
            file=str(current),
            hint="use --force to seal the folder as it is now",
        )
    rels = [r for r in archive_files(root) if regular_file(root / r)]
    lines, total = [], 0
    for done, rel in enumerate(rels, 1):
        digest = sha256_of(str(root / rel))
        if digest is None:
            raise InputError("无法读取，未封存 (cannot read; nothing sealed)", file=str(root / rel))
        total += (root / rel).stat().st_size
        lines.append(f"{digest}  {encode_path(rel)}\n")
        if progress:
            progress(done, len(rels))
    staging = root / NEW_DIR
    staging.mkdir()
    day = today or dt.date.today()
    tag_files = {
        BAGIT: "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        BAG_INFO: (
            f"Bagging-Date: {day.isoformat()}\n"
            f"Payload-Oxum: {total}.{len(rels)}\n"
            f"Bag-Software-Agent: itdocs {__version__}\n"
            "External-Description: itdocs seal; payload paths are relative to the folder "
            "holding .itdocs-seal (files are not moved into data/)\n"
        ),
        MANIFEST: "".join(sorted(lines, key=lambda line: line[66:])),
    }
    for name, text in tag_files.items():
        atomic_write(staging / name, text)
    tags = "".join(
        f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {name}\n"
        for name, text in sorted(tag_files.items())
    )
    atomic_write(staging / TAG_MANIFEST, tags)
    _fsync_dir(staging)
    replaced = current.exists()
    if replaced:
        os.rename(current, root / OLD_DIR)
    os.rename(staging, current)
    _fsync_dir(root)
    if replaced:
        shutil.rmtree(root / OLD_DIR, ignore_errors=True)
    return SealResult(root, len(rels), total, replaced)


@dataclass
class Seal:
    """A seal as read back: the manifest (path → sha256) and what is wrong with the seal itself.

    Each problem is ``{"file", "problem", "code"}``, ``code`` one of ``missing`` (a tag file),
    ``line`` (a malformed or escaping manifest line) and ``edited`` (a tag file whose SHA-256 in
    ``tagmanifest-sha256.txt`` no longer matches)."""

    where: Path
    manifest: dict[str, str] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)
    bagging_date: str | None = None

    @property
    def manifest_edited(self) -> bool:
        """The manifest was edited after sealing: its lines prove nothing about the files."""
        return manifest_edited(self.problems)


def manifest_edited(problems: Iterable[Mapping[str, Any]]) -> bool:
    """Whether ``problems`` (a seal's) show the payload manifest edited after sealing."""
    return any(
        isinstance(p, Mapping)
        and p.get("file") == MANIFEST
        and (p.get("code") == "edited" or p.get("problem") == "edited after sealing")
        for p in problems
    )


def _safe_rel(rel: str) -> bool:
    parts = rel.split("/")
    return bool(rel) and not rel.startswith("/") and ".." not in parts and ":" not in parts[0]


def read_seal(folder: str | os.PathLike[str]) -> Seal | None:
    """The folder's seal, or None when it has none. A damaged seal is read as far as it goes."""
    where = seal_dir(folder)
    if where is None:
        return None
    found = Seal(where)
    texts: dict[str, bytes] = {}
    for name in (BAGIT, BAG_INFO, MANIFEST, TAG_MANIFEST):
        try:
            texts[name] = (where / name).read_bytes()
        except OSError:
            found.problems.append({"file": name, "problem": "missing", "code": "missing"})
    manifest = texts.get(MANIFEST, b"").decode("utf-8", errors="replace")
    for number, line in enumerate(manifest.splitlines(), 1):
        if not line.strip():
            continue
        m = _LINE.match(line)
        rel = decode_path(m[2].strip()) if m else ""
        if not m or not _safe_rel(rel):
            found.problems.append(
                {"file": MANIFEST, "problem": f"line {number}: {line[:120]!r}", "code": "line"}
            )
            continue
        found.manifest[rel] = m[1].lower()
    tags = texts.get(TAG_MANIFEST, b"").decode("utf-8", errors="replace")
    for line in tags.splitlines():
        m = _LINE.match(line)
        if m and m[2].strip() in texts:
            actual = hashlib.sha256(texts[m[2].strip()]).hexdigest()
            if actual != m[1].lower():
                found.problems.append(
                    {"file": m[2].strip(), "problem": "edited after sealing", "code": "edited"}
                )
    info = texts.get(BAG_INFO, b"").decode("utf-8", errors="replace")
    m = re.search(r"^Bagging-Date:\s*(\S+)", info, re.MULTILINE)
    found.bagging_date = m[1] if m else None
    return found


@dataclass
class Fixity:
    """Every difference between the seal and the folder now, all found in one pass."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str | None]] = field(default_factory=list)  # path, sealed, now


def compare(sealed: dict[str, str], now: Iterable[tuple[str, str | None]]) -> Fixity:
    """``now``: (path, sha256 or None when it is not a readable regular file) per archive file."""
    result = Fixity()
    seen = set()
    for rel, digest in now:
        seen.add(rel)
        if rel not in sealed:
            result.added.append(rel)
        elif digest != sealed[rel]:
            result.changed.append((rel, sealed[rel], digest))
    result.removed = sorted(rel for rel in sealed if rel not in seen)
    return result
