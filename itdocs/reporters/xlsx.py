"""An Excel workbook for clerks: ``itdocs check FOLDER --format xlsx -o 检查报告.xlsx``.

Sheets: 汇总 (what was checked, counts by severity, by family and per folder), 全部问题 (every
finding, one row each), then one sheet per rule family that has findings (file, naming, signature,
deadline …). Every findings sheet has a frozen header row and a filter on all columns, so a clerk
can sort by file or keep only the errors. Chinese by default; ``--lang en`` for English headings.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from itdocs import __version__
from itdocs.reporters.base import LEVEL_WORDS, Reporter, summary_counts

if TYPE_CHECKING:
    from itdocs.engine import CheckReport
    from itdocs.findings import Finding

HEADINGS = {
    "zh": ("序号", "文件", "位置", "严重程度", "规则", "问题", "依据", "指针", "文件夹"),
    "en": ("No.", "File", "Place", "Severity", "Rule", "Finding", "Evidence", "Pointer", "Folder"),
}
WIDTHS = (6, 48, 14, 9, 28, 80, 60, 28, 30)
FAMILY_NAMES = {
    "zh": {
        "file": "文件",
        "security": "安全",
        "integrity": "完整性",
        "naming": "命名",
        "signature": "签字",
        "deadline": "时限",
        "content": "内容",
        "completeness": "完整性-阶段",
        "schema": "格式",
        "waiver": "豁免",
        "internal": "内部",
    },
    "en": {},
}
_FILLS = {"error": "FFF4CCCC", "warning": "FFFFF2CC", "info": "FFDDEBF7"}


class XlsxReporter(Reporter):
    name = "xlsx"
    binary = True

    def report(self, report: CheckReport) -> None:
        from openpyxl import Workbook

        workbook = Workbook()
        summary = workbook.active
        summary.title = "汇总" if self.lang == "zh" else "Summary"
        self._summary(summary, report)
        self._sheet(
            workbook.create_sheet("全部问题" if self.lang == "zh" else "All findings"),
            report.findings,
            report,
        )
        families = sorted({f.rule.split("/")[0] for f in report.findings}, key=_family_order)
        for family in families:
            title = FAMILY_NAMES.get(self.lang, {}).get(family, family)
            rows = [f for f in report.findings if f.rule.split("/")[0] == family]
            self._sheet(
                workbook.create_sheet(
                    f"{title} {family}"[:31] if self.lang == "zh" else family[:31]
                ),
                rows,
                report,
            )
        buffer = io.BytesIO()
        for sheet in workbook.worksheets:
            _as_text(sheet)
        workbook.save(buffer)
        self.stream.write(buffer.getvalue())

    def _sheet(self, sheet: Any, findings: list[Finding], report: CheckReport) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        from itdocs.sheets import cell_text

        words = LEVEL_WORDS[self.lang]
        sheet.append(list(HEADINGS[self.lang]))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="FFD9D9D9")
        folders = {a.folder for a in report.archives}
        for number, finding in enumerate(findings, 1):
            evidence = _evidence(finding.evidence)
            sheet.append(
                [
                    cell_text(value)
                    for value in (
                        number,
                        _shown(finding.file, folders),
                        finding.location.place or _line(finding),
                        words.get(finding.severity, finding.severity),
                        finding.rule,
                        finding.message,
                        evidence,
                        finding.location.pointer or "",
                        _folder(finding.file, folders),
                    )
                ]
            )
            fill = _FILLS.get(finding.severity)
            if fill:
                sheet.cell(row=number + 1, column=4).fill = PatternFill("solid", fgColor=fill)
        for index, width in enumerate(WIDTHS, 1):
            sheet.column_dimensions[chr(64 + index)].width = width
        for row in sheet.iter_rows(min_row=2, min_col=6, max_col=7):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:I{max(len(findings) + 1, 2)}"

    def _summary(self, sheet: Any, report: CheckReport) -> None:
        from openpyxl.styles import Font

        from itdocs.context import KINDS, LABELS
        from itdocs.reporters.text import SOURCE_WORDS
        from itdocs.sheets import cell_text

        zh = self.lang == "zh"
        sources = SOURCE_WORDS[self.lang]
        c = summary_counts(report)
        rows: list[list[Any]] = [
            ["itdocs 检查报告" if zh else "itdocs check report"],
            ["检查日期（截至）" if zh else "As of", report.as_of.isoformat()],
            ["策略" if zh else "Policy", " → ".join(report.policies[0]) if report.policies else ""],
            ["工具版本" if zh else "Tool", f"itdocs {__version__}"],
            [],
            ["错误" if zh else "Errors", c["error"]],
            ["警告" if zh else "Warnings", c["warning"]],
            ["提示" if zh else "Info", c["info"]],
            ["已豁免" if zh else "Waived", c["waived"]],
            ["无法读取的档案" if zh else "Unreadable inputs", c["unreadable"]],
            [],
        ]
        for archive in report.archives:
            files = set(archive.files)
            flagged = {f.file for f in report.findings if f.file in files}  # removed files excluded
            rows += [
                ["文件夹" if zh else "Folder", archive.folder],
                [
                    "项目" if zh else "Project",
                    archive.project.value,
                    sources.get(archive.project.source, archive.project.source),
                ],
                [
                    "类型" if zh else "Kind",
                    f"{LABELS[KINDS].get(archive.kind.value, archive.kind.value)}（{archive.kind.value}）"
                    if zh and archive.kind.value
                    else archive.kind.value,
                    sources.get(archive.kind.source, archive.kind.source),
                ],
                ["封存" if zh else "Sealed", archive.sealed or ("否" if zh else "no")],
                ["文件数" if zh else "Files", len(archive.files)],
                ["无问题" if zh else "Clean", len(archive.files) - len(flagged)],
                ["有问题" if zh else "With findings", len(flagged)],
                [],
            ]
        rows.append(
            [
                "规则类别" if zh else "Family",
                "错误" if zh else "Errors",
                "警告" if zh else "Warnings",
                "提示" if zh else "Info",
            ]
        )
        counts: Counter[tuple[str, str]] = Counter(
            (f.rule.split("/")[0], f.severity) for f in report.findings
        )
        for family in sorted({k[0] for k in counts}, key=_family_order):
            rows.append(
                [
                    FAMILY_NAMES.get(self.lang, {}).get(family, family)
                    + (f" ({family})" if zh else ""),
                    counts[(family, "error")],
                    counts[(family, "warning")],
                    counts[(family, "info")],
                ]
            )
        for row in rows:
            sheet.append([cell_text(value) for value in row])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 60
        sheet.column_dimensions["C"].width = 20


def _family_order(family: str) -> tuple[int, str]:
    order = (
        "file",
        "security",
        "integrity",
        "naming",
        "signature",
        "deadline",
        "content",
        "completeness",
    )
    return (order.index(family) if family in order else len(order), family)


def _shown(path: str, folders: set[str]) -> str:
    for folder in folders:
        if path == folder:
            return folder
        if path.startswith((folder.rstrip("/\\") + os.sep, folder.rstrip("/") + "/")):
            return os.path.relpath(path, folder)
    return path


def _folder(path: str, folders: set[str]) -> str:
    """The checked folder holding ``path`` (a clerk filters a two-folder report by it)."""
    for folder in sorted(folders, key=len, reverse=True):
        if path == folder or path.startswith(
            (folder.rstrip("/\\") + os.sep, folder.rstrip("/") + "/")
        ):
            return folder
    return ""


def _evidence(evidence: Any) -> str:
    """What a finding rests on, a line per fact (``due: 2026-10-08``), not one JSON blob."""
    lines = []
    for key, value in dict(evidence).items():
        shown = (
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        )
        lines.append(f"{key}: {shown}")
    return "\n".join(lines)[:30000]


def _line(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.line}:{loc.column or 1}" if loc.line else ""


def _as_text(sheet: object) -> None:
    """The report holds no formulas: text from a file name or a finding that starts with "="
    (e.g. a file named ``=HYPERLINK(…).docx``) stays text instead of becoming a live formula."""
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
