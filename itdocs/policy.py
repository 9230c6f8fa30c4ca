"""Policy: the built-in rules/default.yaml, extended by an organization's itdocs.yaml."""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itdocs import resources
from itdocs.errors import PolicyError
from itdocs.loader import load, loads

POLICY_FILE_NAMES = ("itdocs.yaml", "itdocs.yml", ".itdocs.yaml")


@dataclass
class Policy:
    """Merged parameters and rules, and the files they came from (built-in first)."""

    parameters: dict[str, Any]
    rules: dict[str, Any]
    sources: list[str] = field(default_factory=list)

    def param(self, name: str, default: Any = None) -> Any:
        value: Any = self.parameters
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _builtin() -> dict[str, Any]:
    return loads(resources.rules_file("default.yaml").read_text(encoding="utf-8"), fmt="yaml",
                 display="rules/default.yaml").data


def find_policy_file(start: str | os.PathLike[str]) -> Path | None:
    """The nearest itdocs.yaml in ``start`` or a folder above it."""
    here = Path(start).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        for name in POLICY_FILE_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load_policy(path: str | os.PathLike[str] | None = None) -> Policy:
    """The default policy, or the default extended by the policy file at ``path``."""
    base = _builtin()
    policy = Policy(base.get("parameters", {}), base.get("rules", {}), ["rules/default.yaml"])
    if path is None:
        return policy
    data = load(path).data
    if not isinstance(data, dict):
        raise PolicyError("策略文件应为映射 (a policy file is a mapping)", file=str(path))
    parent = data.get("extends", "default")
    if parent != "default":
        parent_path = Path(path).parent / parent
        policy = load_policy(parent_path)
    return Policy(
        _merge(policy.parameters, data.get("parameters") or {}),
        _merge(policy.rules, data.get("rules") or {}),
        policy.sources + [str(path)],
    )
