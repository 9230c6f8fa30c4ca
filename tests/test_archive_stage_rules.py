"""Stages in order, on archives and dossiers alike, and a seal whose manifest was edited.

- ``completeness/contract-first``: a kickoff, a report filed or an acceptance dated before the
  contract's signing date is a finding (red-team archive B: kickoff 06-01, contract 06-05).
- ``completeness/signed-contract`` covers every kind but improvement (DOMAIN: the contract is a
  document of all kinds but improvement): an informatization acceptance without any contract is
  found (red-team archive C).
- ``integrity``: once the manifest shows it was edited after sealing, a line that disagrees with
  its file is no ``integrity/changed`` (which of the two changed cannot be told) but an
  ``integrity/seal-invalid`` at that file; the manifest's finding says the seal proves nothing.

Archives are hand-made with python-docx (tests/archive_docs.py); dossiers are the samples, changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import docx
import pytest
from archive_docs import NAME, D, Project, write_archive
from hostile import _ole

from itdocs.archive.seal import MANIFEST, TAG_MANIFEST, read_seal, seal
from itdocs.archive.walk import SEAL_DIR
from itdocs.engine import check
from itdocs.loader import load
from itdocs.policy import load_policy

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text("extends: default\nparameters:\n  contracts_encrypted: false\n", "utf-8")
    return path


def run(paths, policy=None, **options):
    report = check(
        paths if isinstance(paths, list) else [paths],
        policy=policy,
        waivers=False,
        as_of=AS_OF,
        **options,
    )
    assert not report.errors
    return report


def at(report, folder: Path, rule: str) -> dict[str, str]:
    """File (relative to ``folder``, "." for the folder) → message, of each ``rule`` finding."""
    out = {}
    for f in report.findings:
        if f.rule == rule:
            name = "." if Path(f.file) == folder else Path(f.file).relative_to(folder).as_posix()
            out[name] = f.message
    return out


def rel(paths: dict[str, Path], key: str, folder: Path) -> str:
    return paths[key].relative_to(folder).as_posix()


def dossier(tmp_path: Path, sample: str, change) -> Path:
    """A sample dossier, changed by ``change(data)``, written as JSON."""
    data = load(SAMPLES / sample).data
    change(data)
    path = tmp_path / (Path(sample).stem + ".json")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    return path


def pointers(report, rule: str) -> dict[str, str]:
    return {f.location.pointer: f.message for f in report.findings if f.rule == rule}


# --- completeness/contract-first: archives ---------------------------------------------------


def test_a_kickoff_before_the_signing_is_found_at_the_kickoff_minutes(tmp_path, policy):
    # signed 08-06: the kickoff of 08-04 and the July monthly report filed 08-03 came first
    folder = tmp_path / "归档"
    paths = write_archive(Project(signed=D(2026, 8, 6)), folder, layout="stages")
    report = run(folder, policy)
    got = at(report, folder, "completeness/contract-first")
    assert set(got) == {rel(paths, "kickoff", folder), rel(paths, "month7", folder)}
    assert got[rel(paths, "kickoff", folder)] == (
        "项目启动会（2026-08-04）早于合同签订日期 2026-08-06：须先签订合同，再启动、报告和验收"
    )
    assert (
        "月报 2026-07（2026-08-03）早于合同签订日期 2026-08-06" in got[rel(paths, "month7", folder)]
    )
    [kickoff] = [
        f
        for f in report.findings
        if f.rule == "completeness/contract-first" and f.file == str(paths["kickoff"])
    ]
    assert kickoff.location.place  # where in the minutes the meeting time was read
    assert kickoff.evidence["days_before_signing"] == 2
    # the weekly reports (filed on or after 08-07) and the acceptance are not before signing:
    # the set above has neither


def test_in_english(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(signed=D(2026, 8, 6)), folder)
    report = run(folder, policy, lang="en")
    got = at(report, folder, "completeness/contract-first")
    assert got[rel(paths, "kickoff", folder)] == (
        "the kickoff meeting (2026-08-04) comes before the contract was signed on 2026-08-06: "
        "sign the contract first"
    )


def test_a_kickoff_on_the_signing_day_is_fine(tmp_path, policy):
    folder = tmp_path / "归档"
    paths = write_archive(Project(signed=D(2026, 8, 4), months=[8, 9, 10]), folder)
    report = run(folder, policy)
    assert at(report, folder, "completeness/contract-first") == {}
    assert not [f for f in report.findings if f.file == str(paths["kickoff"])]


def test_the_signing_date_of_the_file_name_serves_when_the_contract_does_not_say(tmp_path, policy):
    """As in the red-team's archive B: the contract's text gives no date that can be read, its
    name says the day (2026年8月6日) and the kickoff was two days before."""
    folder = tmp_path / "归档"
    paths = write_archive(
        Project(signed=D(2026, 8, 6), months=[8, 9, 10]), folder, skip=("contract",)
    )
    d = docx.Document()
    d.add_heading("ERP系统运维外包服务合同", 0)
    d.add_paragraph("甲方：华东精密机械股份有限公司　　乙方：苏州云启信息科技有限公司")
    for clause in (
        "服务水平（SLA）：系统可用性不低于99.5%。",
        "保密条款：保密期限三年。",
        "违约责任：违约金10%。",
    ):
        d.add_paragraph(clause)
    name = f"{NAME}-2026年8月6日-服务合同.docx"
    d.save(folder / name)
    report = run(folder, policy)
    got = at(report, folder, "completeness/contract-first")
    assert set(got) == {rel(paths, "kickoff", folder)}
    assert "早于合同签订日期 2026-08-06" in got[rel(paths, "kickoff", folder)]


def test_a_clean_archive_stays_clean(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder)
    report = run(folder, policy)
    assert report.findings == []


# --- completeness/contract-first: dossiers ---------------------------------------------------


def test_a_dossier_kickoff_and_reports_before_signing(tmp_path):
    def sign_late(data):
        data["contract"]["signed_date"] = "2026-08-20"  # kickoff 08-13, W33 filed 08-14

    path = dossier(tmp_path, "informatization-plm.yaml", sign_late)
    report = run(path)
    got = pointers(report, "completeness/contract-first")
    data = load(path).data
    early_reports = {
        f"/reports/{i}/filed"
        for i, r in enumerate(data["reports"])
        if r.get("filed") and r["filed"] < "2026-08-20"
    }
    assert early_reports  # W33 at least
    kickoff = next(i for i, m in enumerate(data["meetings"]) if m["type"] == "kickoff")
    # the scheme review (08-05) comes before the contract by design: not reported
    assert set(got) == {f"/meetings/{kickoff}/start"} | early_reports
    assert got[f"/meetings/{kickoff}/start"].startswith(
        "项目启动会（2026-08-13）早于合同签订日期 2026-08-20"
    )
    [finding] = [f for f in report.findings if f.location.pointer == f"/meetings/{kickoff}/start"]
    assert finding.file == str(path) and finding.location.line  # at its line in the dossier


def test_a_dossier_acceptance_before_signing(tmp_path):
    def accept_early(data):
        data["acceptance"]["date"] = "2026-08-07"  # contract signed 2026-08-10

    report = run(dossier(tmp_path, "informatization-plm.yaml", accept_early))
    assert pointers(report, "completeness/contract-first") == {
        "/acceptance/date": "验收（2026-08-07）早于合同签订日期 2026-08-10：须先签订合同，再启动、报告和验收"
    }


@pytest.mark.parametrize(
    "sample", sorted(p.name for p in SAMPLES.glob("*.y*ml")) + ["outsourcing-helpdesk.json"]
)
def test_the_samples_are_in_order(sample):
    report = run(SAMPLES / sample)
    assert [f for f in report.findings if f.rule.startswith("completeness/")] == []


# --- completeness/signed-contract: every kind but improvement ---------------------------------


def test_the_kinds_are_every_kind_but_improvement():
    rule = load_policy().rule_set()["completeness/signed-contract"]
    assert sorted(rule.params["kinds"]) == [
        "affiliation",
        "informatization",
        "outsourcing",
        "procurement",
    ]


def test_an_informatization_acceptance_without_any_contract(tmp_path, policy):
    """The red-team's archive C: a 两化 folder with an acceptance report and no contract."""
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder, skip=("contract",))
    report = run(folder, policy, kind="informatization")
    assert at(report, folder, "completeness/signed-contract") == {
        rel(paths, "acceptance", folder): "已有验收，但文件夹中没有合同（合同尚未签订？）"
    }
    english = run(folder, policy, kind="informatization", lang="en")
    assert at(english, folder, "completeness/signed-contract") == {
        rel(
            paths, "acceptance", folder
        ): "acceptance recorded but there is no contract in the folder"
    }


