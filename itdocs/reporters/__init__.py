"""Output formats of ``itdocs check``: one class per format, chosen by name.

Each reporter writes a CheckReport to a stream it is given and never imports click. A new format
is one more class here; a binary one (the ``xlsx`` workbook) says ``binary = True``.
"""

from __future__ import annotations

from itdocs.reporters.base import Reporter
from itdocs.reporters.github import GithubReporter
from itdocs.reporters.jsonout import JsonReporter
from itdocs.reporters.junit import JunitReporter
from itdocs.reporters.sarif import SarifReporter
from itdocs.reporters.text import TextReporter
from itdocs.reporters.xlsx import XlsxReporter

REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    reporter.name: reporter
    for reporter in (
        TextReporter,
        JsonReporter,
        JunitReporter,
        SarifReporter,
        GithubReporter,
        XlsxReporter,
    )
}

__all__ = ["REPORTER_BY_NAME", "Reporter"]
