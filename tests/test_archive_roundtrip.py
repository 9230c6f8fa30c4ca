"""The round trip: generate the samples' documents, check the folders (clean at error level), then
tamper as people do — rename a file badly, blank a signature, delete a weekly report, change a
date, append a byte after sealing — and check that each tamper is found by the right rule."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import docx
import pytest
import yaml

from itdocs.archive.seal import seal
from itdocs.engine import check
from itdocs.generator import generate

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.*"))
AS_OF = dt.date(2026, 11, 21)
HELPDESK = "outsourcing-helpdesk"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    for sample in SAMPLES:
        generate(sample, out / sample.stem)
    return out


@pytest.fixture
def helpdesk(generated, tmp_path) -> Path:
    folder = tmp_path / "IT服务台外包项目"
    shutil.copytree(generated / HELPDESK, folder)
    return folder


def rules_at(report, folder: Path) -> set[tuple[str, str]]:
    out = set()
    for f in report.findings:
        where = "." if Path(f.file) == folder else Path(f.file).relative_to(folder).as_posix()
        out.add((where, f.rule))
    return out


def one(folder: Path, pattern: str) -> Path:
    [path] = folder.glob(pattern)
    return path


def set_cell(path: Path, table: int, row: int, column: int, text: str) -> None:
    document = docx.Document(path)
    cell = document.tables[table].rows[row].cells[column]
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run.text = ""
    cell.paragraphs[0].add_run(text)
    document.save(path)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_is_clean_at_error_level(generated, sample):
    report = check([generated / sample.stem], waivers=False, as_of=AS_OF)
    assert not report.errors
    data = yaml.safe_load(sample.read_text("utf-8"))  # the JSON sample is YAML too
    [archive] = report.archives
    assert archive.project.value == data["project"]["name"]
    assert (archive.kind.value, archive.kind.source) == (data["kind"], "custom-properties")
    mine = [f for f in report.findings if f.file.startswith(archive.folder)]
    assert not [f for f in mine if f.severity == "error"], [f.message for f in mine]
    # the one warning: contracts are stored unencrypted, where the default policy asks otherwise
    assert {f.rule for f in mine} <= {"security/unencrypted-contract"}
    if data.get("contract"):
        assert {f.rule for f in mine} == {"security/unencrypted-contract"}


def test_a_file_renamed_badly(helpdesk):
    bad = helpdesk / "服务台周报 第40周 终稿.docx"
    one(helpdesk, "*2026年第40周-周报.docx").rename(bad)
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    assert (bad.name, "naming/pattern") in rules_at(report, helpdesk)
    # its custom properties still say what it is: week 40 is not reported missing
    assert not any(f.rule == "deadline/report-missing" for f in report.findings)


def test_a_blanked_signature(helpdesk):
    sheet = one(helpdesk, "*采购审批单.docx")
    set_cell(sheet, 2, 2, 1, "")  # 财务部复审: the name printed in its signature row
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    assert (sheet.name, "signature/approval-chain") in rules_at(report, helpdesk)
    finding = next(f for f in report.findings if f.rule == "signature/approval-chain")
    assert "财务部复审" in finding.message and finding.location.place == "表3 行3"


def test_a_deleted_weekly_report(helpdesk):
    one(helpdesk, "*2026年第43周-周报.docx").unlink()
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    [missing] = [f for f in report.findings if f.rule == "deadline/report-missing"]
    assert missing.file == str(helpdesk)
    assert missing.evidence["obligation"] == "report/weekly/2026-W43"
    assert missing.evidence["due"] == "2026-10-23"
    assert "IT服务台外包项目-2026年第43周-周报.docx" in missing.message


def test_a_changed_date(helpdesk):
    sheet = one(helpdesk, "*采购审批单.docx")
    set_cell(sheet, 2, 3, 3, "2026年6月29日")  # CEO终审 now before 财务部复审 (06-30)
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    assert (sheet.name, "signature/approval-order") in rules_at(report, helpdesk)


def test_a_changed_meeting_date_shows_in_the_deadline_and_the_name(helpdesk):
    minutes = one(helpdesk, "*项目启动会会议纪要.docx")
    set_cell(minutes, 0, 2, 1, "2026年8月10日 14:00—16:00")
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    got = rules_at(report, helpdesk)
    assert (minutes.name, "deadline/kickoff-late") in got
    assert (minutes.name, "naming/date-mismatch") in got


def test_a_byte_appended_after_sealing(helpdesk):
    seal(helpdesk, today=AS_OF)
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("integrity/")]
    target = one(helpdesk, "*2026年10月-月报.docx")
    with target.open("ab") as handle:
        handle.write(b"\0")
    report = check([helpdesk], waivers=False, as_of=AS_OF)
    assert rules_at(report, helpdesk) >= {(target.name, "integrity/changed")}
    [changed] = [f for f in report.findings if f.rule == "integrity/changed"]
    assert changed.evidence["sha256_now"] != changed.evidence["sha256_sealed"]


def test_against_the_dossier(helpdesk):
    dossier = ROOT / "samples" / "outsourcing-helpdesk.json"
    report = check([helpdesk], waivers=False, as_of=AS_OF, dossier=dossier)
    assert not [f for f in report.findings if f.severity == "error"]
    one(helpdesk, "*2026年第43周-周报.docx").unlink()
    contract = one(helpdesk, "*服务合同.docx")
    set_cell(contract, 4, 1, 3, "2026年7月27日")
    set_cell(contract, 4, 2, 3, "2026年7月27日")
    report = check([helpdesk], waivers=False, as_of=AS_OF, dossier=dossier)
    got = rules_at(report, helpdesk)
    assert (".", "completeness/document-missing") in got
    assert (contract.name, "content/dossier-mismatch") in got
    missing = next(f for f in report.findings if f.rule == "completeness/document-missing")
    assert missing.evidence["expected_name"] == "IT服务台外包项目-2026年第43周-周报.docx"
    assert missing.evidence["dossier_pointer"].startswith("/reports/")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_kind_is_inferred_without_the_properties_too(generated, sample):
    """Read as if hand-made (the itdocs properties ignored): the documents present and the words
    in the names still tell the kind and the project."""
    import dataclasses

    from itdocs.archive.infer import infer_kind, infer_project
    from itdocs.archive.reading import Task, read_document

    folder = generated / sample.stem
    docs = [
        read_document(Task(str(p), p.name, str(folder)))
        for p in sorted(folder.iterdir())
        if p.is_file()
    ]
    docs = [
        dataclasses.replace(
            d, generated=False, facts={k: v for k, v in d.facts.items() if k != "custom_kind"}
        )
        for d in docs
    ]
    data = yaml.safe_load(sample.read_text("utf-8"))
    project = infer_project(docs, folder)
    assert project.value == data["project"]["name"]
    assert infer_kind(docs, project.value).value == data["kind"]


def test_a_document_the_dossier_does_not_record(helpdesk, tmp_path):
    """The folder holds a change request the dossier has no ``changes`` entry for: a warning at
    the file. The other change request, recorded, and every other file stay quiet."""
    data = json.loads((ROOT / "samples" / "outsourcing-helpdesk.json").read_text("utf-8"))
    data["changes"] = data["changes"][:1]  # drop the change of 2026-10-21
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    report = check([helpdesk], waivers=False, as_of=AS_OF, dossier=dossier)
    unlisted = [f for f in report.findings if f.rule == "completeness/document-unlisted"]
    assert [Path(f.file).name for f in unlisted] == [
        "IT服务台外包项目-2026年10月21日-变更申请单.docx"
    ]
    assert unlisted[0].severity == "warning" and "在档案中没有对应记录" in unlisted[0].message
    full = check(
        [helpdesk],
        waivers=False,
        as_of=AS_OF,
        dossier=ROOT / "samples" / "outsourcing-helpdesk.json",
    )
    assert not [f for f in full.findings if f.rule == "completeness/document-unlisted"]
