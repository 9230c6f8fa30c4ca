"""Any byte mutation of a valid .docx given to `check` gives findings, never a traceback.

The document is a real one generated from a sample (contract with signature table and custom
properties), so mutations hit every reader: zip headers, XML parts, properties, tables.
Profiles: see tests/fuzz_settings.py (HYPOTHESIS_PROFILE=long for ≥10,000 examples).
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from functools import cache
from pathlib import Path

from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

import itdocs
from itdocs.errors import ItdocsError

NAME = "ERP系统运维服务采购项目-2026年7月31日-服务合同.docx"


@cache
def contract_bytes() -> bytes:
    out = Path(tempfile.mkdtemp(prefix="itdocs-fuzz-"))
    try:
        itdocs.generate(SAMPLES / "procurement-erp-ops.yaml", out, only=["contract"])
        [path] = list(out.rglob("*.docx"))
        return path.read_bytes()
    finally:
        shutil.rmtree(out, ignore_errors=True)


mutations = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.integers(0, 255)),
    min_size=1,
    max_size=16,
)


@settings(max_examples=max(20, settings.default.max_examples // 4))
@given(mutations, st.one_of(st.none(), st.floats(min_value=0, max_value=1)))
def test_mutated_docx_checks_to_findings(edits, cut):
    data = bytearray(contract_bytes())
    for where, byte in edits:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / NAME).write_bytes(bytes(data))
        try:
            report = itdocs.check([folder], as_of=dt.date(2026, 11, 21), waivers=False)
        except ItdocsError:
            return  # a clean, user-facing error is fine too
        assert all(f.rule.count("/") == 1 for f in report.findings)
        assert not any(f.rule.startswith("internal/") for f in report.findings)
