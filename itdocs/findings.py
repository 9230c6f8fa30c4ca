"""Findings are values: what a check or the schema found, where, and the numbers behind it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Location:
    """Where in a file: a JSON pointer into a dossier, and line:column (1-based) where known.

    ``place`` is where in a filed document (archive checks): ``表2 行3``, ``第5段``, ``Sheet1!B4``,
    ``第2页``, ``文件名``.
    """

    pointer: str | None = None
    line: int | None = None
    column: int | None = None
    place: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.place:
            parts.append(self.place)
        if self.line is not None:
            parts.append(f"{self.line}:{self.column or 1}")
        if self.pointer not in (None, ""):
            parts.append(self.pointer)
        elif self.pointer == "":
            parts.append("/")
        return " ".join(parts)


@dataclass(frozen=True)
class Finding:
    """One thing found. ``evidence`` carries the facts behind it (dates read, due date, calendar)."""

    rule: str
    severity: str
    file: str
    message: str
    location: Location = field(default_factory=Location)
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "pointer": self.location.pointer,
            "line": self.location.line,
            "column": self.location.column,
            **({"place": self.location.place} if self.location.place else {}),
            "message": self.message,
            "evidence": dict(self.evidence),
        }
