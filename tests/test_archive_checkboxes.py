"""Check boxes and decisions as clerks' forms print them, read by ``itdocs check FOLDER``.

Chinese forms print every option with a box and the writer ticks one: ``☑同意 □不同意`` in an
approval row, ``评审结论：☑通过 □不通过`` under a scheme, ``审议结果：□批准 □否决 ☑暂缓`` in a
committee's minutes, ``☑合理 □不合理`` in the IT department's preliminary assessment. Only the
ticked option counts — the unticked 不同意 is no rejection — and a form with no box ticked, or
opposite ones, is no approval. The scheme review of an affiliation project may be recorded in the
minutes of the review meeting (seed 001: 评审环节应形成正式会议纪要). Each case asserts what the
clerk sees: the findings, at their files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from archive_checks import found, run, write_policy
from archive_docs import (
    SIGNED,
    Project,
    _picture,
    cn,
    paragraph_style_archive,
    write_archive,
)
from archive_docs import (
    picture_table as _table,
)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from itdocs.archive.labels import boxes, decision, decisions, rows_of
from itdocs.extract import extract


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path)


# --- the reading itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("☑同意 □不同意", "approved"),
        ("□同意 ☑不同意", "rejected"),
        ("■同意 □不同意", "approved"),
        ("☒ 同意 ☐ 不同意", "approved"),  # Word's check box control shows ☒ when ticked
        ("√同意 □不同意", "approved"),
        ("同意☑ 不同意□", "approved"),  # boxes after their words
        ("同意 ☑ 不同意 □", "approved"),
        ("同意（√） 不同意（ ）", "approved"),
        ("同意(√) 不同意( )", "approved"),
        ("[√]同意 [ ]不同意", "approved"),
        ("[x] 通过 [ ] 不通过", "approved"),
        ("【√】同意 【 】不同意", "approved"),
        ("\uf052同意 \uf0a3不同意", "approved"),  # Wingdings 2 R / £ as private-use characters
        ("\uf0a8同意 \uf0fe不同意", "rejected"),  # Wingdings ¨ / þ
        ("☑同意 □不同意\n意见：确有必要。", "approved"),
        ("□批准 □否决 ☑暂缓", "deferred"),
        ("☑批准 □否决 □暂缓", "approved"),
        ("☑通过 □修改后重审 □不通过", "approved"),
        ("□通过 ☑修改后重审 □不通过", "returned"),
        ("☑合理 □不合理；☑预算可行。评估人：黄涛 2026年6月3日", "approved"),
        # ambiguous: never an approval
        ("☑同意 ☑不同意", "unclear"),
        ("□同意 □不同意", "unclear"),
        ("（ ）同意 （ ）不同意", "unclear"),
        ("同意 不同意", "unclear"),  # a printed option list whose marks were lost
        ("批准 否决 暂缓", "unclear"),
        # without boxes: the words, as before
        ("同意", "approved"),
        ("同意，纳入年度预算。", "approved"),
        ("不同意，预算不足。", "rejected"),
        ("退回修改", "returned"),
        ("暂缓", "deferred"),
        ("不予批准", "rejected"),
        ("无费用影响。", None),
        ("同意。对不合格的供应商予以淘汰。", "approved"),  # the first word decides …
        ("同意，部分功能暂缓实施。", "approved"),
        ("同意，但预算不足，退回补充材料后再报。", "returned"),  # … a return anywhere
        ("经审议，委员会决定暂缓实施。", "deferred"),
        # boxes that offer no decision leave the words to speak
        ("□紧急 ☑一般", None),
        ("□紧急 ☑一般 同意", "approved"),
        ("共（ ）份", None),
    ],
)
def test_a_decision_is_read_from_its_ticked_boxes(text, expected):
    assert decision(text) == expected


def test_boxes_and_their_options():
    assert boxes("☑ 通过　☐ 整改后复验") == [(True, "通过"), (False, "整改后复验")]
    assert boxes("通过（√）整改后复验（ ）") == [(True, "通过"), (False, "整改后复验")]
    assert boxes("通过") is None
    assert boxes("附件共（ ）份") is None  # a blank to fill in, no box


# --- approval sheets -----------------------------------------------------------------------------


def approval_sheet(p: Project, path: Path, opinions: list[str], header=None) -> None:
    """``审批环节 | 审批意见 | 签名 | 日期`` with each level's opinion as written (boxes and all);
    with ``header`` the options are columns and an opinion is the row's cells under them."""
    d = docx.Document()
    d.add_paragraph("采购审批表").runs[0].bold = True
    d.add_paragraph(f"项目名称：{p.name}")
    d.add_paragraph(f"申请人：{p.requester}　　申请日期：{cn(p.request_date)}")
    rows = [header or ["审批环节", "审批意见", "签  名", "日  期"]]
    for (role, _, how, day), opinion in zip(p.approvals, opinions):
        cells = opinion.split("|") if header else [opinion]
        rows.append([role, *cells, how, day.strftime("%Y-%m-%d") if day else ""])
    _table(d, rows)
    d.save(path)


