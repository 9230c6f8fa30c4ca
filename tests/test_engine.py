"""The engine: stamping, folding schema duplicates, and checks that never crash on broken data."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from itdocs.checks import CHECKS, Context, Hit
from itdocs.engine import INTERNAL_RULE, Subject, run_rules, word
from itdocs.findings import Location
from itdocs.loader import load
from itdocs.policy import load_policy
from itdocs.workdays import Calendar

BASE = load(Path(__file__).parent / "rules" / "_base.yaml").data
POLICY = load_policy()
AS_OF = dt.date(2026, 11, 20)


def subject(data: Any) -> Subject:
    return Subject(data, "memory.yaml", lambda pointer: ("memory.yaml", Location(pointer)))


def pointers(value: Any, prefix: str = "") -> list[str]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += pointers(child, f"{prefix}/{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += pointers(child, f"{prefix}/{index}")
    return out


ALL_POINTERS = pointers(BASE)
JUNK = st.sampled_from(
    [
        None,
        0,
        -1,
        1.5,
        "",
        "x",
        "TODO",
        [],
        {},
        True,
        "2026-13-45",
        "2026-02-30T25:00:00+08:00",
        [None],
        {"a": 1},
        "9" * 30,
        "2027-01-01",
    ]
)


def replace(data: Any, pointer: str, value: Any) -> None:
    parts = pointer.split("/")[1:]
    target = data
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    last = parts[-1]
    if isinstance(target, list):
        target[int(last)] = value
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = value


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ALL_POINTERS), JUNK), min_size=1, max_size=6))
def test_no_check_crashes_on_broken_data(mutations):
    data = copy.deepcopy(BASE)
    for pointer, value in mutations:
        try:
            replace(data, pointer, value)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            continue  # an earlier mutation removed the path
    findings = run_rules(subject(data), POLICY, as_of=AS_OF)
    assert [f for f in findings if f.rule == INTERNAL_RULE] == []


def test_no_check_crashes_on_non_dossiers():
    for data in (None, [], "text", 42, {"kind": 3}, {"kind": "outsourcing", "project": []}):
        findings = run_rules(subject(data), POLICY, as_of=AS_OF)
        assert [f for f in findings if f.rule == INTERNAL_RULE] == []


def test_checks_do_not_change_their_input_and_repeat_their_output():
    for check in CHECKS.values():
        data = copy.deepcopy(BASE)
        data["requirement"]["content"] = "TODO: 需求内容"
        context = Context({**POLICY.parameters, **check.defaults}, AS_OF, Calendar())
        before = copy.deepcopy(data)
        first = list(check.run(data, context))
        assert data == before, f"{check.name} changed its input"
        assert list(check.run(copy.deepcopy(data), context)) == first, check.name


def test_a_crashing_check_becomes_one_internal_finding(monkeypatch):
    def boom(data: Any, ctx: Context):
        raise RuntimeError("boom")

    broken = dataclasses.replace(CHECKS["content.todo_marker"], run=boom)
    monkeypatch.setitem(CHECKS, "content.todo_marker", broken)
    findings = run_rules(subject(BASE), POLICY, as_of=AS_OF)
    assert [(f.rule, f.severity) for f in findings] == [(INTERNAL_RULE, "error")]
    assert (
        "content.todo_marker" in findings[0].message and "boom" in findings[0].evidence["exception"]
    )


def test_the_engine_stamps_rule_severity_and_words_the_message():
    data = copy.deepcopy(BASE)
    data["requirement"]["content"] = "TODO: 需求内容"
    [finding] = run_rules(subject(data), POLICY, as_of=AS_OF, lang="en")
    assert (finding.rule, finding.severity, finding.file) == (
        "content/todo-marker",
        "error",
        "memory.yaml",
    )
    assert finding.message == 'still a placeholder to fill in: "TODO: 需求内容"'
    assert finding.location == Location("/requirement/content")


def test_families_filter_and_off_rules():
    data = copy.deepcopy(BASE)
    data["requirement"]["content"] = "TODO: 需求内容"
    assert run_rules(subject(data), POLICY, as_of=AS_OF, families=["deadline"]) == []


def test_word_keeps_unknown_placeholders_and_shows_none():
    assert word("{a} {b} {c}", {"a": 1, "b": None}) == "1 — {c}"
    assert word("{broken", {}) == "{broken"
    assert isinstance(Hit("/x").args, dict)


def test_a_kind_is_named_in_chinese_in_chinese_messages(tmp_path):
    """``{kind}`` is 信息技术外包 for a clerk reading Chinese, outsourcing in English."""
    from itdocs.checks import Hit
    from itdocs.engine import KIND_NAMES, _stamp

    class Subject:
        def locate(self, pointer):
            from itdocs.findings import Location

            return "a.yaml", Location(pointer=pointer)

    rule = type(
        "R",
        (),
        {"id": "x/y", "severity": "error", "message": {"zh": "{kind}项目", "en": "{kind} project"}},
    )()
    hit = Hit("/kind", {"kind": "outsourcing"}, {})
    assert _stamp(rule, hit, Subject(), "zh").message == "信息技术外包项目"
    assert _stamp(rule, hit, Subject(), "en").message == "outsourcing project"
    assert set(KIND_NAMES) == {
        "procurement",
        "affiliation",
        "informatization",
        "outsourcing",
        "improvement",
    }
