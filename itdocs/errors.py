"""One exception family: the CLI turns any of these into a clear message and exit code 2."""
from __future__ import annotations


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
        return f"{where}{self.message}{pointer}{hint}"


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
