"""The ledger as a workbook: sheet 项目台账 (one row per project) and sheet 期限清单 (deadlines).

Amounts are numbers with the ¥ format, dates are date cells, days left a number shown in words
(还有 6 天 / 逾期 3 天) so that it sorts and filters. Both sheets have a frozen header (and the
project id and name columns), filters, column widths that fit Chinese text (a Chinese character
counts two), overdue rows in red, and A4 landscape printing with the header on every page.
``itdocs due --format xlsx`` writes the 期限清单 sheet alone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from itdocs import sheets
from itdocs.access import zone
from itdocs.context import KINDS, STAGES, STATUSES, label

if TYPE_CHECKING:
    from itdocs.due import DueItem, DueReport
    from itdocs.ledger import Ledger, LedgerRow

DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
YUAN = '"¥"#,##0.00'
DAYS_LEFT = (
    '"还有 "0" 天";"逾期 "0" 天";"今天"'  # a number, shown in words; sorts and filters as a number
)
OVERDUE_FILL = PatternFill("solid", fgColor="FFC7CE")
OVERDUE_FONT = Font(name=sheets.FONT, size=11, color="9C0006")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
CELL_ALIGN = Alignment(vertical="center", wrap_text=False)
MAX_WIDTH = 50

LEDGER_COLUMNS = (
    "项目编号",
    "项目名称",
    "类型",
    "主管部门",
    "项目经理",
    "供应商",
    "合同编号",
    "合同金额（元）",
    "签订日期",
    "服务开始",
    "服务结束",
    "续约",
    "状态",
    "阶段",
    "下一期限",
    "下一事项",
    "逾期事项",
    "错误",
    "警告",
    "提示",
    "档案文件",
)
DEADLINE_COLUMNS = (
    "项目编号",
    "项目名称",
    "事项",
    "截止日期",
    "星期",
    "剩余天数",
    "状态",
    "原定日期",
    "顺延原因",
    "说明",
    "规则",
    "档案文件",
    "键",
)
WEEKDAYS = "一二三四五六日"


def _moment_cell(moment: dt.date | dt.datetime | None) -> tuple[Any, str | None]:
    if moment is None:
        return None, None
    if isinstance(moment, dt.datetime):
        # Excel has no time zones: the local (organization) time, as the due time reads.
        return moment.astimezone(zone(None)).replace(tzinfo=None), DATETIME
    return moment, DATE


def _header(ws: Worksheet, names: tuple[str, ...]) -> None:
    for column, name in enumerate(names, start=1):
        cell = ws.cell(row=1, column=column, value=name)
        cell.font, cell.fill, cell.alignment, cell.border = (
            sheets.BOLD,
            sheets.HEAD_FILL,
            HEADER_ALIGN,
            sheets.BOX,
        )
    ws.row_dimensions[1].height = 22


def _put_row(
    ws: Worksheet, row: int, values: list[tuple[Any, str | None]], *, overdue: bool = False
) -> None:
    for column, (value, fmt) in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=sheets.cell_text(value))
        if cell.data_type == "f":  # dossier text starting with "=" stays text, never a formula
            cell.data_type = "s"
        cell.font = OVERDUE_FONT if overdue else sheets.BODY
        cell.border, cell.alignment = sheets.BOX, CELL_ALIGN
        if overdue:
            cell.fill = OVERDUE_FILL
        if fmt:
            cell.number_format = fmt


def _width(value: Any, fmt: str | None) -> int:
    if value is None:
        return 0
    if fmt == DATETIME:
        return 16
    if fmt == DATE:
        return 10
    if fmt == YUAN:
        return len(f"{value:,.2f}") + 1
    if fmt == DAYS_LEFT:
        return 12
    return sheets.text_width(str(value))


def _finish(ws: Worksheet, widths: dict[int, int], *, freeze: str) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = max(6, min(MAX_WIDTH, width + 2))
    sheets.page_setup(ws, header_row=1, landscape=True)
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{max(ws.max_row, 2)}"


def _fill_table(
    ws: Worksheet, names: tuple[str, ...], rows: list[tuple[list[tuple[Any, str | None]], bool]]
) -> None:
    _header(ws, names)
    widths = {column: sheets.text_width(name) for column, name in enumerate(names, start=1)}
    for index, (values, overdue) in enumerate(rows, start=2):
        _put_row(ws, index, values, overdue=overdue)
        for column, (value, fmt) in enumerate(values, start=1):
            widths[column] = max(widths[column], _width(value, fmt))
    _finish(ws, widths, freeze="C2")


def _ledger_values(row: LedgerRow, *, findings_checked: bool) -> list[tuple[Any, str | None]]:
    next_cell = _moment_cell(row.next_due.due if row.next_due else None)
    count = (
        (lambda severity: (row.findings.get(severity, 0), "0"))
        if findings_checked and not row.error
        else (lambda severity: (None, None))
    )
    return [
        (row.project, None),
        (row.name or None, None),
        (label(KINDS, row.kind) if row.kind else None, None),
        (row.department, None),
        (row.manager, None),
        (row.supplier, None),
        (row.contract_number, None),
        (row.amount, YUAN),
        (row.signed, DATE),
        (row.start, DATE),
        (row.end, DATE),
        (row.renewal, None),
        (
            f"无法读取：{row.error}"
            if row.error
            else label(STATUSES, row.status)
            if row.status
            else None,
            None,
        ),
        (label(STAGES, row.stage) if row.stage else None, None),
        next_cell,
        (row.next_due.title if row.next_due else None, None),
        (None if row.error else row.overdue, "0"),
        count("error"),
        count("warning"),
        count("info"),
        (row.file, None),
    ]


def _deadline_values(item: DueItem) -> list[tuple[Any, str | None]]:
    return [
        (item.project, None),
        (item.project_name or None, None),
        (item.title, None),
        _moment_cell(item.due),
        (f"周{WEEKDAYS[item.due_day.weekday()]}", None),
        (item.days, DAYS_LEFT),
        ("逾期" if item.overdue else "待办", None),
        _moment_cell(item.base_due) if item.moved else (None, None),
        (item.moved, None),
        (item.note, None),
        (item.rule, None),
        (item.file, None),
        (item.key, None),
    ]


def _deadline_sheet(ws: Worksheet, items: list[DueItem]) -> None:
    _fill_table(ws, DEADLINE_COLUMNS, [(_deadline_values(item), item.overdue) for item in items])


def _workbook(title: str, as_of: dt.date) -> Any:
    wb = sheets.new_workbook()
    wb.properties.title = title
    wb.properties.creator = "itdocs"
    wb.properties.created = wb.properties.modified = dt.datetime.combine(as_of, dt.time(0, 0))
    return wb


def ledger_workbook(ledger: Ledger) -> bytes:
    """项目台账 and 期限清单 as xlsx bytes."""
    wb = _workbook(f"项目台账（截至 {ledger.as_of}）", ledger.as_of)
    ws = wb.active
    ws.title = "项目台账"
    _fill_table(
        ws,
        LEDGER_COLUMNS,
        [
            (_ledger_values(row, findings_checked=ledger.findings_checked), row.overdue > 0)
            for row in ledger.rows
        ],
    )
    ws.oddHeader.center.text = f"项目台账（截至 {ledger.as_of.isoformat()}）"
    deadlines = wb.create_sheet("期限清单")
    _deadline_sheet(deadlines, ledger.deadlines.items)
    within = ledger.deadlines.within
    deadlines.oddHeader.center.text = (
        f"逾期及 {within} 天内到期事项（截至 {ledger.as_of.isoformat()}）"
        if within is not None
        else f"逾期及待办事项（截至 {ledger.as_of.isoformat()}）"
    )
    return sheets.save(wb)


def deadlines_workbook(report: DueReport) -> bytes:
    """The 期限清单 sheet alone, for ``itdocs due --format xlsx``."""
    wb = _workbook(f"期限清单（截至 {report.as_of}）", report.as_of)
    ws = wb.active
    ws.title = "期限清单"
    _deadline_sheet(ws, report.items)
    ws.oddHeader.center.text = f"期限清单（截至 {report.as_of.isoformat()}）"
    return sheets.save(wb)