def outsourcing(tmp_path: Path, opinions: list[str], header=None) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path / "归档"
    p = Project()
    paths = write_archive(p, folder)
    approval_sheet(p, paths["approval"], opinions, header)
    return folder, paths


TICKED = [
    "☑同意 □不同意",
    "■同意 □不同意",
    "☒ 同意 ☐ 不同意",
    "同意☑ 不同意□",
    "同意（√） 不同意（ ）",
    "[√]同意 [ ]不同意",
    "☑同意 □不同意\n意见：已列入年度预算。",
    "\uf052同意 \uf0a3不同意",
]


@pytest.mark.parametrize("opinion", TICKED)
def test_a_ticked_approval_is_an_approval(tmp_path, policy, opinion):
    """The unticked 不同意 beside a ticked 同意 is no rejection: the archive stays clean."""
    folder, _ = outsourcing(tmp_path, [opinion] * 3)
    assert found(run(folder, policy), folder) == set()


@pytest.mark.parametrize(
    ("finance", "decision_zh"),
    [
        ("□同意 ☑不同意\n意见：预算不足。", "未同意"),
        ("同意□ 不同意☑", "未同意"),
        ("☑同意 ☑不同意", None),  # both ticked
        ("□同意 □不同意", None),  # signed, nothing ticked
        ("同意 不同意", None),  # the marks did not survive
    ],
)
def test_a_rejected_or_unclear_level_is_no_approval(tmp_path, policy, finance, decision_zh):
    folder, paths = outsourcing(tmp_path, ["☑同意 □不同意", finance, "☑同意 □不同意"])
    report = run(folder, policy)
    approval = paths["approval"].relative_to(folder).as_posix()
    # the request stands approved all the same: the IT department's signed assessment
    assert found(report, folder) == {(approval, "signature/approval-chain")}
    [chain] = [f for f in report.findings if f.rule == "signature/approval-chain"]
    assert chain.location.place == "表1 行3"
    assert "财务部复审" in chain.message  # the policy's title of the level
    if decision_zh:
        assert decision_zh in chain.message


def test_ticks_under_option_columns(tmp_path):
    """``审批环节 | 同意 | 不同意 | 签名 | 日期``: the √ sits under the option it chooses."""
    header = ["审批环节", "同意", "不同意", "签  名", "日  期"]
    p = Project()
    path = tmp_path / "审批单.docx"
    approval_sheet(p, path, ["√|", "|√", "☑|☐"], header)
    assert decisions(rows_of(extract(path).text_blocks)) == {
        "department_head": "approved",
        "finance": "rejected",
        "ceo": "approved",
    }


def test_opinions_in_paragraphs_with_boxes(tmp_path, policy):
    folder = tmp_path / "OA"
    paragraph_style_archive(folder, finance_opinion="☑同意 □不同意", weeks=(13, 14, 15, 16, 17))
    assert found(run(folder, policy), folder) == set()
    folder = tmp_path / "OA2"
    paths = paragraph_style_archive(
        folder, finance_opinion="□同意 ☑不同意", weeks=(13, 14, 15, 16, 17)
    )
    assert found(run(folder, policy), folder) == {
        (paths["approval"].relative_to(folder).as_posix(), "signature/approval-chain"),
        (paths["contract"].relative_to(folder).as_posix(), "completeness/request-approval"),
    }


def _sym(paragraph, font: str, char: str) -> None:
    run = paragraph.add_run()
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), font)
    sym.set(qn("w:char"), char)
    run._r.append(sym)


