"""Plain text for people: findings grouped by file, then one summary line."""

from __future__ import annotations

import json
import unicodedata
from itertools import groupby
from typing import TYPE_CHECKING

from itdocs.reporters.base import LEVEL_WORDS, Reporter, summary_counts

if TYPE_CHECKING:
    from itdocs.engine import CheckReport


def pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 0)


class TextReporter(Reporter):
    name = "text"

    def report(self, report: CheckReport) -> None:
        words = LEVEL_WORDS[self.lang]
        for file, group in groupby(report.findings, key=lambda f: f.file):
            self.write(file)
            for finding in group:
                loc = finding.location
                where = f"{loc.line}:{loc.column or 1}" if loc.line else "-"
                level = pad(words.get(finding.severity, finding.severity), 8)
                self.write(f"  {where:<9} {level} {finding.message}  [{finding.rule}]")
                self.write(f"  {'':<9} {'':<8} {loc.pointer or '/'}")
                if self.verbose and finding.evidence:
                    for key, value in finding.evidence.items():
                        shown = (
                            value
                            if isinstance(value, str)
                            else json.dumps(value, ensure_ascii=False, default=str)
                        )
                        self.write(f"  {'':<9} {'':<8}   {key}: {shown}")
            self.write()
        for error in report.errors:
            self.write(f"{error}")
        self.write(self.summary(report))

    def summary(self, report: CheckReport) -> str:
        c = summary_counts(report)
        problems = c["error"] + c["warning"] + c["info"]
        if self.lang == "zh":
            text = f"检查了 {c['files']} 个档案（截至 {report.as_of}）：" + (
                f"{problems} 个问题——{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示"
                if problems
                else "未发现问题"
            )
            if c["waived"]:
                text += f"；{c['waived']} 个已豁免"
            if c["unreadable"]:
                text += f"；{c['unreadable']} 个文件无法读取"
            return text
        text = f"{c['files']} dossier(s) checked as of {report.as_of}: " + (
            f"{problems} finding(s) — {c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
            if problems
            else "no findings"
        )
        if c["waived"]:
            text += f"; {c['waived']} waived"
        if c["unreadable"]:
            text += f"; {c['unreadable']} unreadable"
        return text
