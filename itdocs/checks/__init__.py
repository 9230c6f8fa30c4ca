"""The check registry: every check by name, listed explicitly (no discovery).

A rule in a policy names its check (``check: deadline.kickoff_late``); the engine runs it with
the rule's parameters and stamps the rule's id and severity on what it finds. One module per
family, whose docstring is the family's user documentation (``itdocs explain RULE``).
"""

from __future__ import annotations

from types import ModuleType

from itdocs.checks import (
    completeness,
    content,
    deadline,
    file,
    integrity,
    naming,
    schema,
    security,
    signature,
    waiver,
)
from itdocs.checks.base import Check, Context, Hit, doc_sections

FAMILY_MODULES: dict[str, ModuleType] = {
    "schema": schema,
    "naming": naming,
    "signature": signature,
    "deadline": deadline,
    "content": content,
    "completeness": completeness,
    "waiver": waiver,
    "file": file,
    "security": security,
    "integrity": integrity,
}

CHECKS: dict[str, Check] = {
    check.name: check for module in FAMILY_MODULES.values() for check in module.CHECKS
}

__all__ = ["CHECKS", "FAMILY_MODULES", "Check", "Context", "Hit", "documentation"]


def documentation(rule_id: str, check: Check | None = None) -> tuple[str, str | None]:
    """The family introduction and the section documenting ``rule_id`` (None when there is none)."""
    family = rule_id.split("/", 1)[0]
    module = FAMILY_MODULES.get(family)
    if module is None and check is not None:
        module = FAMILY_MODULES.get(check.module.rsplit(".", 1)[-1])
    if module is None:
        return "", None
    intro, sections = doc_sections(module.__doc__)
    section = sections.get(rule_id) or sections.get(f"{family}/*")
    return intro, section
