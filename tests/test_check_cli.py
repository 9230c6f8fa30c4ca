"""The ``check``, ``rules`` and ``explain`` commands as a user meets them: help, output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from itdocs.loader import load
from itdocs.policy import load_policy
from itdocs.reporters.github import escape_property

BASE = Path(__file__).parent / "rules" / "_base.yaml"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def write_late(folder: Path, **changes) -> Path:
    data = load(BASE).data
    data["reports"][13]["filed"] = "2026-10-08"
    data["cost"]["actual"] = changes.get("actual", 290000)
    path = folder / "late.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_clean_dossiers_exit_0(cli, folder):
    result = cli("check", "clean.yaml", "--as-of", "2026-11-20")
    assert result.exit_code == 0
    assert "未发现问题" in result.output


def test_findings_at_or_above_fail_on_exit_1(cli, folder):
    write_late(folder)
    result = cli("check", ".", "--as-of", "2026-11-20")
    assert result.exit_code == 1
    assert "late.yaml" in result.output and "[deadline/report-late]" in result.output
    assert "clean.yaml" not in result.output.splitlines()[0]


def test_fail_on_warning(cli, folder):
    (folder / "clean.yaml").unlink()
    write_late(folder, actual=340000)
    policy = folder / "p.yaml"
    policy.write_text("rules: {deadline/report-late: {severity: info}}\n", encoding="utf-8")
    args = ("check", "late.yaml", "--as-of", "2026-11-20", "--policy", policy)
    assert cli(*args).exit_code == 0  # a warning and an info
    assert cli(*args, "--fail-on", "warning").exit_code == 1
    assert cli(*args, "--fail-on", "info").exit_code == 1
    policy.write_text(
        "rules: {deadline/report-late: {severity: info}, content/cost-overrun: {severity: 'off'}}\n",
        encoding="utf-8",
    )
    assert cli(*args, "--fail-on", "warning").exit_code == 0
    assert cli(*args, "--fail-on", "info").exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ("check",),
        ("check", "clean.yaml", "--as-of", "2026-13-01"),
        ("check", "clean.yaml", "--format", "pdf"),
        ("check", "clean.yaml", "--fail-on", "fatal"),
        ("check", "clean.yaml", "--policy", "missing.yaml"),
        ("check", "clean.yaml", "--waivers", "clean.yaml", "--no-waivers"),
        ("check", "empty"),
        ("check", "missing.yaml"),
        ("explain", "deadline/kickof-late"),
    ],
)
def test_usage_and_input_errors_exit_2(cli, folder, args):
    (folder / "empty").mkdir()
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_error_messages_say_what_to_do(cli, folder):
    assert "write YYYY-MM-DD" in cli("check", "clean.yaml", "--as-of", "2026-13-01").output
    (folder / "empty").mkdir()
    assert "no dossier files" in cli("check", "empty").output
    assert "did you mean deadline/kickoff-late" in cli("explain", "deadline/kickof-late").output
    (folder / "itdocs.yaml").write_text(
        "parameters: {kickoff_within_days: seven}\n", encoding="utf-8"
    )
    result = cli("check", "clean.yaml")
    assert result.exit_code == 2
    assert "itdocs.yaml:1:" in result.output and "应为整数" in result.output


def test_an_unreadable_dossier_exits_2_after_reporting_the_others(cli, folder):
    (folder / "broken.json").write_text("{", encoding="utf-8")
    write_late(folder)
    result = cli("check", ".", "--as-of", "2026-11-20")
    assert result.exit_code == 2
    assert "[deadline/report-late]" in result.output and "broken.json" in result.output


def test_output_file_and_formats(cli, folder):
    write_late(folder)
    result = cli(
        "check", ".", "--as-of", "2026-11-20", "--format", "sarif", "-o", "out/itdocs.sarif"
    )
    assert result.exit_code == 1
    log = json.loads((folder / "out" / "itdocs.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"][0]["ruleId"] == "deadline/report-late"
    payload = json.loads(
        cli("check", ".", "--as-of", "2026-11-20", "--format", "json", "--lang", "en").output
    )
    assert payload["version"] == 1
    assert payload["findings"][0]["message"].startswith("quarterly report 2026-Q3 filed 2026-10-08")
    github = cli("check", ".", "--as-of", "2026-11-20", "--format", "github").output
    assert github.startswith("::error file=late.yaml,line=")
    assert cli("check", ".", "--as-of", "2026-11-20", "--format", "junit").output.startswith(
        "<?xml"
    )


def test_as_of_changes_the_result(cli, folder):
    data = load(BASE).data
    data["project"]["status"] = "active"
    (folder / "clean.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert (
        "deadline/contract-expiring" in cli("check", "clean.yaml", "--as-of", "2026-10-15").output
    )
    assert "deadline/contract-expired" in cli("check", "clean.yaml", "--as-of", "2026-11-20").output


def test_rules_lists_every_rule_with_severity_and_summary(cli, folder):
    result = cli("rules")
    assert result.exit_code == 0
    for rule in load_policy().rule_set().values():
        assert rule.id in result.output
    line = next(l for l in result.output.splitlines() if l.startswith("deadline/kickoff-late "))
    assert "error" in line and "启动会" in line
    (folder / "itdocs.yaml").write_text(
        "rules: {deadline/kickoff-late: {severity: 'off'}}\n", encoding="utf-8"
    )
    payload = json.loads(cli("rules", "--format", "json", "--lang", "en").output)
    assert {r["id"]: r["severity"] for r in payload["rules"]}["deadline/kickoff-late"] == "off"


def test_explain_prints_documentation_parameters_and_message(cli, folder):
    result = cli("explain", "deadline/kickoff-late")
    assert result.exit_code == 0
    assert "Compliant" in result.output and "Non-compliant" in result.output
    assert "kickoff_within_days: 7" in result.output
    assert "zh: 项目启动会 {done_at} 召开" in result.output
    (folder / "itdocs.yaml").write_text("parameters: {kickoff_within_days: 5}\n", encoding="utf-8")
    assert "kickoff_within_days: 5" in cli("explain", "deadline/kickoff-late").output
    assert "schema/*" not in cli("explain", "schema/type").output
    assert "The dossier must be valid against the schema" in cli("explain", "schema/type").output


def test_help_texts(cli):
    for command in ("check", "rules", "explain"):
        result = cli(command, "--help")
        assert result.exit_code == 0
    check_help = cli("check", "--help").output
    for option in (
        "--policy",
        "--waivers",
        "--as-of",
        "--format",
        "--fail-on",
        "--output",
        "--lang",
    ):
        assert option in check_help
    assert "github|json|junit|sarif|text" in check_help


def test_github_property_escaping():
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


def test_library_api_without_click():
    import datetime as dt

    import itdocs

    report = itdocs.check([BASE], as_of=dt.date(2026, 11, 20), waivers=False)
    assert report.findings == [] and report.exit_code() == 0
