"""Cryptographic validation of PDF signatures with pyHanko, an optional extra
(``pip install itdocs[pdfsig]``).

Without pyHanko a filled signature field stays ``claimed``: its ``/Name`` is what the writer typed,
not a proof. With pyHanko each signed field gets one of:

- ``valid-trusted``: the signature bytes verify, the document is unchanged since signing, and the
  signer's certificate chains to one of the configured trust roots;
- ``valid-untrusted``: intact and verifying, but the signer is not trusted (no trust root given,
  a self-signed certificate, an unknown CA): the signature is sound, who made it is not vouched for;
- ``modified``: the document was changed after signing — the signed bytes' digest does not match,
  or the signature does not cover the whole file and what was appended is more than pyHanko's diff
  policy accepts (form filling, later signatures, LTV data);
- ``invalid``: a broken signature (unparsable CMS, a signature that does not verify, a malformed
  signature dictionary).

Nothing is fetched: no OCSP, CRL or AIA look-up (``allow_fetching=False``), and with no trust root
given none is taken from the operating system. Every pyHanko exception becomes a status, and the
per-file time budget is checked between signatures (the reader's hard timer still bounds each one).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from itdocs.extract.safezip import Budget, Refused

STATUSES = ("valid-trusted", "valid-untrusted", "modified", "invalid")
#: Statuses that are a finding (``security/pdf-signature-invalid``).
BAD_STATUSES = ("modified", "invalid")

logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """True when pyHanko can be imported (the ``pdfsig`` extra is installed)."""
    try:
        import pyhanko.sign.validation  # noqa: F401
        import pyhanko_certvalidator  # noqa: F401
    except Exception:  # noqa: BLE001 (a broken install is the same as no install)
        return False
    return True


def load_trust_roots(paths: Iterable[Path | str]) -> list[Any]:
    """Certificates (PEM or DER, several per PEM file) from ``paths`` as asn1crypto objects; a file
    that does not read as a certificate is skipped."""
    from asn1crypto import pem, x509

    roots: list[Any] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        ders = (
            [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
        )
        for der in ders:
            with contextlib.suppress(Exception):  # not a certificate: no root
                cert = x509.Certificate.load(der)
                cert.native  # noqa: B018 (parse it all now, not later inside pyHanko)
                roots.append(cert)
    return roots


def _context(roots: Sequence[Any]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    # trust_roots=[] (not None): None would mean the operating system's trust store.
    return ValidationContext(
        trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail"
    )


def status_of(status: Any) -> str:
    """A pyHanko ``PdfSignatureStatus`` as one of :data:`STATUSES`."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    try:
        from pyhanko.sign.validation.status import SignatureCoverageLevel
    except ImportError:  # pyHanko < 0.21 kept it in sign.general
        from pyhanko.sign.general import SignatureCoverageLevel  # type: ignore[no-redef]

    if not status.intact:
        return "modified"  # the digest of the signed byte ranges does not match
    if not status.valid:
        return "invalid"
    coverage = status.coverage
    if coverage != SignatureCoverageLevel.ENTIRE_FILE:
        level = getattr(status, "modification_level", None)
        if coverage != SignatureCoverageLevel.ENTIRE_REVISION or level not in (
            ModificationLevel.NONE,
            ModificationLevel.LTA_UPDATES,
            ModificationLevel.FORM_FILLING,
        ):
            return "modified"
    if getattr(status, "docmdp_ok", True) is False:
        return "modified"
    return "valid-trusted" if status.trusted else "valid-untrusted"


def validate_signatures(
    fh: BinaryIO | bytes,
    *,
    trust_roots: list[Path] | None = None,
    budget: Budget | None = None,
    roots: Sequence[Any] | None = None,
) -> dict[str, str]:
    """The status of each signed signature field, by fully qualified field name. Empty when pyHanko
    is not installed or the file cannot be opened by it (the caller keeps ``claimed``). ``roots``
    are already loaded certificates, added to those read from ``trust_roots``."""
    if not available():
        return {}
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    anchors = [*load_trust_roots(trust_roots or []), *(roots or [])]
    data = fh if isinstance(fh, bytes) else _read_all(fh)
    out: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            signatures = list(reader.embedded_signatures)
        except Exception:  # noqa: BLE001 (pyHanko cannot open it: pypdf's reading stands)
            return {}
        for embedded in signatures[:200]:
            if budget is not None:
                budget.check()
            name = _field_name(embedded)
            try:
                status = validate_pdf_signature(
                    embedded, signer_validation_context=_context(anchors)
                )
                out[name] = status_of(status)
            except Refused:
                raise
            except Exception as exc:  # noqa: BLE001 (every pyHanko error is a status, never a crash)
                out[name] = _error_status(exc)
    return out


def _read_all(fh: BinaryIO) -> bytes:
    with contextlib.suppress(Exception):
        fh.seek(0)
    data = fh.read()
    return data if isinstance(data, bytes) else bytes(data)


def _field_name(embedded: Any) -> str:
    try:
        return str(embedded.field_name)
    except Exception:  # noqa: BLE001
        return ""


def _error_status(exc: Exception) -> str:
    """A digest mismatch pyHanko raises rather than reports is a modification; anything else, a
    broken signature."""
    text = f"{type(exc).__name__} {exc}".lower()
    if "digest" in text and ("mismatch" in text or "match" in text):
        return "modified"
    return "invalid"
