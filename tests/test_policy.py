"""Policies: the built-in rule set, extends chains, overrides, and errors as good as dossier errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from itdocs import resources
from itdocs.checks import CHECKS, FAMILY_MODULES, documentation
from itdocs.checks.base import doc_sections
from itdocs.engine import check
from itdocs.errors import PolicyError
from itdocs.loader import load
from itdocs.policy import find_policy_file, load_policy

RULES_DIR = Path(__file__).parent / "rules"
AS_OF = dt.date(2026, 11, 20)


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def base_dossier(tmp_path: Path, **patches: str) -> Path:
    data = load(RULES_DIR / "_base.yaml").data
    for pointer, value in patches.items():
        section, index, key = pointer.split("__")
        data[section][int(index)][key] = value
    return write(tmp_path / "erp.yaml", data)


# --- the built-in rule set --------------------------------------------------------------------


def test_builtin_rules_file_is_valid_against_its_schema():
    schema = resources.load_schema("policy.schema.json")
    Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(resources.rules_file("default.yaml").read_text(encoding="utf-8"))
    errors = list(
        Draft202012Validator(schema).iter_errors(json.loads(json.dumps(data, default=str)))
    )
    assert errors == []


def test_every_rule_runs_a_registered_check_that_reports_it():
    rules = load_policy().rule_set()
    for rule in rules.values():
        assert rule.check in CHECKS, rule.id
        assert rule.id in CHECKS[rule.check].rules, rule.id
    declared = {r for c in CHECKS.values() for r in c.rules}
    assert declared == set(rules), "every rule a check reports is in rules/default.yaml"


def test_every_rule_is_documented_with_examples():
    for rule in load_policy().rule_set().values():
        intro, section = documentation(rule.id, CHECKS[rule.check])
        assert intro, rule.family
        assert section, f"{rule.id}: no '### {rule.id}' section in its module docstring"
        assert "Compliant" in section and "Non-compliant" in section, rule.id
        assert (
            rule.summary["zh"] and rule.summary["en"] and rule.message["zh"] and rule.message["en"]
        )


def test_every_family_module_documents_its_parameters():
    for family, module in FAMILY_MODULES.items():
        intro, sections = doc_sections(module.__doc__)
        assert "Parameters" in intro, family
        assert sections, family


def test_rule_params_in_default_yaml_equal_the_checks_defaults():
    for rule in load_policy().rule_set().values():
        check_ = CHECKS[rule.check]
        assert dict(rule.params) == {
            k: v for k, v in check_.defaults.items() if k in rule.params
        }, rule.id
        assert set(check_.defaults) <= set(rule.params) or not check_.defaults, rule.id


def test_every_parameter_a_check_reads_is_a_policy_parameter():
    known = resources.load_schema("policy.schema.json")["properties"]["parameters"]["properties"]
    defaults = load_policy().parameters
    for check_ in CHECKS.values():
        for name in check_.reads:
            assert name in known and name in defaults, (
                f"{check_.name} reads unknown parameter {name}"
            )


def test_generator_parameters_keep_their_names():
    policy = load_policy()
    for name in (
        "naming.pattern",
        "approval_chain",
        "supplier_weights",
        "min_quotes",
        "risk_levels",
        "kickoff_within_days",
        "minutes_within_hours",
        "resolution_assign_within_hours",
        "emergency_explanation_within_hours",
        "weekly_report_weekday",
        "monthly_report_day",
        "quarterly_report_due",
        "working_days",
        "extra_holidays",
        "extra_workdays",
        "contract_expiry_warning_days",
        "cost_overrun_percent",
        "acceptance_attachments",
        "contracts_encrypted",
    ):
        assert policy.param(name) is not None, name


# --- extends and overrides ---------------------------------------------------------------------


def test_changing_kickoff_within_days_changes_the_result(tmp_path):
    dossier = base_dossier(tmp_path)
    strict = write(
        tmp_path / "strict.yaml", {"extends": "default", "parameters": {"kickoff_within_days": 3}}
    )
    relaxed = check([dossier], policy=load_policy(), waivers=False, as_of=AS_OF)
    tight = check([dossier], policy=strict, waivers=False, as_of=AS_OF)
    assert relaxed.findings == []
    assert [(f.rule, f.location.pointer) for f in tight.findings] == [
        ("deadline/kickoff-late", "/meetings/0/start")
    ]
    assert tight.findings[0].evidence["due"] == "2026-08-17"


def test_turning_a_rule_off_and_changing_a_severity(tmp_path):
    dossier = base_dossier(tmp_path)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "parent.yaml", {"parameters": {"kickoff_within_days": 3}})
    child = write(
        tmp_path / "sub" / "child.yaml",
        {"extends": "../parent.yaml", "rules": {"deadline/kickoff-late": {"severity": "warning"}}},
    )
    leaf = write(
        tmp_path / "leaf.yaml",
        {"extends": "sub/child.yaml", "rules": {"deadline/kickoff-late": {"severity": "off"}}},
    )
    warned = check([dossier], policy=child, waivers=False, as_of=AS_OF)
    assert [(f.rule, f.severity) for f in warned.findings] == [("deadline/kickoff-late", "warning")]
    assert warned.exit_code("error") == 0 and warned.exit_code("warning") == 1
    policy = load_policy(leaf)
    assert policy.sources == [
        "rules/default.yaml",
        str(tmp_path / "parent.yaml"),
        str(tmp_path / "sub/child.yaml"),
        str(leaf),
    ]
    assert policy.param("kickoff_within_days") == 3
    assert check([dossier], policy=policy, waivers=False, as_of=AS_OF).findings == []


def test_itdocs_yaml_is_found_upward_from_the_checked_path(tmp_path):
    folder = tmp_path / "projects" / "2026"
    folder.mkdir(parents=True)
    dossier = base_dossier(folder)
    write(tmp_path / "itdocs.yaml", {"parameters": {"kickoff_within_days": 3}})
    assert find_policy_file(dossier) == tmp_path / "itdocs.yaml"
    report = check([folder], waivers=False, as_of=AS_OF)
    assert [f.rule for f in report.findings] == ["deadline/kickoff-late"]
    assert report.policies == [["rules/default.yaml", str(tmp_path / "itdocs.yaml")]]


def test_lists_replace_and_mappings_merge(tmp_path):
    policy = load_policy(
        write(
            tmp_path / "p.yaml",
            {
                "parameters": {
                    "naming": {"max_bytes": 200},
                    "approval_chain": [{"role": "ceo", "title": "CEO终审"}],
                }
            },
        )
    )
    assert policy.param("naming.max_bytes") == 200
    assert policy.param("naming.pattern") == "{project}-{date}-{type}"
    assert policy.param("approval_chain") == [{"role": "ceo", "title": "CEO终审"}]


def test_an_organization_adds_a_rule_reusing_a_check(tmp_path):
    policy = load_policy(
        write(
            tmp_path / "p.yaml",
            {
                "rules": {
                    "deadline/kickoff-strict": {
                        "check": "deadline.kickoff_late",
                        "severity": "warning",
                        "params": {"kickoff_within_days": 2},
                        "message": {"zh": "启动会须在 {due} 前", "en": "kickoff due {due}"},
                        "summary": {"zh": "启动会2日内", "en": "Kickoff within 2 days"},
                    }
                }
            },
        )
    )
    report = check([base_dossier(tmp_path)], policy=policy, waivers=False, as_of=AS_OF)
    assert [(f.rule, f.severity, f.message) for f in report.findings] == [
        ("deadline/kickoff-strict", "warning", "启动会须在 2026-08-17 前")
    ]  # 08-16 is a Sunday


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "fragments"),
    [
        (
            {"parameters": {"kickoff_within_days": "7"}},
            ["p.yaml:3:3", "/parameters/kickoff_within_days", "应为整数"],
        ),
        (
            {"parameters": {"kickof_within_days": 7}},
            ["/parameters", "kickof_within_days", "拼写错误"],
        ),
        (
            {"rules": {"deadline/kickoff-late": {"severity": "fatal"}}},
            ["/rules/deadline~1kickoff-late/severity", "fatal"],
        ),
        (
            {"rules": {"deadline/kikoff-late": {"severity": "warning"}}},
            ["unknown rule", "did you mean deadline/kickoff-late"],
        ),
        (
            {"rules": {"deadline/kickoff-late": {"params": {"kickoff_within_day": 3}}}},
            ["kickoff_within_day", "kickoff_within_days", "/params"],
        ),
        (
            {"rules": {"deadline/kickoff-late": {"params": {"kickoff_within_days": -1}}}},
            ["不能小于 0"],
        ),
        (
            {"rules": {"deadline/kickoff-late": {"message": {"zh": "{nope}", "en": "x"}}}},
            ["{nope}", "available: {what}"],
        ),
        (
            {
                "rules": {
                    "deadline/new": {
                        "check": "deadline.nope",
                        "severity": "error",
                        "message": {"zh": "a", "en": "b"},
                        "summary": {"zh": "a", "en": "b"},
                    }
                }
            },
            ["unknown check", "deadline.nope"],
        ),
        ({"extends": "missing.yaml"}, ["extends a missing file", "missing.yaml"]),
        (
            {"parameters": {"naming": {"pattern": "{project}/{date}"}}},
            ["/parameters/naming/pattern"],
        ),
    ],
)
def test_policy_errors_name_file_line_pointer_and_fix(tmp_path, policy, fragments):
    path = write(tmp_path / "p.yaml", {"version": 1, **policy})
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    text = str(info.value)
    for fragment in fragments:
        assert fragment in text


def test_extends_loop_is_detected(tmp_path):
    write(tmp_path / "a.yaml", {"extends": "b.yaml"})
    write(tmp_path / "b.yaml", {"extends": "a.yaml"})
    with pytest.raises(PolicyError, match="extends loop"):
        load_policy(tmp_path / "a.yaml")
    write(tmp_path / "self.yaml", {"extends": "self.yaml"})
    with pytest.raises(PolicyError, match="extends loop"):
        load_policy(tmp_path / "self.yaml")


def test_a_broken_policy_file_is_a_policy_error(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("parameters: [\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="YAML"):
        load_policy(path)


def test_unquoted_off_turns_a_rule_off(tmp_path):
    """YAML 1.1 reads `severity: off` as false; a user who wrote it means "off"."""
    from itdocs.policy import load_policy

    path = tmp_path / "itdocs.yaml"
    path.write_text("extends: default\nrules:\n  deadline/kickoff-late: {severity: off}\n", encoding="utf-8")
    policy = load_policy(path)
    assert policy.rules["deadline/kickoff-late"]["severity"] == "off"
