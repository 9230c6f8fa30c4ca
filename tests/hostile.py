"""A hostile corpus for the document readers, built into a folder on demand (never committed).

Each case names the problem code(s) reading it must report. Run ``python tests/hostile.py OUTDIR`` to
look at the files; the tests build them into ``tmp_path``. The big ones (1 GiB of whitespace, 100 MiB
of empty paragraphs) are a few hundred KB on disk: their deflate streams are made by repeating one
compressed block, never by compressing the whole.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from docbuild import RawMember, SigField, build_pdf, member, raw_zip, repeated_deflate

MiB = 1024 * 1024
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SECRET_MARK = "root:"  # what /etc/passwd starts with; must never appear in any output
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def document_xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>'.encode()


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx_with(document: bytes, *extra: RawMember) -> bytes:
    """A minimal .docx (content types + document) plus ``extra`` members."""
    return raw_zip(
        [
            member("[Content_Types].xml", CONTENT_TYPES),
            member("word/document.xml", document),
            *extra,
        ]
    )


def real_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("申请日期：2026年9月1日")
    d.add_paragraph("项目名称：ERP运维外包项目")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _entity_doc(doctype: str, use: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<w:document {W}><w:body>'
        f"{para(use)}</w:body></w:document>"
    ).encode()


LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    + "]>"
)


def _ole(names: list[str]) -> bytes:
    """An OLE compound file header followed by directory entries with these stream names (enough for
    any sniffer; Office itself would want the full sector chains)."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    )
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ["Root Entry", *names]:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entries += (
            raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little") + b"\x02".ljust(62, b"\x00")
        )
    return header + entries.ljust(4096, b"\x00")


