"""The one place that knows where bundled files live.

schemas/, templates/ and rules/ ship inside the wheel as the packages ``itdocs.schemas``,
``itdocs.templates`` and ``itdocs.rules``; ``importlib.resources`` finds them the same way
from a checkout, an editable install and an installed wheel.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def _folder(package: str) -> Traversable:
    return resources.files(package)


def schema_file(name: str = "dossier.schema.json") -> Traversable:
    return _folder("itdocs.schemas") / name


@cache
def load_schema(name: str = "dossier.schema.json") -> dict[str, Any]:
    return json.loads(schema_file(name).read_text(encoding="utf-8"))


def schema_text(name: str = "dossier.schema.json") -> str:
    return schema_file(name).read_text(encoding="utf-8")


def template_folder() -> Traversable:
    return _folder("itdocs.templates")


def template_file(name: str) -> Traversable:
    return template_folder() / name


def template_names(suffixes: tuple[str, ...] = (".docx", ".xlsx")) -> list[str]:
    return sorted(p.name for p in template_folder().iterdir() if p.name.endswith(suffixes))


def rules_file(name: str = "default.yaml") -> Traversable:
    return _folder("itdocs.rules") / name