def test_wingdings_symbols_inserted_by_word_or_wps(tmp_path, policy):
    folder = tmp_path / "归档"
    p = Project()
    paths = write_archive(p, folder)
    d = docx.Document()
    d.add_paragraph("采购审批表")
    d.add_paragraph(f"项目名称：{p.name}")
    t = d.add_table(rows=len(p.approvals) + 1, cols=4)
    for i, h in enumerate(("审批环节", "审批意见", "签  名", "日  期")):
        t.cell(0, i).text = h
    for r, (role, _, _, day) in enumerate(p.approvals, 1):
        t.cell(r, 0).text = role
        para = t.cell(r, 1).paragraphs[0]
        _sym(para, "Wingdings 2", "F052")
        para.add_run("同意 ")
        _sym(para, "Wingdings 2", "F0A3")
        para.add_run("不同意")
        _picture(t.cell(r, 2))
        t.cell(r, 3).text = day.strftime("%Y-%m-%d")
    d.save(paths["approval"])
    assert found(run(folder, policy), folder) == set()


# --- affiliation: the scheme review, in the scheme or in the minutes; the IT assessment ----------

AFF = "智慧园区综合管理平台挂靠项目"


def _requirement(path: Path, assessment: str | None) -> None:
    d = docx.Document()
    d.add_heading("信息技术项目挂靠需求申请表", 1)
    rows = [
        ["项目名称", AFF, "", ""],
        ["申请部门", "园区运营部", "申请人", "马丽"],
        ["申请日期", "2026年6月1日", "紧急程度", "□紧急 ☑一般"],
        ["需求内容", "挂靠具备资质的单位建设智慧园区综合管理平台。", "", ""],
        ["预算", "120万元", "时间要求", "2026年10月底前验收"],
    ]
    if assessment is not None:
        rows.append(["信息技术部初步评估", assessment, "", ""])
    _table(d, rows)
    d.save(path)


def _scheme(path: Path, review: str | None) -> None:
    d = docx.Document()
    d.add_heading(f"{AFF}挂靠方案", 1)
    for line in (
        "一、项目概述：依托挂靠单位资质建设园区综合管理平台。",
        "二、资源配置：挂靠单位派驻项目经理1名、开发6名。",
        "三、合作模式：以挂靠单位名义承接，我方负责实施。",
        "四、责任划分：挂靠单位负责资质与合规，我方负责交付质量。",
        "编制日期：2026年6月10日",
    ):
        d.add_paragraph(line)
    if review is not None:
        d.add_paragraph(f"评审结论：{review}")
        d.add_paragraph("评审日期：2026年6月12日")
    d.save(path)


def _minutes(path: Path, name: str, verdict: str | None, *, running: str = "") -> None:
    d = docx.Document()
    d.add_paragraph("会议纪要").runs[0].bold = True
    _table(
        d,
        [
            ["会议名称", name],
            ["会议时间", "2026年6月15日 9:00-11:30"],
            ["参会人员", "马丽、黄涛、何军（挂靠单位）、专家组3人"],
        ],
    )
    if verdict is not None:
        d.add_paragraph(f"评审结论：{verdict}")
    if running:
        d.add_paragraph(running)
    d.add_paragraph("会议决议：")
    _table(
        d,
        [
            ["序号", "决议", "负责人", "完成时限"],
            ["1", "按专家意见补充停车系统接口说明", "何军", "2026年6月16日"],
        ],
    )
    d.add_paragraph("纪要日期：2026年6月15日")
    d.save(path)


def _contract(path: Path) -> None:
    d = docx.Document()
    d.add_heading("信息技术项目挂靠合同", 1)
    for line in (
        "甲方：滨江智慧园区管理有限公司",
        "乙方：杭州同创信息工程有限公司",
        "第一条 服务水平（SLA）：平台可用性不低于99.9%，重大故障1小时响应。",
        "第二条 保密条款：双方负保密义务，合同终止后五年内有效。",
        "第三条 违约责任：违约方支付合同总额10%的违约金。",
        "第四条 知识产权归属：平台源代码及文档的知识产权归甲方所有。",
        "第五条 风险分担：资质风险由乙方承担，实施质量风险由甲方承担。",
        "法务审核：韩梅　　审核日期：2026年6月24日",
    ):
        d.add_paragraph(line)
    _table(
        d,
        [
            ["甲方代表（签字）：", SIGNED, "日期：", "2026年6月26日"],
            ["乙方代表（签字）：", SIGNED, "日期：", "2026年6月26日"],
        ],
    )
    d.save(path)


