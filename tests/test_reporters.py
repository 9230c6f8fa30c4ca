"""Every output format, on a report with errors, warnings, a waived finding and an unreadable file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft4Validator

from itdocs.engine import check
from itdocs.findings import Finding, Location
from itdocs.loader import load
from itdocs.policy import load_policy
from itdocs.reporters import REPORTER_BY_NAME

BASE = Path(__file__).parent / "rules" / "_base.yaml"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = load(BASE).data
    data["approvals"][2]["date"] = "2026-08-04"  # error: CEO before finance
    data["reports"][13]["filed"] = "2026-10-08"  # error: late, waived below
    data["cost"]["actual"] = 340000  # warning: cost overrun
    data["project"]["name"] = "测试,外包:项目"  # error: ':' unsafe on Windows; ',' needs escaping
    (tmp_path / "erp.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("kind: [\n", encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(
        yaml.safe_dump(
            {
                "waivers": [
                    {
                        "rule": "deadline/report-late",
                        "target": "erp.yaml",
                        "reason": "经总监同意",
                        "approver": "王志强",
                        "expires": "2026-12-31",
                    }
                ]
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return check(
        ["erp.yaml", "broken.yaml"], policy=load_policy(), waivers="waivers.yaml", as_of=AS_OF
    )


def render(name: str, report, **options) -> str:
    stream = io.StringIO()
    REPORTER_BY_NAME[name](stream, **options).report(report)
    return stream.getvalue()


def test_the_report_under_test(report):
    assert sorted(f.rule for f in report.findings) == [
        "content/cost-overrun",
        "naming/windows-unsafe",
        "signature/approval-order",
    ]
    assert len(report.waived) == 1 and len(report.errors) == 1
    assert report.exit_code("error") == 2  # an unreadable file wins


def test_text_groups_by_file_and_ends_with_a_summary(report):
    text = render("text", report)
    lines = text.splitlines()
    assert lines[0] == "erp.yaml"
    assert "[signature/approval-order]" in text and "/approvals/2/date" in text
    assert "broken.yaml:2:1: YAML 格式错误" in text
    assert (
        lines[-1]
        == "检查了 2 个档案（截至 2026-11-20）：3 个问题——2 个错误，1 个警告，0 个提示；1 个已豁免；1 个文件无法读取"
    )
    english = render("text", report, lang="en", verbose=True).splitlines()
    assert english[-1] == (
        "2 dossier(s) checked as of 2026-11-20: 3 finding(s) — 2 error(s), 1 warning(s), 0 info; "
        "1 waived; 1 unreadable"
    )
    assert any("overrun_percent: 13.33" in line for line in english)


def test_json_is_versioned_and_complete(report):
    payload = json.loads(render("json", report))
    assert payload["version"] == 1 and payload["as_of"] == "2026-11-20"
    assert payload["summary"] == {
        "files": 2,
        "error": 2,
        "warning": 1,
        "info": 0,
        "waived": 1,
        "unreadable": 1,
    }
    [order] = [f for f in payload["findings"] if f["rule"] == "signature/approval-order"]
    assert (
        order["rule"] == "signature/approval-order"
        and order["line"]
        and order["pointer"] == "/approvals/2/date"
    )
    assert order["evidence"]["read"] == {
        "/approvals/1/date": "2026-08-05",
        "/approvals/2/date": "2026-08-04",
    }
    assert payload["waived"][0]["waiver"]["approver"] == "王志强"
    assert payload["errors"][0]["file"] == "broken.yaml"


def test_junit_has_a_suite_per_file_and_a_failure_per_finding(report):
    root = ET.fromstring(render("junit", report))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    erp = suites["erp.yaml"]
    assert erp.get("tests") == "3" and erp.get("failures") == "2"  # the warning is below --fail-on
    assert [f.get("type") for f in erp.iter("failure")] == ["error", "error"]
    assert suites["unreadable"].find("testcase/error") is not None
    assert root.get("failures") == "2" and root.get("errors") == "1"
    strict = ET.fromstring(render("junit", report, fail_on="warning"))
    assert strict.get("failures") == "3"


def test_github_annotations(report):
    lines = render("github", report).splitlines()
    unsafe = next(line for line in lines if "title=naming/windows-unsafe::" in line)
    assert unsafe.startswith("::error file=erp.yaml,line=")
    assert (
        "测试,外包:项目" in unsafe.split("::", 2)[2]
    )  # the message is data: only % CR LF are escaped
    order = next(line for line in lines if "approval-order" in line)
    assert order.startswith("::error file=erp.yaml,line=") and ",col=" in order
    assert any(line.startswith("::warning ") and "cost-overrun" in line for line in lines)
    assert lines[-1].startswith("::error file=broken.yaml,line=2,title=input::")


def sarif(report, **options) -> dict:
    log = json.loads(render("sarif", report, **options))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft4Validator(schema).iter_errors(log), key=str)
    assert errors == [], errors[0].message if errors else ""
    return log


def test_sarif_validates_against_the_official_schema(report):
    log = sarif(report)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "itdocs"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "Compliant" in rules["signature/approval-order"]["help"]["text"]
    assert rules["content/cost-overrun"]["defaultConfiguration"]["level"] == "warning"
    results = run["results"]
    for result in results:
        assert rules[result["ruleId"]] == run["tool"]["driver"]["rules"][result["ruleIndex"]]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "erp.yaml"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    assert {r["level"] for r in results} == {"error", "warning"}
    [suppressed] = [r for r in results if "suppressions" in r]
    assert suppressed["ruleId"] == "deadline/report-late"
    assert suppressed["suppressions"][0]["justification"] == "经总监同意"
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "broken.yaml" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_sarif_info_is_a_note_and_a_folder_finding_points_at_the_folder(report, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    extra = [
        dataclasses.replace(report.findings[0], severity="info"),
        Finding(
            "signature/acceptance-team",
            "error",
            str(folder),
            "folder-level finding",
            Location(None),
        ),
    ]
    log = sarif(dataclasses.replace(report, findings=extra, errors=[]))
    results = log["runs"][0]["results"]
    assert results[0]["level"] == "note"
    folder_location = results[1]["locations"][0]["physicalLocation"]
    assert (
        folder_location["artifactLocation"]["uri"] == "archive/" and "region" not in folder_location
    )


def test_sarif_of_a_clean_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    clean = check([BASE], policy=load_policy(), waivers=False, as_of=AS_OF)
    log = sarif(clean)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert len(log["runs"][0]["tool"]["driver"]["rules"]) == len(load_policy().rule_set())


def test_reporters_never_import_click():
    import itdocs.reporters as package

    for path in Path(package.__file__).parent.glob("*.py"):
        assert "import click" not in path.read_text(encoding="utf-8"), path.name
