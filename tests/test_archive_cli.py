"""``itdocs check FOLDER`` as a clerk uses it: help, wrong folders, the summary first, findings per
file, the Excel report, SARIF and JSON locations, parallel reading giving the same answer."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from archive_docs import NAME, D, Project, write_archive


@pytest.fixture
def archive(tmp_path) -> Path:
    p = Project()
    p.party_b_signed = False
    p.weeks = [w for w in p.weeks if w != 38]
    folder = tmp_path / "归档"
    write_archive(p, folder, layout="stages")
    (tmp_path / "itdocs.yaml").write_text("parameters: {contracts_encrypted: false}\n", "utf-8")
    return folder


def test_help_tells_about_archives(cli):
    text = cli("check", "--help").output
    for word in ("--dossier", "--kind", "--project", "--jobs", "filed documents", "xlsx"):
        assert word in text
    assert "BagIt" in cli("seal", "--help").output


@pytest.mark.parametrize("what", ["missing", "empty", "junk"])
def test_a_wrong_folder_is_one_line_and_exit_2(cli, tmp_path, what):
    folder = tmp_path / what
    if what != "missing":
        folder.mkdir()
    if what == "junk":
        (folder / "notes.txt").write_text("x", "utf-8")
        (folder / "script.py").write_text("print()", "utf-8")
    result = cli("check", folder)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("itdocs: error:")


def test_text_report_summary_first_then_per_file(cli, archive):
    result = cli("check", archive, "--as-of", "2026-11-20")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{archive} — 项目「{NAME}」（由文件名推断），类型 outsourcing")
    assert lines[1] == "28 个文件：27 个无问题，1 个有问题；文件夹整体 1 个问题"
    text = result.output
    assert (
        "03-合同/ERP运维外包项目-2026年7月31日-服务合同.docx\n  错误   表1 行1 列2：合同已于"
        in text
    )
    assert "缺少周报 2026-W38" in text
    english = cli("check", archive, "--as-of", "2026-11-20", "--lang", "en").output.splitlines()
    assert (
        english[1]
        == "28 files: 27 clean, 1 with findings; 1 finding(s) about the folder as a whole"
    )


def test_the_excel_report(cli, archive, tmp_path):
    out = tmp_path / "检查报告.xlsx"
    result = cli("check", archive, "--as-of", "2026-11-20", "--format", "xlsx", "-o", out)
    assert result.exit_code == 1
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["汇总", "全部问题", "签字 signature", "时限 deadline"]
    every = workbook["全部问题"]
    assert [c.value for c in every[1]] == [
        "序号",
        "文件",
        "位置",
        "严重程度",
        "规则",
        "问题",
        "依据",
        "指针",
        "文件夹",
    ]
    assert every.freeze_panes == "A2" and every.auto_filter.ref == "A1:I3"
    rows = {(r[1], r[2], r[3], r[4]) for r in every.iter_rows(min_row=2, values_only=True)}
    assert (
        "03-合同/ERP运维外包项目-2026年7月31日-服务合同.docx",
        "表1 行1 列2",
        "错误",
        "signature/contract-parties",
    ) in rows
    assert (str(archive), None, "错误", "deadline/report-missing") in rows
    assert {r[8] for r in every.iter_rows(min_row=2, values_only=True)} == {str(archive)}
    evidence = [r[6] for r in every.iter_rows(min_row=2, values_only=True)]
    assert all(not e.startswith("{") and ": " in e for e in evidence)
    summary = [tuple(r[:3]) for r in workbook["汇总"].iter_rows(values_only=True)]
    assert ("文件数", 28, None) in summary and ("有问题", 1, None) in summary
    [kind] = [r for r in summary if r[0] == "类型"]
    assert kind == ("类型", "信息技术外包（outsourcing）", "由现有文件类型推断")
    english = tmp_path / "report-en.xlsx"
    cli(
        "check", archive, "--as-of", "2026-11-20", "--format", "xlsx", "-o", english, "--lang", "en"
    )
    assert openpyxl.load_workbook(english).sheetnames[:2] == ["Summary", "All findings"]


def test_sarif_points_at_the_file_and_the_folder(cli, archive, tmp_path, monkeypatch):
    monkeypatch.chdir(archive.parent)
    result = cli("check", "归档", "--as-of", "2026-11-20", "--format", "sarif")
    results = json.loads(result.output)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r["locations"][0] for r in results}
    contract = by_rule["signature/contract-parties"]
    assert (
        contract["physicalLocation"]["artifactLocation"]["uri"]
        == "归档/03-合同/ERP运维外包项目-2026年7月31日-服务合同.docx"
    )
    assert (
        "region" not in contract["physicalLocation"]
        and contract["message"]["text"] == "表1 行1 列2"
    )
    folder = by_rule["deadline/report-missing"]["physicalLocation"]
    assert folder["artifactLocation"]["uri"] == "归档/" and "region" not in folder


def test_json_carries_the_place_and_the_expected_name(cli, archive):
    payload = json.loads(cli("check", archive, "--as-of", "2026-11-20", "--format", "json").output)
    by_rule = {f["rule"]: f for f in payload["findings"]}
    assert by_rule["signature/contract-parties"]["place"] == "表1 行1 列2"
    missing = by_rule["deadline/report-missing"]
    assert missing["evidence"]["expected_name"] == f"{NAME}-2026年第38周-周报.docx"
    assert missing["evidence"]["due"] == "2026-09-18"


def test_parallel_reading_gives_the_same_findings(cli, archive):
    one = json.loads(
        cli("check", archive, "--as-of", "2026-11-20", "--format", "json", "-j", "1").output
    )
    two = json.loads(
        cli("check", archive, "--as-of", "2026-11-20", "--format", "json", "-j", "2").output
    )
    assert one["findings"] == two["findings"] and one["files"] == two["files"]


def test_no_progress_bar_when_standard_error_is_not_a_terminal(cli, archive):
    result = cli("check", archive, "--as-of", "2026-11-20")
    assert "reading" not in result.output and "读取文件" not in result.output


def test_overrides_and_dossier_apply_to_one_folder(cli, archive, tmp_path):
    other = tmp_path / "其他"
    write_archive(Project(), other)
    result = cli("check", archive, other, "--kind", "procurement")
    assert result.exit_code == 2 and "one folder" in result.output
    assert cli("check", archive, "--dossier", tmp_path / "nope.yaml").exit_code == 2


def test_a_dossier_and_an_archive_in_one_run(cli, archive, samples_dir):
    result = cli(
        "check", samples_dir / "procurement-erp-ops.yaml", archive, "--as-of", "2026-11-20"
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("检查了 1 个档案、28 个文件（1 个文件夹）")


def test_late_filing_shown_with_the_place_in_the_file(cli, tmp_path):
    p = Project()
    p.week_filed[36] = D(2026, 9, 15)
    write_archive(p, tmp_path / "a")
    (tmp_path / "itdocs.yaml").write_text("parameters: {contracts_encrypted: false}\n", "utf-8")
    text = cli("check", tmp_path / "a", "--as-of", "2026-11-20").output
    assert (
        f"{NAME}-2026年第36周-周报.docx\n  错误   表1 行4 列2：周报 2026-W36 于 2026-09-15 提交"
        in text
    )


def test_a_file_name_starting_with_equals_is_text_in_the_excel_report(cli, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "=1+1.docx").write_bytes(b"")  # empty: a finding about a file whose name is a formula
    out = tmp_path / "report.xlsx"
    cli("check", folder, "--as-of", "2026-11-20", "--format", "xlsx", "-o", out)
    workbook = openpyxl.load_workbook(out)
    cells = [
        c
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_control_character_in_a_file_name_is_shown_escaped_in_the_excel_report(cli, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "会议纪要\x07.docx").write_bytes(b"")
    out = tmp_path / "report.xlsx"
    result = cli("check", folder, "--as-of", "2026-11-20", "--format", "xlsx", "-o", out)
    assert result.exit_code == 1
    findings = openpyxl.load_workbook(out)["全部问题"]
    files = {row[1] for row in findings.iter_rows(min_row=2, values_only=True)}
    assert "会议纪要\\x07.docx" in files


def test_checking_the_current_folder_reads_like_checking_it_by_name(cli, archive, monkeypatch):
    """``cd 归档 && itdocs check .`` (and ``./归档/``) give the same report as ``itdocs check 归档``."""
    by_name = cli("check", archive, "--as-of", "2026-11-20").output
    monkeypatch.chdir(archive.parent)
    dotted = cli("check", "./归档/", "--as-of", "2026-11-20").output
    monkeypatch.chdir(archive)
    here = cli("check", ".", "--as-of", "2026-11-20").output
    summary = [line for line in by_name.splitlines() if "个文件：" in line]
    assert summary and summary[0] in dotted and summary[0] in here
    assert "/x-archive/" not in here  # no finding fell out of its folder into the dossier layout
    assert here.splitlines()[0].startswith(". — 项目")
    files = [line for line in by_name.splitlines() if line.endswith(".docx")]
    assert files and all(line in here.splitlines() for line in files)


def test_a_single_filed_document_is_sent_to_its_folder(cli, archive):
    document = next(archive.rglob("*.docx"))
    result = cli("check", document)
    assert result.exit_code == 2
    assert "请检查它所在的文件夹" in result.output and str(document.parent) in result.output
