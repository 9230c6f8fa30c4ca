"""Validate dossiers against schemas/dossier.schema.json: every error of a file, located and explained."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match

from itdocs import messages, resources
from itdocs.errors import InputError, ItdocsError, UsageError
from itdocs.findings import Finding, Location
from itdocs.formats import format_checker
from itdocs.loader import SUFFIXES, Document, display_name, load, to_pointer

DOSSIER_SCHEMA = "dossier.schema.json"
# Files a dossier folder may hold that are not dossiers.
NOT_DOSSIERS = {"itdocs.yaml", "itdocs.yml", ".itdocs.yaml", "waivers.yaml", "waivers.yml"}


@cache
def python_pattern(pattern: str) -> re.Pattern[str]:
    """An ECMA-262 ``pattern`` as Python reads it: an unescaped ``$`` outside ``[...]`` becomes
    ``\\Z``. Python's ``$`` also matches before a final newline, so ``"2026-W47\\n"`` would pass
    ``^[0-9]{4}-W[0-9]{2}$``; in JSON Schema (ECMA-262) it does not."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        out.append("\\Z" if char == "$" and not in_class else char)
        i += 1
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# The 2020-12 validator with ECMA-262 ``$`` in ``pattern`` (the schemas also serve editors, whose
# regular expressions are JavaScript's, so the fix belongs here, not in the schema text).
DossierValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def bundled_validator(name: str) -> Draft202012Validator:
    """The compiled validator of a bundled schema (dossier, policy, waivers), built once per process."""
    return DossierValidator(resources.load_schema(name), format_checker=format_checker())


def dossier_validator() -> Draft202012Validator:
    """The compiled dossier validator, built once per process."""
    return bundled_validator(DOSSIER_SCHEMA)


@dataclass
class ValidationResult:
    """One file's outcome: its schema findings, or the input error that kept it from being read."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    document: Document | None = None
    error: ItdocsError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.findings


def flatten_errors(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    """Replace each oneOf/anyOf error with its best-matching branch's error."""
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            yield from flatten_errors([best_match(error.context)])
        else:
            yield error


_flatten = flatten_errors


def schema_findings(document: Document, *, lang: str = "zh", schema: str = DOSSIER_SCHEMA) -> list[Finding]:
    """All errors of a parsed file against a bundled schema as findings, sorted by position.

    ``schema`` is the bundled schema's file name: the dossier schema by default, or
    ``policy.schema.json`` / ``waivers.schema.json`` for policy and waiver files.
    """
    try:
        errors = list(bundled_validator(schema).iter_errors(document.data))
    except RecursionError:
        raise InputError("嵌套过深 (nested too deeply)", file=document.path) from None
    if not errors:
        return []
    findings = []
    for error in flatten_errors(errors):
        path, message = messages.describe(error, lang, schema=schema)
        pointer = to_pointer(path)
        line_col = document.locate(pointer)
        line, column = line_col if line_col else (None, None)
        findings.append(
            Finding(
                rule=f"schema/{error.validator}",
                severity="error",
                file=document.path,
                message=message,
                location=Location(pointer=pointer, line=line, column=column),
            )
        )
    unique = list(dict.fromkeys(findings))
    unique.sort(key=lambda f: (f.location.line or 0, f.location.column or 0, f.location.pointer or ""))
    return unique


def validate_file(path: str | os.PathLike[str], *, lang: str = "zh", display: str | None = None) -> ValidationResult:
    shown = display or display_name(path)
    try:
        document = load(path, display=shown)
        return ValidationResult(shown, schema_findings(document, lang=lang), document)
    except ItdocsError as exc:
        return ValidationResult(shown, error=exc)


def iter_dossier_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named on the command line as given; folders searched for .yaml/.yml/.json dossiers."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if (
                        Path(name).suffix.lower() in SUFFIXES
                        and not name.startswith(".")
                        and name not in NOT_DOSSIERS
                    ):
                        yield Path(root) / name
        else:
            yield path


def validate(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], *, lang: str = "zh") -> list[ValidationResult]:
    """Validate dossier files and folders; one result per file, never raising for a bad file."""
    if lang not in messages.LANGS:
        raise UsageError(f"unknown language {lang!r}; use one of {', '.join(messages.LANGS)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    results = []
    for path in iter_dossier_files(paths):
        results.append(validate_file(path, lang=lang))
    return results


def validate_data(data: Any, *, lang: str = "zh", name: str = "<data>") -> list[Finding]:
    """Validate an in-memory dossier (no line numbers: there is no text)."""
    document = Document(name, "data", data, "", dict)
    return schema_findings(document, lang=lang)
