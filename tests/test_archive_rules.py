"""Every archive-only rule has a case: one folder holding one file per problem (plus a seal, and a
dossier to compare with), and each rule of the ``file``, ``security`` and ``integrity`` families —
and the archive-only rules of the others — reported at the file it is about."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest
from archive_docs import NAME, Project, write_archive
from docbuild import RawMember, build_pdf, raw_zip
from hostile import CASES, CONTENT_TYPES, W, _ole, real_docx

from itdocs.archive import ARCHIVE_ONLY_RULES
from itdocs.archive.seal import seal
from itdocs.engine import check
from itdocs.generator import generate
from itdocs.policy import load_policy
from itdocs.reporters import REPORTER_BY_NAME

AS_OF = dt.date(2026, 11, 20)
pytestmark = pytest.mark.skipif(os.name != "posix", reason="links, pipes and byte file names")
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "outsourcing-helpdesk.json"
# Not produced here: a file root cannot read (the tests may run as root), a reader bug, a file
# slow enough to run out of the time budget on any machine.
UNREACHABLE = {"file/unreadable", "file/internal-error", "security/timeout"}
try:  # PDF signatures are validated only with the pdfsig extra (pyHanko)
    import pyhanko.sign.validation  # noqa: F401
except ImportError:
    UNREACHABLE |= {"security/pdf-signature-invalid"}


def stored_docx(xml: bytes) -> bytes:
    """A .docx whose document part is stored, not deflated (no ratio to trip over)."""
    import zlib

    doc = RawMember("word/document.xml", xml, zlib.crc32(xml), len(xml), method=0)
    ct = RawMember(
        "[Content_Types].xml",
        CONTENT_TYPES,
        zlib.crc32(CONTENT_TYPES),
        len(CONTENT_TYPES),
        method=0,
    )
    return raw_zip([ct, doc])


def stored_xlsx(cells: int) -> bytes:
    import io
    import zipfile

    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    rows = "".join(
        f'<row r="{r}">' + "".join(f"<c><v>{c}</v></c>" for c in range(50)) + "</row>"
        for r in range(1, cells // 50 + 2)
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for name in src.namelist():
            dst.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else src.read(name))
    return out.getvalue()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules")
    folder = root / "归档"
    p = Project()
    paths = write_archive(p, folder)
    seal(folder, today=AS_OF)
    for case in CASES:
        (folder / case.name).write_bytes(case.build())
    odd = folder / "杂项"
    odd.mkdir()
    (odd / "elements.docx").write_bytes(
        stored_docx(f"<w:document {W}><w:body>{'<w:p/>' * 510_000}</w:body></w:document>".encode())
    )
    (odd / "cells.xlsx").write_bytes(stored_xlsx(100_500))
    os.symlink(paths["week33"].name, folder / "link.docx")
    os.symlink("loop-b.docx", folder / "loop-a.docx")
    os.symlink("loop-a.docx", folder / "loop-b.docx")
    os.symlink("gone.docx", folder / "dangling.docx")
    os.mkfifo(folder / "pipe.docx")
    bad = os.fsencode(str(folder)) + b"/\xd6\xdc\xb1\xa8.docx"  # GBK bytes: not UTF-8
    with open(bad, "wb") as handle:
        handle.write(_ole(["WordDocument"]))
    paths["month9"].write_bytes(paths["month9"].read_bytes() + b"\0")  # changed since sealing
    paths["week35"].unlink()  # removed since sealing
    # the kickoff minutes again, under the name of another day
    shutil.copy(paths["kickoff"], folder / f"{NAME}-2026年8月6日-会议纪要.docx")
    (folder / f"{NAME}-2026年11月6日-试运行评估报告.docx").write_bytes(
        real_docx()
    )  # not outsourcing's
    (folder / f"{NAME}-2026年7月16日-采购审批单.pdf").write_bytes(build_pdf([["采购审批单 同意"]]))
    if "security/pdf-signature-invalid" not in UNREACHABLE:
        from pdfsig_build import make_signer, modified_after_signing, signed_pdf

        (folder / f"{NAME}-2026年7月18日-采购审批单.pdf").write_bytes(
            modified_after_signing(signed_pdf(make_signer(), field="部门负责人"))
        )
    (folder / ("长" * 75 + ".docx")).write_bytes(real_docx())  # 230 bytes, above the policy's 200
    generated = root / "generated"
    generate(SAMPLE, generated, only="weekly_report", period="2026-W40")
    [weekly] = generated.glob("*.docx")
    shutil.copy(weekly, folder / f"{NAME}-2026年7月1日-服务合同.docx")  # a report named a contract
    (folder / "说明.txt").write_text("交接说明", "utf-8")
    os.symlink("/etc/passwd", folder / "passwd.docx")
    manifest = folder / ".itdocs-seal" / "manifest-sha256.txt"
    manifest.write_text(manifest.read_text("utf-8") + "not a manifest line\n", "utf-8")
    # a malformed line in a manifest the tag manifest vouches for: an edited manifest would turn
    # the changed file's integrity/changed into integrity/seal-invalid (its line may be the edit)
    tags = folder / ".itdocs-seal" / "tagmanifest-sha256.txt"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    tags.write_text(
        "".join(
            f"{digest}  manifest-sha256.txt\n"
            if line.endswith("  manifest-sha256.txt")
            else line + "\n"
            for line in tags.read_text("utf-8").splitlines()
        ),
        "utf-8",
    )
    (root / "itdocs.yaml").write_text("parameters: {naming: {max_bytes: 200}}\n", "utf-8")
    plain = check([folder], waivers=False, as_of=AS_OF)
    dossier = check([folder], waivers=False, as_of=AS_OF, dossier=SAMPLE, policy=load_policy())
    return folder, plain, dossier


def test_every_archive_rule_has_a_case(report):
    _, plain, dossier = report
    rules = set(load_policy().rule_set())
    archive_rules = {
        r for r in rules if r.split("/")[0] in ("file", "security", "integrity")
    } | ARCHIVE_ONLY_RULES
    seen = {f.rule for f in plain.findings} | {f.rule for f in dossier.findings}
    missing = sorted(archive_rules - seen - UNREACHABLE)
    assert missing == [], missing


@pytest.mark.parametrize("fmt", sorted(REPORTER_BY_NAME))
def test_every_report_format_takes_a_name_that_is_not_utf8(report, fmt):
    _, plain, _ = report
    buffer = io.BytesIO() if REPORTER_BY_NAME[fmt].binary else io.StringIO()
    REPORTER_BY_NAME[fmt](buffer, lang="zh", verbose=True).report(plain)
    value = buffer.getvalue()
    text = value if isinstance(value, str) else value.decode("latin-1")
    assert "\\xd6" in text or fmt == "xlsx"


def test_a_name_that_is_not_utf8_is_sealed_and_verified(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "周报.docx").write_bytes(real_docx())
    with open(os.fsencode(str(folder)) + b"/\xd6\xdc.docx", "wb") as handle:
        handle.write(real_docx())
    seal(folder, today=AS_OF)
    assert "%D6%DC.docx" in (folder / ".itdocs-seal" / "manifest-sha256.txt").read_text("utf-8")
    report = check([folder], waivers=False, as_of=AS_OF)
    assert not [f for f in report.findings if f.rule.startswith("integrity/")]
    assert any(
        f.rule == "file/bad-filename" and f.file.endswith("\\xd6\\xdc.docx")
        for f in report.findings
    )
