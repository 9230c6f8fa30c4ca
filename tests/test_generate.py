"""Every sample dossier gives every document its kind needs, carrying the dossier's values."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from conftest import sample_files
from generate_helpers import docx_text, load_data, xlsx_values

from itdocs import amounts
from itdocs.docprops import read_custom_properties
from itdocs.generator import generate
from itdocs.naming import (
    DOC_TYPES,
    doc_type_by_name,
    parse_date_token,
    parse_name,
    windows_problems,
)

SAMPLES = sample_files()
pytestmark = pytest.mark.skipif(not SAMPLES, reason="no samples/")


@pytest.fixture(scope="module", params=SAMPLES, ids=[p.name for p in SAMPLES])
def generated(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = generate(request.param, out)
    return request.param, load_data(request.param), result, out


def _files(result, type_id: str, suffix: str = ".docx") -> list[Path]:
    return [f.path for f in result.written if f.doc_type == type_id and f.path.suffix == suffix]


def expected_counts(data) -> Counter:
    """What DOMAIN.md's table asks of this dossier, given what it records."""
    kind = data["kind"]
    want: Counter = Counter()
    for type_id in ("requirement_form", "approval_sheet", "risk_register"):
        if kind in DOC_TYPES[type_id].kinds:
            want[type_id] = 1
    for type_id, section in (
        ("supplier_evaluation", "suppliers"),
        ("service_scheme", "scheme"),
        ("contract", "contract"),
        ("acceptance_report", "acceptance"),
        ("performance_evaluation", "performance"),
    ):
        if kind in DOC_TYPES[type_id].kinds and data.get(section):
            want[type_id] = 1
    if (data.get("improvement") or {}).get("trial_run", {}).get("report"):
        want["trial_run_report"] = 1
    kickoff = "kickoff_minutes" if kind in DOC_TYPES["kickoff_minutes"].kinds else "meeting_minutes"
    for meeting in data.get("meetings") or []:
        want[kickoff if meeting["type"] == "kickoff" else "meeting_minutes"] += 1
    for report in data.get("reports") or []:
        want[f"{report['type']}_report"] += 1
    want["change_request"] += len(data.get("changes") or [])
    return +want


def test_every_document_the_kind_needs_is_written(generated):
    _, data, result, out = generated
    assert result.ok, [str(e) for e in result.errors]
    written = Counter(
        f.doc_type for f in result.written if not f.path.name.endswith("月报附表.xlsx")
    )
    assert written == expected_counts(data)
    assert sorted(p.name for p in out.iterdir()) == sorted(f.path.name for f in result.written)


def test_each_file_opens_and_names_the_project(generated):
    _, data, result, _ = generated
    for item in result.written:
        if item.path.suffix == ".docx":
            text = docx_text(item.path)
        else:
            text = "\n".join(str(v) for v in xlsx_values(item.path))
        assert data["project"]["name"] in text, item.path.name


def test_names_follow_the_convention(generated):
    _, data, result, _ = generated
    for item in result.written:
        name = item.path.name
        assert not windows_problems(name), name
        assert len(name.encode("utf-8")) <= 255
        parsed = parse_name(name)
        assert parsed and parsed.project == data["project"]["name"], name
        doc_type = doc_type_by_name(parsed.type_name)
        assert doc_type and doc_type.id == item.doc_type, name
        precision = parse_date_token(parsed.date)[0]
        assert precision == (DOC_TYPES[item.doc_type].period or "day"), name


def test_periodic_reports_one_file_per_period(generated):
    _, data, result, _ = generated
    for report in data.get("reports") or []:
        files = [
            f for f in result.written if f.period == report["period"] and f.path.suffix == ".docx"
        ]
        assert len(files) == 1, report["period"]
        text = docx_text(files[0].path)
        assert report["summary"].splitlines()[0][:20] in text


def test_custom_properties_round_trip(generated):
    path, data, result, _ = generated
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for item in result.written:
        props = read_custom_properties(item.path.read_bytes(), prefix="itdocs.")
        assert props["project_id"] == data["project"]["id"]
        assert props["kind"] == data["kind"]
        assert props["document_type"] == item.doc_type
        assert props["period"] == (item.period or "")
        assert props["dossier_sha256"] == digest
        assert props["generator_version"]


