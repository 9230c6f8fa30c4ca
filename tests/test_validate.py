"""`itdocs validate`: every sample validates; broken dossiers give located, understandable errors."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from conftest import sample_files

from itdocs import starter
from itdocs.loader import loads
from itdocs.validation import schema_findings, validate

DATA = Path(__file__).parent / "data"
CASES = yaml.safe_load((DATA / "validate_cases.yaml").read_text(encoding="utf-8"))
MALFORMED = yaml.safe_load((DATA / "malformed_cases.yaml").read_text(encoding="utf-8"))


def _tokens(pointer: str) -> list[str]:
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _patch(data: dict, *, set_: dict, delete: list[str]) -> dict:
    data = copy.deepcopy(data)
    for pointer in delete:
        *parents, last = _tokens(pointer)
        target = data
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        del target[int(last) if isinstance(target, list) else last]
    for pointer, value in set_.items():
        *parents, last = _tokens(pointer)
        target = data
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        target[last] = value
    return data


def _case_text(case: dict) -> tuple[str, str]:
    if "text" in case:
        return case["text"], case.get("format", "yaml")
    base = starter.starter(case["base"], today=dt.date(2026, 9, 1))
    data = _patch(base, set_=case.get("set", {}), delete=case.get("delete", []))
    return starter.render(data, fmt="yaml"), "yaml"


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_every_sample_is_valid(path):
    [result] = validate([path])
    assert result.error is None
    assert [f.message for f in result.findings] == []


def test_samples_cover_every_kind_and_both_formats():
    kinds = {loads(p.read_text(encoding="utf-8"), fmt="json" if p.suffix == ".json" else "yaml").data["kind"]
             for p in sample_files()}
    assert kinds == set(starter.KINDS)
    assert {p.suffix for p in sample_files()} >= {".yaml", ".json"}


@pytest.mark.parametrize("kind", starter.KINDS)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_starter_dossiers_validate(kind, fmt):
    text = starter.render(starter.starter(kind), fmt=fmt)
    assert schema_findings(loads(text, fmt=fmt)) == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_dossier(case):
    text, fmt = _case_text(case)
    document = loads(text, fmt=fmt, display="case." + fmt)
    findings = schema_findings(document, lang=case.get("lang", "zh"))
    got = [(f.location.pointer, f.rule) for f in findings]
    want = [(e["pointer"], e["rule"]) for e in case["expect"]]
    assert got == want, [f.message for f in findings]
    lines = text.splitlines()
    for finding, expected in zip(findings, case["expect"]):
        assert expected.get("message", "") in finding.message
        assert finding.location.line is not None and finding.location.column is not None
        if "line" in expected:
            assert finding.location.line == expected["line"]
        else:
            # The reported line holds the field itself or, for a missing one, its parent.
            tokens = _tokens(expected["pointer"])
            if expected["rule"] == "schema/required":
                tokens = tokens[:-1]
            if not tokens:
                assert finding.location.line == 1
                continue
            shown = lines[finding.location.line - 1]
            assert tokens[-1] in shown or (tokens[-1].isdigit() and shown.lstrip().startswith("-")), shown


@pytest.mark.parametrize("case", MALFORMED, ids=[c["name"] for c in MALFORMED])
def test_malformed_file_is_one_clear_line_and_exit_2(case, tmp_path, cli):
    path = tmp_path / ("case" + case["suffix"])
    if "bytes" in case:
        path.write_bytes(bytes.fromhex(case["bytes"]))
    elif "text_repeat" in case:
        chunk, count = case["text_repeat"]
        path.write_text(chunk * count, encoding="utf-8")
    else:
        path.write_text(case["text"], encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and case["message"] in lines[0]
    assert lines[0].startswith(str(path))
    if "line" in case:
        assert lines[0].startswith(f"{path}:{case['line']}:")
    assert "Traceback" not in result.output


def test_three_errors_with_line_column_pointer_and_exit_1(tmp_path, cli):
    case = next(c for c in CASES if c["name"] == "three errors at once, each located")
    path = tmp_path / "bad.yaml"
    path.write_text(case["text"], encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split(": ")[0] for line in lines] == [f"{path}:4:32", f"{path}:6:63", f"{path}:9:1"]
    assert "/contract/sla" in lines[2] and "服务水平协议" in lines[2]


def test_english_messages(tmp_path, cli):
    path = tmp_path / "bad.yaml"
    data = starter.starter("procurement")
    data["requirement"]["date"] = "2026-02-30"
    path.write_text(starter.render(data, fmt="yaml"), encoding="utf-8")
    result = cli("validate", "--lang", "en", path)
    assert result.exit_code == 1
    assert "must be a real date written YYYY-MM-DD" in result.stdout


def test_folders_and_several_files_in_one_run(tmp_path, cli, samples_dir):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"kind": "procurement"}), encoding="utf-8")
    result = cli("validate", samples_dir, bad)
    assert result.exit_code == 1
    assert all(str(bad) in line for line in result.stdout.strip().splitlines())
    assert cli("validate", samples_dir).exit_code == 0


def test_unreadable_input_wins_over_invalid(tmp_path, cli):
    (tmp_path / "bad.json").write_text(json.dumps({"kind": "procurement"}), encoding="utf-8")
    result = cli("validate", tmp_path / "bad.json", tmp_path / "missing.yaml")
    assert result.exit_code == 2
    assert "missing.yaml: 文件不存在" in result.stdout


def test_json_output_is_machine_readable(cli, samples_dir):
    result = cli("validate", "--format", "json", samples_dir)
    payload = json.loads(result.stdout)
    assert payload["version"] == 1 and all(f["valid"] for f in payload["files"])


def test_init_refuses_to_overwrite(tmp_path, cli):
    target = tmp_path / "p.yaml"
    assert cli("init", "procurement", "-o", target).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    again = cli("init", "procurement", "-o", target)
    assert again.exit_code == 2 and "--force" in again.output
    assert cli("init", "procurement", "-o", target, "--force").exit_code == 0


def test_schema_command_prints_the_schema(cli):
    schema = json.loads(cli("schema").stdout)
    assert schema["$id"].endswith("dossier.schema.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
