"""One exception family: the CLI turns any of these into a clear message and exit code 2."""

from __future__ import annotations

import re

# Line breaks, terminal escapes, C1 controls and bidirectional overrides: in a message they would
# split one line into two (a CI log reads a forged "::error::" line) or repaint the terminal. Lone
# surrogates (a file name that is not UTF-8) cannot even be written to a UTF-8 stream.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\n``, ``\\x1b``): one line,
    unless ``keep_newlines`` keeps the line breaks the code itself put there."""
    if not _UNPRINTABLE.search(text):
        return text
    if keep_newlines:
        return "\n".join(printable(line) for line in text.split("\n"))
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ItdocsError(Exception):
    """Base of every error itdocs raises on purpose.

    ``file``, ``line``, ``column`` and ``pointer`` say where; ``hint`` says what to do.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        pointer: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.pointer = pointer
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        pointer = f" (at {self.pointer})" if self.pointer not in (None, "") else ""
        hint = f" — {self.hint}" if self.hint else ""
        # Where and what come from file names and file contents: nothing in them may break the
        # line. A message itself may span lines on purpose (a policy file's list of errors).
        return (
            printable(where)
            + printable(self.message, keep_newlines=True)
            + printable(f"{pointer}{hint}")
        )


class InputError(ItdocsError):
    """A file that cannot be read or parsed: missing, unreadable, malformed, hostile."""


class UsageError(ItdocsError):
    """A bad option or combination of options."""


class PolicyError(ItdocsError):
    """A policy, rule or waiver file that is not valid."""


class TemplateError(ItdocsError):
    """A template that cannot be rendered: missing variable, refused construct, broken file."""


class OutputError(ItdocsError):
    """A file that cannot be written."""


class ConversionError(ItdocsError):
    """LibreOffice is missing, timed out or failed to convert a document."""
