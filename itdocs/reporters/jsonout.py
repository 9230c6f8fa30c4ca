"""JSON for programs: versioned, every finding with its evidence."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from itdocs import __version__
from itdocs.reporters.base import Reporter, summary_counts

if TYPE_CHECKING:
    from itdocs.engine import CheckReport

JSON_VERSION = 1


def error_dict(error: Any) -> dict[str, Any]:
    return {
        "file": getattr(error, "file", None),
        "line": getattr(error, "line", None),
        "column": getattr(error, "column", None),
        "message": str(error),
    }


class JsonReporter(Reporter):
    name = "json"

    def report(self, report: CheckReport) -> None:
        payload = {
            "version": JSON_VERSION,
            "tool": {"name": "itdocs", "version": __version__},
            "as_of": report.as_of.isoformat(),
            "policy": report.policies,
            "fail_on": self.fail_on,
            "summary": summary_counts(report),
            "files": report.files,
            "findings": [f.to_dict() for f in report.findings],
            "waived": [
                {
                    **f.to_dict(),
                    "waiver": {
                        "rule": w.rule,
                        "target": w.target,
                        "reason": w.reason,
                        "approver": w.approver,
                        "expires": w.expires.isoformat(),
                    },
                }
                for f, w in report.waived
            ],
            "errors": [error_dict(e) for e in report.errors],
        }
        self.stream.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
