"""Reading real documents written the way suppliers and clerks write them (built here with
python-docx, openpyxl and a small PDF writer): fields, dates, periods, signature rows, clauses,
resolutions and custom properties come out as facts."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docbuild import SigField, build_pdf, member, raw_zip, tiny_png
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from itdocs.extract import extract

D = dt.date


def _picture(cell) -> None:
    cell.paragraphs[0].add_run().add_picture(io.BytesIO(tiny_png()), width=Cm(2))


def _save(document, path: Path) -> Path:
    document.save(path)
    return path


def _with_custom_properties(path: Path, props: dict[str, tuple[str, str]]) -> Path:
    """Add docProps/custom.xml (name → (vt type, text)) as Word would write it."""
    body = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{name}">'
        f"<vt:{kind}>{text}</vt:{kind}></property>"
        for i, (name, (kind, text)) in enumerate(props.items(), 2)
    )
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        + body
        + "</Properties>"
    ).encode()
    src = zipfile.ZipFile(path)
    members = [member(n, src.read(n)) for n in src.namelist()]
    src.close()
    path.write_bytes(raw_zip([*members, member("docProps/custom.xml", custom)]))
    return path


def supplier_contract(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("信息技术外包服务合同", 0)
    d.add_paragraph("合同编号：HT-2026-018")
    d.add_paragraph("甲方（委托方）：华东某某集团有限公司")
    d.add_paragraph("乙方（受托方）：杭州某某信息技术有限公司")
    d.add_paragraph("第一条 服务内容").runs[0].bold = True
    d.add_paragraph("乙方为甲方提供ERP系统运行维护服务。服务期限：2026年9月1日至2027年8月31日。")
    d.add_paragraph("第三条 合同价款").runs[0].bold = True
    d.add_paragraph("本合同总金额为人民币肆拾陆万捌仟元整（¥468,000.00），分四期支付。")
    d.add_paragraph("第四条 服务水平（SLA）").runs[0].bold = True
    d.add_paragraph("系统可用性不低于99.9%，一级故障响应时间不超过30分钟。")
    d.add_paragraph("第五条 保密条款").runs[0].bold = True
    d.add_paragraph("乙方对服务中知悉的甲方商业秘密负有保密义务，保密期限为合同终止后三年。")
    d.add_paragraph("第六条 违约责任").runs[0].bold = True
    d.add_paragraph("任何一方违约的，应向守约方支付合同总金额10%的违约金。")
    d.add_paragraph("第七条 知识产权").runs[0].bold = True
    d.add_paragraph("本项目交付成果的知识产权归甲方所有。")
    t = d.add_table(rows=3, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.cell(0, 0).text = "甲方（盖章）：华东某某集团有限公司"
    t.cell(0, 1).text = "乙方（盖章）：杭州某某信息技术有限公司"
    t.cell(1, 0).text = "授权代表（签字）："
    _picture(t.cell(1, 0))
    t.cell(1, 1).text = "授权代表（签字）："
    t.cell(2, 0).text = "日期：2026年9月1日"
    t.cell(2, 1).text = "日期：    年  月  日"
    return _save(d, path)


def test_supplier_contract(tmp_path):
    doc = extract(
        supplier_contract(tmp_path / "ERP运维外包项目-2026年9月-服务合同.docx"), strict=True
    )
    assert doc.ok and doc.format == "docx"
    assert doc.title == "信息技术外包服务合同"
    assert doc.field("甲方").value == "华东某某集团有限公司"
    assert doc.field("乙方").value == "杭州某某信息技术有限公司"
    assert doc.field("合同编号").value == "HT-2026-018"
    assert set(doc.clauses) == {"sla", "confidentiality", "breach_liability", "ip"}
    assert doc.clauses["confidentiality"] == "第11段"
    rows = {r.role_key: r for r in doc.signature_rows}
    assert (
        rows["party_a"].signed
        and rows["party_a"].has_image
        and rows["party_a"].date == D(2026, 9, 1)
    )
    assert not rows["party_b"].signed and rows["party_b"].date is None
    assert any(
        p.kind == "range" and (p.start, p.end) == (D(2026, 9, 1), D(2027, 8, 31))
        for p in doc.periods
    )


def approval_sheet(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("采购审批单")
    form = d.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate(
        [
            ("项目名称", "ERP运维外包项目"),
            ("申请部门", "信息技术部"),
            ("预算金额（元）", "468,000.00"),
        ]
    ):
        form.cell(r, 0).text, form.cell(r, 1).text = label, value
    d.add_paragraph("申请日期：2026年9月1日")
    t = d.add_table(rows=4, cols=4)
    for i, h in enumerate(["审批环节", "审批意见", "签  字", "日  期"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 3).text = (
        "部门负责人初审",
        "同意",
        "2026年9月2日",
    )
    _picture(t.cell(1, 2))
    t.cell(2, 0).text, t.cell(2, 1).text = "财务部复审", "同意"
    t.cell(3, 0).text, t.cell(3, 2).text, t.cell(3, 3).text = "CEO终审", "王五", "2026.09.05"
    return _save(d, path)


def test_approval_sheet_rows_in_order(tmp_path):
    doc = extract(approval_sheet(tmp_path / "审批单.docx"), strict=True)
    got = [(r.role, r.role_key, r.signed, r.basis, r.date) for r in doc.signature_rows]
    assert got == [
        ("部门负责人初审", "department_head", True, "image", D(2026, 9, 2)),
        ("财务部复审", "finance", False, "none", None),
        ("CEO终审", "ceo", True, "text", D(2026, 9, 5)),
    ]
    assert doc.signature_rows[0].location == "表2 行2"
    assert doc.field("预算").parsed == Decimal("468000.00")
    assert doc.field("申请日期").parsed == D(2026, 9, 1)
    assert doc.field("项目名称").value == "ERP运维外包项目"
    assert not any(f.key == "日期" for f in doc.fields)  # signature dates are not document dates


def test_inline_signature_rows(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "部门负责人（签字）："
    _picture(t.cell(0, 0))
    t.cell(0, 1).text = "日期：2026年9月2日"
    t.cell(1, 0).text, t.cell(1, 1).text = "财务负责人（签字）：", "日期："
    t.cell(2, 0).text, t.cell(2, 1).text = "总经理（签字）：王五", "日期：2026-09-05"
    doc = extract(_save(d, tmp_path / "a.docx"), strict=True)
    got = [(r.role_key, r.signed, r.basis, r.name, r.date) for r in doc.signature_rows]
    assert got == [
        ("department_head", True, "image", None, D(2026, 9, 2)),
        ("finance", False, "none", None, None),
        ("ceo", True, "text", "王五", D(2026, 9, 5)),
    ]


def test_acceptance_team_with_merged_role_cell(tmp_path):
    d = docx.Document()
    d.add_paragraph("验收报告")
    d.add_paragraph("验收结论：通过")
    d.add_paragraph("第三方机构：某某软件测评中心")
    t = d.add_table(rows=5, cols=5)
    for i, h in enumerate(["验收角色", "姓名", "单位", "签字", "日期"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 4).text = "验收组长", "张三", "2026-12-01"
    _picture(t.cell(1, 3))
    t.cell(2, 0).merge(t.cell(3, 0)).text = "验收组员"
    t.cell(2, 1).text, t.cell(2, 4).text = "李四", "2026-12-01"
    _picture(t.cell(2, 3))
    t.cell(3, 1).text = "王五"
    t.cell(4, 0).text, t.cell(4, 1).text, t.cell(4, 3).text, t.cell(4, 4).text = (
        "第三方",
        "赵六",
        "赵六",
        "2026/12/2",
    )
    doc = extract(_save(d, tmp_path / "验收报告.docx"), strict=True)
    got = [(r.role_key, r.name, r.signed, r.date) for r in doc.signature_rows]
    assert got == [
        ("acceptance_lead", "张三", True, D(2026, 12, 1)),
        ("acceptance_member", "李四", True, D(2026, 12, 1)),
        ("acceptance_member", "王五", False, None),
        ("third_party", "赵六", True, D(2026, 12, 2)),
    ]
    assert doc.field("验收结论").value == "通过"
    assert doc.field("第三方机构").value == "某某软件测评中心"


def minutes(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("项目启动会会议纪要", 1)
    d.add_paragraph("会议时间：2026年9月8日 14:00        会议地点：三楼会议室")
    d.add_paragraph("参会人员：张三、李四、王五")
    d.add_paragraph("纪要日期：2026年9月8日")
    d.add_paragraph("一、会议内容")
    d.add_paragraph("双方确认了项目目标和里程碑。")
    d.add_paragraph("二、会议决议")
    d.add_paragraph("1. 乙方于2026年9月15日前提交详细实施方案，负责人：李四。")
    d.add_paragraph("2. 甲方信息技术部协调服务器资源，负责人：张三，完成时限：2026年9月10日。")
    d.add_paragraph("3. 每周五提交周报。")
    d.add_paragraph("三、下一步工作")
    d.add_paragraph("1. 开展需求调研。")
    d.add_paragraph("决议四：项目例会每两周召开一次，由王五负责。")
    t = d.add_table(rows=2, cols=3)
    for i, h in enumerate(["决议事项", "负责人", "完成时限"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text = (
        "建立问题台账",
        "赵六",
        "2026年9月9日 18时",
    )
    return _save(d, path)


def test_minutes_resolutions(tmp_path):
    doc = extract(minutes(tmp_path / "启动会纪要.docx"), strict=True)
    assert doc.field("会议时间").parsed == dt.datetime(2026, 9, 8, 14, 0)
    assert doc.field("纪要日期").parsed == D(2026, 9, 8)
    assert doc.field("会议地点").value == "三楼会议室"
    got = [(r.owner, r.due) for r in doc.resolutions]
    assert got == [
        ("李四", D(2026, 9, 15)),
        ("张三", D(2026, 9, 10)),
        (None, None),
        ("王五", None),
        ("赵六", dt.datetime(2026, 9, 9, 18, 0)),
    ]
    assert doc.resolutions[0].text.startswith("乙方于2026年9月15日前")
    assert doc.resolutions[-1].location == "表1 行2"


def test_weekly_report_with_header_and_custom_properties(tmp_path):
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "ERP运维外包项目 周报"
    d.add_paragraph("项目周报")
    d.add_paragraph("报告周期：2026年第42周")
    d.add_paragraph("报告期间：2026年10月12日至16日")
    d.add_paragraph("报告日期：2026年10月16日")
    path = _with_custom_properties(
        _save(d, tmp_path / "周报.docx"),
        {
            "itdocs.project_id": ("lpwstr", "P-2026-001"),
            "itdocs.kind": ("lpwstr", "outsourcing"),
            "itdocs.period": ("lpwstr", "2026-W42"),
            "itdocs.revision": ("i4", "3"),
            "itdocs.generated": ("filetime", "2026-10-16T08:00:00Z"),
        },
    )
    doc = extract(path, strict=True)
    assert doc.ok
    assert doc.custom_properties["itdocs.project_id"] == "P-2026-001"
    assert doc.custom_properties["itdocs.revision"] == 3
    assert doc.custom_properties["itdocs.generated"].year == 2026
    week = doc.field("报告周期").parsed
    assert (week.kind, week.start, week.end, week.label) == (
        "week",
        D(2026, 10, 12),
        D(2026, 10, 18),
        "2026年第42周",
    )
    span = doc.field("报告期间").parsed
    assert (span.kind, span.start, span.end) == ("range", D(2026, 10, 12), D(2026, 10, 16))
    assert any(b.kind == "header" and "周报" in b.text for b in doc.text_blocks)


def _xlsx_with_picture(path: Path, sheet_part: str, row: int, col: int) -> None:
    """Anchor a picture at (row, col), 1-based, as Excel does for a pasted signature image."""
    src = zipfile.ZipFile(path)
    names = src.namelist()
    parts = {n: src.read(n) for n in names}
    src.close()
    base = sheet_part.rsplit("/", 1)
    rels = f"{base[0]}/_rels/{base[1]}.rels"
    parts[rels] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rIdD1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/drawing" Target="../drawings/drawing1.xml"/></Relationships>'
    )
    parts["xl/drawings/drawing1.xml"] = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:oneCellAnchor>'
        f"<xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row - 1}</xdr:row>"
        '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="1" cy="1"/><xdr:pic><xdr:nvPicPr>'
        '<xdr:cNvPr id="2" name="签名"/><xdr:cNvPicPr/></xdr:nvPicPr></xdr:pic><xdr:clientData/>'
        "</xdr:oneCellAnchor></xdr:wsDr>"
    ).encode()
    path.write_bytes(raw_zip([member(n, data) for n, data in parts.items()]))


def test_xlsx_report(tmp_path):
    from openpyxl.packaging.custom import StringProperty

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "月报"
    ws["A1"] = "ERP运维外包项目 月报"
    ws.merge_cells("A1:E1")
    ws["A2"], ws["B2"] = "报告周期", "2026年9月"
    ws["A3"], ws["B3"] = "报告日期", dt.datetime(2026, 10, 5)
    ws["A4"], ws["B4"] = "合同金额（元）", 468000
    ws.append([])
    ws.append(["序号", "工作内容", "完成情况"])
    ws.append([1, "服务器巡检", "完成"])
    ws["A10"], ws["B10"], ws["D10"] = "项目经理", "签字", "日期"
    ws["E10"] = dt.date(2026, 10, 5)
    ws["A11"], ws["B11"], ws["D11"] = "部门负责人", "签字", "日期"
    risks = wb.create_sheet("风险")
    risks.append(["风险", "等级"])
    risks.append(["人员流动", "中"])
    wb.custom_doc_props.append(StringProperty(name="itdocs.document_type", value="monthly_report"))
    path = tmp_path / "ERP运维外包项目-2026年9月-月报.xlsx"
    wb.save(path)
    _xlsx_with_picture(path, "xl/worksheets/sheet1.xml", row=10, col=3)
    doc = extract(path, strict=True)
    assert doc.ok and doc.format == "xlsx"
    assert doc.custom_properties["itdocs.document_type"] == "monthly_report"
    assert doc.field("报告周期").parsed.label == "2026年9月"
    assert doc.field("报告日期").parsed == D(2026, 10, 5)
    assert doc.field("报告日期").location == "月报!B3"
    assert doc.field("合同金额").parsed == Decimal(468000)
    got = [(r.role_key, r.signed, r.has_image, r.date, r.location) for r in doc.signature_rows]
    assert got == [
        ("project_manager", True, True, D(2026, 10, 5), "月报 行10"),
        ("department_head", False, False, None, "月报 行11"),
    ]
    assert any(b.location == "风险!A2" and b.text == "人员流动" for b in doc.text_blocks)


def test_pdf_text_and_signature_fields(tmp_path):
    path = tmp_path / "服务合同.pdf"
    path.write_bytes(
        build_pdf(
            [
                [
                    "信息技术服务合同",
                    "签订日期：2026年9月1日",
                    "第五条 保密条款",
                    "第六条 违约责任",
                ],
                ["甲方代表（签字）：", "乙方代表（签字）：李四  日期：2026年9月2日"],
            ],
            sig_fields=[SigField("甲方代表"), SigField("乙方代表", signer="李四", page=1)],
            info={"Title": "服务合同", "itdocs.project_id": "P-2026-001"},
        )
    )
    doc = extract(path, strict=True)
    assert doc.ok and doc.format == "pdf"
    assert [b.location for b in doc.text_blocks] == ["第1页", "第2页"]
    assert doc.field("签订日期").parsed == D(2026, 9, 1)
    assert set(doc.clauses) == {"confidentiality", "breach_liability"}
    assert doc.custom_properties == {"itdocs.project_id": "P-2026-001"}
    assert doc.core_properties["title"] == "服务合同"
    assert [(s.name, s.status, s.signer) for s in doc.pdf_signatures] == [
        ("甲方代表", "empty", None),
        ("乙方代表", "claimed", "李四"),
    ]
    claimed = [r for r in doc.signature_rows if r.basis == "pdf-claimed"]
    assert [(r.role_key, r.name, r.date) for r in claimed] == [
        ("party_b", "李四", dt.datetime(2026, 9, 1, 10, 30))
    ]
    text_rows = [
        (r.role_key, r.signed, r.date) for r in doc.signature_rows if r.location == "第2页"
    ]
    assert text_rows == [("party_a", False, None), ("party_b", True, D(2026, 9, 2))]


def test_content_controls_and_nested_tables(tmp_path):
    """A form built with content controls (w:sdt) and a table inside a cell reads like its plain twin."""
    from docx.oxml import parse_xml

    d = docx.Document()
    sdt = parse_xml(
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtPr/>'
        "<w:sdtContent><w:p><w:r><w:t>申请日期：2026年9月1日</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    d.element.body.insert(0, sdt)
    outer = d.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "验收日期", "2026-12-01"
    doc = extract(_save(d, tmp_path / "f.docx"), strict=True)
    assert doc.field("申请日期").parsed == D(2026, 9, 1)
    assert doc.field("验收日期").parsed == D(2026, 12, 1)


@pytest.mark.parametrize("builder", [supplier_contract, approval_sheet, minutes])
def test_same_facts_through_a_symlink_inside_the_folder(tmp_path, builder):
    real = builder(tmp_path / "real.docx")
    link = tmp_path / "link.docx"
    link.symlink_to(real)
    direct, through = extract(real), extract(link)
    assert through.problem_codes == ("symlink",)
    assert through.signature_rows == direct.signature_rows and through.fields == direct.fields


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_pdf_of_a_contract_and_an_approval_sheet(tmp_path):
    """The PDF a supplier exports from Word/LibreOffice: spaced-out digits, table borders gone, the
    signature picture somewhere on the page."""
    sources = [
        supplier_contract(tmp_path / "contract.docx"),
        approval_sheet(tmp_path / "approval.docx"),
    ]
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    contract = extract(tmp_path / "contract.pdf", strict=True)
    assert contract.ok and contract.format == "pdf"
    assert set(contract.clauses) == {"sla", "confidentiality", "breach_liability", "ip"}
    assert contract.field("甲方").value == "华东某某集团有限公司"
    assert any(p.kind == "range" and p.end == D(2027, 8, 31) for p in contract.periods)
    reps = [r for r in contract.signature_rows if r.role.endswith("授权代表")]
    assert [(r.role_key, r.date) for r in reps] == [("party_a", D(2026, 9, 1)), ("party_b", None)]
    assert all(
        r.basis == "image" for r in reps
    )  # a picture on the page: given the benefit of the doubt
    approval = extract(tmp_path / "approval.pdf", strict=True)
    assert approval.field("预算").parsed == Decimal("468000.00")
    assert approval.field("申请日期").parsed == D(2026, 9, 1)


def test_generated_documents_read_back(cli, samples_dir, tmp_path):
    """Every document itdocs generates reads without a problem, carries its custom properties, and
    its approval chain comes back as signature rows (unsigned: nobody has signed yet)."""
    result = cli("generate", samples_dir / "outsourcing-helpdesk.json", "-o", tmp_path)
    if result.exit_code != 0:
        pytest.skip(f"generation unavailable: {result.output[-200:]}")
    docs = {
        p.name: extract(p, strict=True)
        for p in tmp_path.iterdir()
        if p.suffix in (".docx", ".xlsx")
    }
    assert docs and all(d.ok for d in docs.values()), {
        n: d.problems for n, d in docs.items() if d.problems
    }
    assert all(d.custom_properties.get("itdocs.document_type") for d in docs.values())
    [approval] = [d for n, d in docs.items() if n.endswith("采购审批单.docx")]
    chain = [r.role_key for r in approval.signature_rows]
    assert chain[:3] == ["department_head", "finance", "ceo"]
    assert all(r.date is not None and not r.signed for r in approval.signature_rows[:3])
    weekly = [d for n, d in docs.items() if n.endswith("周报.docx")]
    assert weekly and all(any(p.kind == "week" for p in d.periods) for d in weekly)


def test_reading_without_facts_keeps_text_properties_and_problems(tmp_path):
    """``facts=False`` is the reader alone (what the benchmark compares with the floor)."""
    d = docx.Document()
    d.core_properties.title = "采购审批单"
    d.add_paragraph("申请日期：2026年9月1日")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "部门负责人", "张三"
    path = _save(d, tmp_path / "a.docx")
    read = extract(path, facts=False)
    full = extract(path)
    assert read.text_blocks == full.text_blocks and read.title == full.title == "采购审批单"
    assert read.core_properties == full.core_properties and read.ok
    assert full.field("申请日期") is not None and read.fields == () and read.dates == ()