def test_an_informatization_archive_with_its_contract_is_not_flagged(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder)
    report = run(folder, policy, kind="informatization")
    assert at(report, folder, "completeness/signed-contract") == {}


def test_an_encrypted_contract_without_a_day_in_its_name_is_not_taken_for_unsigned(tmp_path):
    # the default policy asks for encrypted contracts: its signing date cannot be read
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("contract",))
    (folder / f"{NAME}-2026年7月-服务合同.docx").write_bytes(
        _ole(["EncryptionInfo", "EncryptedPackage"])
    )
    report = run(folder)
    assert at(report, folder, "completeness/signed-contract") == {}


def test_an_improvement_archive_needs_no_contract(tmp_path, policy):
    folder = tmp_path / "归档"
    write_archive(Project(), folder, skip=("contract",))
    report = run(folder, policy, kind="improvement")
    assert at(report, folder, "completeness/signed-contract") == {}


def test_an_informatization_dossier_without_a_contract(tmp_path):
    def drop_contract(data):
        del data["contract"]

    report = run(dossier(tmp_path, "informatization-plm.yaml", drop_contract))
    assert pointers(report, "completeness/signed-contract") == {
        "/acceptance": "已有验收，但档案中没有合同（合同尚未签订）"
    }


def test_an_unsigned_contract_keeps_its_words(tmp_path):
    def unsign(data):
        del data["contract"]["signed_date"]

    report = run(dossier(tmp_path, "informatization-plm.yaml", unsign))
    assert pointers(report, "completeness/signed-contract") == {
        "/acceptance": "已有验收，但合同尚未签订（无签订日期）"
    }


