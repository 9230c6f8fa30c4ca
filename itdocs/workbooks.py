"""Excel documents with openpyxl: supplier evaluation, risk register, performance evaluation, KPIs.

Numbers a clerk may change stay live: weighted totals and ranks (供应商评估表), risk value and level
(风险登记册), pass/fail of each KPI (绩效评价表) are formulas over cells on the sheet — weights and
level thresholds included — so editing a score or a weight recomputes the result. Risk levels are
coloured by conditional formatting, so the colour follows the level when a likelihood changes.

Every sheet: 宋体, column widths measured in Chinese characters, header row frozen and repeated on
each printed page, A4 fitted to the page width.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from itdocs.context import LABELS, label
from itdocs.policy import Policy
from itdocs.sheets import (
    BODY,
    BOLD,
    CENTER,
    HEAD_FILL,
    LEFT,
    MONEY_FORMAT,
    Formula,
    as_date,
    as_money,
    as_number,
    fit_columns,
    fit_rows,
    header,
    info,
    merge,
    new_workbook,
    page_setup,
    put,
    save,
    signatures,
    title,
)

LEVEL_COLOURS = {"low": "C6EFCE", "medium": "FFEB9C", "high": "F8CBAD", "critical": "FF7C80"}
LEVELS = ("low", "medium", "high", "critical")
METHODS = ("open_call", "price_comparison", "inquiry", "single_source")
CATEGORIES = (
    "requirement_change",
    "technical",
    "schedule",
    "quality",
    "security",
    "personnel",
    "other",
)
STATUSES = ("open", "monitoring", "closed", "occurred")
# Supplier KPIs: (code, name, direction, default target); an organization overrides the targets
# with the policy parameter ``performance_targets: {on_time_delivery_rate: 98, …}``.
KPIS = (
    ("on_time_delivery_rate", "按时交付率（%）", "不低于", 95),
    ("complaint_rate", "投诉率（%）", "不高于", 2),
    ("cost_control_rate", "成本控制率（%）", "不低于", 95),
    ("user_satisfaction", "用户满意度（%）", "不低于", 90),
)


# --- the workbooks --------------------------------------------------------------------------------


def supplier_evaluation(data: Mapping[str, Any], ctx: Mapping[str, Any], policy: Policy) -> bytes:
    """供应商评估表: candidates × history/capability/price, weighted total and rank as formulas."""
    sel = data["suppliers"]
    weights = (
        sel.get("weights")
        or policy.param("supplier_weights")
        or {"history": 30, "capability": 40, "price": 30}
    )
    wb = new_workbook()
    ws = wb.active
    ws.title = "供应商评估"
    columns = 10
    title(ws, "供应商评估表", columns)
    row = info(
        ws,
        2,
        [
            ("项目名称", data["project"]["name"]),
            ("项目编号", data["project"]["id"]),
            ("选择方式", label(METHODS, sel["method"])),
            ("评估日期", as_date(sel.get("date"))),
            ("评估人", "、".join(sel.get("evaluators") or [])),
            ("候选数量", len(sel["candidates"])),
        ],
        columns,
    )
    weight_row = row + 1
    put(ws, weight_row, 4, "权重（%）", font=BOLD, fill=HEAD_FILL, align=CENTER)
    for column, key in ((5, "history"), (6, "capability"), (7, "price")):
        put(ws, weight_row, column, weights[key], align=CENTER)
    put(ws, weight_row, 8, Formula(f"=SUM(E{weight_row}:G{weight_row})"), align=CENTER)
    put(ws, weight_row, 9, "← 权重合计应为 100", box=False, align=LEFT)
    head = weight_row + 1
    header(
        ws,
        head,
        [
            "序号",
            "供应商名称",
            "统一社会信用代码",
            "报价（元）",
            "历史业绩",
            "技术能力",
            "价格",
            "加权总分",
            "排名",
            "备注",
        ],
    )
    first, last = head + 1, head + len(sel["candidates"])
    for index, cand in enumerate(sel["candidates"], start=1):
        r = head + index
        scores = cand["scores"]
        chosen = cand["name"] == sel.get("chosen")
        values = [
            index,
            cand["name"],
            cand.get("uscc", ""),
            as_money(cand.get("quote")),
            scores["history"],
            scores["capability"],
            scores["price"],
            Formula(
                f"=ROUND(E{r}*$E${weight_row}/100+F{r}*$F${weight_row}/100+G{r}*$G${weight_row}/100,2)"
            ),
            Formula(f"=RANK(H{r},$H${first}:$H${last})"),
            ("【选定】" if chosen else "") + (cand.get("notes") or ""),
        ]
        for column, value in enumerate(values, start=1):
            put(
                ws,
                r,
                column,
                value,
                fmt=MONEY_FORMAT if column == 4 else ("0.00" if column == 8 else None),
                align=LEFT if column in (2, 10) else CENTER,
                font=BOLD if chosen and column in (2, 8) else BODY,
            )
    fit_columns(ws, head, last)
    for column, width in (("B", 26), ("C", 23), ("J", 40)):
        ws.column_dimensions[column].width = width
    row = info(
        ws,
        last + 2,
        [("选定供应商", sel.get("chosen", "")), ("选定理由", sel.get("reason", ""))],
        columns,
        wide=True,
    )
    signatures(ws, row, ctx["signatures"], columns)
    fit_rows(ws, 2)
    page_setup(ws, header_row=head, landscape=True)
    return save(wb)


def _level_formula(cell: str, thresholds: Mapping[str, str]) -> str:
    names = LABELS[LEVELS]
    return Formula(
        f'=IF({cell}="","",IF({cell}>={thresholds["critical"]},"{names["critical"]}",'
        f'IF({cell}>={thresholds["high"]},"{names["high"]}",IF({cell}>={thresholds["medium"]},'
        f'"{names["medium"]}","{names["low"]}"))))'
    )


def risk_register(
    data: Mapping[str, Any], ctx: Mapping[str, Any], policy: Policy, *, spare_rows: int = 5
) -> bytes:
    """风险登记册: value = likelihood × impact and level from the policy's thresholds, both live."""
    bounds = {
        "low": 1,
        "medium": 5,
        "high": 10,
        "critical": 17,
        **(policy.param("risk_levels") or {}),
    }
    wb = new_workbook()
    ws = wb.active
    ws.title = "风险登记册"
    columns = 12
    title(ws, "风险登记册", columns)
    row = info(
        ws, 2, [("项目名称", data["project"]["name"]), ("项目编号", data["project"]["id"])], columns
    )
    put(ws, row, 1, "等级阈值（风险值）", font=BOLD, fill=HEAD_FILL, align=CENTER)
    merge(ws, row, 1, 2)
    cells = {}
    for index, level in enumerate(LEVELS):
        put(
            ws,
            row,
            3 + index * 2,
            f"{label(LEVELS, level)} ≥",
            align=CENTER,
            fill=PatternFill("solid", fgColor=LEVEL_COLOURS[level]),
        )
        put(ws, row, 4 + index * 2, bounds[level], align=CENTER)
        cells[level] = f"${get_column_letter(4 + index * 2)}${row}"
    put(ws, row, 11, "风险值 = 可能性 × 影响（各 1–5）", box=False, align=LEFT)
    head = row + 2
    header(
        ws,
        head,
        [
            "编号",
            "类别",
            "风险描述",
            "可能性（1–5）",
            "影响（1–5）",
            "风险值",
            "等级",
            "应对措施",
            "责任人",
            "预警阈值",
            "识别日期",
            "状态",
        ],
    )
    risks = data.get("risks") or []
    last = head + len(risks) + spare_rows
    for r in range(head + 1, last + 1):
        risk = risks[r - head - 1] if r - head - 1 < len(risks) else {}
        values = [
            risk.get("id", ""),
            label(CATEGORIES, risk["category"]) if risk else "",
            risk.get("description", ""),
            risk.get("likelihood"),
            risk.get("impact"),
            Formula(f'=IF(OR(D{r}="",E{r}=""),"",D{r}*E{r})'),
            _level_formula(f"F{r}", cells),
            risk.get("response", ""),
            risk.get("owner", ""),
            risk.get("threshold", ""),
            as_date(risk.get("identified")),
            label(STATUSES, risk["status"]) if risk.get("status") else "",
        ]
        for column, value in enumerate(values, start=1):
            put(ws, r, column, value, align=LEFT if column in (3, 8, 10) else CENTER)
    for level in LEVELS:
        ws.conditional_formatting.add(
            f"A{head + 1}:L{last}",
            FormulaRule(
                formula=[f'$G{head + 1}="{label(LEVELS, level)}"'],
                fill=PatternFill(
                    "solid", fgColor=LEVEL_COLOURS[level], bgColor=LEVEL_COLOURS[level]
                ),
            ),
        )
    scale = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="5",
        allow_blank=True,
        error="请填写 1–5 的整数",
        errorTitle="可能性/影响",
    )
    ws.add_data_validation(scale)
    scale.add(f"D{head + 1}:E{last}")
    choice = DataValidation(
        type="list",
        formula1='"' + ",".join(label(CATEGORIES, c) for c in CATEGORIES) + '"',
        allow_blank=True,
    )
    ws.add_data_validation(choice)
    choice.add(f"B{head + 1}:B{last}")
    fit_columns(ws, head, last)
    for column, width in (("C", 30), ("H", 40), ("J", 26), ("D", 9), ("E", 9)):
        ws.column_dimensions[column].width = width
    fit_rows(ws, 2)
    page_setup(ws, header_row=head, landscape=True)
    return save(wb)