def affiliation(
    tmp_path: Path,
    *,
    assessment: str | None = None,
    review: str | None = None,
    minutes: tuple[str, str | None, str] | None = None,
) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path / AFF
    folder.mkdir(parents=True)
    paths = {
        "requirement": folder / f"{AFF}-2026年6月1日-需求申请表.docx",
        "scheme": folder / f"{AFF}-2026年6月10日-挂靠方案.docx",
        "contract": folder / f"{AFF}-2026年6月26日-挂靠合同.docx",
    }
    _requirement(paths["requirement"], assessment)
    _scheme(paths["scheme"], review)
    _contract(paths["contract"])
    if minutes is not None:
        paths["minutes"] = folder / f"{AFF}-2026年6月15日-会议纪要.docx"
        name, verdict, running = minutes
        _minutes(paths["minutes"], name, verdict, running=running)
    return folder, paths


SIGNING = dt.date(2026, 6, 26)  # checked on the signing day: no report is due yet


def request_approval(report, folder: Path, paths: dict[str, Path]) -> bool:
    """Whether the contract is reported for an unapproved request — and nothing else is found."""
    got = found(report, folder)
    contract = (paths["contract"].relative_to(folder).as_posix(), "completeness/request-approval")
    assert got <= {contract}, got
    return contract in got


def test_the_affiliation_archive_is_read_as_one(tmp_path, policy):
    folder, paths = affiliation(tmp_path, review="☑通过 □不通过")
    report = run(folder, policy, SIGNING)
    [summary] = report.archives
    assert (summary.kind.value, summary.project.value) == ("affiliation", AFF)
    assert not request_approval(report, folder, paths)


@pytest.mark.parametrize(
    ("review", "flagged"),
    [
        ("☑通过 □不通过", False),
        ("通过", False),
        ("□通过 ☑不通过", True),
        ("☑通过 ☑不通过", True),
        ("□通过 □修改后重审 □不通过", True),
        ("□通过 ☑修改后重审 □不通过", True),
        ("不通过", True),
    ],
)
def test_the_review_in_the_scheme(tmp_path, policy, review, flagged):
    folder, paths = affiliation(tmp_path, review=review)
    assert request_approval(run(folder, policy, SIGNING), folder, paths) is flagged


def test_no_review_no_assessment_no_approval(tmp_path, policy):
    folder, paths = affiliation(tmp_path)
    report = run(folder, policy, SIGNING)
    assert request_approval(report, folder, paths)
    [hit] = [f for f in report.findings if f.rule == "completeness/request-approval"]
    assert Path(hit.file) == paths["contract"]


@pytest.mark.parametrize(
    ("minutes", "flagged"),
    [
        (("挂靠方案评审会", "☑通过 □不通过", ""), False),
        (("挂靠方案评审会", "通过", ""), False),
        (("挂靠方案评审会", None, "经评审，专家组一致同意该方案通过。"), False),
        (("项目管理委员会会议", None, "审议事项：挂靠方案。审议结果：☑同意 □不同意"), False),
        (("挂靠方案评审会", "□通过 ☑不通过", ""), True),
        (("挂靠方案评审会", "□通过 □不通过", ""), True),
        (("挂靠方案评审会", "□通过 ☑修改后重审 □不通过", ""), True),
        # a progress meeting that agrees to something is no scheme review
        (("项目进度协调会", None, "会议同意按计划推进。"), True),
    ],
)
def test_the_review_in_the_minutes(tmp_path, policy, minutes, flagged):
    """Seed 001: the scheme review forms minutes (评审环节应形成正式会议纪要), the basis of the
    contract: an approving review there is an approved request, as one written in the scheme."""
    folder, paths = affiliation(tmp_path, minutes=minutes)
    assert request_approval(run(folder, policy, SIGNING), folder, paths) is flagged


