"""Hand-made filed documents for the archive tests, written the way clerks and suppliers write them.

Nothing here comes from itdocs' templates: python-docx and openpyxl build each form with its own
layout (labels in cells or as ``标签：值`` lines, signature rows with pictures or handwritten names,
a contract ending in a two-party seal block), so the archive check is tested on documents it has
never seen. ``Project`` holds the facts of one clean outsourcing project; a test changes a fact (a
date, a blank signature) or a file name to plant a defect. Never committed as binaries.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from docbuild import tiny_png
from docx.shared import Cm

D = dt.date
NAME = "ERP运维外包项目"
SIGNED = "[图]"  # a picture in the signature cell


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def week_friday(week: int) -> dt.date:
    return dt.date.fromisocalendar(2026, week, 5)


@dataclass
class Project:
    """One clean outsourcing project, kickoff 2026-08-04, acceptance 2026-11-05."""

    name: str = NAME
    requester: str = "刘洋"
    request_date: D = field(default=D(2026, 7, 6))
    approvals: list[tuple[str, str, str, D | None]] = field(
        default_factory=lambda: [
            ("部门负责人审批", "王志强", SIGNED, D(2026, 7, 9)),
            ("财务部审核", "陈丽华", SIGNED, D(2026, 7, 13)),
            ("总经理审批", "周建国", SIGNED, D(2026, 7, 15)),
        ]
    )
    evaluation_date: D = field(default=D(2026, 7, 20))
    quotes: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("苏州云启信息科技有限公司", "468,000.00"),
            ("上海金桥数智科技有限公司", "526,000.00"),
            ("无锡恒信软件技术有限公司", "438,000.00"),
        ]
    )
    method: str = "公开征集"
    signed: D = field(default=D(2026, 7, 31))
    legal: tuple[str, D] | None = field(default=("赵敏", D(2026, 7, 29)))
    clauses: tuple[str, ...] = ("服务水平（SLA）", "保密条款", "违约责任")
    party_b_signed: bool = True
    kickoff: dt.datetime = field(default=dt.datetime(2026, 8, 4, 14, 0))
    kickoff_minutes_date: D = field(default=D(2026, 8, 5))
    resolutions: list[tuple[str, str | None, D | None]] = field(
        default_factory=lambda: [
            ("开通乙方工程师VPN账号", "刘洋", D(2026, 8, 5)),
            ("提交服务交接方案", "吴磊", D(2026, 8, 7)),
        ]
    )
    midterm: dt.datetime = field(default=dt.datetime(2026, 9, 24, 9, 30))
    weeks: list[int] = field(default_factory=lambda: list(range(32, 46)))
    week_filed: dict[int, D] = field(default_factory=dict)  # default: that week's Friday
    months: list[int] = field(default_factory=lambda: [7, 8, 9, 10])
    quarters: list[int] = field(default_factory=lambda: [3])
    change_date: D = field(default=D(2026, 9, 15))
    acceptance: D = field(default=D(2026, 11, 5))
    team: list[tuple[str, str, str]] = field(
        default_factory=lambda: [
            ("验收组长", "王志强", SIGNED),
            ("验收组员", "刘洋", SIGNED),
            ("第三方机构代表", "孙伟", SIGNED),
        ]
    )
    performance_date: D = field(default=D(2026, 10, 15))


def _picture(cell) -> None:
    cell.paragraphs[0].add_run().add_picture(io.BytesIO(tiny_png()), width=Cm(2))


def picture_table(d, rows: list[list[str]]):
    """A bordered table of ``rows``; a cell written ``[图]`` (SIGNED) holds a signature picture."""
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == SIGNED:
                _picture(t.cell(r, c))
            else:
                t.cell(r, c).text = text
    return t


def _sign(cell, how: str) -> None:
    if how == SIGNED:
        _picture(cell)
    elif how:
        cell.text = how


def _form(d, rows: list[tuple[str, str]], cols: int = 2):
    """A label | value form, two pairs per row when ``cols`` is 4."""
    per = cols // 2
    table = d.add_table(rows=(len(rows) + per - 1) // per, cols=cols)
    table.style = "Table Grid"
    for i, (label, value) in enumerate(rows):
        r, c = divmod(i, per)
        table.cell(r, 2 * c).text = label
        table.cell(r, 2 * c + 1).text = value
    return table


def requirement_form(p: Project, path: Path) -> None:
    d = docx.Document()
    d.add_heading("IT服务需求申请表", 1)
    _form(
        d,
        [
            ("项目名称", p.name),
            ("申请部门", "信息技术部"),
            ("申请人", p.requester),
            ("申请日期", cn(p.request_date)),
            ("预算金额", "人民币伍拾万元整（¥500,000.00）"),
            ("紧急程度", "一般"),
        ],
        cols=4,
    )
    d.add_paragraph("需求背景：现有ERP运维人员不足，夜间无人值守。")
    t = d.add_table(rows=2, cols=3)
    t.style = "Table Grid"
    t.cell(0, 0).text, t.cell(0, 1).text = "申请人（签字）：", ""
    _picture(t.cell(0, 1))
    t.cell(0, 2).text = f"日期：{cn(p.request_date)}"
    t.cell(1, 0).text, t.cell(1, 1).text = "信息技术部初步评估（签字）：", "黄俊"
    t.cell(1, 2).text = f"日期：{cn(p.request_date + dt.timedelta(days=2))}"
    d.save(path)


def approval_sheet(p: Project, path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("采购审批表").runs[0].bold = True
    d.add_paragraph(f"项目名称：{p.name}")
    d.add_paragraph(f"申请人：{p.requester}　　申请日期：{cn(p.request_date)}")
    d.add_paragraph("采购方式：公开征集　　预算：¥500,000.00")
    t = d.add_table(rows=len(p.approvals) + 1, cols=4)
    t.style = "Table Grid"
    for i, h in enumerate(("审批环节", "审批意见", "签  名", "日  期")):
        t.cell(0, i).text = h
    for r, (role, name, how, day) in enumerate(p.approvals, 1):
        t.cell(r, 0).text = role
        t.cell(r, 1).text = "同意"
        _sign(t.cell(r, 2), how if how != name else name)
        t.cell(r, 3).text = day.strftime("%Y-%m-%d") if day else ""
    d.save(path)


def supplier_evaluation(p: Project, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "比选记录"
    ws["A1"] = "供应商比选记录表"
    ws["A2"], ws["B2"] = "项目名称", p.name
    ws["A3"], ws["B3"], ws["D3"], ws["E3"] = "选择方式", p.method, "评估日期", p.evaluation_date
    ws.append([])
    ws.append(["序号", "供应商名称", "报价（元）", "综合得分"])
    for i, (company, quote) in enumerate(p.quotes, 1):
        ws.append([i, company, float(quote.replace(",", "")), 90 - i])
    ws.append([])
    ws.append(["选定供应商", p.quotes[0][0]])
    wb.save(path)


def contract(p: Project, path: Path) -> None:
    d = docx.Document()
    d.add_heading("ERP系统运维外包服务合同", 0)
    d.add_paragraph("合同编号：HT-2026-018")
    d.add_paragraph("甲方（委托方）：华东精密机械股份有限公司")
    d.add_paragraph("乙方（受托方）：苏州云启信息科技有限公司")
    d.add_paragraph(f"签订日期：{cn(p.signed)}")
    d.add_paragraph("第一条 服务内容").runs[0].bold = True
    d.add_paragraph("乙方为甲方提供ERP系统运行维护服务，服务期限：2026年8月1日至2027年7月31日。")
    bodies = {
        "服务水平（SLA）": "系统可用性不低于99.5%，一级故障响应时间不超过30分钟，未达标按月扣减服务费。",
        "保密条款": "乙方对服务中知悉的甲方商业秘密负有保密义务，保密期限为合同终止后三年。",
        "违约责任": "任何一方违约的，应向守约方支付合同总金额10%的违约金。",
        "知识产权": "项目成果的知识产权归甲方所有。",
        "风险分担": "技术风险由乙方承担，需求变更风险由甲方承担。",
    }
    for number, clause in enumerate(p.clauses, 2):
        d.add_paragraph(f"第{'二三四五六七八九'[number - 2]}条 {clause}").runs[0].bold = True
        d.add_paragraph(bodies[clause])
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "甲方（盖章）：华东精密机械股份有限公司"
    t.cell(0, 1).text = "乙方（盖章）：苏州云启信息科技有限公司"
    t.cell(1, 0).text = "授权代表（签字）："
    _picture(t.cell(1, 0))
    t.cell(1, 1).text = "授权代表（签字）："
    if p.party_b_signed:
        _picture(t.cell(1, 1))
    t.cell(2, 0).text = f"日期：{cn(p.signed)}"
    t.cell(2, 1).text = f"日期：{cn(p.signed)}" if p.party_b_signed else "日期：    年  月  日"
    if p.legal:
        d.add_paragraph(f"法务审核：{p.legal[0]}　　审核日期：{cn(p.legal[1])}")
    d.save(path)


def minutes(
    path: Path,
    title: str,
    start: dt.datetime,
    filed: D,
    resolutions: list[tuple[str, str | None, D | None]],
) -> None:
    d = docx.Document()
    d.add_heading(title, 1)
    d.add_paragraph(f"会议时间：{cn(start.date())} {start:%H:%M}-{start.hour + 2:02d}:{start:%M}")
    d.add_paragraph("会议地点：公司总部3楼会议室")
    d.add_paragraph("参会人员：王志强、刘洋、吴磊、孙伟")
    d.add_paragraph("会议决议：")
    for number, (text, owner, due) in enumerate(resolutions, 1):
        line = f"{number}、{text}"
        if owner:
            line += f"，负责人：{owner}"
        if due:
            line += f"，完成时限：{cn(due)}"
        d.add_paragraph(line + "。")
    d.add_paragraph(f"记录人：吴磊　　纪要日期：{cn(filed)}")
    d.save(path)


def weekly_report(p: Project, week: int, path: Path) -> None:
    friday = week_friday(week)
    monday = friday - dt.timedelta(days=4)
    filed = p.week_filed.get(week, friday)
    d = docx.Document()
    d.add_paragraph(f"{p.name}周报").runs[0].bold = True
    t = _form(
        d,
        [
            ("项目名称", p.name),
            ("报告周期", f"{cn(monday)}至{cn(monday + dt.timedelta(days=6))}"),
            ("填报人", "吴磊"),
            ("填报日期", cn(filed)),
        ],
    )
    t.style = "Table Grid"
    d.add_paragraph("一、本周完成工作")
    d.add_paragraph("1. 完成ERP系统日常巡检与备份检查。")
    d.add_paragraph("二、下周计划")
    d.add_paragraph("1. 继续日常运维。")
    d.add_paragraph("三、问题与风险：无。")
    d.save(path)


def monthly_report(p: Project, month: int, path: Path) -> None:
    d = docx.Document()
    d.add_heading(f"{p.name} 2026年{month}月 运维月报", 1)
    next_month = D(2026, month + 1, 3)
    d.add_paragraph(f"报告期间：2026年{month}月")
    d.add_paragraph(f"报告日期：{cn(next_month)}")
    d.add_paragraph("本月工单统计：共处理工单126单，SLA达成率98.4%。")
    d.save(path)


def quarterly_report(p: Project, quarter: int, path: Path) -> None:
    d = docx.Document()
    d.add_heading(f"{p.name}季度报告", 1)
    d.add_paragraph(f"报告周期：2026年第{quarter}季度")
    d.add_paragraph(f"编制日期：{cn(D(2026, 3 * quarter, 28))}")
    d.add_paragraph("本季度服务可用性99.7%，无重大故障。")
    d.save(path)


def change_request(p: Project, path: Path) -> None:
    d = docx.Document()
    d.add_heading("变更申请单", 1)
    _form(d, [("变更编号", "CHG-01"), ("申请人", "吴磊"), ("申请日期", cn(p.change_date))], cols=2)
    d.add_paragraph("变更内容：增加夜间值守工程师1名。")
    t = d.add_table(rows=4, cols=3)
    for i, h in enumerate(("岗位", "签字", "日期")):
        t.cell(0, i).text = h
    for r, (role, who, day) in enumerate(
        [("部门负责人", "王志强", 15), ("财务部", "陈丽华", 16), ("总经理", "周建国", 17)], 1
    ):
        t.cell(r, 0).text = role
        t.cell(r, 1).text = who
        t.cell(r, 2).text = f"2026/9/{day}"
    d.save(path)


def acceptance_report(p: Project, path: Path) -> None:
    d = docx.Document()
    d.add_heading("项目验收报告", 1)
    _form(
        d,
        [
            ("项目名称", p.name),
            ("验收日期", cn(p.acceptance)),
            ("第三方机构", "中国赛宝实验室"),
            ("验收结论", "通过"),
        ],
    )
    d.add_paragraph("验收项目及结果")
    c = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("验收项", "标准", "结果"),
            ("功能", "需求全部实现", "通过"),
            ("性能", "响应时间不超过3秒", "通过"),
        ]
    ):
        for i, text in enumerate(row):
            c.cell(r, i).text = text
    d.add_paragraph("验收小组签字")
    t = d.add_table(rows=len(p.team) + 1, cols=4)
    for i, h in enumerate(("职务", "姓名", "签字", "日期")):
        t.cell(0, i).text = h
    for r, (role, who, how) in enumerate(p.team, 1):
        t.cell(r, 0).text, t.cell(r, 1).text = role, who
        _sign(t.cell(r, 2), how)
        t.cell(r, 3).text = cn(p.acceptance) if how else ""
    d.save(path)


def performance_evaluation(p: Project, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效评价"
    ws.append(["供应商绩效评价表"])
    ws.append(["项目名称", p.name, "评价日期", p.performance_date])
    ws.append(["指标", "目标", "实际"])
    ws.append(["按时交付率", "95%", "97%"])
    ws.append(["用户满意度", "90%", "93%"])
    ws.append(["评价结论", "继续合作"])
    wb.save(path)


def risk_register(p: Project, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "风险"
    ws.append(
        ["编号", "风险描述", "类别", "可能性", "影响", "等级", "应对措施", "责任人", "识别日期"]
    )
    ws.append(["R1", "核心工程师流失", "人员", 3, 3, "中", "设置后备工程师", "吴磊", D(2026, 8, 4)])
    wb.save(path)


Writer = Callable[[Project, Path], None]


def documents(p: Project) -> dict[str, tuple[str, str, Writer]]:
    """Document key → (stage folder, file name, writer) for the whole project, clean."""
    n = p.name
    docs: dict[str, tuple[str, str, Writer]] = {
        "requirement": ("01-立项", f"{n}-{cn(p.request_date)}-需求申请表.docx", requirement_form),
        "approval": (
            "01-立项",
            f"{n}-{cn(p.approvals[-1][3] or p.request_date)}-采购审批单.docx",
            approval_sheet,
        ),
        "evaluation": (
            "02-选型",
            f"{n}-{cn(p.evaluation_date)}-供应商评估表.xlsx",
            supplier_evaluation,
        ),
        "contract": ("03-合同", f"{n}-{cn(p.signed)}-服务合同.docx", contract),
        "kickoff": (
            "04-实施",
            f"{n}-{cn(p.kickoff.date())}-项目启动会会议纪要.docx",
            lambda q, path: minutes(
                path, "项目启动会会议纪要", q.kickoff, q.kickoff_minutes_date, q.resolutions
            ),
        ),
        "midterm": (
            "04-实施",
            f"{n}-{cn(p.midterm.date())}-会议纪要.docx",
            lambda q, path: minutes(
                path,
                "第三季度中期评审会会议纪要",
                q.midterm,
                q.midterm.date(),
                [("制定第四季度服务改进计划", "吴磊", D(2026, 10, 10))],
            ),
        ),
        "change": ("04-实施", f"{n}-{cn(p.change_date)}-变更申请单.docx", change_request),
        "acceptance": ("05-验收", f"{n}-{cn(p.acceptance)}-验收报告.docx", acceptance_report),
        "performance": (
            "05-验收",
            f"{n}-{cn(p.performance_date)}-绩效评价表.xlsx",
            performance_evaluation,
        ),
        "risks": ("04-实施", f"{n}-2026年8月4日-风险登记册.xlsx", risk_register),
    }
    for week in p.weeks:
        docs[f"week{week}"] = (
            "06-报告/周报",
            f"{n}-2026年第{week}周-周报.docx",
            lambda q, path, w=week: weekly_report(q, w, path),
        )
    for month in p.months:
        docs[f"month{month}"] = (
            "06-报告/月报",
            f"{n}-2026年{month}月-月报.docx",
            lambda q, path, m=month: monthly_report(q, m, path),
        )
    for quarter in p.quarters:
        docs[f"quarter{quarter}"] = (
            "06-报告",
            f"{n}-2026年第{quarter}季度-季报.docx",
            lambda q, path, k=quarter: quarterly_report(q, k, path),
        )
    return docs


def write_archive(
    p: Project,
    folder: Path,
    *,
    layout: str = "flat",
    names: dict[str, str] | None = None,
    skip: tuple[str, ...] = (),
) -> dict[str, Path]:
    """Write the project's documents into ``folder``: ``flat``, or ``stages`` (a subfolder per stage).
    ``names`` renames documents by key; ``skip`` leaves some out. Returns key → path."""
    out = {}
    for key, (stage, name, writer) in documents(p).items():
        if key in skip:
            continue
        target = folder / stage if layout == "stages" else folder
        target.mkdir(parents=True, exist_ok=True)
        path = target / (names or {}).get(key, name)
        writer(p, path)
        out[key] = path
    return out


OA = "OA系统运维采购项目"


def _paragraph_picture(paragraph) -> None:
    paragraph.add_run().add_picture(io.BytesIO(tiny_png()), width=Cm(2))


def paragraph_style_archive(
    folder: Path,
    *,
    finance_opinion: str = "同意，预算已列支。",
    weeks: tuple[int, ...] = (13, 14, 15, 16),
) -> dict[str, Path]:
    """Another clerk's forms: everything in paragraphs — approvals as ``部门经理意见：`` with a
    ``签字：… 日期：…`` line under each, the contract ending in seal and signature lines, minutes
    with ``时间：``, weekly reports dated ``日期：`` — a procurement project, kickoff 2026-03-25,
    acceptance 2026-04-24 with a team table whose rows the readers do not know."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def save(d, key: str, name: str) -> None:
        out[key] = folder / name
        d.save(out[key])

    d = docx.Document()
    d.add_paragraph("需求申请单")
    d.add_paragraph(f"项目名称：{OA}")
    d.add_paragraph("申请部门：行政部　　申请人：李娜")
    d.add_paragraph("申请日期：2026年3月2日")
    _paragraph_picture(d.add_paragraph("申请人签字："))
    save(d, "requirement", f"{OA}-2026年3月2日-需求申请表.docx")
    d = docx.Document()
    d.add_paragraph("采购审批单")
    d.add_paragraph(f"项目名称：{OA}　申请人：李娜")
    for opinion, name, day in (
        ("部门经理意见：同意。", "张伟", "2026年3月4日"),
        (f"财务总监意见：{finance_opinion}", "王芳", "2026年3月6日"),
        ("总经理意见：同意。", "赵强", "2026年3月9日"),
    ):
        d.add_paragraph(opinion)
        d.add_paragraph(f"签字：{name}　　日期：{day}")
    save(d, "approval", f"{OA}-2026年3月9日-采购审批单.docx")
    d = docx.Document()
    d.add_paragraph("OA系统运维服务合同")
    d.add_paragraph("甲方：某某集团有限公司")
    d.add_paragraph("乙方：杭州云维科技有限公司")
    for head, body in (
        ("一、服务内容", "乙方负责OA系统运维，服务期限自2026年4月1日起至2027年3月31日止。"),
        ("二、服务水平", "系统可用率不低于99%，故障响应时间不超过1小时。"),
        ("三、保密", "乙方负有保密义务，保密期限为合同终止后两年。"),
        ("四、违约责任", "违约方支付合同金额10%的违约金。"),
    ):
        d.add_paragraph(head)
        d.add_paragraph(body)
    d.add_paragraph("法务审核：孙丽　审核日期：2026年3月18日")
    for party in ("甲方", "乙方"):
        d.add_paragraph(
            f"{party}（盖章）：{'某某集团有限公司' if party == '甲方' else '杭州云维科技有限公司'}"
        )
        _paragraph_picture(d.add_paragraph(f"{party}代表（签字）："))
        d.add_paragraph("日期：2026年3月20日")
    save(d, "contract", f"{OA}-2026年3月20日-服务合同.docx")
    d = docx.Document()
    d.add_paragraph("项目启动会纪要")
    d.add_paragraph("时间：2026年3月25日 上午9:30")
    d.add_paragraph("决议一：乙方提交运维方案，负责人：陈刚，完成时限：2026年3月27日")
    d.add_paragraph("记录人：刘敏　　纪要日期：2026年3月25日")
    save(d, "kickoff", f"{OA}-2026年3月25日-项目启动会会议纪要.docx")
    for week in weeks:
        friday = dt.date.fromisocalendar(2026, week, 5)
        monday = friday - dt.timedelta(days=4)
        d = docx.Document()
        d.add_paragraph(f"OA运维周报（{monday:%Y.%m.%d}-{monday + dt.timedelta(days=6):%Y.%m.%d}）")
        d.add_paragraph(f"日期：{cn(friday)}")
        d.add_paragraph("本周完成：巡检。")
        save(d, f"week{week}", f"{OA}-2026年第{week}周-周报.docx")
    for key, name, lines in (
        (
            "month3",
            f"{OA}-2026年3月-月报.docx",
            ["运维月报", "报告期间：2026年3月", "报告日期：2026年4月3日"],
        ),
        (
            "quarter1",
            f"{OA}-2026年第1季度-季报.docx",
            ["运维季报", "报告周期：2026年第1季度", "报告日期：2026年3月31日"],
        ),
    ):
        d = docx.Document()
        for line in lines:
            d.add_paragraph(line)
        save(d, key, name)
    d = docx.Document()
    d.add_paragraph("验收报告")
    d.add_paragraph("验收日期：2026年4月24日")
    d.add_paragraph("验收意见：同意验收，验收合格。")
    t = d.add_table(rows=3, cols=3)
    for i, h in enumerate(("验收人员", "签名", "日期")):
        t.cell(0, i).text = h
    for r, who in enumerate(("组长 张伟", "组员 李娜"), 1):
        t.cell(r, 0).text = who
        _paragraph_picture(t.cell(r, 1).paragraphs[0])
        t.cell(r, 2).text = "2026.4.24"
    save(d, "acceptance", f"{OA}-2026年4月24日-验收报告.docx")
    return out
