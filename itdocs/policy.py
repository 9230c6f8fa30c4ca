"""Policy: the built-in rules/default.yaml, extended by an organization's itdocs.yaml.

A policy file has ``parameters`` (the numbers the seeds leave blank: days, hours, the approval
chain, name patterns) and ``rules`` (each: the check it runs, a severity, params, a zh/en message,
a summary). It ``extends`` the built-in ``default`` or another policy file (a path relative to
it), and overrides only what differs; mappings merge key by key, lists and values replace.
Every file of the chain is validated against schemas/policy.schema.json, and the merged rules
against the check registry (known check, known parameters of the right type, known placeholders).
"""

from __future__ import annotations

import copy
import difflib
import os
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from itdocs import resources
from itdocs.errors import ItdocsError, PolicyError
from itdocs.findings import Finding
from itdocs.loader import Document, load, loads

POLICY_FILE_NAMES = ("itdocs.yaml", "itdocs.yml", ".itdocs.yaml")
POLICY_SCHEMA = "policy.schema.json"
SEVERITY_LEVELS = ("error", "warning", "info", "off")
BUILTIN = "rules/default.yaml"


@dataclass(frozen=True)
class Rule:
    """One rule of the merged policy: what runs, how bad it is, how it is worded."""

    id: str
    check: str
    severity: str
    params: Mapping[str, Any]
    message: Mapping[str, str]
    summary: Mapping[str, str]
    source: str = BUILTIN  # the file that last set it

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def enabled(self) -> bool:
        return self.severity != "off"


@dataclass
class Policy:
    """Merged parameters and rules, and the files they came from (built-in first)."""

    parameters: dict[str, Any]
    rules: dict[str, Any]
    sources: list[str] = field(default_factory=list)
    path: Path | None = None  # the organization's policy file, when there is one
    _origins: dict[str, str] = field(default_factory=dict, repr=False)

    def param(self, name: str, default: Any = None) -> Any:
        value: Any = self.parameters
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value

    def rule_set(self) -> dict[str, Rule]:
        """Every rule as a ``Rule``, in the order the policy lists them."""
        return {
            rule_id: Rule(
                rule_id,
                body["check"],
                body["severity"],
                dict(body.get("params") or {}),
                dict(body["message"]),
                _localized(body["summary"]),
                self._origins.get(rule_id, BUILTIN),
            )
            for rule_id, body in self.rules.items()
        }

    def check_params(self, rule: Rule) -> dict[str, Any]:
        """What the rule's check receives: parameters, the check's defaults, the rule's params."""
        from itdocs.checks import CHECKS

        check = CHECKS[rule.check]
        return merge(merge(self.parameters, dict(check.defaults)), dict(rule.params))


def _localized(value: Any) -> dict[str, str]:
    return dict(value) if isinstance(value, dict) else {"zh": str(value), "en": str(value)}


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merge key by key; lists and values replace."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


_merge = merge  # the name the generator used before policies had rules


# --- reading and validating files ---------------------------------------------------------------


def _invalid(findings: list[Finding], what: str) -> PolicyError:
    lines = [
        f"  {f.file}:{f.location.line or 1}:{f.location.column or 1}: {f.location.pointer or '/'}: {f.message}"
        for f in findings
    ]
    kind = "policy" if "策略" in what else "waivers"
    error = PolicyError(
        f"{what}无效 (invalid {kind} file), {len(findings)} 处错误 (error(s)):\n"
        + "\n".join(lines)
        + f"\n  (see schemas/{kind}.schema.json; `itdocs explain RULE` lists a rule's parameters)"
    )
    error.findings = findings  # type: ignore[attr-defined]
    return error


def validate_document(document: Document, *, schema: str, what: str, lang: str = "zh") -> None:
    """Raise a PolicyError listing every schema error of a policy or waivers file."""
    from itdocs.validation import schema_findings

    findings = schema_findings(document, lang=lang, schema=schema)
    if findings:
        raise _invalid(findings, what)


def _read(path: Path) -> Document:
    try:
        document = load(path)
    except PolicyError:
        raise
    except ItdocsError as exc:
        raise PolicyError(
            exc.message, file=exc.file, line=exc.line, column=exc.column, hint=exc.hint
        ) from None
    _unquoted_off(document.data)
    validate_document(document, schema=POLICY_SCHEMA, what="策略文件")
    return document


