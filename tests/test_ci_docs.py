"""The CI documentation and the pre-commit hooks stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from itdocs.loader import loads
from itdocs.policy import load_policy, validate_document

ROOT = Path(__file__).resolve().parents[1]
CI_DOC = ROOT / "docs" / "ci.md"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_every_yaml_snippet_parses():
    blocks = yaml_blocks()
    assert len(blocks) >= 6
    for block in blocks:
        yaml.safe_load(block)


def test_the_workflow_uploads_sarif_and_fails_on_findings():
    [workflow] = [yaml.safe_load(b) for b in yaml_blocks() if b.startswith("# .github/workflows/")]
    steps = workflow["jobs"]["itdocs"]["steps"]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "itdocs check dossiers/ --format sarif --output itdocs.sarif" in runs
    upload = next(step for step in steps if "upload-sarif" in step.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "itdocs.sarif"
    assert workflow["permissions"]["security-events"] == "write"


def test_the_policy_and_waivers_examples_are_valid(tmp_path):
    policy = next(b for b in yaml_blocks() if b.startswith("# dossiers/itdocs.yaml"))
    (tmp_path / "itdocs.yaml").write_text(policy, encoding="utf-8")
    assert load_policy(tmp_path / "itdocs.yaml").param("kickoff_within_days") == 5
    waivers = next(b for b in yaml_blocks() if b.startswith("# dossiers/waivers.yaml"))
    validate_document(loads(waivers, fmt="yaml"), schema="waivers.schema.json", what="豁免文件")


def test_pre_commit_hooks():
    hooks = {
        h["id"]: h
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    assert hooks["itdocs-check"]["entry"] == "itdocs check"
    assert hooks["itdocs-validate"]["entry"] == "itdocs validate"
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert re.search(hook["exclude"], "dossiers/itdocs.yaml")
        assert re.search(hook["exclude"], "waivers.yaml")
        assert not re.search(hook["exclude"], "dossiers/erp.yaml")
