"""Waivers: approved exceptions that suppress matching findings until they expire.

A waivers file (schemas/waivers.schema.json)::

    version: 1
    waivers:
      - rule: deadline/report-late            # a rule id; globs allowed: deadline/*
        target: "erp.yaml#/reports/3"          # file glob relative to this file, then # and a pointer glob
        reason: 供应商系统故障，经项目组同意延迟提交
        approver: 王志强
        expires: "2026-12-31"                  # suppresses through this day

The engine applies them after the checks: a finding matched by a live waiver moves to the
report's ``waived`` list; expired waivers (``waiver/expired``) and waivers that matched nothing
(``waiver/stale``) become findings in the waivers file.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from itdocs.errors import ItdocsError, PolicyError
from itdocs.findings import Finding
from itdocs.loader import Document, load

WAIVERS_FILE_NAMES = ("waivers.yaml", "waivers.yml")
WAIVERS_SCHEMA = "waivers.schema.json"


@dataclass(frozen=True)
class Waiver:
    """One waiver, with where it stands in its file."""

    index: int
    rule: str
    target: str
    reason: str
    approver: str
    expires: dt.date
    base: Path  # the waivers file's folder: targets are relative to it

    @property
    def pointer(self) -> str:
        return f"/waivers/{self.index}"

    def live(self, as_of: dt.date) -> bool:
        return as_of <= self.expires

    def _parts(self) -> tuple[str, str | None]:
        file_glob, hash_, pointer_glob = self.target.partition("#")
        return file_glob or "*", (pointer_glob if hash_ else None)

    def covers_file(self, file: str) -> bool:
        file_glob, _ = self._parts()
        resolved = Path(file).resolve()
        candidates = {Path(file).as_posix(), resolved.as_posix()}
        try:
            candidates.add(Path(os.path.relpath(resolved, self.base.resolve())).as_posix())
        except ValueError:  # another drive on Windows
            pass
        return any(fnmatch.fnmatchcase(c, file_glob) for c in candidates)

    def matches(self, finding: Finding) -> bool:
        if not fnmatch.fnmatchcase(finding.rule, self.rule):
            return False
        if not self.covers_file(finding.file):
            return False
        _, pointer_glob = self._parts()
        return pointer_glob is None or fnmatch.fnmatchcase(
            finding.location.pointer or "", pointer_glob
        )

    def names_existing_file(self) -> bool:
        file_glob, _ = self._parts()
        if Path(file_glob).is_absolute():
            return bool(list(Path(file_glob).parent.glob(Path(file_glob).name)))
        return any(p.is_file() for p in self.base.glob(file_glob))


@dataclass
class WaiverFile:
    """A validated waivers file."""

    path: Path
    document: Document
    waivers: list[Waiver]


def find_waivers_file(folder: Path) -> Path | None:
    for name in WAIVERS_FILE_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


def load_waivers(path: str | os.PathLike[str]) -> WaiverFile:
    """Read and validate a waivers file; a PolicyError lists every problem."""
    from itdocs.policy import validate_document

    try:
        document = load(path)
    except ItdocsError as exc:
        raise PolicyError(
            exc.message, file=exc.file, line=exc.line, column=exc.column, hint=exc.hint
        ) from None
    validate_document(document, schema=WAIVERS_SCHEMA, what="豁免文件")
    base = Path(path).parent
    waivers = [
        Waiver(
            i,
            w["rule"],
            w["target"],
            w["reason"],
            w["approver"],
            dt.date.fromisoformat(w["expires"]),
            base,
        )
        for i, w in enumerate(document.data.get("waivers") or [])
    ]
    return WaiverFile(Path(path), document, waivers)


def apply(
    findings: Iterable[Finding],
    files: Iterable[WaiverFile],
    *,
    as_of: dt.date,
) -> tuple[list[Finding], list[tuple[Finding, Waiver]], set[tuple[Path, int]]]:
    """Split findings into kept and waived; also return which waivers matched something."""
    live = [(f, w) for f in files for w in f.waivers if w.live(as_of)]
    kept: list[Finding] = []
    waived: list[tuple[Finding, Waiver]] = []
    used: set[tuple[Path, int]] = set()
    for finding in findings:
        match = next(((f, w) for f, w in live if w.matches(finding)), None)
        if match is None:
            kept.append(finding)
        else:
            waived.append((finding, match[1]))
            used.add((match[0].path, match[1].index))
    return kept, waived, used
