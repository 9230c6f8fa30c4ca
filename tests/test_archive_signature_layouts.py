"""Signature blocks as clerks really draw them, read by ``itdocs check``: acceptance tables whose
header has no role column (``验收小组 | 姓名 | 单位 | 签字 | 日期``, ``序号 | 验收人员 | 签名 | 日期``,
``验收组成员 | 签字 | 日期``) or names the unit before the role (``姓名 | 单位 | 职务 | 签字 | 日期``);
a contract whose signature and legal-review rows lose their colons in LibreOffice's PDF; a legal
review written as one paragraph; a change request with a blank approval row; acceptance
attachments said to be missing. Each case asserts what the clerk sees: the finding, at the file."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from archive_checks import found, run, write_policy
from archive_docs import NAME, SIGNED, D, Project, _picture, cn, write_archive
from archive_docs import picture_table as _table

from itdocs.archive.contracts import acceptance_facts, contract_facts
from itdocs.engine import check
from itdocs.extract import extract
from itdocs.extract.model import TextBlock
from itdocs.extract.sigtext import signature_rows_in_text


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path)


# --- acceptance signature tables ------------------------------------------------------------------

DAY = cn(D(2026, 11, 5))
# Each layout: the header, then the lead (signed), the third party (signed) and 王五 (blank or signed).
LAYOUTS: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "unit-then-role": (
        ["姓名", "单位", "职务", "签字", "日期"],
        ["王志强", "信息技术部", "组长", SIGNED, DAY],
        ["孙伟", "中国赛宝实验室", "第三方专家", SIGNED, DAY],
        ["王五", "行政部", "组员", "{sig}", "{day}"],
    ),
    "team-column-of-roles": (
        ["验收小组", "姓名", "单位", "签字", "日期"],
        ["组长", "王志强", "信息技术部", SIGNED, DAY],
        ["第三方", "孙伟", "中国赛宝实验室", SIGNED, DAY],
        ["组员", "王五", "行政部", "{sig}", "{day}"],
    ),
    "numbered-team-column-of-names": (
        ["序号", "验收人员", "签名", "日期"],
        ["1", "王志强（组长）", SIGNED, DAY],
        ["2", "孙伟（第三方机构）", SIGNED, DAY],
        ["3", "王五", "{sig}", "{day}"],
    ),
    "team-members-only": (
        ["验收组成员", "签字", "日期"],
        ["王志强（组长）", SIGNED, DAY],
        ["孙伟（第三方）", SIGNED, DAY],
        ["王五", "{sig}", "{day}"],
    ),
    "role-header": (
        ["角色", "姓名", "签字", "日期"],
        ["验收组长", "王志强", SIGNED, DAY],
        ["第三方机构代表", "孙伟", SIGNED, DAY],
        ["验收组员", "王五", "{sig}", "{day}"],
    ),
}


# Tables whose header names no role: the members' names in the first column, their unit beside
# them. In an acceptance report every row under the 签字 header is a member of the team; the one
# whose unit is a testing institution (or the report's 第三方机构) is the third party.
ROLELESS: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {
    "member-column-of-names": (
        ["验收小组成员", "单位", "签字", "日期"],
        ["王志强", "信息技术部", SIGNED, DAY],
        ["孙伟", "中国赛宝实验室", SIGNED, DAY],
        ["王五", "财务部", "{sig}", "{day}"],
    ),
    "name-and-unit": (
        ["姓名", "单位", "签字", "日期"],
        ["王志强", "信息中心", SIGNED, DAY],
        ["孙伟", "中国赛宝实验室", SIGNED, DAY],
        ["王五", "财务部", "{sig}", "{day}"],
    ),
    "numbered-name-and-department": (
        ["序号", "姓名", "部门", "签名", "日期"],
        ["1", "王志强", "信息技术部", SIGNED, DAY],
        ["2", "孙伟", "软件评测中心", SIGNED, DAY],
        ["3", "王五", "总经理办公室", "{sig}", "{day}"],
    ),
    "names-only": (
        ["姓名", "签字", "日期"],
        ["王志强", SIGNED, DAY],
        ["孙伟（第三方机构）", SIGNED, DAY],
        ["王五", "{sig}", "{day}"],
    ),
}
EVERY_LAYOUT = LAYOUTS | ROLELESS
WITH_UNITS = [name for name, (header, *_) in ROLELESS.items() if {"单位", "部门"} & set(header)]


def _acceptance(
    path: Path,
    rows: list[list[str]],
    *,
    signed: bool,
    extra: str = "",
    third: str = "中国赛宝实验室",
) -> None:
    d = docx.Document()
    d.add_heading("项目验收报告", 1)
    d.add_paragraph(f"项目名称：{NAME}")
    d.add_paragraph(f"验收日期：{DAY}")
    d.add_paragraph(f"第三方机构：{third}")
    d.add_paragraph("验收结论：通过")
    if extra:
        d.add_paragraph(extra)
    d.add_paragraph("验收小组签字")
    fill = {"{sig}": SIGNED if signed else "", "{day}": DAY if signed else ""}
    _table(d, [[fill.get(c, c) for c in row] for row in rows])
    d.save(path)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_acceptance_rows_are_read_with_their_roles(tmp_path, layout):
    path = tmp_path / "验收报告.docx"
    _acceptance(path, list(LAYOUTS[layout]), signed=False)
    rows = extract(path).signature_rows
    got = [(r.role_key, r.name, r.signed) for r in rows]
    assert got == [
        ("acceptance_lead", "王志强", True),
        ("third_party", "孙伟", True),
        ("acceptance_member", "王五", False),
    ]


def test_the_unit_column_is_not_the_role(tmp_path):
    """``姓名 | 单位 | 职务 | 签字``: 信息技术部 is where the member works, 组长 their role."""
    path = tmp_path / "验收报告.docx"
    _acceptance(path, list(LAYOUTS["unit-then-role"]), signed=True)
    roles = [(r.role, r.role_key) for r in extract(path).signature_rows]
    assert roles == [
        ("组长", "acceptance_lead"),
        ("第三方专家", "third_party"),
        ("组员", "acceptance_member"),
    ]


def test_approval_tables_still_take_the_department_when_the_post_names_no_role(tmp_path):
    """``部门 | 岗位 | 签字 | 日期`` with 经理 in 岗位: the role is still read from 部门."""
    path = tmp_path / "审批单.docx"
    d = docx.Document()
    _table(
        d,
        [
            ["部门", "岗位", "签字", "日期"],
            ["财务部", "经理", SIGNED, "2026年7月13日"],
            ["总经理办公室", "总经理", "", ""],
        ],
    )
    d.save(path)
    got = [(r.role_key, r.signed) for r in extract(path).signature_rows]
    assert got == [("finance", True), ("ceo", False)]


def test_an_inline_row_is_not_taken_for_a_header(tmp_path):
    """``验收人员 | 签字 | [图] | 日期 |`` rows, one under the other: each is a signed line."""
    path = tmp_path / "验收报告.docx"
    d = docx.Document()
    _table(
        d,
        [
            ["验收人员", "签字", SIGNED, "日期", ""],
            ["验收组员", "签字", "", "日期", ""],
        ],
    )
    d.save(path)
    got = [(r.role_key, r.signed) for r in extract(path).signature_rows]
    assert got == [("acceptance_member", True), ("acceptance_member", False)]


@pytest.mark.parametrize("layout", sorted(EVERY_LAYOUT))
def test_a_blank_member_signature_is_found(tmp_path, policy, layout):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _acceptance(paths["acceptance"], list(EVERY_LAYOUT[layout]), signed=False)
    report = run(folder, policy)
    acceptance = paths["acceptance"].name
    assert found(report, folder) == {(acceptance, "signature/acceptance-team")}
    [finding] = report.findings
    assert "王五" in finding.message


@pytest.mark.parametrize("layout", sorted(EVERY_LAYOUT))
def test_a_fully_signed_team_is_clean(tmp_path, policy, layout):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _acceptance(paths["acceptance"], list(EVERY_LAYOUT[layout]), signed=True)
    assert found(run(folder, policy), folder) == set()


@pytest.mark.parametrize("layout", sorted(WITH_UNITS))
def test_an_outsourcing_team_without_a_third_party_is_found(tmp_path, policy, layout):
    """The same team, 孙伟 now from the IT department: no member is a third party."""
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    header, lead, third, other = EVERY_LAYOUT[layout]
    unit = header.index(next(h for h in header if h in ("单位", "部门")))
    third = [*third[:unit], "运维部", *third[unit + 1 :]]
    _acceptance(paths["acceptance"], [header, lead, third, other], signed=True, third="无")
    report = run(folder, policy)
    acceptance = paths["acceptance"].name
    assert found(report, folder) == {(acceptance, "signature/third-party-acceptance")}


def test_the_member_from_the_named_third_party_institution_is_the_third_party(tmp_path, policy):
    """孙伟's unit names no testing word but is the report's 第三方机构."""
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    header, lead, third, other = ROLELESS["name-and-unit"]
    third = ["孙伟", "华夏信达科技有限公司", SIGNED, DAY]
    _acceptance(
        paths["acceptance"],
        [header, lead, third, other],
        signed=True,
        third="华夏信达科技有限公司",
    )
    assert found(run(folder, policy), folder) == set()


def test_a_team_column_of_names_is_the_role_not_the_unit(tmp_path):
    """``验收小组成员 | 单位``: 黄涛 of 信息中心 is an acceptance member, not the IT department."""
    path = tmp_path / "验收报告.docx"
    _acceptance(path, list(ROLELESS["member-column-of-names"]), signed=False)
    got = [(r.role_key, r.name, r.signed) for r in extract(path).signature_rows]
    assert got == [
        ("acceptance_member", "王志强", True),
        ("acceptance_member", "孙伟", True),
        ("acceptance_member", "王五", False),
    ]


# --- the contract: colon-less lines (LibreOffice PDF) and a legal review in one paragraph ---------


def test_colon_less_signature_lines_give_party_rows_and_dates():
    """As pypdf reads a LibreOffice PDF of a ``甲方代表（签字）| [图] | 日期 | …`` table."""
    text = (
        "六、其他\n本合同一式两份，双方各执一份。\n"
        "法务审核 周敏 审核日期 2026 年6 月2 日\n"
        "甲方代表（签字）\n 日期 2026 年6 月5 日\n"
        "乙方代表（签字）\n 日期 2026 年6 月5 日"
    )
    rows = signature_rows_in_text([TextBlock(text, "第1页", "page")], {"第1页"})
    got = [(r.role_key, r.signed, r.date) for r in rows]
    assert got == [
        ("party_a", True, dt.date(2026, 6, 5)),
        ("party_b", True, dt.date(2026, 6, 5)),
    ]


def test_a_bracketed_sign_word_inside_a_sentence_is_no_signature_line():
    text = "乙方应在验收单上（签字）确认，甲方代表（签字）后生效。"
    assert signature_rows_in_text([TextBlock(text, "第3段")]) == []


def _contract(p: Project, path: Path, *, legal: str | None, table: bool) -> None:
    """The hand-made contract, its signature block a colon-less table or two-column seal block,
    the legal review given by ``legal`` (a paragraph) or by a table row."""
    d = docx.Document()
    d.add_heading("ERP系统运维外包服务合同", 0)
    d.add_paragraph("甲方（委托方）：华东精密机械股份有限公司")
    d.add_paragraph("乙方（受托方）：苏州云启信息科技有限公司")
    d.add_paragraph("第一条 服务内容")
    d.add_paragraph("乙方为甲方提供ERP系统运行维护服务，服务期限：2026年8月1日至2027年7月31日。")
    for head, body in (
        ("第二条 服务水平（SLA）", "系统可用性不低于99.5%，一级故障响应时间不超过30分钟。"),
        ("第三条 保密条款", "乙方负有保密义务，保密期限为合同终止后三年。"),
        ("第四条 违约责任", "任何一方违约的，应向守约方支付合同总金额10%的违约金。"),
    ):
        d.add_paragraph(head)
        d.add_paragraph(body)
    if legal:
        d.add_paragraph(legal)
    rows = []
    if p.legal and not legal:
        rows.append(["法务审核", p.legal[0], "审核日期", cn(p.legal[1])])
    if table:
        rows += [
            ["甲方代表（签字）", SIGNED, "日期", cn(p.signed)],
            ["乙方代表（签字）", SIGNED, "日期", cn(p.signed)],
        ]
        _table(d, rows)
    else:
        if rows:
            _table(d, rows)
        t = _table(
            d,
            [
                [
                    "甲方（盖章）：华东精密机械股份有限公司",
                    "乙方（盖章）：苏州云启信息科技有限公司",
                ],
                ["授权代表（签字）：", "授权代表（签字）："],
                [f"日期：{cn(p.signed)}", f"日期：{cn(p.signed)}"],
            ],
        )
        _picture(t.cell(1, 0))
        _picture(t.cell(1, 1))
    d.save(path)


@pytest.mark.parametrize(
    "paragraph",
    [
        "法务审核意见：同意签订。　审核人：赵敏　　日期：2026年7月29日",
        "法务审核：赵敏　　2026年7月29日",
        "法务部审查意见：内容合规，同意签署。审查人：赵敏，日期：2026-07-29",
        "法务审核：已审核，同意签订（法务部 赵敏 2026年7月29日）",
        "法务审核：同意签订（法务部赵敏，2026年7月29日）",
    ],
)
def test_a_legal_review_written_as_a_paragraph_counts(tmp_path, policy, paragraph):
    folder = tmp_path / "归档"
    p = Project()
    paths = write_archive(p, folder)
    _contract(p, paths["contract"], legal=paragraph, table=False)
    assert found(run(folder, policy), folder) == set()
    facts = contract_facts(extract(paths["contract"]), [])
    assert facts["legal_review"][0] == {"name": "赵敏", "date": "2026-07-29"}


@pytest.mark.parametrize(
    "paragraph",
    [
        "法务审核意见：同意签订。",
        "法务审核：已审核，同意签订（法务部 2026年7月29日）",
        "法务审核：已审核，同意签订（2026年7月29日）",
    ],
)
def test_a_legal_opinion_without_reviewer_or_date_is_still_missing(tmp_path, policy, paragraph):
    folder = tmp_path / "归档"
    p = Project()
    paths = write_archive(p, folder)
    _contract(p, paths["contract"], legal=paragraph, table=False)
    rules = found(run(folder, policy), folder)
    assert rules == {(paths["contract"].name, "signature/legal-review-missing")}


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_contract_pdf_from_libreoffice_gives_signing_date_and_legal_review(tmp_path, policy):
    """The contract filed only as a PDF of a Word table without colons
    (``法务审核 | 赵敏 | 审核日期 | …``, ``甲方代表（签字） | [图] | 日期 | …``). pypdf reads it as
    ``甲方代表（签字）\\n 日期 2026 年7 月31 日``: the signing date and the legal review are read, so a
    review dated after signing is found, and a clean one gives nothing (no signature/unreadable)."""
    folder = tmp_path / "归档"
    work = tmp_path / "word"
    work.mkdir()
    late = Project(legal=("赵敏", D(2026, 8, 3)))
    outcomes = {}
    for label, p in (("clean", Project()), ("late", late)):
        target = folder / label
        paths = write_archive(p, target)
        source = work / label / paths["contract"].name
        source.parent.mkdir()
        _contract(p, source, legal=None, table=True)
        paths["contract"].unlink()
        subprocess.run(
            [
                _soffice(),
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(target),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = paths["contract"].with_suffix(".pdf")
        assert pdf.exists()
        facts = contract_facts(extract(pdf), [])
        assert facts["legal_review"][0]["name"] == "赵敏"
        outcomes[label] = (found(run(target, policy), target), pdf.name)
    assert outcomes["clean"][0] == set()
    assert outcomes["late"][0] == {(outcomes["late"][1], "signature/legal-review-after-signing")}


# --- a vertical signature block: heads, then pictures, then dates, one column per party -----------


def _vertical_contract(path: Path, *, legal: str | None, cells: list[list[str]]) -> None:
    """The contract, its signature block ``甲方代表（签字） | 乙方代表（签字）`` with ``cells`` (the
    signatures, the dates …) below, one row each, no labels; ``legal`` a paragraph, or no review."""
    p = Project(legal=None)
    _contract(p, path, legal=None, table=False)
    d = docx.Document(str(path))
    for table in list(d.tables):  # drop the seal block: this contract has the vertical one
        table._element.getparent().remove(table._element)
    if legal:
        d.add_paragraph(legal)
    _table(d, [["甲方代表（签字）", "乙方代表（签字）"], *cells])
    d.save(path)


SIGNING = cn(Project().signed)


@pytest.mark.parametrize(
    "cells",
    [
        [[SIGNED, SIGNED], [SIGNING, SIGNING]],
        [["周建国", "蒋文涛"], [SIGNING, SIGNING]],
        [[SIGNED, SIGNED], [f"日期：{SIGNING}", f"日期：{SIGNING}"]],
    ],
    ids=["pictures", "typed-names", "labelled-dates"],
)
def test_a_vertical_signature_block_gives_signatures_and_signing_date(tmp_path, policy, cells):
    path = tmp_path / "合同.docx"
    _vertical_contract(path, legal=None, cells=cells)
    got = [(r.role_key, r.signed, r.date) for r in extract(path).signature_rows]
    assert got == [("party_a", True, Project().signed), ("party_b", True, Project().signed)]
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _vertical_contract(
        paths["contract"],
        legal="法务审核意见：同意。审核人：赵敏　审核日期：2026年7月29日",
        cells=cells,
    )
    assert found(run(folder, policy), folder) == set()


def test_a_legal_review_after_a_vertical_block_signing_is_found(tmp_path, policy):
    """The red-team contract: legal review on 8-03, both parties signed on 7-31 in the block."""
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _vertical_contract(
        paths["contract"],
        legal="法务审核意见：同意。审核人：赵敏　审核日期：2026年8月3日",
        cells=[[SIGNED, SIGNED], [SIGNING, SIGNING]],
    )
    report = run(folder, policy)
    contract = paths["contract"].name
    assert found(report, folder) == {(contract, "signature/legal-review-after-signing")}
    [finding] = report.findings
    assert "2026-08-03" in finding.message and "2026-07-31" in finding.message


def test_a_vertical_block_flattened_by_a_pdf_dates_each_party():
    """pypdf's reading of that block: the heads on one line, the unlabelled dates on the next."""
    text = "甲方代表（签字） 乙方代表（签字）\n2026 年6 月26 日 2026 年6 月27 日\n本页以下无正文。"
    rows = signature_rows_in_text([TextBlock(text, "第2页", "page")], {"第2页"})
    got = [(r.role_key, r.signed, r.date) for r in rows]
    assert got == [
        ("party_a", True, dt.date(2026, 6, 26)),
        ("party_b", True, dt.date(2026, 6, 27)),
    ]


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_a_vertical_block_contract_pdf_gives_a_late_legal_review(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    source = tmp_path / "word" / paths["contract"].name
    source.parent.mkdir()
    _vertical_contract(
        source,
        legal="法务审核意见：同意。审核人：赵敏　审核日期：2026年8月3日",
        cells=[[SIGNED, SIGNED], [SIGNING, SIGNING]],
    )
    paths["contract"].unlink()
    subprocess.run(
        [_soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = paths["contract"].with_suffix(".pdf")
    assert found(run(folder, policy), folder) == {
        (pdf.name, "signature/legal-review-after-signing")
    }


def test_a_blank_party_in_a_vertical_block_is_found(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _vertical_contract(
        paths["contract"],
        legal="法务审核意见：同意。审核人：赵敏　审核日期：2026年7月29日",
        cells=[[SIGNED, ""], [SIGNING, "    年  月  日"]],
    )
    report = run(folder, policy)
    assert found(report, folder) == {(paths["contract"].name, "signature/contract-parties")}
    [finding] = report.findings
    assert "乙方" in finding.message


@pytest.mark.parametrize(("review", "late"), [(D(2026, 8, 3), True), (D(2026, 7, 29), False)])
def test_an_unread_signature_block_still_dates_signing_by_the_file_name(
    tmp_path, policy, review, late
):
    """No signature block can be read (signature/unreadable, info); the legal review is written
    in a paragraph, the signing date in the file's name (the naming convention's date of a
    contract): a review after it is found."""
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    d = docx.Document()
    d.add_heading("ERP系统运维外包服务合同", 0)
    for line in (
        "甲方（委托方）：华东精密机械股份有限公司",
        "乙方（受托方）：苏州云启信息科技有限公司",
        "服务期限：2026年8月1日至2027年7月31日。",
        "服务水平（SLA）：系统可用性不低于99.5%。",
        "保密条款：保密期限为合同终止后三年。",
        "违约责任：违约方支付合同总金额10%的违约金。",
        f"法务审核：赵敏　　{cn(review)}",
    ):
        d.add_paragraph(line)
    d.save(paths["contract"])
    contract = paths["contract"].name
    expected = {(contract, "signature/unreadable")}
    if late:
        expected.add((contract, "signature/legal-review-after-signing"))
    assert found(run(folder, policy), folder) == expected


# --- change request with a blank approval row ----------------------------------------------------


def _change_request(path: Path, finance: tuple[str, str, str]) -> None:
    d = docx.Document()
    d.add_heading("变更申请单", 1)
    _table(d, [["变更编号", "CHG-01"], ["申请人", "吴磊"], ["申请日期", "2026年9月15日"]])
    d.add_paragraph("变更内容：增加夜间值守工程师1名。")
    _table(
        d,
        [
            ["审批环节", "意见", "签字", "日期"],
            ["部门负责人初审", "同意", SIGNED, "2026-09-16"],
            ["财务部复审", *finance],
            ["CEO终审", "同意", SIGNED, "2026-09-18"],
        ],
    )
    d.save(path)


def test_a_blank_approval_row_of_a_change_request_is_found(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _change_request(paths["change"], ("同意", "", ""))
    report = run(folder, policy)
    assert found(report, folder) == {(paths["change"].name, "signature/approval-undated")}
    [finding] = report.findings
    assert "财务部复审" in finding.message and finding.location.place == "表2 行3"


def test_a_signed_change_request_is_clean(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _change_request(paths["change"], ("同意", SIGNED, "2026-09-17"))
    assert found(run(folder, policy), folder) == set()


def test_a_blank_change_approval_is_found_against_the_dossier_too(tmp_path, policy):
    """With --dossier the files still answer for their signatures."""
    root = Path(__file__).resolve().parents[1]
    sample = root / "samples" / "outsourcing-helpdesk.json"
    folder = tmp_path / "归档"
    subprocess.run(
        ["itdocs", "generate", str(sample), "-o", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [change] = sorted(folder.rglob("*2026年9月15日-变更申请单.docx"))
    _change_request(change, ("同意", "", ""))
    report = check(
        [folder], policy=policy, waivers=False, as_of=dt.date(2026, 11, 21), dossier=sample
    )
    rules = {(Path(f.file).name, f.rule) for f in report.findings}
    assert (change.name, "signature/approval-undated") in rules


# --- acceptance attachments said to be missing ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        (
            "随附材料：成果报告、测试报告已提交；用户手册、操作指南尚未提交，待补充。",
            {"user_manual", "operation_guide"},
        ),
        ("随附材料：成果报告、测试报告、用户手册、操作指南均已提交。", set()),
        ("附件：成果报告、测试报告、用户手册、操作指南。", set()),
        ("附件：1.成果报告 2.测试报告 3.用户手册（未提交） 4.操作指南", {"user_manual"}),
        ("附件：成果报告、测试报告、用户手册；缺操作指南。", {"operation_guide"}),
        ("☑成果报告 ☑测试报告 ☐用户手册 ☑操作指南", {"user_manual"}),
    ],
)
def test_attachments_said_to_be_missing_are_not_attached(tmp_path, policy, sentence, missing):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    _acceptance(paths["acceptance"], list(LAYOUTS["role-header"]), signed=True, extra=sentence)
    facts = acceptance_facts(extract(paths["acceptance"]), {})
    every = {"result_report", "test_report", "user_manual", "operation_guide"}
    assert set(facts["attachments"]) == every - missing
    report = run(folder, policy, kind="informatization")
    hits = [f for f in report.findings if f.rule == "content/acceptance-attachments"]
    if missing:
        [hit] = hits
        zh = {
            "result_report": "成果报告",
            "test_report": "测试报告",
            "user_manual": "用户手册",
            "operation_guide": "操作指南",
        }
        assert set(hit.evidence["missing"]) == missing
        assert all(zh[code] in hit.message for code in missing)
        assert not any(zh[code] in hit.message for code in every - missing)
    else:
        assert hits == []


# --- a change request headed 审批 | 签字 | 日期, names typed in the 签字 cells ----------------------


@pytest.mark.parametrize(("finance", "rules"), [("陈丽华", set()), ("", {"approval-undated"})])
def test_typed_names_under_a_bare_approval_header_count_as_signed(tmp_path, policy, finance, rules):
    """As everywhere else, a name written in the 签字 cell is a signature, a blank cell is none;
    neither is an unreadable signature block."""
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    d = docx.Document()
    d.add_heading("变更申请单", 1)
    d.add_paragraph("变更内容：增加夜间值守工程师1名。")
    _table(
        d,
        [
            ["审批", "签字", "日期"],
            ["部门负责人", "王志强", "2026年9月16日"],
            ["财务部", finance, "2026年9月17日" if finance else ""],
            ["总经理", "周建国", "2026年9月18日"],
        ],
    )
    d.save(paths["change"])
    rows = [(r.role_key, r.name, r.signed) for r in extract(paths["change"]).signature_rows]
    assert rows == [
        ("department_head", "王志强", True),
        ("finance", finance or None, bool(finance)),
        ("ceo", "周建国", True),
    ]
    got = found(run(folder, policy), folder)
    assert got == {(paths["change"].name, f"signature/{r}") for r in rules}