# --- integrity: an edited manifest -----------------------------------------------------------


def sealed_archive(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path / "归档"
    paths = write_archive(Project(), folder)
    seal(folder, today=AS_OF)
    return folder, paths


def edit_line(folder: Path, rel_path: str, digest: str = "0" * 64) -> None:
    """Replace one manifest line's SHA-256, as a hand edit would (the tag manifest unchanged)."""
    manifest = folder / SEAL_DIR / MANIFEST
    lines = manifest.read_text("utf-8").splitlines(keepends=True)
    edited = [digest + line[64:] if line[66:].rstrip("\n") == rel_path else line for line in lines]
    assert edited != lines
    manifest.write_text("".join(edited), "utf-8")


def integrity(report, folder: Path) -> set[tuple[str, str]]:
    out = set()
    for f in report.findings:
        if f.rule.startswith("integrity/"):
            name = (
                Path(f.file).relative_to(folder).as_posix()
                if Path(f.file).is_relative_to(folder)
                else f.file
            )
            out.add((name, f.rule))
    return out


def test_an_edited_manifest_line_is_no_changed_file(tmp_path, policy):
    """The red-team's D2: one line's hash replaced by zeros; the file itself never touched."""
    folder, paths = sealed_archive(tmp_path)
    untouched = rel(paths, "approval", folder)
    edit_line(folder, untouched)
    report = run(folder, policy)
    manifest = f"{SEAL_DIR}/{MANIFEST}"
    assert integrity(report, folder) == {
        (untouched, "integrity/seal-invalid"),
        (manifest, "integrity/seal-invalid"),
    }
    messages = at(report, folder, "integrity/seal-invalid")
    assert messages[untouched].startswith(
        f"封存记录已损坏：{MANIFEST} edited after sealing：其中「{untouched}」一行与该文件不符"
        "（清单记为 000000000000…"
    )
    assert "无法判断改动的是清单还是文件，请与原件或备份核对" in messages[untouched]
    assert messages[manifest] == (
        f"封存记录已损坏：{MANIFEST} edited after sealing：封存清单在封存后被改动，"
        "已不能证明文件未被修改（文件连同清单一起改动也看不出）；1 个文件与清单不符（见各文件）。"
        "请与原件或备份核对全部文件后重新封存（itdocs seal --force）"
    )
    [at_manifest] = [f for f in report.findings if f.file.endswith(MANIFEST)]
    assert at_manifest.evidence["lines_disagreeing"] == [untouched]


def test_an_edited_manifest_in_english(tmp_path, policy):
    folder, paths = sealed_archive(tmp_path)
    untouched = rel(paths, "approval", folder)
    edit_line(folder, untouched)
    messages = at(run(folder, policy, lang="en"), folder, "integrity/seal-invalid")
    assert f'its line for "{untouched}"' in messages[untouched]
    assert "the line or the file was changed" in messages[untouched]
    assert "no longer proves any file unchanged" in messages[f"{SEAL_DIR}/{MANIFEST}"]


def test_a_file_changed_and_its_line_forged_shows_only_at_the_manifest(tmp_path, policy):
    folder, paths = sealed_archive(tmp_path)
    target = paths["week40"]
    name = rel(paths, "week40", folder)
    target.write_bytes(paths["week41"].read_bytes())  # another week's report copied over it
    edit_line(folder, name, hashlib.sha256(target.read_bytes()).hexdigest())
    report = run(folder, policy)
    assert integrity(report, folder) == {(f"{SEAL_DIR}/{MANIFEST}", "integrity/seal-invalid")}
    [message] = at(report, folder, "integrity/seal-invalid").values()
    assert "已不能证明文件未被修改" in message and "个文件与清单不符" not in message


def test_an_edited_manifest_keeps_added_and_removed(tmp_path, policy):
    folder, paths = sealed_archive(tmp_path)
    edit_line(folder, rel(paths, "approval", folder))
    changed = rel(paths, "week33", folder)
    with paths["week33"].open("ab") as handle:
        handle.write(b"\0")
    paths["risks"].unlink()
    late = folder / f"{NAME}-2026年11月6日-会议纪要.docx"
    late.write_bytes(paths["midterm"].read_bytes())
    report = run(folder, policy)
    got = integrity(report, folder)
    assert (rel(paths, "risks", folder), "integrity/removed") in got
    assert (late.name, "integrity/added") in got
    assert (changed, "integrity/seal-invalid") in got  # a line disagreeing: not "changed"
    assert not [r for _, r in got if r == "integrity/changed"]
    manifest_message = at(report, folder, "integrity/seal-invalid")[f"{SEAL_DIR}/{MANIFEST}"]
    assert "新增、删除的判断也以改动后的清单为准" in manifest_message
    assert "2 个文件与清单不符" in manifest_message


def test_an_intact_manifest_still_reports_changed_files(tmp_path, policy):
    folder, paths = sealed_archive(tmp_path)
    with paths["week33"].open("ab") as handle:
        handle.write(b"\0")
    report = run(folder, policy)
    assert integrity(report, folder) == {(rel(paths, "week33", folder), "integrity/changed")}


def test_the_seal_problems_carry_a_code(tmp_path):
    folder, paths = sealed_archive(tmp_path)
    edit_line(folder, rel(paths, "approval", folder))
    found = read_seal(folder)
    assert found is not None and found.manifest_edited
    assert [(p["file"], p["code"]) for p in found.problems] == [(MANIFEST, "edited")]
    (folder / SEAL_DIR / TAG_MANIFEST).unlink()
    found = read_seal(folder)
    assert found is not None and not found.manifest_edited  # unverifiable, not shown edited
    assert [(p["file"], p["code"]) for p in found.problems] == [(TAG_MANIFEST, "missing")]
