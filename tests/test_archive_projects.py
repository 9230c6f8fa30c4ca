"""Whose file is it: another project's, a short form of this one's, or the folder's own index.

RT3 #4: a folder mixing two projects is read as the majority project; the other project's files get
``naming/project`` and fill none of its obligations (its week 38 is not this project's week 38), nor
are they "the same document" as this project's report of the same week. A short form of this
project's name (``ERP运维项目`` for ``ERP运维外包项目``) is still this project's file: it gets
``naming/project`` and counts.
RT3 #5: rename advice writes the archive's project as it is written (``ERP-二期运维外包项目``, not
``ERP二期运维外包项目``; not ``OA运维外包项目第39周``), and every name it suggests is clean.
RT3 #8: a folder's own index (``…-归档台账.xlsx``, ``项目台账``) is not a misnamed document.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from archive_checks import AS_OF, found, run, write_policy
from archive_docs import NAME, Project, contract, weekly_report, write_archive

from itdocs.engine import check
from itdocs.naming import project_relation

OTHER = "视频会议系统外包项目"


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    return write_policy(tmp_path)


def by_rule(report, rule: str) -> list:
    return [f for f in report.findings if f.rule == rule]


@pytest.mark.parametrize(
    ("found_name", "expected", "relation"),
    [
        ("ERP运维外包项目", "ERP运维外包项目", "same"),
        ("ERP二期运维外包项目", "ERP-二期运维外包项目", "same"),
        ("ERP运维项目", "ERP运维外包项目", "short"),
        ("ERP二期", "ERP-二期运维外包项目", "short"),
        ("OA运维外包项目第39周", "OA运维外包项目", "short"),
        (OTHER, "办公网改造外包项目", "other"),
        ("ERP一期运维外包项目", "ERP-二期运维外包项目", "other"),
    ],
)
def test_project_relation(found_name, expected, relation):
    assert project_relation(found_name, expected) == relation


def test_a_guess_from_a_broken_name_is_another_project_only_when_it_names_one():
    assert project_relation("扫描件", NAME, strict=False) is None
    assert project_relation(OTHER, NAME, strict=False) == "other"


def test_another_projects_files_fill_nothing_here(tmp_path, policy):
    """This project misses week 38; the other project's week 38 does not fill it, its week 39 is
    not a duplicate of this project's, and its contract (signed later) is not this project's."""
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("week38",))
    other = Project(name=OTHER, signed=dt.date(2026, 9, 1))
    names = {
        "week38": f"{OTHER}-2026年第38周-周报.docx",
        "week39": f"{OTHER}-2026年第39周-周报.docx",
        "contract": f"{OTHER}-2026年9月1日-服务合同.docx",
        "broken": f"{OTHER}_周报_2026年第40周.docx",  # breaks the pattern, names its project
    }
    weekly_report(other, 38, folder / names["week38"])
    weekly_report(other, 39, folder / names["week39"])
    weekly_report(other, 40, folder / names["broken"])
    contract(other, folder / names["contract"])
    report = run(folder, policy)
    got = found(report, folder)
    assert got == {
        (".", "deadline/report-missing"),
        (names["week38"], "naming/project"),
        (names["week39"], "naming/project"),
        (names["contract"], "naming/project"),
        (names["broken"], "naming/project"),
        (names["broken"], "naming/pattern"),
    }
    [missing] = by_rule(report, "deadline/report-missing")
    assert "2026-W38" in missing.message
    assert f"{NAME}-2026年第38周-周报.docx" in missing.message
    assert not any("同一份文件" in f.message for f in report.findings)
    # another project's file is given no name of this project to take
    [pattern] = by_rule(report, "naming/pattern")
    assert pattern.evidence["suggested_name"] is None
    assert "请改名为" not in pattern.message
    counted = {f.file: f.evidence.get("counted") for f in by_rule(report, "naming/project")}
    assert set(counted.values()) == {False}


def test_a_short_form_of_this_projects_name_still_counts(tmp_path, policy):
    folder = tmp_path / "归档"
    short = "ERP运维项目-2026年第38周-周报.docx"
    write_archive(Project(), folder, names={"week38": short})
    weekly_report(Project(name=OTHER), 40, folder / f"{OTHER}-2026年第40周-周报.docx")
    report = run(folder, policy)
    assert found(report, folder) == {
        (short, "naming/project"),
        (f"{OTHER}-2026年第40周-周报.docx", "naming/project"),
    }
    [mine] = [f for f in by_rule(report, "naming/project") if Path(f.file).name == short]
    assert mine.evidence["counted"] is True
    assert mine.evidence["relation"] == "short"


def test_names_of_one_other_project_only_are_all_counted(tmp_path, policy):
    """--project spelled otherwise than every name: the names cannot tell projects apart, so
    every file still counts (nothing is reported missing because of the spelling)."""
    folder = tmp_path / "归档"
    write_archive(Project(), folder)
    report = check([folder], policy=policy, waivers=False, as_of=AS_OF, project="另一个项目")
    assert not any(f.rule.startswith("deadline/") for f in report.findings)


HYPHENATED = "ERP-二期运维外包项目"


def _suggestions(report) -> dict[str, str]:
    return {
        f.file: f.evidence["suggested_name"]
        for f in report.findings
        if f.rule.startswith("naming/") and f.evidence.get("suggested_name")
    }


def _renamed_is_clean(folder: Path, policy: Path, suggestions: dict[str, str]) -> None:
    """Feed each suggested name back: the renamed file gets no naming finding."""
    assert suggestions
    for old, new in suggestions.items():
        copy = folder.parent / f"{folder.name}-改名-{len(new)}"
        shutil.copytree(folder, copy)
        (copy / Path(old).name).rename(copy / new)
        report = run(copy, policy)
        on_it = {
            f.rule
            for f in report.findings
            if Path(f.file).name == new and f.rule.startswith("naming/")
        }
        assert on_it == set(), (old, new, on_it)
        shutil.rmtree(copy)


def test_rename_advice_keeps_the_projects_name_as_written(tmp_path, policy):
    folder = tmp_path / "归档"
    p = Project(name=HYPHENATED)
    names = {
        "week39": f"{HYPHENATED}-2026-09-25-周报.docx",
        "week40": f"{HYPHENATED}（第40周）.docx",  # no type, no year: both read from the content
        "week41": "ERP二期_周报_2026年第41周.docx",  # a short form, in another order
        "approval": f"{HYPHENATED}-20260715-采购审批单.docx",
    }
    write_archive(p, folder, names=names)
    report = run(folder, policy)
    suggestions = {Path(k).name: v for k, v in _suggestions(report).items()}
    assert suggestions == {
        names["week39"]: f"{HYPHENATED}-2026年第39周-周报.docx",
        names["week40"]: f"{HYPHENATED}-2026年第40周-周报.docx",
        names["week41"]: f"{HYPHENATED}-2026年第41周-周报.docx",
        names["approval"]: f"{HYPHENATED}-2026年7月15日-采购审批单.docx",
    }
    for f in by_rule(report, "naming/pattern"):
        assert f"请改名为「{suggestions[Path(f.file).name]}」" in f.message
    assert not any(f.rule.startswith("deadline/") for f in report.findings)
    _renamed_is_clean(folder, policy, suggestions)


def _index(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "归档台账"
    ws.append(["序号", "文件名称", "类型", "归档日期"])
    ws.append([1, f"{NAME}-2026年7月31日-服务合同.docx", "服务合同", "2026-08-01"])
    ws.append([2, f"{NAME}-2026年第38周-周报.docx", "周报", "2026-09-18"])
    wb.save(path)


@pytest.mark.parametrize(
    "name",
    [f"{NAME}-归档台账.xlsx", f"{NAME}-2026年11月20日-归档台账.xlsx", f"{NAME}-项目台账.xlsx"],
)
def test_the_folders_own_index_is_not_a_misnamed_document(tmp_path, policy, name):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("week38",))
    _index(folder / name)
    report = run(folder, policy)
    # the index lists week 38 and a contract: it is neither, and week 38 is still missing
    assert found(report, folder) == {(".", "deadline/report-missing")}


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("归档台账.xlsx", f"{NAME}-归档台账.xlsx"),
        (f"{NAME}_归档目录.xlsx", f"{NAME}-归档目录.xlsx"),
        (f"{NAME}-2026.11.20-归档台账.xlsx", f"{NAME}-2026年11月20日-归档台账.xlsx"),
    ],
)
def test_a_misnamed_index_gets_its_name(tmp_path, policy, name, suggested):
    folder = tmp_path / "归档"
    write_archive(Project(), folder)
    _index(folder / name)
    report = run(folder, policy)
    assert found(report, folder) == {(name, "naming/pattern")}
    [f] = report.findings
    assert f.evidence["suggested_name"] == suggested
    assert f"请改名为「{suggested}」" in f.message
    _renamed_is_clean(folder, policy, {f.file: suggested})
