"""Schema (档案格式): the dossier against schemas/dossier.schema.json, as ``itdocs validate`` does.

Every schema error becomes a finding whose rule is ``schema/<keyword>`` — the JSON Schema keyword
that failed — with the same message ``itdocs validate`` prints (Chinese, or English with
``--lang en``). The other families still run on a dossier with schema errors: they read what they
can and stay silent about what is missing or ill-typed, so one typo does not hide every other finding.
When a domain rule reports the very place a schema error points at (a contract without its
confidentiality clause is both ``schema/required`` and ``content/confidentiality-clause``), only
the domain rule's finding is kept, with ``also: schema/required`` in its evidence.

Parameters: none. A policy may lower a keyword's severity, e.g. ``schema/additionalProperties:
{severity: warning}`` for an organization that writes extra fields while migrating.

### schema/*
The dossier must be valid against the schema: required fields present, no unknown fields
(custom ones start with ``x-``), values of the right type, dates real and written YYYY-MM-DD,
credit codes with a valid check character, money as integers or decimal strings.

Compliant::

    requirement: {title: ERP运维, department: 信息技术部, requester: 刘洋,
                  date: "2026-07-06", content: 驻场运维}

Non-compliant (``schema/format``: no 13th month; ``schema/required``: content missing)::

    requirement: {title: ERP运维, department: 信息技术部, requester: 刘洋, date: "2026-13-01"}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs import messages
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.loader import to_pointer

KEYWORDS = (
    "required",
    "additionalProperties",
    "type",
    "enum",
    "const",
    "format",
    "pattern",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "uniqueItems",
)
RULES = tuple(f"schema/{keyword}" for keyword in KEYWORDS) + ("schema/invalid",)

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)


@check(*RULES, name="schema.validate", args=("message_zh", "message_en", "keyword"))
def validate(data: Any, ctx: Context) -> Iterator[Hit]:
    """Each schema error, worded in both languages (the rule's template picks one)."""
    from itdocs.validation import dossier_validator, flatten_errors

    try:
        errors = list(dossier_validator().iter_errors(data))
    except RecursionError:
        yield Hit(
            "",
            {"message_zh": "档案嵌套过深", "message_en": "nested too deeply", "keyword": "depth"},
            rule="schema/invalid",
        )
        return
    seen = set()
    for error in flatten_errors(errors):
        path, zh = messages.describe(error, "zh")
        _, en = messages.describe(error, "en")
        pointer = to_pointer(path)
        keyword = str(error.validator)
        if (pointer, keyword, zh) in seen:
            continue
        seen.add((pointer, keyword, zh))
        rule = f"schema/{keyword}" if keyword in KEYWORDS else "schema/invalid"
        yield Hit(pointer, {"message_zh": zh, "message_en": en, "keyword": keyword}, rule=rule)
