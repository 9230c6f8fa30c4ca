"""``itdocs generate`` as a new user runs it: says what it wrote, where, and what it left alone."""

from __future__ import annotations

import json

import pytest
from conftest import sample_files
from generate_helpers import small_dossier, write_dossier


@pytest.fixture
def dossier(tmp_path):
    data = small_dossier()
    data["reports"] = [
        {"type": "weekly", "period": "2026-W47", "filed": "2026-11-20", "summary": "进展"}
    ]
    return write_dossier(tmp_path, data, "project.yaml")


def test_generate_says_where_the_documents_are(cli, dossier, tmp_path):
    out = tmp_path / "out"
    result = cli("generate", dossier, "-o", out)
    assert result.exit_code == 0, result.output
    written = sorted(out.iterdir())
    assert written
    for path in written:
        assert f"wrote {path}" in result.output
    assert f"{len(written)} document(s) written to {out}" in result.output


def test_second_run_skips_and_says_so(cli, dossier, tmp_path):
    out = tmp_path / "out"
    cli("generate", dossier, "-o", out)
    again = cli("generate", dossier, "-o", out)
    assert again.exit_code == 0
    assert "skipped" in again.output and "--force" in again.output
    assert "0 document(s) written" in again.output
    forced = cli("generate", dossier, "-o", out, "--force", "-q")
    assert "skipped" not in forced.output


def test_only_and_period(cli, dossier, tmp_path):
    result = cli(
        "generate",
        dossier,
        "-o",
        tmp_path / "out",
        "--only",
        "weekly_report",
        "--period",
        "2026-W47",
    )
    assert result.exit_code == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["测试项目-2026年第47周-周报.docx"]


def test_nothing_matched_exits_1(cli, dossier, tmp_path):
    result = cli("generate", dossier, "-o", tmp_path / "out", "--period", "2026-W01")
    assert result.exit_code == 1
    assert "nothing matched" in result.output


def test_unknown_type_exits_2(cli, dossier, tmp_path):
    result = cli("generate", dossier, "-o", tmp_path / "out", "--only", "weekly")
    assert result.exit_code == 2
    assert "unknown document type weekly" in result.output and "weekly_report" in result.output


def test_invalid_dossier_exits_2_with_every_error(cli, tmp_path):
    data = small_dossier()
    data["contract"]["amount"] = 1.5
    data["kind"] = "outsourcing"
    del data["requirement"]["content"]
    path = write_dossier(tmp_path, data, "bad.json")
    result = cli("generate", path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "/contract/amount" in result.output and "/requirement" in result.output
    assert "nothing generated" in result.output
    assert not (tmp_path / "out").exists()


def test_json_output(cli, dossier, tmp_path):
    result = cli(
        "generate", dossier, "-o", tmp_path / "out", "--only", "contract", "--format", "json"
    )
    payload = json.loads(result.stdout)
    assert [w["type"] for w in payload["written"]] == ["contract"]
    assert payload["errors"] == [] and payload["skipped"] == []


def test_policy_option(cli, dossier, tmp_path):
    policy = tmp_path / "itdocs.yaml"
    policy.write_text(
        "extends: default\nparameters:\n  naming:\n    date_formats:\n      weekly: '{year}-W{week}'\n",
        encoding="utf-8",
    )
    result = cli(
        "generate", dossier, "-o", tmp_path / "out", "--only", "weekly_report", "--policy", policy
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["测试项目-2026-W47-周报.docx"]


@pytest.mark.skipif(not sample_files(), reason="no samples/")
def test_readme_command_on_a_sample(cli, tmp_path):
    sample = sample_files()[0]
    result = cli("generate", sample, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "document(s) written to" in result.output
