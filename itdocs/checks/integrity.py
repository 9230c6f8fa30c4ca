"""Integrity (完整性): the archive is as it was sealed.

``itdocs seal FOLDER`` records the SHA-256 of every file in ``FOLDER/.itdocs-seal/`` (BagIt tag
files: ``manifest-sha256.txt`` and friends). A later ``itdocs check FOLDER`` hashes every file again
and reports, in one run, every file added, removed or changed since — not just the first — and a
seal that was itself edited. A folder without a seal has nothing to compare; these rules are
silent there.

Parameters: none (the seal is ``FOLDER/.itdocs-seal/``, see ``itdocs seal --help``).

### integrity/changed
A sealed file's content is not what it was when sealed (even one byte appended). Judged against
an intact manifest only: when the manifest itself was edited after sealing (``integrity/seal-invalid``),
a line that disagrees with its file may be the edited line as well as a changed file, so it is
reported under ``integrity/seal-invalid`` at that file instead, worded as such.

Compliant: the file as sealed. Non-compliant: the same file opened and saved again.

### integrity/removed
A sealed file is no longer in the folder.

Compliant: every sealed file still there. Non-compliant: a weekly report deleted after sealing.

### integrity/added
A file that was not there when the folder was sealed. Seal again (``itdocs seal --force``) once
a late filing is accepted.

Compliant: the folder as sealed. Non-compliant: a report copied in after sealing.

### integrity/seal-invalid
The seal itself is damaged: a tag file is missing, a manifest line is not ``<sha256>  <path>``
(or names a path outside the folder), or the manifest was edited after sealing (its SHA-256 in
``tagmanifest-sha256.txt`` no longer matches).

When it is the manifest that was edited, the seal no longer proves any file unchanged (a file
changed together with its line matches the edited manifest), and a line that disagrees with its
file cannot tell which of the two was changed: the finding on the manifest says so, and each file
whose line disagrees gets its own finding — not ``integrity/changed`` — to be compared with the
original or a backup before sealing again (``itdocs seal --force``). Files added or removed are
still reported as ``integrity/added`` / ``integrity/removed``.

Compliant: the seal as ``itdocs seal`` wrote it. Non-compliant: a manifest line edited by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import dig, items, pointer
from itdocs.checks.base import Check, Context, Hit, registrar

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

MANIFEST = "manifest-sha256.txt"  # itdocs.archive.seal.MANIFEST (not imported: no cycle)


def _is_manifest_edit(entry: dict[str, Any]) -> bool:
    return entry.get("file") == MANIFEST and (
        entry.get("code") == "edited" or entry.get("problem") == "edited after sealing"
    )


def _manifest_edited(data: Any) -> bool:
    """The seal shows its payload manifest edited after sealing: its lines prove nothing."""
    return any(
        _is_manifest_edit(entry) for _, entry in items(data, "x-archive", "integrity", "problems")
    )


def _paths(data: Any, key: str) -> list[Any]:
    value = dig(data, "x-archive", "integrity", key)
    return value if isinstance(value, list) else []


@check("integrity/changed", args=("name", "sealed", "now", "sealed_on"))
def changed(data: Any, ctx: Context) -> Iterator[Hit]:
    if _manifest_edited(data):
        return  # reported by integrity/seal-invalid: the line or the file may have changed
    when = dig(data, "x-archive", "integrity", "sealed_on")
    for index, entry in items(data, "x-archive", "integrity", "changed"):
        yield Hit(
            pointer("x-archive", "integrity", "changed", index),
            {
                "name": entry.get("path"),
                "sealed": str(entry.get("sealed"))[:12],
                "now": str(entry.get("now") or "—")[:12],
                "sealed_on": when,
            },
            {
                "path": entry.get("path"),
                "sha256_sealed": entry.get("sealed"),
                "sha256_now": entry.get("now"),
                "sealed_on": when,
                "manifest": dig(data, "x-archive", "integrity", "manifest"),
            },
        )


def _listed(data: Any, which: str) -> Iterator[Hit]:
    """One hit per file the seal comparison put in ``which`` (removed or added)."""
    when = dig(data, "x-archive", "integrity", "sealed_on")
    manifest = dig(data, "x-archive", "integrity", "manifest")
    for index, rel in enumerate(_paths(data, which)):
        yield Hit(
            pointer("x-archive", "integrity", which, index),
            {"name": rel, "sealed_on": when},
            {"path": rel, "sealed_on": when, "manifest": manifest},
        )


@check("integrity/removed", args=("name", "sealed_on"))
def removed(data: Any, ctx: Context) -> Iterator[Hit]:
    yield from _listed(data, "removed")


@check("integrity/added", args=("name", "sealed_on"))
def added(data: Any, ctx: Context) -> Iterator[Hit]:
    yield from _listed(data, "added")


_NO_NOTE = {"note": "", "note_en": ""}


@check("integrity/seal-invalid", args=("file", "problem", "note", "note_en"))
def seal_invalid(data: Any, ctx: Context) -> Iterator[Hit]:
    edited = _manifest_edited(data)
    disagreeing = list(items(data, "x-archive", "integrity", "changed")) if edited else []
    for index, entry in items(data, "x-archive", "integrity", "problems"):
        note = _NO_NOTE
        evidence = dict(entry)
        if _is_manifest_edit(entry):
            moved = bool(_paths(data, "added") or _paths(data, "removed"))
            note = _edited_note(len(disagreeing), moved)
            evidence["lines_disagreeing"] = [e.get("path") for _, e in disagreeing]
        yield Hit(
            pointer("x-archive", "integrity", "problems", index),
            {"file": entry.get("file"), "problem": entry.get("problem"), **note},
            evidence,
        )
    # Each file whose line in the edited manifest disagrees: at the file, but not "changed".
    for index, entry in disagreeing:
        name = entry.get("path")
        sealed = str(entry.get("sealed"))[:12]
        now = str(entry.get("now") or "—")[:12]
        yield Hit(
            pointer("x-archive", "integrity", "changed", index),
            {
                "file": MANIFEST,
                "problem": "edited after sealing",
                "note": (
                    f"：其中「{name}」一行与该文件不符（清单记为 {sealed}…，现为 {now}…），"
                    "无法判断改动的是清单还是文件，请与原件或备份核对"
                ),
                "note_en": (
                    f': its line for "{name}" (SHA-256 {sealed}…) does not match the file '
                    f"({now}…); the line or the file was changed, which one cannot be told: "
                    "compare the file with the original or a backup"
                ),
            },
            {
                "path": name,
                "sha256_in_edited_manifest": entry.get("sealed"),
                "sha256_now": entry.get("now"),
                "manifest": dig(data, "x-archive", "integrity", "manifest"),
                "manifest_edited": True,
            },
        )


def _edited_note(disagreeing: int, moved: bool) -> dict[str, str]:
    zh = "：封存清单在封存后被改动，已不能证明文件未被修改（文件连同清单一起改动也看不出）"
    en = (
        ": the manifest was changed after sealing, so it no longer proves any file unchanged "
        "(a file changed along with its line matches it)"
    )
    if moved:
        zh += "，新增、删除的判断也以改动后的清单为准"
        en += "; added and removed files rest on the edited manifest too"
    if disagreeing:
        zh += f"；{disagreeing} 个文件与清单不符（见各文件）"
        en += f"; {disagreeing} file(s) disagree with it (see each file)"
    zh += "。请与原件或备份核对全部文件后重新封存（itdocs seal --force）"
    en += (
        "; check every file against the original or a backup, then seal again (itdocs seal --force)"
    )
    return {"note": zh, "note_en": en}