def _xlsx_with_shared_strings(sst: bytes) -> bytes:
    """An openpyxl workbook whose A1 is shared string 0 of ``sst`` (openpyxl itself writes inline
    strings, so the part and its relationship are added here)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "报告日期"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(buf)
    rel = (
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml" Id="rId99"/></Relationships>'
    )
    members = []
    for name in src.namelist():
        data = src.read(name)
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", rel)
        elif name == "xl/worksheets/sheet1.xml":
            data = data.replace(b'<c r="A1" t="inlineStr"><is>', b'<c r="A1" t="s"><v>0</v><is>')
        members.append(member(name, data))
    return raw_zip([*members, member("xl/sharedStrings.xml", sst)])


def _encrypted_pdf(user: str) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(
        clone_from=pypdf.PdfReader(io.BytesIO(build_pdf([["保密合同 2026年9月1日"]])))
    )
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _whitespace_docx(declared: int | None = None, gib: int = 1) -> bytes:
    prefix = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
    data, crc, size = repeated_deflate(prefix, b" " * MiB, 1024 * gib, b"</w:body></w:document>")
    bomb = RawMember("word/document.xml", data, crc, declared if declared is not None else size)
    return raw_zip([member("[Content_Types].xml", CONTENT_TYPES), bomb])


def _empty_paragraphs(total: int) -> bytes:
    unit = b"<w:p/>" * 10_000
    prefix = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'.encode()
    data, crc, size = repeated_deflate(prefix, unit, total // len(unit), b"</w:body></w:document>")
    return raw_zip(
        [
            member("[Content_Types].xml", CONTENT_TYPES),
            RawMember("word/document.xml", data, crc, size),
        ]
    )


def _ratio_bomb() -> bytes:
    data, crc, size = repeated_deflate(b"", b"\x00" * MiB, 20, b"")
    return docx_with(
        document_xml(para("正文")), RawMember("word/media/image1.bin", data, crc, size)
    )


def _many_members() -> bytes:
    members = [RawMember(f"word/media/m{i}.xml", b"", 0, 0, method=0) for i in range(12_000)]
    return docx_with(document_xml(para("正文")), *members)


def _truncated() -> bytes:
    data = real_docx()
    return data[: len(data) // 2]


def _crc_error() -> bytes:
    doc = document_xml(para("合同金额：¥468,000.00"))
    return raw_zip(
        [
            member("[Content_Types].xml", CONTENT_TYPES),
            member("word/document.xml", doc, crc=0x12345678),
        ]
    )


def _lying_size() -> bytes:
    doc = document_xml(para("甲方：某某公司" * 200))
    return raw_zip(
        [member("[Content_Types].xml", CONTENT_TYPES), member("word/document.xml", doc, size=100)]
    )


def _deep_nesting() -> bytes:
    return document_xml("<w:p>" * 5000 + "</w:p>" * 5000)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    expect: tuple[str, ...]  # any one of these codes must be reported; () = must read cleanly


CASES: tuple[Case, ...] = (
    Case("bomb-ratio.docx", _ratio_bomb, ("zip-bomb",)),
    Case("bomb-members.docx", _many_members, ("too-many-members",)),
    Case("whitespace-1gib.docx", _whitespace_docx, ("too-large", "zip-bomb")),
    Case(
        "whitespace-1gib-lying-header.docx",
        lambda: _whitespace_docx(declared=4096),
        ("size-mismatch",),
    ),
    Case(
        "empty-paragraphs-100mib.docx",
        lambda: _empty_paragraphs(100 * MiB),
        ("too-large", "zip-bomb"),
    ),
    Case("empty-paragraphs-40mib.docx", lambda: _empty_paragraphs(40 * MiB), ("zip-bomb",)),
    Case("billion-laughs.docx", lambda: docx_with(_entity_doc(LAUGHS, "&lol9;")), ("xml-entity",)),
    Case(
        "xxe-passwd.docx",
        lambda: docx_with(
            _entity_doc(
                '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
            )
        ),
        ("xml-entity",),
    ),
    Case(
        "xxe-http.docx",
        lambda: docx_with(
            _entity_doc(
                '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/leak">]>', "&xxe;"
            )
        ),
        ("xml-entity",),
    ),
    Case(
        "xxe-parameter.docx",
        lambda: docx_with(
            _entity_doc(
                '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>', "x"
            )
        ),
        ("xml-entity",),
    ),
    Case(
        "xxe-utf16.docx",
        lambda: docx_with(
            _entity_doc(
                '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
            )
            .decode()
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16")
        ),
        ("xml-entity",),
    ),
    Case(
        "xxe-custom-properties.docx",
        lambda: docx_with(
            document_xml(para("正文")),
            member(
                "docProps/custom.xml",
                b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">&x;</Properties>',
            ),
        ),
        ("xml-entity",),
    ),
    Case(
        "xxe-shared-strings.xlsx",
        lambda: _xlsx_with_shared_strings(
            b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&x;</t></si></sst>'
        ),
        ("xml-entity",),
    ),
    Case(
        "xinclude-passwd.docx",
        lambda: docx_with(
            document_xml(
                '<w:p><w:r><w:t><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                'href="file:///etc/passwd" parse="text"/></w:t></w:r></w:p>'
            )
        ),
        (),  # XInclude is never processed: a clean read of an empty paragraph
    ),
    Case(
        "external-relationship.docx",
        lambda: docx_with(
            document_xml(para("正文")),
            member(
                "word/_rels/document.xml.rels",
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/subDocument" Target="file:///etc/passwd" TargetMode="External"/>'
                b"</Relationships>",
            ),
        ),
        # never followed (no network, no secret in the result), but reported: Word would fetch it
        ("external-link",),
    ),
    Case("truncated.docx", _truncated, ("truncated",)),
    Case("crc-error.docx", _crc_error, ("crc-error",)),
    Case("lying-size.docx", _lying_size, ("size-mismatch",)),
    Case("not-well-formed.docx", lambda: docx_with(b"<w:document><w:body><w:p>"), ("corrupt",)),
    Case("deep-nesting.docx", lambda: docx_with(_deep_nesting()), ("xml-too-complex",)),
    Case(
        "encrypted-member.docx",
        lambda: raw_zip([member("word/document.xml", document_xml(""), flags=1)]),
        ("password-protected",),
    ),
    Case(
        "bzip2-member.docx",
        lambda: raw_zip([RawMember("word/document.xml", b"BZh9", 0, 10, method=12)]),
        ("corrupt",),
    ),
    Case(
        "zip-not-office.docx",
        lambda: raw_zip([member("readme.txt", b"hello")]),
        ("format-mismatch",),
    ),
    Case("docx-is-pdf.docx", lambda: build_pdf([["这其实是PDF"]]), ("format-mismatch",)),
    Case("pdf-is-docx.pdf", real_docx, ("format-mismatch",)),
    Case("random-bytes.docx", lambda: bytes(range(256)) * 64, ("format-mismatch",)),
    Case("empty.docx", lambda: b"", ("empty",)),
    Case("empty.xlsx", lambda: b"", ("empty",)),
    Case("empty.pdf", lambda: b"", ("empty",)),
    Case(
        "password.xlsx",
        lambda: _ole(["EncryptionInfo", "EncryptedPackage"]),
        ("password-protected",),
    ),
    Case(
        "password.docx",
        lambda: _ole(["EncryptionInfo", "EncryptedPackage"]),
        ("password-protected",),
    ),
    Case("legacy.doc", lambda: _ole(["WordDocument", "1Table"]), ("legacy-format",)),
    Case("password.pdf", lambda: _encrypted_pdf("secret"), ("password-protected",)),
    Case(
        "pdf-bomb.pdf",
        lambda: build_pdf([["x"]], raw_content={0: b" " * (80 * MiB)}),
        ("pdf-bomb",),
    ),
    Case(  # a page without fonts: pypdf's text extraction would not even look at the stream
        "pdf-bomb-no-fonts.pdf",
        lambda: build_pdf([["x"]], raw_content={0: b" " * (80 * MiB)}).replace(
            b"/Resources", b"/Xesources"
        ),
        ("pdf-bomb",),
    ),
    Case("pdf-garbage.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 16, ("corrupt",)),
    Case("pdf-truncated.pdf", lambda: build_pdf([["合同"]])[:200], ("corrupt",)),
    Case(
        "forged-signature.pdf",
        lambda: build_pdf([["服务合同"]], sig_fields=[SigField("甲方代表", signer="张三")]),
        (),
    ),
    Case("owner-password-only.pdf", lambda: _encrypted_pdf(""), ()),
)


def build(outdir: Path) -> list[tuple[Case, Path]]:
    outdir.mkdir(parents=True, exist_ok=True)
    built = []
    for case in CASES:
        path = outdir / case.name
        path.write_bytes(case.build())
        built.append((case, path))
    return built


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case, path in build(target):
        print(
            f"{path.stat().st_size:>10}  {path.name}  expect {', '.join(case.expect) or 'clean read'}"
        )