def test_the_latest_review_counts(tmp_path, policy):
    # the scheme's own review (6-12) sent it back; the review meeting (6-15) passed it
    folder, paths = affiliation(
        tmp_path / "a", review="不通过", minutes=("挂靠方案评审会", "☑通过 □不通过", "")
    )
    assert not request_approval(run(folder, policy, SIGNING), folder, paths)
    folder, paths = affiliation(
        tmp_path / "b", review="☑通过 □不通过", minutes=("挂靠方案评审会", "□通过 ☑不通过", "")
    )
    assert request_approval(run(folder, policy, SIGNING), folder, paths)


@pytest.mark.parametrize(
    ("assessment", "flagged"),
    [
        ("☑合理 □不合理；☑预算可行。评估人：黄涛 2026年6月3日", False),
        ("合理，预算可行。评估人：黄涛　2026年6月3日", False),
        ("同意立项（黄涛 2026年6月3日）", False),
        ("□合理 ☑不合理。评估人：黄涛 2026年6月3日", True),
        ("☑暂缓。评估人：黄涛 2026年6月3日", True),
        ("□合理 □不合理。评估人：", True),  # the printed form, not yet assessed
        ("☑合理 □不合理", True),  # nobody, no date: not an assessment
    ],
)
def test_the_it_departments_preliminary_assessment(tmp_path, policy, assessment, flagged):
    folder, paths = affiliation(tmp_path, assessment=assessment)
    assert request_approval(run(folder, policy, SIGNING), folder, paths) is flagged


# --- the improvement committee --------------------------------------------------------------------

ITSM = "IT服务台事件管理流程改进项目"


def improvement(tmp_path: Path, verdict: str, *, label: str = "审议结果") -> dict[str, Path]:
    folder = tmp_path / ITSM
    folder.mkdir(parents=True)
    d = docx.Document()
    d.add_heading("IT服务管理委员会评审会议纪要", 1)
    _table(
        d,
        [
            ["会议时间", "2026年8月20日 14:00-16:30"],
            ["参会人员", "委员会成员7人"],
            ["审议事项", "事件管理流程改进详细方案"],
            [label, verdict],
        ],
    )
    d.add_paragraph("纪要日期：2026年8月21日")
    minutes = folder / f"{ITSM}-2026年8月20日-会议纪要.docx"
    d.save(minutes)
    d = docx.Document()
    d.add_heading("试运行评估报告", 1)
    d.add_paragraph("试运行期间：2026年9月1日至2026年9月30日")
    d.add_paragraph("目标完成情况：事件平均解决时间缩短20%。")
    d.add_paragraph("报告日期：2026年10月9日")
    trial = folder / f"{ITSM}-2026年10月9日-试运行评估报告.docx"
    d.save(trial)
    return {"folder": folder, "minutes": minutes, "trial": trial}


@pytest.mark.parametrize(
    ("verdict", "flagged", "said"),
    [
        ("☑批准 □否决 □暂缓", False, None),
        ("批准", False, None),
        ("□批准 □否决 ☑暂缓", True, "暂缓"),
        ("□批准 ☑否决 □暂缓", True, "否决"),
        ("暂缓", True, "暂缓"),
        ("不予批准", True, "否决"),
        ("□批准 □否决 □暂缓", True, None),
    ],
)
def test_the_committee_verdict(tmp_path, policy, verdict, flagged, said):
    """Seed 004: the committee approves, rejects or defers; a trial run of a proposal it did not
    approve is reported at the trial-run report."""
    paths = improvement(tmp_path, verdict)
    report = run(paths["folder"], policy)
    hits = [f for f in report.findings if f.rule == "completeness/committee-approval"]
    assert bool(hits) is flagged
    if hits:
        [hit] = hits
        assert Path(hit.file) == paths["trial"]
        if said:
            assert said in hit.message


def test_a_committee_verdict_in_running_text(tmp_path, policy):
    paths = improvement(
        tmp_path, "经审议，委员会决定暂缓实施，补充成本收益分析后再议。", label="会议情况"
    )
    report = run(paths["folder"], policy)
    assert any(f.rule == "completeness/committee-approval" for f in report.findings)
    paths = improvement(tmp_path / "2", "经审议，委员会同意实施该改进方案。", label="会议情况")
    report = run(paths["folder"], policy)
    assert not any(f.rule == "completeness/committee-approval" for f in report.findings)


def test_nothing_else_changes_for_a_clean_outsourcing_archive(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, layout="stages")
    assert found(run(folder, policy), folder) == set()
