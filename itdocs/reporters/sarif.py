"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, SARIF viewers).

Each finding is a result with ``ruleId`` (the rule id), ``level`` (error, warning, note) and a
physical location: the file relative to ``%SRCROOT%`` (the working folder) and a region with
startLine and startColumn (code points). A finding about a folder points at the folder, without a
region; a finding in a filed document (an archive check) points at the file, without a region,
and says the place in it (``表3 行2``) as the location's message. The driver lists every rule with its summary and its documentation as help text. Waived
findings are results too, with an accepted external suppression carrying the waiver's reason.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdocs import __version__
from itdocs.reporters.base import Reporter, absolute, relative, rule_help

if TYPE_CHECKING:
    from itdocs.engine import CheckReport
    from itdocs.findings import Finding
    from itdocs.policy import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://itdocs.dev"
DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")


def _descriptor(rule: Rule, lang: str) -> dict[str, Any]:
    help_text = rule_help(rule)
    return {
        "id": rule.id,
        "name": "".join(
            part.capitalize() for part in rule.id.replace("/", "-").replace("_", "-").split("-")
        ),
        "shortDescription": {"text": rule.summary.get(lang) or rule.summary.get("en", rule.id)},
        "fullDescription": {
            "text": f"{rule.summary.get('zh', '')} / {rule.summary.get('en', '')}".strip(" /")
        },
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "note")},
        "properties": {"tags": [rule.family], "check": rule.check, "policy": rule.source},
    }


def _location(finding: Finding) -> dict[str, Any]:
    path = Path(finding.file)
    uri = relative(finding.file)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri + ("/" if path.is_dir() and not uri.endswith("/") else "")}
    }
    if path.is_dir():
        return {"physicalLocation": physical}
    if not uri.startswith("/"):
        physical["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
    else:
        physical["artifactLocation"]["uri"] = absolute(str(path)).as_uri()
    # A filed .docx/.pdf has no lines to point at: the place in it (表3 行2) is the message.
    if finding.location.line is not None or path.suffix.lower() in DOSSIER_SUFFIXES:
        physical["region"] = {
            "startLine": finding.location.line or 1,
            "startColumn": finding.location.column or 1,
        }
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.location.place:
        location["message"] = {"text": finding.location.place}
    if finding.location.pointer is not None:
        location["logicalLocations"] = [
            {"fullyQualifiedName": finding.location.pointer or "/", "kind": "value"}
        ]
    return location


def _fingerprint(finding: Finding) -> str:
    key = "\0".join(
        [finding.rule, relative(finding.file), finding.location.pointer or "", finding.message]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class SarifReporter(Reporter):
    name = "sarif"

    def report(self, report: CheckReport) -> None:
        rules = dict(report.rules)
        used = [f.rule for f in report.findings] + [f.rule for f, _ in report.waived]
        descriptors = [_descriptor(rule, self.lang) for rule in rules.values()]
        index = {rule_id: i for i, rule_id in enumerate(rules)}
        for rule_id in dict.fromkeys(used):
            if rule_id not in index:  # internal/check-error, or a rule of another policy
                index[rule_id] = len(descriptors)
                descriptors.append(
                    {
                        "id": rule_id,
                        "shortDescription": {"text": rule_id},
                        "defaultConfiguration": {"level": "error"},
                    }
                )
        results = [self._result(f, index) for f in report.findings]
        for finding, waiver in report.waived:
            result = self._result(finding, index)
            result["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": waiver.reason,
                    "properties": {
                        "approver": waiver.approver,
                        "expires": waiver.expires.isoformat(),
                        "target": waiver.target,
                    },
                }
            ]
            results.append(result)
        notifications = [
            {
                "level": "error",
                "message": {"text": str(error)},
                **(
                    {
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": relative(error.file)}
                                }
                            }
                        ]
                    }
                    if getattr(error, "file", None)
                    else {}
                ),
            }
            for error in report.errors
        ]
        run = {
            "tool": {
                "driver": {
                    "name": "itdocs",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": descriptors,
                }
            },
            "invocations": [
                {
                    "executionSuccessful": not report.errors,
                    "toolExecutionNotifications": notifications,
                }
            ],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "asOf": report.as_of.isoformat(),
                "policy": report.policies,
                "failOn": self.fail_on,
            },
        }
        log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        self.stream.write(json.dumps(log, ensure_ascii=False, indent=2, default=str) + "\n")

    def _result(self, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
        return {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": LEVELS.get(finding.severity, "note"),
            "message": {"text": finding.message},
            "locations": [_location(finding)],
            "partialFingerprints": {"itdocsFinding/v1": _fingerprint(finding)},
            "properties": {"pointer": finding.location.pointer, "evidence": dict(finding.evidence)},
        }
