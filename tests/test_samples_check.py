"""Acceptance on the bundled samples: compliant as they stand; each planted defect gives its finding.

A defect is planted in a copy of a sample; the test compares the copy's findings with the
original's, so exactly one new finding — the expected rule at the expected place, with its
evidence — must appear, whatever warnings the samples may carry.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SAMPLES, sample_files

from itdocs.engine import check
from itdocs.loader import load
from itdocs.policy import load_policy

AS_OF = dt.date(2026, 11, 21)  # after every sample's acceptance; the outsourcing service still runs


def findings(path: Path) -> list[tuple[str, str | None]]:
    report = check([path], policy=load_policy(), waivers=False, as_of=AS_OF)
    assert not report.errors
    return report.findings


def test_samples_exist():
    kinds = {load(p).data["kind"] for p in sample_files()}
    assert kinds == {"procurement", "affiliation", "informatization", "outsourcing", "improvement"}


def test_samples_report_nothing_at_error_level(cli):
    result = cli("check", SAMPLES, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    report = check([SAMPLES], waivers=False, as_of=AS_OF)
    assert [f for f in report.findings if f.severity == "error"] == []
    assert len(report.files) == len(sample_files())


def sample(kind: str) -> Path:
    [path] = [p for p in sample_files() if load(p).data["kind"] == kind]
    return path


def plant(tmp_path: Path, kind: str, defect: Callable[[dict[str, Any]], None]) -> tuple[Path, Path]:
    original = sample(kind)
    data = copy.deepcopy(load(original).data)
    defect(data)
    copy_path = tmp_path / original.name
    if original.suffix == ".json":
        copy_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        copy_path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return original, copy_path


def new_findings(original: Path, planted: Path) -> list:
    before = {(f.rule, f.location.pointer, f.message) for f in findings(original)}
    return [f for f in findings(planted) if (f.rule, f.location.pointer, f.message) not in before]


_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _shift(value: Any, days: int) -> Any:
    """Every date and date-time in ``value`` moved by ``days``."""
    if isinstance(value, dict):
        return {k: _shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    if isinstance(value, str) and (m := _MOMENT.match(value)):
        try:
            day = dt.date.fromisoformat(m[1]) + dt.timedelta(days=days)
        except ValueError:
            return value
        return day.isoformat() + value[10:]
    return value


def late_kickoff(data: dict[str, Any]) -> None:
    index = next(i for i, m in enumerate(data["meetings"]) if m["type"] == "kickoff")
    data["meetings"][index] = _shift(data["meetings"][index], 14)


def ceo_before_finance(data: dict[str, Any]) -> None:
    finance = next(a for a in data["approvals"] if a["role"] == "finance")
    ceo = next(a for a in data["approvals"] if a["role"] == "ceo")
    ceo["date"] = (dt.date.fromisoformat(finance["date"]) - dt.timedelta(days=1)).isoformat()


def missing_week(data: dict[str, Any]) -> None:
    data["reports"] = [
        r for r in data["reports"] if not (r["type"] == "weekly" and r["period"] == "2026-W38")
    ]


def missing_confidentiality(data: dict[str, Any]) -> None:
    del data["contract"]["confidentiality"]


def bad_name(data: dict[str, Any]) -> None:
    data["project"]["name"] = "2026年度IT服务管理/流程改进项目?"


def test_late_kickoff(tmp_path):
    original, planted = plant(tmp_path, "outsourcing", late_kickoff)
    [finding] = new_findings(original, planted)
    data = load(planted).data
    signed = dt.date.fromisoformat(data["contract"]["signed_date"])
    index = next(i for i, m in enumerate(data["meetings"]) if m["type"] == "kickoff")
    assert (finding.rule, finding.severity) == ("deadline/kickoff-late", "error")
    assert finding.location.pointer == f"/meetings/{index}/start" and finding.location.line
    evidence = finding.evidence
    assert evidence["base_due"] == (signed + dt.timedelta(days=7)).isoformat()
    assert evidence["read"]["/contract/signed_date"] == signed.isoformat()
    assert evidence["done_at"] == data["meetings"][index]["start"][:10]
    assert evidence["state"] == "late" and evidence["late_by"].endswith("day(s)")
    assert "chinese_calendar" in evidence["calendar"]


def test_ceo_signing_before_finance(tmp_path):
    original, planted = plant(tmp_path, "procurement", ceo_before_finance)
    [finding] = new_findings(original, planted)
    data = load(planted).data
    ceo = next(i for i, a in enumerate(data["approvals"]) if a["role"] == "ceo")
    finance = next(i for i, a in enumerate(data["approvals"]) if a["role"] == "finance")
    assert (finding.rule, finding.location.pointer) == (
        "signature/approval-order",
        f"/approvals/{ceo}/date",
    )
    assert finding.evidence["read"] == {
        f"/approvals/{finance}/date": data["approvals"][finance]["date"],
        f"/approvals/{ceo}/date": data["approvals"][ceo]["date"],
    }
    assert "CEO终审" in finding.message and "财务部复审" in finding.message


def test_a_missing_week(tmp_path):
    original, planted = plant(tmp_path, "affiliation", missing_week)
    [finding] = new_findings(original, planted)
    assert (finding.rule, finding.location.pointer) == ("deadline/report-missing", "/reports")
    assert finding.evidence["obligation"] == "report/weekly/2026-W38"
    assert finding.evidence["due"] == "2026-09-18" and finding.evidence["state"] == "overdue"
    assert "2026-W38" in finding.message


def test_a_missing_confidentiality_clause(tmp_path):
    original, planted = plant(tmp_path, "informatization", missing_confidentiality)
    [finding] = new_findings(original, planted)
    assert (finding.rule, finding.location.pointer) == (
        "content/confidentiality-clause",
        "/contract/confidentiality",
    )
    assert finding.evidence == {"missing": "confidentiality", "also": "schema/required"}
    assert finding.location.line  # at the contract, where the clause belongs


def test_a_bad_name(tmp_path):
    original, planted = plant(tmp_path, "improvement", bad_name)
    [finding] = new_findings(original, planted)
    assert (finding.rule, finding.location.pointer) == ("naming/windows-unsafe", "/project/name")
    assert finding.evidence["problems"] == ["contains '/' '?'"]
    assert finding.evidence["generated_name"].startswith("2026年度IT服务管理_流程改进项目_-")


@pytest.mark.parametrize(
    "defect", [late_kickoff, ceo_before_finance, missing_week, missing_confidentiality, bad_name]
)
def test_each_defect_fails_the_cli(cli, tmp_path, defect):
    kind = {
        late_kickoff: "outsourcing",
        ceo_before_finance: "procurement",
        missing_week: "affiliation",
        missing_confidentiality: "informatization",
        bad_name: "improvement",
    }[defect]
    _, planted = plant(tmp_path, kind, defect)
    result = cli("check", planted, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["summary"]["error"] >= 1


def test_a_tacitly_renewed_contract_has_not_expired():
    """The helpdesk contract ends 2027-07-31 and renews unless notice is given 60 days ahead."""
    import datetime as dt

    from itdocs.engine import check

    sample = SAMPLES / "outsourcing-helpdesk.json"
    after_first_term = {f.rule for f in check([sample], as_of=dt.date(2027, 8, 15)).findings}
    assert "deadline/contract-expired" not in after_first_term
    before_notice = {f.rule for f in check([sample], as_of=dt.date(2027, 5, 15)).findings}
    assert "deadline/renewal-notice" in before_notice


def test_renewal_notice_of_a_renewed_term_names_that_term_end():
    import datetime as dt

    from itdocs.engine import check

    sample = SAMPLES / "outsourcing-helpdesk.json"
    [notice] = [f for f in check([sample], as_of=dt.date(2028, 5, 15)).findings
                if f.rule == "deadline/renewal-notice"]
    assert "2028-06-01" in notice.message and "2028-07-31" in notice.message
