"""The date part of a filed name, as the policy writes it (RT2 #8).

DOMAIN.md names files ``项目名称-日期-类型`` with the policy's ``naming.date_formats`` (by default
``2026年9月7日``, ``2026年第37周``, ``2026年9月``, ``2026年第3季度``). A name whose date part is that
date written another way (``20260907``, ``2026.9.7``) identifies the file all the same — it counts
for what it is — but breaks the convention: one ``naming/pattern`` finding that gives the name the
file should have. Zero-padded numbers (``2026年09月07日``) are the same format.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from archive_docs import NAME, Project, write_archive

from itdocs.engine import check

AS_OF = dt.date(2026, 11, 20)
APPROVAL = f"{NAME}-2026年7月15日-采购审批单.docx"  # the clean name: the last approval's day


def policy_file(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "extends: default\nparameters:\n  contracts_encrypted: false\n" + extra, "utf-8"
    )
    return path


# The message with the suggestion, as proposed for rules/default.yaml.
MESSAGES = """rules:
  naming/pattern:
    message:
      zh: '文件名「{name}」无法按「{expected}」拆回项目名称、日期和类型{advice}'
      en: 'file name "{name}" does not split back into project, date and type by "{expected}"{advice_en}'
"""


def run(folder: Path, policy: Path, lang: str = "zh"):
    report = check([folder], policy=policy, waivers=False, as_of=AS_OF, lang=lang)
    assert not report.errors
    return report


def found(report, folder: Path) -> set[tuple[str, str]]:
    return {
        ("." if Path(f.file) == folder else Path(f.file).relative_to(folder).as_posix(), f.rule)
        for f in report.findings
    }


@pytest.mark.parametrize("token", ["20260715", "2026.7.15", "2026.07.15"])
def test_a_date_not_written_as_the_policy_writes_it_is_a_pattern_finding(tmp_path, token):
    folder = tmp_path / "归档"
    name = f"{NAME}-{token}-采购审批单.docx"
    write_archive(Project(), folder, names={"approval": name})
    report = run(folder, policy_file(tmp_path))
    # Only the name: the sheet is still the approval sheet (no missing approval, no cascade).
    assert found(report, folder) == {(name, "naming/pattern")}
    [f] = report.findings
    assert f.evidence["suggested_name"] == APPROVAL
    assert f.evidence["problem"] == f"日期「{token}」应写作「2026年7月15日」"


def test_the_finding_tells_the_clerk_the_right_name(tmp_path):
    folder = tmp_path / "归档"
    name = f"{NAME}-20260715-采购审批单.docx"
    write_archive(Project(), folder, names={"approval": name})
    policy = policy_file(tmp_path, MESSAGES)
    [zh] = run(folder, policy).findings
    assert zh.message == (
        f"文件名「{name}」无法按「{{project}}-{{date}}-{{type}}」拆回项目名称、日期和类型"
        f"（日期「20260715」应写作「2026年7月15日」），请改名为「{APPROVAL}」"
    )
    [en] = run(folder, policy, lang="en").findings
    assert en.message.endswith(
        f'(the date "20260715" should be written "2026年7月15日"); rename it to "{APPROVAL}"'
    )


def test_zero_padded_numbers_are_the_same_format(tmp_path):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, names={"approval": f"{NAME}-2026年07月15日-采购审批单.docx"})
    assert found(run(folder, policy_file(tmp_path)), folder) == set()


def test_the_policys_own_date_format_is_the_convention(tmp_path):
    """With ``day: "{year}.{month}.{day}"`` the dotted date is right and 2026年7月15日 is not."""
    folder = tmp_path / "归档"
    dotted = f"{NAME}-2026.7.15-采购审批单.docx"
    write_archive(Project(), folder, names={"approval": dotted})
    policy = policy_file(tmp_path, '  naming:\n    date_formats: {day: "{year}.{month}.{day}"}\n')
    report = run(folder, policy)
    flagged = {name for name, rule in found(report, folder) if rule == "naming/pattern"}
    assert dotted not in flagged
    assert f"{NAME}-2026年7月31日-服务合同.docx" in flagged
    contract = next(
        f
        for f in report.findings
        if f.evidence.get("name") == f"{NAME}-2026年7月31日-服务合同.docx"
    )
    assert contract.evidence["suggested_name"] == f"{NAME}-2026.7.31-服务合同.docx"


def test_a_compact_date_in_a_weekly_reports_name_still_counts_for_its_week(tmp_path):
    p = Project()
    folder = tmp_path / "归档"
    name = f"{NAME}_周报_20260918.docx"
    write_archive(p, folder, names={"week38": name})
    report = run(folder, policy_file(tmp_path))
    assert found(report, folder) == {(name, "naming/pattern")}  # W38 not missing
    [f] = report.findings
    assert f.evidence["suggested_name"] == f"{NAME}-2026年第38周-周报.docx"


def test_a_name_with_other_separators_gets_a_suggestion(tmp_path):
    folder = tmp_path / "归档"
    name = f"{NAME}－2026年7月31日－服务合同.docx"  # full-width hyphens
    write_archive(Project(), folder, names={"contract": name})
    report = run(folder, policy_file(tmp_path))
    assert found(report, folder) == {(name, "naming/pattern")}
    [f] = report.findings
    assert f.evidence["suggested_name"] == f"{NAME}-2026年7月31日-服务合同.docx"


@pytest.mark.parametrize(
    ("name", "type_id", "strict"),
    [
        (f"{NAME}-2026年5月22日-合同备案表.docx", None, True),  # a filing record, not a contract
        (f"{NAME}-2026年5月22日-现状评估报告.docx", None, True),  # a type itdocs does not know
        (f"{NAME}-2026年5月22日-运维服务合同.docx", "contract", False),  # 合同 is the head word
        (f"{NAME}-2026年第40周-周报:定稿.docx", "weekly_report", False),  # a decorated 周报
        (f"{NAME}-2026年9月-月报终稿.docx", "monthly_report", False),
        (f"{NAME}-2026年7月31日-服务合同.docx", "contract", True),
    ],
)
def test_a_type_word_is_read_by_its_head(name, type_id, strict):
    from itdocs.archive.identify import read_name

    facts = read_name(name)
    assert (facts.type_id, facts.strict) == (type_id, strict)
    assert facts.project == NAME or not strict


def test_a_filing_record_of_the_contract_is_not_the_contract(tmp_path):
    """合同备案表 names the contract in its title: it is neither the contract (no clause findings,
    its date is not the signing date) nor a naming error."""
    folder = tmp_path / "归档"
    write_archive(Project(), folder)
    record = folder / f"{NAME}-2026年8月20日-合同备案表.docx"
    d = docx.Document()
    d.add_heading("合同备案表", 0)
    d.add_paragraph("合同名称：IT运维服务合同　备案日期：2026年8月20日")
    d.save(record)
    report = run(folder, policy_file(tmp_path))
    assert not [f for f in report.findings if f.file == str(record)]
