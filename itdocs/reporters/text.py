"""Plain text for people: findings grouped by file, then one summary line.

An archive (a folder of filed documents) is shown the way a clerk reads it: first what the folder
was read as (project, kind, seal) and a summary (``25 个文件：11 个无问题，14 个有问题``), then the
findings about the folder itself, then each file with its findings and the place in it (``表3 行2``).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterable
from itertools import groupby
from typing import TYPE_CHECKING, Any

from itdocs.errors import printable
from itdocs.reporters.base import LEVEL_WORDS, Reporter, summary_counts

if TYPE_CHECKING:
    from itdocs.engine import CheckReport
    from itdocs.findings import Finding

SOURCE_WORDS = {
    "zh": {
        "option": "命令行指定",
        "dossier": "取自档案",
        "custom-properties": "取自文件属性",
        "names": "由文件名推断",
        "content": "由文件内容推断",
        "documents": "由现有文件类型推断",
        "folder": "取自文件夹名",
    },
    "en": {
        "option": "given",
        "dossier": "from the dossier",
        "custom-properties": "from the files' properties",
        "names": "inferred from the file names",
        "content": "inferred from the contents",
        "documents": "inferred from the documents present",
        "folder": "the folder's name",
    },
}


def within(path: str, folder: str) -> bool:
    """``path`` is ``folder`` or below it (as the archive check writes paths: folder joined)."""
    if path == folder:
        return True
    base = folder.rstrip("/" + os.sep)
    return path.startswith((base + os.sep, base + "/"))


def pad(text: str, width: int) -> str:
    """Left-justify by display width: a Chinese character takes two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 0)


class TextReporter(Reporter):
    name = "text"

    def write(self, text: str = "") -> None:
        super().write(printable(text))  # one finding, one line: a value's "\n" stays an escape

    def report(self, report: CheckReport) -> None:
        archives = list(report.archives)
        dossier_findings = [
            f for f in report.findings if not any(within(f.file, a.folder) for a in archives)
        ]
        self._findings(dossier_findings)
        for archive in archives:
            self._archive(archive, report)
        for error in report.errors:
            self.write(f"{error}")
        self.write(self.summary(report))

    def _findings(self, findings: Iterable[Finding]) -> None:
        words = LEVEL_WORDS[self.lang]
        for file, group in groupby(findings, key=lambda f: f.file):
            self.write(file)
            for finding in group:
                loc = finding.location
                where = f"{loc.line}:{loc.column or 1}" if loc.line else "-"
                level = pad(words.get(finding.severity, finding.severity), 8)
                self.write(f"  {where:<9} {level} {finding.message}  [{finding.rule}]")
                self.write(f"  {'':<9} {'':<8} {loc.pointer or '/'}")
                self._evidence(finding, "  " + " " * 19)
            self.write()

    def _evidence(self, finding: Finding, indent: str) -> None:
        if not self.verbose or not finding.evidence:
            return
        for key, value in finding.evidence.items():
            shown = (
                value
                if isinstance(value, str)
                else json.dumps(value, ensure_ascii=False, default=str)
            )
            self.write(f"{indent}{key}: {shown}")

    # --- archives ------------------------------------------------------------------------------

    def _archive(self, archive: Any, report: CheckReport) -> None:
        zh = self.lang == "zh"
        source = SOURCE_WORDS[self.lang]
        mine = [f for f in report.findings if within(f.file, archive.folder)]
        by_file: dict[str, list[Finding]] = {}
        for finding in mine:
            by_file.setdefault(finding.file, []).append(finding)
        flagged = [f for f in archive.files if f in by_file]
        gone = sorted(f for f in by_file if f != archive.folder and f not in set(archive.files))
        project, kind = archive.project, archive.kind
        sealed = (
            (f"已封存 {archive.sealed}" if zh else f"sealed {archive.sealed}")
            if archive.sealed
            else ("未封存" if zh else "not sealed")
        )
        self.write(
            f"{archive.folder} — "
            + (
                f"项目「{project.value}」（{source.get(project.source, project.source)}），"
                f"类型 {kind.value}（{source.get(kind.source, kind.source)}），{sealed}"
                if zh
                else f'project "{project.value}" ({source.get(project.source, project.source)}), '
                f"kind {kind.value} ({source.get(kind.source, kind.source)}), {sealed}"
            )
        )
        total, bad = len(archive.files), len(flagged)
        line = (
            f"{total} 个文件：{total - bad} 个无问题，{bad} 个有问题"
            if zh
            else f"{total} files: {total - bad} clean, {bad} with findings"
        )
        folder_findings = by_file.get(archive.folder, [])
        if folder_findings:
            line += (
                f"；文件夹整体 {len(folder_findings)} 个问题"
                if zh
                else f"; {len(folder_findings)} finding(s) about the folder as a whole"
            )
        self.write(line)
        self.write()
        if folder_findings:
            self.write(("文件夹 " if zh else "folder ") + archive.folder)
            self._archive_findings(folder_findings)
        for file in [*flagged, *gone]:
            self.write(os.path.relpath(file, archive.folder))
            self._archive_findings(by_file[file])

    def _archive_findings(self, findings: list[Finding]) -> None:
        words = LEVEL_WORDS[self.lang]
        for finding in findings:
            level = pad(words.get(finding.severity, finding.severity), 6)
            place = finding.location.place
            place = f"{place}：" if place and place != "文件名" else ""
            self.write(f"  {level} {place}{finding.message}  [{finding.rule}]")
            if self.verbose:
                self.write(f"  {'':<6} {finding.location.pointer or '/'}")
            self._evidence(finding, "  " + " " * 9)
        self.write()

    def summary(self, report: CheckReport) -> str:
        c = summary_counts(report)
        problems = c["error"] + c["warning"] + c["info"]
        documents = sum(len(a.files) for a in report.archives)
        dossiers = c["files"] - documents
        if self.lang == "zh":
            what = []
            if dossiers or not documents:
                what.append(f"{dossiers} 个档案")
            if documents:
                what.append(f"{documents} 个文件（{len(report.archives)} 个文件夹）")
            text = f"检查了 {'、'.join(what)}（截至 {report.as_of}）：" + (
                f"{problems} 个问题——{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 个提示"
                if problems
                else "未发现问题"
            )
            if c["waived"]:
                text += f"；{c['waived']} 个已豁免"
            if c["unreadable"]:
                text += f"；{c['unreadable']} 个文件无法读取"
            return text
        what = []
        if dossiers or not documents:
            what.append(f"{dossiers} dossier(s)")
        if documents:
            what.append(f"{documents} file(s) in {len(report.archives)} folder(s)")
        text = f"{' and '.join(what)} checked as of {report.as_of}: " + (
            f"{problems} finding(s) — {c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
            if problems
            else "no findings"
        )
        if c["waived"]:
            text += f"; {c['waived']} waived"
        if c["unreadable"]:
            text += f"; {c['unreadable']} unreadable"
        return text