def performance_evaluation(
    data: Mapping[str, Any], ctx: Mapping[str, Any], policy: Policy
) -> bytes:
    """绩效评价表: the four supplier KPIs against targets (met / not met as formulas), consequence."""
    perf = data["performance"]
    targets = {
        **{code: target for code, _, _, target in KPIS},
        **(policy.param("performance_targets") or {}),
    }
    wb = new_workbook()
    ws = wb.active
    ws.title = "绩效评价"
    columns = 6
    title(ws, "供应商绩效评价表", columns)
    row = info(
        ws,
        2,
        [
            ("项目名称", data["project"]["name"]),
            ("供应商", (data["parties"].get("supplier") or {}).get("name", "")),
            ("合同编号", (data.get("contract") or {}).get("number", "")),
            ("评价期间", perf["period"]),
            ("评价日期", as_date(perf["date"])),
            ("评价人", perf.get("evaluator", "")),
        ],
        columns,
    )
    head = row + 1
    header(ws, head, ["序号", "指标", "要求", "目标值（%）", "实际值（%）", "达标情况"])
    for index, (code, name, direction, _) in enumerate(KPIS, start=1):
        r = head + index
        values = [
            index,
            name,
            direction,
            targets[code],
            perf["kpis"][code],
            Formula(
                f'=IF(E{r}="","",IF(C{r}="不低于",IF(E{r}>=D{r},"达标","未达标"),IF(E{r}<=D{r},"达标","未达标")))'
            ),
        ]
        for column, value in enumerate(values, start=1):
            put(ws, r, column, value, align=LEFT if column == 2 else CENTER)
    last = head + len(KPIS)
    ws.conditional_formatting.add(
        f"F{head + 1}:F{last}",
        FormulaRule(
            formula=[f'F{head + 1}="未达标"'],
            fill=PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"),
        ),
    )
    put(ws, last + 1, 1, "达标指标数", font=BOLD, fill=HEAD_FILL, align=CENTER)
    merge(ws, last + 1, 1, 5)
    put(
        ws,
        last + 1,
        6,
        Formula(f'=COUNTIF(F{head + 1}:F{last},"达标")&"/{len(KPIS)}"'),
        align=CENTER,
    )
    fit_columns(ws, head, last)
    for column, width in (("A", 12), ("B", 22), ("C", 10), ("D", 14), ("E", 14), ("F", 14)):
        ws.column_dimensions[column].width = width
    options = ("continue", "rectify", "terminate")
    verdict = "　".join(
        ("☑ " if perf["consequence"] == code else "☐ ") + label(options, code) for code in options
    )
    row = info(
        ws,
        last + 3,
        [("评价结果", verdict), ("评价意见", perf.get("comments", ""))],
        columns,
        wide=True,
    )
    signatures(ws, row, ctx["signatures"], columns)
    fit_rows(ws, 2)
    page_setup(ws, header_row=head, landscape=False)
    return save(wb)


