"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from itdocs.reporters.base import Reporter, relative

if TYPE_CHECKING:
    from itdocs.engine import CheckReport

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"

    def report(self, report: CheckReport) -> None:
        for finding in report.findings:
            loc = finding.location
            props = [f"file={escape_property(relative(finding.file))}"]
            if loc.line:
                props += [f"line={loc.line}", f"col={loc.column or 1}"]
            props.append(f"title={escape_property(finding.rule)}")
            message = f"{finding.message} ({loc.pointer or '/'})"
            self.write(
                f"::{LEVELS.get(finding.severity, 'notice')} {','.join(props)}::{escape_data(message)}"
            )
        for error in report.errors:
            file = getattr(error, "file", None)
            props = f" file={escape_property(relative(file))}" if file else ""
            if file and getattr(error, "line", None):
                props += f",line={error.line}"
            self.write(f"::error{props},title=input::{escape_data(str(error))}")