def _unquoted_off(data: object) -> None:
    """YAML 1.1 reads an unquoted ``severity: off`` as false; take it as the "off" it means."""
    rules = data.get("rules") if isinstance(data, dict) else None
    for body in (rules or {}).values() if isinstance(rules, dict) else ():
        if isinstance(body, dict) and body.get("severity") is False:
            body["severity"] = "off"


@cache
def _builtin_document() -> Document:
    document = loads(
        resources.rules_file("default.yaml").read_text(encoding="utf-8"),
        fmt="yaml",
        display=BUILTIN,
    )
    validate_document(document, schema=POLICY_SCHEMA, what="内置策略")
    return document


def _builtin() -> dict[str, Any]:
    return copy.deepcopy(_builtin_document().data)


def _chain(path: Path) -> list[tuple[str, Document]]:
    """The files of an ``extends`` chain, base first, each validated; a loop is an error."""
    chain: list[tuple[str, Document]] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        seen.append(current.resolve())
        document = _read(current)
        chain.append((str(current), document))
        parent = document.data.get("extends", "default")
        if parent == "default":
            break
        line, column = document.locate("/extends") or (None, None)
        current = Path(os.path.normpath(current.parent / parent))
        if not current.is_file():
            raise PolicyError(
                f"继承的策略文件不存在 (extends a missing file): {parent}",
                file=chain[-1][0],
                line=line,
                column=column,
                hint="a path relative to this file, or 'default'",
            )
        if current.resolve() in seen:
            loop = " → ".join(str(p) for p in [*seen, current.resolve()])
            raise PolicyError(
                f"策略继承出现循环 (extends loop): {loop}",
                file=chain[-1][0],
                line=line,
                column=column,
                hint="one file of the chain must extend default",
            )
    chain.reverse()
    return chain


def find_policy_file(start: str | os.PathLike[str]) -> Path | None:
    """The nearest itdocs.yaml in ``start`` or a folder above it."""
    here = Path(start).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        for name in POLICY_FILE_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_policy(path: str | os.PathLike[str] | None = None) -> Policy:
    """The default policy, or the default extended by the policy file at ``path`` (and its chain)."""
    base = _builtin()
    parameters, rules = base.get("parameters", {}), base.get("rules", {})
    sources, origins = [BUILTIN], {rule_id: BUILTIN for rule_id in rules}
    documents: dict[str, Document] = {BUILTIN: _builtin_document()}
    if path is not None:
        if not Path(path).is_file():
            raise PolicyError("策略文件不存在 (policy file not found)", file=str(path))
        for name, document in _chain(Path(path)):
            data = document.data
            parameters = merge(parameters, data.get("parameters") or {})
            for rule_id, body in (data.get("rules") or {}).items():
                _check_override(rule_id, body, rules, name, document)
                rules[rule_id] = merge(rules.get(rule_id, {}), body)
                origins[rule_id] = name
            sources.append(name)
            documents[name] = document
    policy = Policy(parameters, rules, sources, Path(path) if path is not None else None, origins)
    _check_rules(policy, documents)
    _check_name_formats(policy, documents)
    return policy


_NAME_SAMPLE = {"project": "项目", "date": "2026年9月1日", "type": "服务合同"}
_DATE_SAMPLE = {"year": 2026, "month": 9, "day": 1, "week": 36, "quarter": 3}


def _check_name_formats(policy: Policy, documents: dict[str, Document]) -> None:
    """Each naming pattern and date format uses only its own placeholders, and formats: a field
    such as ``{project.__class__}`` or ``{0}`` would otherwise fail (or worse) while writing."""
    formats = [("naming/pattern", policy.param("naming.pattern"), _NAME_SAMPLE)]
    date_formats = policy.param("naming.date_formats") or {}
    formats += [(f"naming/date_formats/{key}", text, _DATE_SAMPLE) for key, text in date_formats.items()]
    for name, template, sample in formats:
        if not isinstance(template, str):
            continue
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
            unknown = [f for f in fields if f not in sample]
            if unknown:
                raise ValueError(f"unknown placeholder {{{unknown[0]}}}")
            template.format(**sample)  # the schema forbids ":", so no format spec can get here
        except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:
            pointer = f"/parameters/{name}"
            document = next(
                (d for d in reversed(documents.values()) if _has(d.data, pointer)), documents[BUILTIN]
            )
            raise PolicyError(
                f"命名格式无效 (invalid name format) {template!r}: {exc}",
                **_where(document, pointer),
                hint="placeholders allowed: " + " ".join(f"{{{f}}}" for f in sample),
            ) from None