def test_contract_carries_what_an_audit_looks_for(generated):
    _, data, result, _ = generated
    if not data.get("contract"):
        pytest.skip("no contract")
    [path] = _files(result, "contract")
    text = docx_text(path)
    contract = data["contract"]
    assert amounts.figures(contract["amount"]) in text
    assert amounts.capitals(contract["amount"]) in text
    sla = contract["sla"]
    assert f"{sla['availability']}%" in text
    for priority in sla["priorities"]:
        assert (
            f"{priority['response_minutes']} 分钟" in text
            and f"{priority['resolution_hours']} 小时" in text
        )
    assert sla["penalty"][:20] in text
    assert f"{contract['confidentiality']['duration_years']}年" in text
    assert contract["breach_liability"][:20] in text
    for party in ("client", "supplier"):
        assert data["parties"][party]["uscc"] in text
        signer = (contract.get("signatures") or {}).get(party)
        if signer:
            assert signer["name"] in text
    if contract.get("legal_review"):
        assert contract["legal_review"]["name"] in text
    for payment in contract["payment"]:
        assert amounts.figures(payment["amount"]) in text
    if data["kind"] == "affiliation":
        assert contract["ip_ownership"][:20] in text and contract["risk_allocation"][:20] in text
        assert "知识产权归属" in text and "风险分担" in text


def test_approval_sheet_has_the_chain_in_order(generated):
    _, data, result, _ = generated
    files = _files(result, "approval_sheet")
    if not files:
        pytest.skip("no approval sheet for this kind")
    text = docx_text(files[0])
    positions = [text.rindex(title) for title in ("部门负责人初审", "财务部复审", "CEO终审")]
    assert positions == sorted(positions)
    for approval in data.get("approvals") or []:
        assert approval["name"] in text


def test_acceptance_report_lists_every_member_to_sign(generated):
    _, data, result, _ = generated
    if not data.get("acceptance"):
        pytest.skip("no acceptance")
    [path] = _files(result, "acceptance_report")
    text = docx_text(path)
    signature_rows = text[text.rindex("角色") :]
    for member in data["acceptance"]["team"]:
        assert member["name"] in signature_rows
    for criterion in data["acceptance"]["criteria"]:
        assert criterion["name"] in text


def test_minutes_carry_every_resolution(generated):
    _, data, result, _ = generated
    minutes = _files(result, "meeting_minutes") + _files(result, "kickoff_minutes")
    texts = "\n".join(docx_text(p) for p in minutes)
    for meeting in data.get("meetings") or []:
        for resolution in meeting.get("resolutions") or []:
            assert resolution["content"][:15] in texts
            if resolution.get("owner"):
                assert resolution["owner"] in texts


def test_workbooks_carry_their_values(generated):
    _, data, result, _ = generated
    for path in _files(result, "supplier_evaluation", ".xlsx"):
        values = xlsx_values(path)
        for candidate in data["suppliers"]["candidates"]:
            assert candidate["name"] in values
    for path in _files(result, "risk_register", ".xlsx"):
        values = xlsx_values(path)
        for risk in data.get("risks") or []:
            assert risk["id"] in values
    for path in _files(result, "performance_evaluation", ".xlsx"):
        values = xlsx_values(path)
        for value in data["performance"]["kpis"].values():
            assert value in values


def test_second_run_changes_nothing_and_reports_skips(generated):
    path, _, first, out = generated
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}
    again = generate(path, out)
    assert not again.written
    assert sorted(again.skipped) == sorted(f.path for f in first.written)
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()} == before


def test_same_dossier_gives_byte_identical_files(generated, tmp_path):
    path, _, first, _ = generated
    again = generate(path, tmp_path)
    assert [f.path.name for f in again.written] == [f.path.name for f in first.written]
    for old, new in zip(first.written, again.written):
        assert old.path.read_bytes() == new.path.read_bytes(), new.path.name
