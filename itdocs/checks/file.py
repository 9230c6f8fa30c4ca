"""Files (文件): every filed document opens, and is what its name says it is.

An archive check reads each file before anything else (``itdocs.extract``): by its bytes, not its
extension, under limits. Whatever stops a file from being read is one finding per problem, with
the rule named after the problem: an empty file, a truncated or corrupt one, a password-locked one,
a .docx that is really a PDF, a legacy .doc/.xls, a file that is not a document at all, a link, a
name that is not valid UTF-8. The rest of the archive is checked all the same.

A contract stored encrypted, as the policy's ``contracts_encrypted`` asks (seed 003: only the
director reads contracts), is not reported as password-protected: it is as it should be.

These rules apply to archives only (``itdocs check FOLDER``); a dossier has no files to open.

Parameters: ``contracts_encrypted``.

### file/empty
The file has 0 bytes: a failed copy or upload.

Compliant: any real document. Non-compliant: a 0-byte ``ERP运维外包项目-2026年9月-月报.docx``.

### file/truncated
The file stops before its end (a zip without its central directory, a PDF cut short).

Compliant: the whole file. Non-compliant: the first half of a .docx from a broken download.

### file/corrupt
The file cannot be read as what it is: a broken zip entry, XML that is not well-formed, a PDF
whose objects do not parse.

Compliant: a file Word, Excel or a PDF reader opens. Non-compliant: a .docx whose
``word/document.xml`` ends mid-tag.

### file/crc-error
A zip entry's checksum does not match its content: the bytes changed after the file was written.

Compliant: a .docx as Word saved it. Non-compliant: the same file with bytes changed inside a zip
entry.

### file/password-protected
The file has a password to open (Office encryption, a PDF user password): nobody can read it
without the password, and neither can the check. Not reported for contracts when
``contracts_encrypted`` is true.

Compliant: a 月报 that opens without a password; a 服务合同 with one (the policy asks for it).
Non-compliant: a 周报 saved with a password to open.

### file/format-mismatch
The extension promises one format, the bytes are another. Rename it to what it is (or convert it).

Compliant: ``…-服务合同.pdf`` that is a PDF. Non-compliant: ``…-服务合同.docx`` that is a PDF.

### file/unknown-format
Not a document the check can read (.docx, .xlsx, .pdf): a picture, a text file, an archive.

Compliant: ``…-验收报告.pdf``. Non-compliant: ``说明.txt`` or ``扫描件.zip`` in the archive.

### file/legacy-format
A legacy binary .doc/.xls: its content is not read.

Compliant: ``…-会议纪要.docx``. Non-compliant: ``…-会议纪要.doc`` (Word 97–2003).

### file/content-truncated
The document is larger than the reading limits (cells, pages, characters): only its beginning was
read, so facts further on may be missed.

Compliant: a 50-page contract. Non-compliant: a workbook of 200,000 filled cells.

### file/symlink
A symbolic link inside the folder: read through it, and reported, because a link is not a filed
document.

Compliant: the file itself. Non-compliant: ``合同.docx -> ../其他项目/合同.docx`` inside the folder.

### file/symlink-loop
A symbolic link that points to itself (or around in a circle).

Compliant: no link. Non-compliant: ``a.docx -> b.docx``, ``b.docx -> a.docx``.

### file/not-found
A file listed that does not exist (a dangling link, or removed while checking).

Compliant: a link to an existing file. Non-compliant: a link to a deleted file.

### file/not-a-file
A device, pipe or other special file where a document belongs.

Compliant: a regular file. Non-compliant: a named pipe ``周报.docx``.

### file/unreadable
The file cannot be opened (permissions, an I/O error).

Compliant: a file the checking user may read. Non-compliant: a file with mode 000.

### file/bad-filename
The file name is not valid UTF-8 or holds control characters: it cannot be shown or copied
reliably.

Compliant: ``ERP运维外包项目-2026年第45周-周报.docx``. Non-compliant: a GBK-encoded name
unpacked from a zip on Linux (``\xd6\xdc\xb1\xa8.docx``).

### file/internal-error
The reader failed on this file (a bug in itdocs, or a crash of the reading process). The file may
be fine; please report it.

Compliant: any file read without a crash. Non-compliant: a file that crashes the reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import items, pointer
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.extract.model import PROBLEM_FAMILY

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

FILE_CODES = tuple(code for code, family in PROBLEM_FAMILY.items() if family == "file")
RULES = tuple(f"file/{code}" for code in FILE_CODES)


def archive_files(data: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, file) of an archive view's ``x-archive.files``; nothing for a dossier."""
    yield from items(data, "x-archive", "files")


def expected_encrypted(file: dict[str, Any], params: Any) -> bool:
    return file.get("type") == "contract" and params.get("contracts_encrypted") is True


@check(*RULES, reads=("contracts_encrypted",), args=("detail", "name"), name="file.problems")
def problems(data: Any, ctx: Context) -> Iterator[Hit]:
    for index, file in archive_files(data):
        for number, problem in items(file, "problems"):
            code = problem.get("code")
            if problem.get("family") != "file" or f"file/{code}" not in RULES:
                continue
            if code == "password-protected" and expected_encrypted(file, ctx.params):
                continue
            yield Hit(
                pointer("x-archive", "files", index, "problems", number),
                {"detail": problem.get("message"), "name": file.get("name")},
                {"code": code, "format": file.get("format"), "path": file.get("rel")},
                rule=f"file/{code}",
            )
