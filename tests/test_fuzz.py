"""Property tests: whatever a dossier file holds, `validate` and `check` answer with findings or a
clean ItdocsError — never another exception, and never a check that crashed (the engine turns a
crashing check into an ``internal/check-error`` finding; here that counts as a failure).

Inputs: any JSON value (unicode with lone surrogates, huge integers, deep nesting), written as
.json or .yaml; and the samples mutated (fields dropped, replaced by any value, or retyped).
Example counts follow the hypothesis profile (tests/fuzz_settings.py): ``ci`` by default,
``HYPOTHESIS_PROFILE=long`` for 10,000 per property.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import sample_files
from hypothesis import given, settings
from hypothesis import strategies as st

import itdocs
from itdocs.cli import main
from itdocs.engine import INTERNAL_RULE
from itdocs.errors import ItdocsError
from itdocs.loader import load
from itdocs.policy import load_policy

AS_OF = dt.date(2026, 11, 21)
POLICY = load_policy()  # the built-in rules, whatever itdocs.yaml lies above the temp folder
SAMPLES = [load(path).data for path in sample_files()]
_folder = Path(tempfile.mkdtemp(prefix="itdocs-fuzz-"))


def _fraction(share: int) -> settings:
    """A slow property runs 1/share of the profile's examples (at least 10)."""
    return settings(max_examples=max(10, settings.default.max_examples // share))


# --- values --------------------------------------------------------------------------------------

# Any code point (lone surrogates too, rarely), plus the texts that broke things before: lone
# surrogates, NUL, terminal escapes, a forged CI log line, bidi overrides, formulas, Jinja.
HOSTILE_TEXT = st.sampled_from(
    [
        "\ud800",
        "x\udfff",
        "\x00",
        "\x1b[2J",
        "a\n::error::x",
        "\u202etxt.exe",
        "=1+1",
        "{{ cycler.__init__ }}",
        "../../etc/passwd",
        "CON",
        "9" * 5000,
    ]
)
TEXT = st.one_of(st.text(st.characters(codec=None), max_size=40), HOSTILE_TEXT)
KEYS = st.one_of(
    TEXT,
    st.sampled_from(["kind", "project", "contract", "reports", "meetings", "x-", "", "$ref"]),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**300), max_value=10**300),  # huge, still printable by Python
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    st.sampled_from(["2026-09-01", "2026-W47", "2026-13-45", "468000.50", "procurement", "CON"]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=6), st.dictionaries(KEYS, children, max_size=6)
    ),
    max_leaves=40,
)


def _dump(value: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(value, ensure_ascii=True)  # \ud800 escapes keep lone surrogates
    return yaml.safe_dump(value, allow_unicode=False, default_flow_style=False)


def _write(value: Any, fmt: str, name: str = "dossier") -> Path:
    path = _folder / f"{name}.{fmt}"
    path.write_text(_dump(value, fmt), encoding="utf-8")
    return path


def _assert_validates(path: Path) -> None:
    [result] = itdocs.validate([path])
    assert result.error is None or isinstance(result.error, ItdocsError)
    assert result.error is None or not result.findings
    str(result.error)  # the one line a clerk reads must build
    for finding in result.findings:
        assert finding.file == str(path) and finding.message


def _assert_checks(path: Path) -> None:
    report = itdocs.check([path], policy=POLICY, waivers=False, as_of=AS_OF)
    crashed = [f for f in report.findings if f.rule == INTERNAL_RULE]
    assert not crashed, crashed[0].message
    assert all(isinstance(e, ItdocsError) for e in report.errors)
    assert report.exit_code() in (0, 1, 2)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@given(value=JSON_VALUES)
def test_any_value_gives_findings_or_a_clean_error(fmt, value):
    path = _write(value, fmt)
    _assert_validates(path)
    _assert_checks(path)


DOSSIER_KEYS = (
    "project",
    "contract",
    "reports",
    "meetings",
    "approvals",
    "changes",
    "suppliers",
    "requirement",
    "parties",
    "acceptance",
    "risks",
    "performance",
    "improvement",
)


@given(
    value=JSON_VALUES,
    key=st.sampled_from(DOSSIER_KEYS),
    kind=st.sampled_from(["procurement", "affiliation", "outsourcing", "improvement"]),
)
def test_any_value_under_a_dossier_key(value, key, kind):
    """The checks read known keys: hand each of them anything."""
    _assert_checks(_write({"kind": kind, key: value}, "json"))


# --- mutated samples -----------------------------------------------------------------------------


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, child in items:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


def _retype(value: Any) -> Any:
    """The same content as another JSON type (a date as a number, a list as a mapping …)."""
    if isinstance(value, bool):
        return "true" if value else 0
    if isinstance(value, (int, float)):
        return str(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return int(value) if value.isdigit() and len(value) < 100 else [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return {}


@st.composite
def mutated_samples(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 5))):
        paths = _paths(data)
        if not paths:
            break
        *parents, key = draw(st.sampled_from(paths))
        parent = data
        for part in parents:
            parent = parent[part]
        action = draw(st.sampled_from(["drop", "replace", "retype", "empty"]))
        if action == "drop":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "retype":
            parent[key] = _retype(parent[key])
        else:
            parent[key] = (
                type(parent[key])() if isinstance(parent[key], (str, list, dict)) else None
            )
    return data


@_fraction(4)
@given(data=mutated_samples(), fmt=st.sampled_from(["json", "yaml"]))
def test_mutated_samples_check_to_findings(data, fmt):
    path = _write(data, fmt)
    _assert_validates(path)
    _assert_checks(path)


@_fraction(20)
@given(data=mutated_samples())
def test_mutated_samples_generate_or_refuse(data):
    """A mutation the schema accepts must still render; one it refuses is refused cleanly."""
    path = _write(data, "json", "generate")
    out = Path(tempfile.mkdtemp(dir=_folder))
    try:
        result = itdocs.generate(path, out, only=["requirement_form", "contract", "risk_register"])
    except ItdocsError:
        return
    assert all(isinstance(e, ItdocsError) for e in result.errors)
    crashed = [e for e in result.errors if "内部错误" in str(e) or "internal" in str(e)]
    assert not crashed, crashed


# --- through the command line ---------------------------------------------------------------------


@_fraction(10)
@given(value=JSON_VALUES, fmt=st.sampled_from(["json", "yaml"]))
def test_the_command_line_never_shows_a_traceback(value, fmt):
    path = _write(value, fmt, "cli")
    runner = CliRunner()
    for args in (["validate", str(path)], ["check", str(path), "--as-of", "2026-11-21"]):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
