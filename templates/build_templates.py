"""Build every Word template in this folder: ``python templates/build_templates.py``.

The .docx files are committed next to this script and tests/test_templates.py checks that a
rebuild gives the same XML, so edit here, rebuild, and commit both. An organization that wants
its own layout runs ``itdocs templates export DIR``, edits the copies in Word or WPS and passes
``--templates DIR`` to ``itdocs generate``.

Variables are documented in itdocs/context.py and itdocs/documents.py: the dossier's own field
names (``contract.sla.availability``), plus ``doc`` (type, title, date, period) and
``signatures`` (role, name, date). The pieces: docxkit.py (page, styles, fonts, numbering),
docxtables.py (forms, list tables, signature block), forms.py and texts.py (the templates).
Run it with itdocs installed (``pip install -e .``).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject
from itdocs.templates import forms, texts

HERE = Path(__file__).resolve().parent
STAMP = (2026, 1, 1, 0, 0, 0)

TEMPLATES: dict[str, Callable[[], DocumentObject]] = {
    "requirement_form.docx": forms.requirement_form,
    "approval_sheet.docx": forms.approval_sheet,
    "service_scheme.docx": texts.service_scheme,
    "contract.docx": texts.contract,
    "kickoff_minutes.docx": texts.kickoff_minutes,
    "meeting_minutes.docx": texts.meeting_minutes,
    "periodic_report.docx": texts.periodic_report,
    "change_request.docx": forms.change_request,
    "acceptance_report.docx": forms.acceptance_report,
    "trial_run_report.docx": forms.trial_run_report,
}


def build(name: str) -> bytes:
    """One template as .docx bytes, zipped with fixed timestamps so a rebuild is byte-stable."""
    raw = io.BytesIO()
    TEMPLATES[name]().save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=STAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def build_all(folder: Path = HERE) -> list[Path]:
    written = []
    for name in TEMPLATES:
        path = folder / name
        path.write_bytes(build(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")
