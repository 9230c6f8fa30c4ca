"""Table-driven rule tests: tests/rules/<family>.yaml, one parametrized runner.

A case file names a ``base`` dossier (tests/rules/_base.yaml unless it says otherwise) and lists
cases. Each case merges a ``dossier`` fragment over the base (mappings merge, lists replace, null
deletes), applies ``patch`` (JSON pointer → value, null deletes), writes an ``itdocs.yaml`` from
``policy`` when given, checks the result ``as_of`` a date, and compares EVERY finding (all
families) with ``expect``: the same (rule, pointer) pairs, and for each expected entry the
``message`` fragment, ``severity`` and ``evidence`` subset it names.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from itdocs.engine import check
from itdocs.loader import load
from itdocs.policy import load_policy

CASES_DIR = Path(__file__).parent / "rules"
DEFAULT_AS_OF = "2026-11-20"


def merge(base: Any, fragment: Any) -> Any:
    if not isinstance(base, dict) or not isinstance(fragment, dict):
        return copy.deepcopy(fragment)
    out = copy.deepcopy(base)
    for key, value in fragment.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge(out.get(key), value)
    return out


def patch(data: Any, pointer: str, value: Any) -> None:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    target = data
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
    last = parts[-1]
    if isinstance(target, list):
        if value is None:
            del target[int(last)]
        elif last == "-":
            target.append(value)
        else:
            target[int(last)] = value
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = value


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("[!_]*.yaml")):
        suite = load(path).data
        base = load(CASES_DIR / suite.get("base", "_base.yaml")).data
        for case in suite["cases"]:
            params.append(pytest.param(suite, base, case, id=f"{path.stem}: {case['name']}"))
    return params


def build(base: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    data = merge(base, case.get("dossier") or {})
    for pointer, value in (case.get("patch") or {}).items():
        patch(data, pointer, value)
    return data


def _subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _subset(v, actual[k]) for k, v in expected.items()
        )
    return expected == actual


@pytest.mark.parametrize(("suite", "base", "case"), load_cases())
def test_rule_case(
    suite: dict[str, Any], base: dict[str, Any], case: dict[str, Any], tmp_path: Path
) -> None:
    dossier = tmp_path / "dossier.yaml"
    dossier.write_text(
        yaml.safe_dump(build(base, case), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    policy = load_policy()
    if case.get("policy"):
        policy_file = tmp_path / "itdocs.yaml"
        policy_file.write_text(
            yaml.safe_dump({"extends": "default", **case["policy"]}, allow_unicode=True),
            encoding="utf-8",
        )
        policy = load_policy(policy_file)
    as_of = dt.date.fromisoformat(str(case.get("as_of") or suite.get("as_of") or DEFAULT_AS_OF))
    report = check(
        [dossier], policy=policy, waivers=False, as_of=as_of, lang=case.get("lang", "zh")
    )
    assert not report.errors
    actual = sorted((f.rule, f.location.pointer) for f in report.findings)
    expected = sorted((e["rule"], e["pointer"]) for e in case.get("expect") or [])
    shown = "\n".join(
        f"  {f.rule} {f.location.pointer} [{f.severity}] {f.message}" for f in report.findings
    )
    assert actual == expected, f"findings differ:\n{shown}"
    for entry in case.get("expect") or []:
        found = [
            f
            for f in report.findings
            if (f.rule, f.location.pointer) == (entry["rule"], entry["pointer"])
        ]
        if "message" in entry:
            assert any(entry["message"] in f.message for f in found), (
                f"{entry['message']!r} not in:\n{shown}"
            )
        if "severity" in entry:
            assert all(f.severity == entry["severity"] for f in found)
        if "evidence" in entry:
            assert any(_subset(entry["evidence"], dict(f.evidence)) for f in found), (
                f"evidence {entry['evidence']} not in {[dict(f.evidence) for f in found]}"
            )
        assert all(f.location.line for f in found), "every finding on a dossier has a line"


def test_bases_are_clean() -> None:
    for name in ("_base.yaml", "_base_improvement.yaml"):
        report = check(
            [CASES_DIR / name],
            policy=load_policy(),
            waivers=False,
            as_of=dt.date.fromisoformat(DEFAULT_AS_OF),
        )
        assert report.findings == [], name


def test_every_rule_has_a_case() -> None:
    """Each rule of the built-in set is exercised by at least one table case (schema: a few;
    the archive-only rules by tests/test_archive_rules.py, since a dossier has no files)."""
    from itdocs.archive import ARCHIVE_ONLY_RULES

    covered = {e["rule"] for p in load_cases() for e in (p.values[2].get("expect") or [])}
    missing = [
        r
        for r in load_policy().rule_set()
        if r not in covered
        and not r.startswith(("schema/", "waiver/", "file/", "security/", "integrity/"))
        and r not in ARCHIVE_ONLY_RULES
    ]
    assert missing == []
