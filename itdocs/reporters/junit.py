"""JUnit XML for CI dashboards: one test suite per file, one failing test case per finding.

Findings below ``--fail-on`` are reported as passing test cases with the message in
``system-out``, so the dashboard agrees with the exit code.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TYPE_CHECKING

from itdocs.findings import SEVERITY_RANK
from itdocs.reporters.base import Reporter

if TYPE_CHECKING:
    from itdocs.engine import CheckReport


class JunitReporter(Reporter):
    name = "junit"

    def report(self, report: CheckReport) -> None:
        root = ET.Element("testsuites", name="itdocs check")
        by_file = {
            file: list(group) for file, group in groupby(report.findings, key=lambda f: f.file)
        }
        total = failures = 0
        for file in dict.fromkeys([*report.files, *by_file]):
            findings = by_file.get(file, [])
            suite = ET.SubElement(root, "testsuite", name=file)
            failed = 0
            for finding in findings:
                loc = finding.location
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=finding.rule,
                    name=f"{finding.rule} {loc.pointer or '/'}",
                    file=file,
                )
                if loc.line:
                    case.set("line", str(loc.line))
                detail = (
                    f"{file}:{loc.line or 1}:{loc.column or 1} {loc.pointer or '/'}\n"
                    + json.dumps(dict(finding.evidence), ensure_ascii=False, indent=2, default=str)
                )
                if SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[self.fail_on]:
                    failed += 1
                    failure = ET.SubElement(
                        case, "failure", type=finding.severity, message=finding.message
                    )
                    failure.text = detail
                else:
                    ET.SubElement(
                        case, "system-out"
                    ).text = f"[{finding.severity}] {finding.message}\n{detail}"
            if not findings:
                ET.SubElement(suite, "testcase", classname="itdocs", name="itdocs check", file=file)
            suite.set("tests", str(max(len(findings), 1)))
            suite.set("failures", str(failed))
            suite.set("errors", "0")
            total += max(len(findings), 1)
            failures += failed
        errors = [e for e in report.errors]
        if errors:
            suite = ET.SubElement(
                root,
                "testsuite",
                name="unreadable",
                tests=str(len(errors)),
                failures="0",
                errors=str(len(errors)),
            )
            for error in errors:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname="input",
                    name=str(getattr(error, "file", "") or "input"),
                )
                ET.SubElement(case, "error", type="input", message=str(error))
        root.set("tests", str(total + len(errors)))
        root.set("failures", str(failures))
        root.set("errors", str(len(errors)))
        ET.indent(root)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(_xml_chars(ET.tostring(root, encoding="unicode")) + "\n")


# Characters XML 1.0 cannot hold at all (ElementTree writes them as they are, and the file would
# not parse): a file name or value with a terminal escape is shown as the text "\x1b".
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_chars(text: str) -> str:
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
