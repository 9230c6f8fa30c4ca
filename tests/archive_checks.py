"""Running ``itdocs check`` on an archive a test built, and reading its findings back.

Shared by the archive tests: one policy (contracts need not be encrypted, so the hand-made archives
are clean unless a defect is planted), one day to check on, and findings as ``(file relative to
the folder, or "." for the folder itself; rule)`` pairs that a test compares with a set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from itdocs.engine import check

AS_OF = dt.date(2026, 11, 20)
FOLDER = "."
POLICY = "extends: default\nparameters:\n  contracts_encrypted: false\n"


def write_policy(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY + extra, "utf-8")
    return path


def run(folder: Path, policy: Path, as_of: dt.date = AS_OF, **options):
    """``itdocs check FOLDER`` with ``policy``; an input error fails the test."""
    report = check([folder], policy=policy, waivers=False, as_of=as_of, **options)
    assert not report.errors
    return report


def found(report, folder: Path) -> set[tuple[str, str]]:
    """(file relative to the folder, or "." for the folder itself; rule) of every finding."""
    return {
        ("." if Path(f.file) == folder else Path(f.file).relative_to(folder).as_posix(), f.rule)
        for f in report.findings
    }


def rel(paths: dict[str, Path], key: str, folder: Path) -> str:
    return paths[key].relative_to(folder).as_posix()