def monthly_kpis(
    data: Mapping[str, Any], ctx: Mapping[str, Any], policy: Policy, *, index: int
) -> bytes:
    """The KPI sheet of a monthly report (月报附表): targets, actuals, completion; cost vs budget."""
    report = data["reports"][index]
    wb = new_workbook()
    ws = wb.active
    ws.title = "关键指标"
    columns = 6
    title(ws, f"月报附表：关键指标（{ctx['doc']['period_text']}）", columns)
    row = info(
        ws,
        2,
        [
            ("项目名称", data["project"]["name"]),
            ("项目编号", data["project"]["id"]),
            ("编写人", report.get("author", "")),
            ("提交日期", as_date(report["filed"])),
        ],
        columns,
    )
    head = row + 1
    header(ws, head, ["序号", "指标", "目标值", "实际值", "单位", "实际/目标"])
    kpis = report.get("kpis") or []
    for number, kpi in enumerate(kpis, start=1):
        r = head + number
        values = [
            number,
            kpi["name"],
            as_number(kpi["target"]),
            as_number(kpi["actual"]),
            kpi.get("unit", ""),
            Formula(f'=IF(OR(C{r}="",C{r}=0),"",D{r}/C{r})'),
        ]
        for column, value in enumerate(values, start=1):
            put(
                ws,
                r,
                column,
                value,
                align=LEFT if column == 2 else CENTER,
                fmt="0.0%" if column == 6 else None,
            )
    last = head + max(len(kpis), 1)
    fit_columns(ws, head, last)
    for column, width in (("A", 12), ("B", 28), ("C", 16), ("D", 16), ("E", 12), ("F", 12)):
        ws.column_dimensions[column].width = width
    cost = report.get("cost")
    if cost:
        row = last + 2
        for column, name in enumerate(
            ["费用", "本期预算（元）", "本期实际（元）", "差异（元）", "执行率"], start=1
        ):
            put(ws, row, column, name, font=BOLD, fill=HEAD_FILL, align=CENTER)
        put(ws, row + 1, 1, "本期", font=BOLD, fill=HEAD_FILL, align=CENTER)
        for column, value in (
            (2, as_money(cost["budget"])),
            (3, as_money(cost["actual"])),
            (4, Formula(f"=C{row + 1}-B{row + 1}")),
            (5, Formula(f'=IF(B{row + 1}=0,"",C{row + 1}/B{row + 1})')),
        ):
            put(
                ws,
                row + 1,
                column,
                value,
                align=CENTER,
                fmt="0.0%" if column == 5 else MONEY_FORMAT,
            )
    fit_rows(ws, 2)
    page_setup(ws, header_row=head, landscape=False)
    return save(wb)
