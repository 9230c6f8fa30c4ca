"""Tables of Word and Excel documents printed to PDF by LibreOffice (as suppliers do) are rebuilt
from the page's layout (``itdocs.extract.pdftables``): the PDF gives the clerk the same findings and
facts as the .docx. The layout rules themselves are tested on text, paragraphs included."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from itdocs.archive.labels import date_field
from itdocs.engine import check
from itdocs.extract import extract
from itdocs.extract.pdftables import recover, worth_a_layout

P = "OA系统运维外包项目"
AS_OF = dt.date(2026, 11, 20)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _table(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text


def _acceptance(path: Path) -> None:
    d = docx.Document()
    d.add_heading("验收报告", 0)
    _table(
        d,
        [["项目名称", P, "验收日期", "2026年11月6日"], ["第三方机构", "无锡软件测评中心", "", ""]],
    )
    _table(
        d,
        [
            ["验收项", "验收标准", "验收结果", "结论"],
            ["功能", "全部功能", "符合", "通过"],
            ["性能", "可用率≥99.5%", "99.1%", "不通过"],
        ],
    )
    d.add_paragraph("验收结论：通过")
    d.add_paragraph("本报告一式两份，甲乙双方各执一份。")
    _table(
        d,
        [
            ["姓名", "单位", "签字", "日期"],
            ["林海", "信息中心", "林海", "2026年11月6日"],
            ["钱进", "审计部", "", ""],  # did not sign
            ["赵敏", "财务部", "", "2026年11月6日"],  # dated, no signature: the date stays a date
            ["王蕾", "无锡软件测评中心", "王蕾", "2026年11月6日"],
        ],
    )
    d.add_paragraph("附件")
    d.save(path)


def _monthly(path: Path) -> None:
    d = docx.Document()
    d.add_heading(f"{P}月报（2026年9月）", 0)
    _table(
        d,
        [
            ["报告期", "2026年9月", "提交日期", "2026年10月12日"],
            ["编制人", "唐宁", "审核人", "陈立"],
        ],
    )
    d.add_paragraph("一、本月工作完成情况")
    d.add_paragraph("完成月结保障，报告日期 以本表为准。")
    d.save(path)


def _approval(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["采购审批单"])
    ws.append(["项目名称", P, "", ""])
    ws.append(["审批环节", "审批意见", "签字", "日期"])
    ws.append(["部门负责人初审", "同意", "林海", dt.date(2026, 8, 20)])
    ws.append(["财务部复审", "同意", "吴芳", dt.date(2026, 8, 24)])
    ws.append(["CEO终审", "同意", "", ""])
    for c in "ABCD":
        ws.column_dimensions[c].width = 22  # too wide for A4: 日期 is printed on page 2
    wb.save(path)


def _weekly(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{P}周报"])
    ws.append(["报告周期", "2026.09.07~2026.09.11"])
    ws.append(["报告日期", dt.date(2026, 9, 11)])
    ws["B3"].number_format = "yyyy年m月d日"
    ws.column_dimensions["B"].width = 30
    wb.save(path)


NAMES = {
    "acceptance": f"{P}-2026年11月6日-验收报告",
    "monthly": f"{P}-2026年9月-月报",
    "approval": f"{P}-2026年8月24日-采购审批单",
    "weekly": f"{P}-2026年第37周-周报",
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """(office folder, pdf folder): the same documents as .docx/.xlsx and as soffice PDFs."""
    if _soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    base = tmp_path_factory.mktemp("pdftables")
    office, pdf = base / "office", base / "pdf"
    office.mkdir()
    pdf.mkdir()
    _acceptance(office / f"{NAMES['acceptance']}.docx")
    _monthly(office / f"{NAMES['monthly']}.docx")
    _approval(office / f"{NAMES['approval']}.xlsx")
    _weekly(office / f"{NAMES['weekly']}.xlsx")
    subprocess.run(
        [_soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(pdf)]
        + [str(p) for p in sorted(office.iterdir())],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert len(list(pdf.glob("*.pdf"))) == 4
    return office, pdf


def _findings(folder: Path) -> set[tuple[str, str, str]]:
    report = check([folder], waivers=False, as_of=AS_OF)
    assert not report.errors
    out = set()
    for f in report.findings:
        stem = Path(f.file).stem if Path(f.file) != folder else "."
        out.add((stem, f.rule, f.message))
    return out


def _rules(found, stem):
    return {(rule, msg) for s, rule, msg in found if s == stem}


def test_the_pdf_acceptance_report_gives_the_clerk_the_docx_findings(folders):
    office, pdf = folders
    stem = NAMES["acceptance"]
    from_pdf = _rules(_findings(pdf), stem)
    from_docx = _rules(_findings(office), stem)
    rules = {r for r, _ in from_pdf}
    assert "signature/acceptance-team" in rules
    assert "content/acceptance-verdict" in rules
    assert "signature/unreadable" not in rules
    assert from_pdf == from_docx
    unsigned = {m for r, m in from_pdf if r == "signature/acceptance-team"}
    assert any("钱进" in m for m in unsigned) and any("赵敏" in m for m in unsigned)
    assert not any("林海" in m or "王蕾" in m for m in unsigned)


def test_the_pdf_acceptance_report_has_the_docx_facts(folders):
    office, pdf = folders
    d = extract(office / f"{NAMES['acceptance']}.docx")
    p = extract(pdf / f"{NAMES['acceptance']}.pdf")

    def rows(doc):
        return sorted((r.name, r.signed, r.date) for r in doc.signature_rows)

    assert rows(p) == rows(d)
    assert ("赵敏", False, dt.date(2026, 11, 6)) in rows(p)  # the date kept its column
    assert date_field(p, "验收日期")[0] == date_field(d, "验收日期")[0] == "2026-11-06"
    # The paragraphs around the tables are not rows.
    cells = {b.text for b in p.text_blocks if b.kind == "cell"}
    assert not any("一式两份" in c or c == "附件" or "验收结论" in c for c in cells)


def test_the_pdf_monthly_report_filing_date_is_read(folders):
    office, pdf = folders
    d = extract(office / f"{NAMES['monthly']}.docx")
    p = extract(pdf / f"{NAMES['monthly']}.pdf")
    assert date_field(p, "报告日期") is not None
    assert date_field(p, "报告日期")[0] == date_field(d, "报告日期")[0] == "2026-10-12"
    period = p.field("报告周期")
    assert period is not None and period.parsed.label == "2026年9月"


def test_an_excel_approval_sheet_printed_to_pdf_is_read(folders):
    office, pdf = folders
    stem = NAMES["approval"]
    p = extract(pdf / f"{stem}.pdf")
    x = extract(office / f"{stem}.xlsx")

    def rows(doc):
        return sorted((r.role_key, r.name, r.signed, r.date) for r in doc.signature_rows)

    # The 日期 column went to page 2 of the PDF: it is joined back to its rows.
    assert rows(p) == rows(x)
    from_pdf = _rules(_findings(pdf), stem)
    assert {r for r, _ in from_pdf} == {"signature/approval-chain"}
    assert any("CEO" in m for _, m in from_pdf)


def test_an_excel_weekly_report_printed_to_pdf_keeps_its_filing_date(folders):
    office, pdf = folders
    p = extract(pdf / f"{NAMES['weekly']}.pdf")
    x = extract(office / f"{NAMES['weekly']}.xlsx")
    assert date_field(p, "报告日期")[0] == date_field(x, "报告日期")[0] == "2026-09-11"


# --- the layout rules, on text ---------------------------------------------------------------


def _grid_texts(layout: str, **kw):
    grids, _, _ = recover(layout, first_table=1, image=False, **kw)
    return [[[c.text for c in row] for row in g.rows] for g in grids]


NL = "\n"
HEAD = "姓名             单位             签字             日期"


def test_a_row_missing_cells_is_placed_by_position():
    layout = NL.join(
        [
            HEAD,
            "林海             信息中心           林海             2026年 11月 6日",
            "钱进             审计部",
            "赵敏             财务部                            2026年11月6日",
            "                审计部           孙磊",
        ]
    )
    [grid] = _grid_texts(layout)
    assert grid[2] == ["钱进", "审计部", "", ""]
    assert grid[3] == ["赵敏", "财务部", "", "2026年11月6日"]
    assert grid[4] == ["", "审计部", "孙磊", ""]


def test_a_date_printed_left_of_its_column_still_is_the_date():
    layout = HEAD + "\n" + "钱进             审计部        2026年11月6日"
    [grid] = _grid_texts(layout)
    assert grid[1] == ["钱进", "审计部", "", "2026年11月6日"]


@pytest.mark.parametrize(
    "after",
    [
        "验收结论：通过",
        "本报告一式两份，甲乙双方各执一份。",
        "附件",
        "甲方（盖章）                     乙方（盖章）",
    ],
)
def test_the_table_ends_at_a_line_that_is_not_a_row(after):
    layout = NL.join(
        [
            HEAD,
            "林海             信息中心           林海             2026年11月6日",
            after,
            "王蕾             测评中心           王蕾",
        ]
    )
    [grid] = _grid_texts(layout)
    assert [row[0] for row in grid] == ["姓名", "林海"]


def test_rows_apart_by_blank_lines_stay_one_table():
    """A row holding a signature picture is tall: layout mode prints blank lines around it."""
    layout = NL.join(
        [
            "审批环节           审批意见             　　签 名          　　日 期",
            "部门负责人审批        同意                            2026-07-09",
            "",
            "财务部审核          同意                            2026-07-13",
            "",
            "总经理审批          同意                            2026-07-15",
        ]
    )
    [grid] = _grid_texts(layout)
    assert [row[0] for row in grid[1:]] == ["部门负责人审批", "财务部审核", "总经理审批"]
    assert [row[3] for row in grid[1:]] == ["2026-07-09", "2026-07-13", "2026-07-15"]


def test_paragraphs_are_never_rows():
    layout = NL.join(
        [
            "地址：江苏省无锡市滨湖区蠡湖大道      88号   地址：浙江省杭州市西湖区文三路      199号",
            "ERP   系统二期运维外包服务合同",
            "合同签订后支付  30%，中期评审通过后支付     40%，验收合格后支付   30%。",
            "项目  进度  良好，人员  稳定",
            "甲方代表（签字）           乙方代表（签字）",
        ]
    )
    assert _grid_texts(layout) == []


def test_label_lines_without_colon_and_a_wrapped_value():
    layout = NL.join(
        [
            "项目名称           OA系统运维外包项      验收日期           2026年 11月 6日",
            "               目",
            "报告期           2026年9月       提交日期          2026年10月 12日",
        ]
    )
    [grid] = _grid_texts(layout)
    assert grid[0] == ["项目名称", "OA系统运维外包项目", "验收日期", "2026年 11月 6日"]
    assert grid[1] == ["报告期", "2026年9月", "提交日期", "2026年10月 12日"]


def test_only_pages_that_may_hold_a_table_are_laid_out():
    assert worth_a_layout("验收报告\n姓名 单位 签字 日期\n林海 信息中心")
    assert worth_a_layout("报告周期 2026.09.07~2026.09.11\n报告日期\n周报")
    assert not worth_a_layout("第一条 服务内容\n乙方为甲方提供运维服务。\n签订日期：2026年8月28日")


def test_attachments_ticked_on_a_pdf_page_with_other_boxes_are_attached():
    """A PDF page holds the attachments' lines and the verdict's boxes in one block: each
    attachment is read on its own line (``1 成果报告 ☑``), not from the page's boxes together."""
    from itdocs.archive.contracts import acceptance_facts
    from itdocs.extract.model import ExtractedDocument, TextBlock

    page = (
        "序号 验收申请附件 是否提交\n1 成果报告 ☑\n2 测试报告 ☑\n3 用户手册 ☑\n4 操作指南 □\n"
        "验收结论 ☑通过 □整改后复验"
    )
    doc = ExtractedDocument(
        path="验收报告.pdf", format="pdf", text_blocks=(TextBlock(page, "第1页", "page"),)
    )
    facts = acceptance_facts(doc, {})
    assert facts["attachments"] == ["result_report", "test_report", "user_manual"]
