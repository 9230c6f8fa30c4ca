"""What every reporter shares: the stream it writes to and how it counts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar

from itdocs.checks import CHECKS, documentation

if TYPE_CHECKING:
    from itdocs.engine import CheckReport
    from itdocs.policy import Rule

LEVEL_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


class Reporter:
    """Writes a CheckReport to a stream it is given. One subclass per ``--format``."""

    name: ClassVar[str] = ""
    binary: ClassVar[bool] = False  # an xlsx reporter would write bytes

    def __init__(
        self, stream: IO[Any], *, lang: str = "zh", verbose: bool = False, fail_on: str = "error"
    ) -> None:
        self.stream = stream
        self.lang = lang
        self.verbose = verbose
        self.fail_on = fail_on

    def report(self, report: CheckReport) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, text: str = "") -> None:
        self.stream.write(text + "\n")


def absolute(path: str) -> Path:
    """``path`` made absolute with its folders' links resolved, but not the file's own: a link
    filed in an archive is shown where it is, never where it leads (a loop, /etc/passwd …)."""
    given = Path(os.path.abspath(path))
    try:
        return given.parent.resolve() / given.name if given.name else given.resolve()
    except (OSError, RuntimeError):
        return given


def relative(path: str) -> str:
    """A path relative to the working folder (the repository root in CI), with / separators."""
    try:
        rel = os.path.relpath(absolute(path), Path.cwd().resolve())
    except ValueError:  # another drive on Windows
        return absolute(path).as_posix()
    rel_posix = Path(rel).as_posix()
    return absolute(path).as_posix() if rel_posix.startswith("../") else rel_posix


def rule_help(rule: Rule) -> str:
    """A rule's documentation: its section of the family docstring, else its summary."""
    check = CHECKS.get(rule.check)
    _, section = documentation(rule.id, check)
    return section or rule.summary.get("en", rule.id)


def summary_counts(report: CheckReport) -> dict[str, int]:
    return {
        "files": len(report.files),
        "error": report.count("error"),
        "warning": report.count("warning"),
        "info": report.count("info"),
        "waived": len(report.waived),
        "unreadable": len(report.errors),
    }