def _has(data: Any, pointer: str) -> bool:
    for part in pointer.strip("/").split("/"):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


# --- rules against the check registry ----------------------------------------------------------


def _where(document: Document, pointer: str) -> dict[str, Any]:
    line, column = document.locate(pointer) or (None, None)
    return {"file": document.path, "line": line, "column": column, "pointer": pointer}


def _check_override(
    rule_id: str, body: dict[str, Any], rules: dict[str, Any], name: str, document: Document
) -> None:
    if rule_id in rules or "check" in body:
        return
    close = difflib.get_close_matches(rule_id, list(rules), n=1)
    raise PolicyError(
        f"未知规则 (unknown rule) {rule_id}",
        **_where(document, f"/rules/{rule_id.replace('/', '~1')}"),
        hint=(f"did you mean {close[0]}? " if close else "")
        + "a new rule needs check, severity, message and summary",
    )


def _check_rules(policy: Policy, documents: dict[str, Document]) -> None:
    from itdocs.checks import CHECKS

    for rule_id, body in policy.rules.items():
        document = documents.get(policy._origins.get(rule_id, BUILTIN), documents[BUILTIN])
        at = "/rules/" + rule_id.replace("~", "~0").replace("/", "~1")
        missing = [key for key in ("check", "severity", "message", "summary") if key not in body]
        if missing:
            raise PolicyError(
                f"规则 {rule_id} 缺少 {', '.join(missing)} (a new rule needs them)",
                **_where(document, at),
            )
        check = CHECKS.get(body["check"])
        if check is None:
            close = difflib.get_close_matches(body["check"], list(CHECKS), n=1)
            raise PolicyError(
                f"规则 {rule_id} 的检查项不存在 (unknown check) {body['check']}",
                **_where(document, at + "/check"),
                hint=f"did you mean {close[0]}?" if close else None,
            )
        if rule_id not in check.rules and len(check.rules) > 1:
            raise PolicyError(
                f"检查 {check.name} 只能用于规则 {', '.join(check.rules)}",
                **_where(document, at + "/check"),
            )
        _check_params(rule_id, body.get("params") or {}, check, document, at)
        for lang, template in _localized(body["message"]).items():
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            unknown = sorted(f for f in fields if f not in check.args)
            if unknown:
                raise PolicyError(
                    f"规则 {rule_id} 的提示信息用了检查不提供的占位符 (unknown placeholder) {{{unknown[0]}}}",
                    **_where(document, f"{at}/message/{lang}"),
                    hint="available: " + (", ".join(f"{{{a}}}" for a in check.args) or "none"),
                )


def _check_params(
    rule_id: str, params: dict[str, Any], check: Any, document: Document, at: str
) -> None:
    from jsonschema import Draft202012Validator

    from itdocs.formats import format_checker
    from itdocs.messages import describe

    root = resources.load_schema(POLICY_SCHEMA)
    known = root["properties"]["parameters"]["properties"]
    allowed = {**{name: known[name] for name in check.reads if name in known}, **check.options}
    # Validated under a "parameters" key so messages find the fields' titles in the policy schema.
    schema = {
        "$defs": root["$defs"],
        "type": "object",
        "properties": {
            "parameters": {"type": "object", "additionalProperties": False, "properties": allowed}
        },
    }
    validator = Draft202012Validator(schema, format_checker=format_checker())
    for error in validator.iter_errors({"parameters": params}):
        path, message = describe(error, "zh", schema=POLICY_SCHEMA)
        if error.validator == "additionalProperties":
            message += f"；规则 {rule_id} 可设置的参数 (params it reads): {', '.join(sorted(allowed)) or '无 (none)'}"
        pointer = (
            at
            + "/params"
            + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path[1:])
        )
        raise PolicyError(message, **_where(document, pointer))


class Policies:
    """The policy each file answers to: the one given, or the nearest itdocs.yaml above it."""

    def __init__(self, given: Policy | str | os.PathLike[str] | None) -> None:
        self.given = load_policy(given) if isinstance(given, (str, os.PathLike)) else given
        self.cache: dict[Path | None, Policy] = {}

    def for_file(self, path: Path) -> Policy:
        if self.given is not None:
            return self.given
        found = find_policy_file(path)
        if found not in self.cache:
            self.cache[found] = load_policy(found)
        return self.cache[found]

    def used(self) -> list[Policy]:
        return [self.given] if self.given is not None else list(self.cache.values())
