"""What a check is: a pure function of (data, context) that yields hits; the engine does the rest.

A check never reads files, never knows its severity and never words its message: it yields a
``Hit`` (JSON pointer, message arguments, evidence) for a rule id; the engine looks the rule up in
the policy, drops it when the rule is ``off``, words the message from the rule's zh/en template,
maps the pointer to a file and line through the subject's locator and stamps id and severity.

The data is dossier-shaped: a dossier file, or (later) what an archive reader built from filed
documents. Checks read it through ``itdocs.access`` and stay silent about what is absent or
ill-typed, which is the schema family's business.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from itdocs.workdays import Calendar


@dataclass(frozen=True)
class Hit:
    """One thing a check found: where (JSON pointer), the words for the message, the facts."""

    pointer: str
    args: Mapping[str, Any] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)
    rule: str | None = None  # which of the check's rules; None when it serves one


@dataclass(frozen=True)
class Context:
    """What a check may know besides the data: its parameters, today, the calendar."""

    params: Mapping[str, Any]
    as_of: dt.date
    calendar: Calendar


CheckFunction = Callable[[Any, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Check:
    """A check function and what it declares about itself."""

    name: str  # "deadline.kickoff_late", what a rule's ``check:`` names
    rules: tuple[str, ...]  # rule ids it reports
    run: CheckFunction
    module: str  # family module, whose docstring is the documentation
    reads: tuple[str, ...] = ()  # policy ``parameters`` it reads (a rule's params may override)
    options: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema of its own params
    defaults: Mapping[str, Any] = field(default_factory=dict)
    args: tuple[str, ...] = ()  # placeholders it fills in messages


def registrar(
    checks: list[Check], module: str
) -> Callable[..., Callable[[CheckFunction], CheckFunction]]:
    """A decorator that declares a module's checks into its ``CHECKS`` list."""
    family = module.rsplit(".", 1)[-1]

    def check(
        *rules: str,
        reads: tuple[str, ...] = (),
        options: Mapping[str, Any] | None = None,
        defaults: Mapping[str, Any] | None = None,
        args: tuple[str, ...] = (),
        name: str | None = None,
    ) -> Callable[[CheckFunction], CheckFunction]:
        def register(func: CheckFunction) -> CheckFunction:
            checks.append(
                Check(
                    name=name or f"{family}.{func.__name__}",
                    rules=rules,
                    run=func,
                    module=module,
                    reads=reads,
                    options=dict(options or {}),
                    defaults=dict(defaults or {}),
                    args=args,
                )
            )
            return func

        return register

    return check


_SECTION = re.compile(r"^### (\S+)[ \t]*$", re.MULTILINE)


def doc_sections(docstring: str | None) -> tuple[str, dict[str, str]]:
    """A family docstring split into its introduction and one section per ``### rule/id`` heading."""
    text = docstring or ""
    parts = _SECTION.split(text)
    intro, sections = parts[0].strip(), {}
    for heading, body in zip(parts[1::2], parts[2::2]):
        sections[heading] = body.strip("\n").rstrip()
    return intro, sections
