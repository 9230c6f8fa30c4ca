"""Archives of hand-made documents (tests/archive_docs.py), in several layouts, each with planted
defects: every defect is found with the right rule at the right file (or at the folder, for what
is missing), and no clean file is flagged — the full set of (file, rule) pairs is compared."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from archive_checks import AS_OF, FOLDER, found, rel, run, write_policy
from archive_docs import NAME, OA, SIGNED, D, Project, paragraph_style_archive, write_archive
from hostile import _ole, real_docx

from itdocs.engine import check


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path)


@pytest.mark.parametrize("layout", ["flat", "stages"])
def test_a_clean_archive_has_no_findings(tmp_path, policy, layout):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder, layout=layout)
    report = run(folder, policy)
    assert found(report, folder) == set()
    [summary] = report.archives
    assert (summary.project.value, summary.project.source) == (NAME, "names")
    assert (summary.kind.value, summary.kind.source) == ("outsourcing", "documents")
    assert len(summary.files) == len(paths)


def test_the_default_policy_asks_for_encrypted_contracts(tmp_path):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    report = check([folder], waivers=False, as_of=AS_OF)
    assert found(report, folder) == {
        (rel(paths, "contract", folder), "security/unencrypted-contract")
    }
    assert report.exit_code() == 0  # a warning: clean at error level


def test_signatures_and_clauses(tmp_path, policy):
    p = Project()
    p.approvals[1] = ("财务部审核", "陈丽华", "", D(2026, 7, 13))  # finance has not signed
    p.approvals[2] = ("总经理审批", "周建国", "周建国", D(2026, 7, 11))  # CEO before finance
    p.clauses = ("服务水平（SLA）", "违约责任")  # no confidentiality clause
    p.party_b_signed = False
    p.team = [("验收组长", "王志强", SIGNED), ("验收组员", "刘洋", "")]  # unsigned, no third party
    folder = tmp_path / "归档"
    paths = write_archive(p, folder, layout="stages")
    report = run(folder, policy)
    approval, contract, acceptance = (
        rel(paths, k, folder) for k in ("approval", "contract", "acceptance")
    )
    assert found(report, folder) == {
        (approval, "signature/approval-chain"),
        (contract, "content/confidentiality-clause"),
        (contract, "signature/contract-parties"),
        (acceptance, "signature/acceptance-team"),
        (acceptance, "signature/third-party-acceptance"),
    }
    chain = next(f for f in report.findings if f.rule == "signature/approval-chain")
    assert "财务部复审" in chain.message and chain.location.place == "表1 行3"
    member = next(f for f in report.findings if f.rule == "signature/acceptance-team")
    assert "刘洋" in member.message and member.evidence["place"] == "表3 行3"


def test_approval_order_self_approval_and_legal_review(tmp_path, policy):
    p = Project()
    p.approvals[0] = ("部门负责人审批", "刘洋", "刘洋", D(2026, 7, 9))  # the requester approves
    p.approvals[2] = ("总经理审批", "周建国", "周建国", D(2026, 7, 11))
    p.legal = ("赵敏", D(2026, 8, 2))  # after signing
    p.method, p.quotes = "比价", Project().quotes[:2]  # price comparison with two quotes
    folder = tmp_path / "归档"
    paths = write_archive(p, folder, names={"approval": f"{NAME}-2026年7月13日-采购审批单.docx"})
    report = run(folder, policy)
    approval, contract, evaluation = (
        rel(paths, k, folder) for k in ("approval", "contract", "evaluation")
    )
    assert found(report, folder) == {
        (approval, "signature/approval-order"),
        (approval, "signature/self-approval"),
        (contract, "signature/legal-review-after-signing"),
        (evaluation, "content/min-quotes"),
    }
    order = next(f for f in report.findings if f.rule == "signature/approval-order")
    assert order.evidence["read"] == {
        "/approvals/2/date": "2026-07-11",
        "/approvals/1/date": "2026-07-13",
    }


def test_deadlines_each_missing_period_its_own_finding(tmp_path, policy):
    p = Project()
    p.kickoff = dt.datetime(2026, 8, 14, 14, 0)  # 14 days after signing; due 08-07
    p.kickoff_minutes_date = D(2026, 8, 19)  # meeting ended 08-14 16:00, minutes due 08-17 16:00
    p.resolutions[1] = ("提交服务交接方案", None, None)  # no owner, no due date
    p.weeks = [w for w in p.weeks if w not in (38, 43)]
    p.week_filed[41] = D(2026, 10, 20)  # due 10-09
    p.midterm = dt.datetime(2026, 10, 12, 9, 30)  # no mid-term review in Q3
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    report = run(folder, policy)
    kickoff = rel(paths, "kickoff", folder)
    assert found(report, folder) == {
        (kickoff, "deadline/kickoff-late"),
        (kickoff, "deadline/minutes-late"),
        (kickoff, "deadline/resolution-unassigned"),
        (rel(paths, "week41", folder), "deadline/report-late"),
        (FOLDER, "deadline/report-missing"),
        (FOLDER, "deadline/midterm-review-missing"),
    }
    missing = sorted(
        (f for f in report.findings if f.rule == "deadline/report-missing"), key=lambda f: f.message
    )
    assert [f.evidence["obligation"] for f in missing] == [
        "report/weekly/2026-W38",
        "report/weekly/2026-W43",
    ]
    assert [f.evidence["due"] for f in missing] == ["2026-09-18", "2026-10-23"]
    assert all(f.file == str(folder) for f in missing)
    assert f"{NAME}-2026年第43周-周报.docx" in missing[1].message


def test_mixed_naming(tmp_path, policy):
    """A pattern-breaking name is a naming finding, yet the file still counts for what it is:
    week 42, named ``…_周报_2026年第42周``, is not also reported missing."""
    p = Project()
    names = {
        "week42": f"{NAME}_周报_2026年第42周.docx",
        "week43": "ERP运维项目-2026年第43周-周报.docx",
        "week40": f"{NAME}-2026年第40周-周报:定稿.docx",
        "month9": f"{NAME}-2026年9月30日-月报.docx",  # a day token is fine for a report
    }
    folder = tmp_path / "归档"
    paths = write_archive(p, folder, layout="stages", names=names)
    shutil.copy(paths["week41"], paths["week41"].with_name(f"{NAME}-2026年第41周-周报（2）.docx"))
    (paths["week41"].parent / f"{NAME}-2026年2月30日-会议纪要.docx").write_bytes(real_docx())
    report = run(folder, policy)
    weekly = paths["week41"].parent.relative_to(folder).as_posix()
    assert found(report, folder) == {
        (rel(paths, "week42", folder), "naming/pattern"),
        (rel(paths, "week43", folder), "naming/project"),
        (rel(paths, "week40", folder), "naming/pattern"),
        (rel(paths, "week40", folder), "naming/windows-unsafe"),
        (f"{weekly}/{NAME}-2026年第41周-周报（2）.docx", "naming/duplicate"),
        (f"{weekly}/{NAME}-2026年2月30日-会议纪要.docx", "naming/date"),
    }


def test_broken_files_each_their_own_rule_and_the_rest_checked(tmp_path, policy):
    p = Project()
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    paths["week44"].write_bytes(paths["week44"].read_bytes()[:3000])
    paths["month8"].write_bytes(b"")
    broken = {
        f"{NAME}-2026年9月1日-会议纪要.doc": (
            _ole(["WordDocument", "1Table"]),
            "file/legacy-format",
        ),
        f"{NAME}-2026年9月2日-会议纪要.docx": (
            _ole(["EncryptionInfo", "EncryptedPackage"]),
            "file/password-protected",
        ),
        f"{NAME}-2026年9月3日-会议纪要.docx": (b"%PDF-1.4\n" + b"x" * 100, "file/format-mismatch"),
        "说明.txt": ("交接说明".encode(), "file/unknown-format"),
    }
    for name, (data, _) in broken.items():
        (folder / name).write_bytes(data)
    report = run(folder, policy)
    got = found(report, folder)
    expected = {(name, rule) for name, (_, rule) in broken.items()} | {
        (rel(paths, "week44", folder), "file/truncated"),
        (rel(paths, "month8", folder), "file/empty"),
    }
    assert expected <= got
    # the .pdf-in-a-.docx also fails to parse as a PDF; nothing else is flagged, and the weekly
    # report and monthly report that cannot be read still count as filed
    assert {f for f, _ in got} == {f for f, _ in expected}
    assert not any(r.startswith("deadline/") for _, r in got)


def test_an_acceptance_without_a_contract(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder, skip=("contract",))
    report = run(folder, policy)
    assert found(report, folder) == {
        (rel(paths, "acceptance", folder), "completeness/signed-contract")
    }


def test_kind_and_project_options_win(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    report = run(folder, policy, kind="informatization", project="另一个项目")
    [summary] = report.archives
    assert (summary.kind.value, summary.kind.source) == ("informatization", "option")
    rules = found(report, folder)
    assert (rel(paths, "evaluation", folder), "naming/type") in rules
    assert (rel(paths, "week40", folder), "naming/project") in rules


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_copies_from_libreoffice(tmp_path, policy):
    """Reports, the contract and the approval filed as PDF (Word → LibreOffice); a late report in
    a PDF is still late, and the approval's table is rebuilt from the page (the signature pictures
    on the page count as signed), so it is clean as in Word."""
    p = Project()
    p.week_filed[36] = D(2026, 9, 15)  # due 09-04
    folder = tmp_path / "归档"
    paths = write_archive(p, folder)
    keys = ["week35", "week36", "contract", "approval"]
    subprocess.run(
        [
            _soffice(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(paths[k]) for k in keys),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for key in keys:
        paths[key].unlink()
        paths[key] = paths[key].with_suffix(".pdf")
        assert paths[key].exists()
    report = run(folder, policy)
    assert found(report, folder) == {
        (rel(paths, "week36", folder), "deadline/report-late"),
    }


def test_forms_written_in_paragraphs(tmp_path, policy):
    """Approvals as opinion paragraphs with 签字/日期 lines under each, contract signature lines,
    ``时间：`` minutes, ``日期：`` reports, an acceptance team table headed 验收人员|签名|日期; a
    rejected finance opinion and a missing week planted."""
    folder = tmp_path / "OA"
    paths = paragraph_style_archive(
        folder, finance_opinion="不同意，预算不足。", weeks=(13, 14, 16, 17)
    )
    report = run(folder, policy)
    assert found(report, folder) == {
        (rel(paths, "approval", folder), "signature/approval-chain"),
        (rel(paths, "contract", folder), "completeness/request-approval"),  # signed all the same
        (FOLDER, "deadline/report-missing"),
    }
    chain = next(f for f in report.findings if f.rule == "signature/approval-chain")
    assert (
        "未同意" in chain.message
        and chain.evidence["decision"] == "rejected"
        and chain.location.place == "第6段"
    )
    [missing] = [f for f in report.findings if f.rule == "deadline/report-missing"]
    assert missing.evidence["obligation"] == "report/weekly/2026-W15"
    [summary] = report.archives
    assert (summary.kind.value, summary.project.value) == ("procurement", OA)


def test_forms_written_in_paragraphs_clean(tmp_path, policy):
    folder = tmp_path / "OA"
    paragraph_style_archive(folder, weeks=(13, 14, 15, 16, 17))
    report = run(folder, policy)
    assert found(report, folder) == set()
    assert report.exit_code() == 0
