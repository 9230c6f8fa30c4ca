"""Integrity (完整性): the archive is as it was sealed.

``itdocs seal FOLDER`` records the SHA-256 of every file in ``FOLDER/.itdocs-seal/`` (BagIt tag
files: ``manifest-sha256.txt`` and friends). A later ``itdocs check FOLDER`` hashes every file again
and reports, in one run, every file added, removed or changed since — not just the first — and a
seal that was itself edited. A folder without a seal has nothing to compare; these rules are
silent there.

Parameters: none (the seal is ``FOLDER/.itdocs-seal/``, see ``itdocs seal --help``).

### integrity/changed
A sealed file's content is not what it was when sealed (even one byte appended).

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

Compliant: the seal as ``itdocs seal`` wrote it. Non-compliant: a manifest line edited by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import dig, items, pointer
from itdocs.checks.base import Check, Context, Hit, registrar

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)


def _paths(data: Any, key: str) -> list[Any]:
    value = dig(data, "x-archive", "integrity", key)
    return value if isinstance(value, list) else []


@check("integrity/changed", args=("name", "sealed", "now", "sealed_on"))
def changed(data: Any, ctx: Context) -> Iterator[Hit]:
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


@check("integrity/seal-invalid", args=("file", "problem"))
def seal_invalid(data: Any, ctx: Context) -> Iterator[Hit]:
    for index, entry in items(data, "x-archive", "integrity", "problems"):
        yield Hit(
            pointer("x-archive", "integrity", "problems", index),
            {"file": entry.get("file"), "problem": entry.get("problem")},
            dict(entry),
        )
